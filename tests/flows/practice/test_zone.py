from datetime import UTC, datetime

import pytest

from flows.practice.zone import day_of, deferred, local_at, zone_of


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


@pytest.mark.parametrize(
    ("answers", "zone"),
    [
        ({"ob_name": {"name": "Grabow", "key": "13076052", "country": "de"}}, "Europe/Berlin"),
        ({"ob_name": {"name": "Lyon", "key": "69123", "country": "fr"}}, "Europe/Paris"),
        ({"ob_name": {"name": "Saint-Denis", "key": "97411", "country": "fr"}}, "Indian/Reunion"),
        ({"ob_name": {"name": "Pointe-à-Pitre", "key": "97120", "country": "fr"}}, "America/Guadeloupe"),
        ({"ob_name": {"name": "Fort-de-France", "key": "97209", "country": "fr"}}, "America/Martinique"),
        ({"ob_name": {"name": "Cayenne", "key": "97302", "country": "fr"}}, "America/Cayenne"),
        ({"ob_name": {"name": "Mamoudzou", "key": "97611", "country": "fr"}}, "Indian/Mayotte"),
        ({"ob_name": "Grabow"}, "Europe/Berlin"),
        ({}, "Europe/Berlin"),
    ],
)
def test_the_zone_follows_the_picked_place(answers: dict, zone: str) -> None:
    assert zone_of(answers) == zone


def test_a_typed_name_takes_the_country_the_caller_knows() -> None:
    assert zone_of({"ob_name": "Ville-sur-Mer"}, country="fr") == "Europe/Paris"


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (utc(2027, 6, 15, 17, 59), None),  # 19:59 in Berlin (summer time)
        (utc(2027, 6, 15, 18, 0), utc(2027, 6, 16, 6, 0)),  # 20:00 → 08:00 next day
        (utc(2027, 6, 16, 5, 59), utc(2027, 6, 16, 6, 0)),  # 07:59 → 08:00 the same day
        (utc(2027, 6, 16, 6, 0), None),  # 08:00
        (utc(2027, 1, 15, 22, 30), utc(2027, 1, 16, 7, 0)),  # 23:30 in winter → 08:00 CET
    ],
)
def test_quiet_hours_hold_a_reminder_until_eight(moment: datetime, expected: datetime | None) -> None:
    assert deferred(moment, "Europe/Berlin") == expected


def test_a_night_before_the_clocks_go_forward_ends_at_eight_summer_time() -> None:
    # Saturday 27 March 2027, 21:00 CET; the clocks go forward in the night to Sunday 28 March.
    assert deferred(utc(2027, 3, 27, 20, 0), "Europe/Berlin") == utc(2027, 3, 28, 6, 0)


def test_a_night_before_the_clocks_go_back_ends_at_eight_winter_time() -> None:
    # Saturday 30 October 2027, 22:00 CEST; the clocks go back in the night to Sunday 31 October.
    assert deferred(utc(2027, 10, 30, 20, 0), "Europe/Berlin") == utc(2027, 10, 31, 7, 0)


def test_reunion_has_its_own_quiet_hours() -> None:
    # 19:30 UTC is 23:30 in Réunion (UTC+4): held until 08:00 there, 04:00 UTC.
    assert deferred(utc(2027, 6, 15, 19, 30), "Indian/Reunion") == utc(2027, 6, 16, 4, 0)
    assert deferred(utc(2027, 6, 15, 15, 30), "Indian/Reunion") is None  # 19:30 there


@pytest.mark.parametrize(
    ("stored", "expected"),
    [
        ("2027-09-30", utc(2027, 9, 30, 7, 0)),
        ("2027-09", utc(2027, 9, 1, 7, 0)),
        ("2027", utc(2027, 1, 1, 8, 0)),
        ("2027-03-28", utc(2027, 3, 28, 7, 0)),  # the day summer time begins
        ("2027-03-27", utc(2027, 3, 27, 8, 0)),
        ("2027-10-31", utc(2027, 10, 31, 8, 0)),  # the day it ends
        ("soon", None),
        ("2027-13", None),
        (None, None),
    ],
)
def test_a_stored_date_is_nine_in_the_morning_local_time(stored: str | None, expected: datetime | None) -> None:
    assert local_at(stored, "Europe/Berlin") == expected


def test_local_at_in_reunion_and_another_hour() -> None:
    assert local_at("2027-09-30", "Indian/Reunion") == utc(2027, 9, 30, 5, 0)
    assert local_at("2027-09-30", "Europe/Paris", hour=8) == utc(2027, 9, 30, 6, 0)


def test_day_of_reads_days_months_and_years() -> None:
    assert str(day_of("2027-09")) == "2027-09-01"
    assert day_of("2027-02-30") is None
    assert day_of(2027) is None
