"""Events: the YAML file, formatted times, the .ics and the messages."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from flows.content.consent import load_event_kinds
from flows.content.content import Content
from flows.content.model import EVENT_KINDS
from flows.messages import Attachment
from flows.news.events import (
    EventInvalid,
    EventSpec,
    announcement,
    event_ics,
    format_when,
    load_event_file,
    preview,
    reminder,
    upcoming,
)
from tests.conftest import CONTENT

BERLIN = ZoneInfo("Europe/Berlin")

# Test data only: not a real event.
EVENT_YAML = """\
kind: online_seminar
title:
  de: "Testseminar Demografie-Simulation"
  fr: "Séminaire test : simulation démographique"
  en: "Test seminar: demography simulation"
description:
  de: "Wie **Szenarien** helfen. Mehr unter [Infoseite](https://example.org/info)."
  en: "How **scenarios** help. More on the [info page](https://example.org/info)."
starts: 24.11.2026 10:00
ends: 2026-11-24 11:30
online_url: https://example.org/room
registration_url: https://example.org/register
audience: {de: "Kommunalverwaltungen", en: "Municipal administrations"}
topics: [strategy, online_seminar]
"""


@pytest.fixture(scope="module")
def topics(content: Content) -> set[str]:
    return set(content.handlungsfelder) | set(EVENT_KINDS)


@pytest.fixture(scope="module")
def kinds():
    return load_event_kinds(CONTENT)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "event.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def event(tmp_path: Path, topics: set[str]) -> EventSpec:
    return load_event_file(write(tmp_path, EVENT_YAML), topics)


def test_control_characters_and_bidi_in_an_event_file_are_dropped(tmp_path: Path, topics: set[str]):
    hostile = EVENT_YAML.replace('"Testseminar', '"Test\\0\\eseminar\\u202e').replace(
        "Kommunalverwaltungen", "Kommunal\\u2066verwaltungen"
    )
    spec = load_event_file(write(tmp_path, hostile), topics)
    assert spec.title["de"] == "Testseminar Demografie-Simulation"
    assert spec.audience["de"] == "Kommunalverwaltungen"


def test_a_valid_file_gives_aware_times_in_the_event_zone(event: EventSpec):
    assert event.starts == datetime(2026, 11, 24, 10, tzinfo=BERLIN)
    assert event.ends == datetime(2026, 11, 24, 11, 30, tzinfo=BERLIN)
    assert event.text("title", "fr").startswith("Séminaire test")
    assert event.text("audience", "fr") == "Kommunalverwaltungen"  # falls back to German
    assert event.all_topics() == ["online_seminar", "strategy"]


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        (("topics: [strategy, online_seminar]", "topics: [strategy, knitting]"), "topics", "knitting"),
        (("ends: 2026-11-24 11:30", "ends: 2026-11-24 09:00"), "ends", "after the start"),
        (("online_url: https://example.org/room", "online_url: example.org/room"), "online_url", "https://"),
        (
            ("registration_url: https://example.org/register", "registration_url: ftp://x.org"),
            "registration_url",
            "https://",
        ),
        (('  de: "Testseminar Demografie-Simulation"\n', ""), "title", "'de' text is required"),
        (("kind: online_seminar", "kind: party"), "kind", "online_seminar"),
        (("starts: 24.11.2026 10:00", "starts: 2026-11-24"), "starts", "time"),
        (("online_url: https://example.org/room\n", "timezone: Mars/Olympus\n"), "timezone", "Mars/Olympus"),
    ],
)
def test_invalid_files_name_the_field(
    tmp_path: Path, topics: set[str], change: tuple[str, str], field: str, words: str
):
    assert change[0] in EVENT_YAML
    with pytest.raises(EventInvalid) as caught:
        load_event_file(write(tmp_path, EVENT_YAML.replace(*change)), topics)
    message = str(caught.value)
    assert "event.yaml" in message
    line = next(line for line in message.splitlines() if field in line)
    assert words in line
    assert "pydantic" not in message and "errors.pydantic.dev" not in message


def test_an_event_needs_a_place_or_a_link_but_a_publication_does_not(tmp_path: Path, topics: set[str]):
    without = EVENT_YAML.replace("online_url: https://example.org/room\n", "")
    with pytest.raises(EventInvalid, match="place / online_url"):
        load_event_file(write(tmp_path, without), topics)
    publication = without.replace("kind: online_seminar", "kind: publication").replace(
        "starts: 24.11.2026 10:00\nends: 2026-11-24 11:30\n", "starts: 2026-11-24\n"
    )
    spec = load_event_file(write(tmp_path, publication), topics)
    assert spec.starts == datetime(2026, 11, 24, tzinfo=BERLIN)


def test_several_problems_are_all_listed(tmp_path: Path, topics: set[str]):
    text = EVENT_YAML.replace("kind: online_seminar", "kind: party").replace("[strategy,", "[nope,")
    with pytest.raises(EventInvalid) as caught:
        load_event_file(write(tmp_path, text), topics)
    assert len(caught.value.problems) == 2


@pytest.mark.parametrize(
    ("lang", "day", "zone"),
    [
        ("de", "Dienstag, 24. November 2026", "(MEZ)"),
        ("fr", "mardi 24 novembre 2026", "Europe centrale"),
        ("en", "Tuesday, 24 November 2026", "(CET)"),
    ],
)
def test_format_when_in_three_languages(lang: str, day: str, zone: str):
    starts, ends = datetime(2026, 11, 24, 10, tzinfo=BERLIN), datetime(2026, 11, 24, 11, 30, tzinfo=BERLIN)
    text = format_when(starts, ends, "Europe/Berlin", lang)
    assert day in text and "10:00" in text and "11:30" in text and zone in text


def test_format_when_converts_to_the_event_zone_and_shows_both_days():
    starts = datetime(2026, 11, 24, 9, tzinfo=ZoneInfo("UTC"))
    ends = datetime(2026, 11, 25, 15, tzinfo=ZoneInfo("UTC"))
    text = format_when(starts, ends, "Europe/Berlin", "de")
    assert "24. November 2026, 10:00" in text and "25. November 2026, 16:00" in text


def test_the_ics_parses_back(event: EventSpec):
    data = event_ics(event, "event-7@test", "en", sequence=2)
    cal = Calendar.from_ical(data)
    assert str(cal["METHOD"]) == "PUBLISH" and str(cal["VERSION"]) == "2.0" and cal["PRODID"]
    assert [tz.tz_name for tz in cal.timezones] == ["Europe/Berlin"]
    (vevent,) = cal.events
    assert str(vevent["UID"]) == "event-7@test"
    assert vevent["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert vevent.start == datetime(2026, 11, 24, 10, tzinfo=BERLIN)
    assert vevent.end == datetime(2026, 11, 24, 11, 30, tzinfo=BERLIN)
    assert str(vevent["SUMMARY"]) == "Test seminar: demography simulation"
    assert str(vevent["LOCATION"]) == "https://example.org/room"
    assert str(vevent["URL"]) == "https://example.org/register"
    assert "**" not in str(vevent["DESCRIPTION"]) and "https://example.org/register" in str(vevent["DESCRIPTION"])
    assert int(vevent["SEQUENCE"]) == 2


def test_the_ics_defaults_to_one_hour_and_uses_the_place(event: EventSpec):
    spec = event.model_copy(update={"ends": None, "place": "Rathaus Musterstadt"})
    vevent = Calendar.from_ical(event_ics(spec, "u", "de", method="CANCEL")).events[0]
    assert vevent.end == datetime(2026, 11, 24, 11, tzinfo=BERLIN)
    assert str(vevent["LOCATION"]) == "Rathaus Musterstadt"
    assert str(vevent["STATUS"]) == "CANCELLED"
    assert str(vevent["SUMMARY"]) == "Testseminar Demografie-Simulation"


def labels(content: Content, lang: str) -> dict[str, str]:
    return {i: h.label.get(lang) for i, h in content.handlungsfelder.items()}


def test_the_announcement_in_english(content: Content, event: EventSpec, kinds):
    t = content.catalogues.translator("en")
    out = announcement(12, event, "en", t, kinds, labels(content, "en"), "/unsubscribe", "/attend 12")
    text = out.text()
    assert [c.id for c in out.choices] == ["rsvp 12", "unsubscribe"]
    (ics,) = out.attachments
    assert isinstance(ics, Attachment) and ics.filename == "event-12.ics" and ics.media_type == "text/calendar"
    assert Calendar.from_ical(ics.data).events[0]["SUMMARY"] == "Test seminar: demography simulation"
    for expected in (
        "Online seminars",
        "Tuesday, 24 November 2026",
        "https://example.org/room",
        "Municipal administrations",
        "info page (https://example.org/info)",
        "https://example.org/register",
        "Demography strategy",
        "/attend 12",
        "/unsubscribe",
    ):
        assert expected in text
    for german in ("Uhr", "Dienstag", "MEZ", "Testseminar", "Kommunal", "Anmeldung", "Themen", "Online-Seminare"):
        assert german not in text


def test_a_publication_has_no_rsvp_and_no_ics(content: Content, event: EventSpec, kinds):
    spec = event.model_copy(update={"kind": "publication"})
    out = announcement(3, spec, "de", content.catalogues.translator("de"), kinds, labels(content, "de"), "/a", "/z")
    assert [c.id for c in out.choices] == ["unsubscribe"] and out.attachments == []


def test_the_reminder(content: Content, event: EventSpec, kinds):
    out = reminder(12, event, "en", content.catalogues.translator("en"), kinds, "/unsubscribe", "/cancel 12")
    assert [c.id for c in out.choices] == ["unrsvp 12", "unsubscribe"]
    assert out.attachments[0].filename == "event-12.ics"
    assert "Test seminar" in out.text() and "/cancel 12" in out.text()


def test_upcoming(content: Content, event: EventSpec, kinds):
    t = content.catalogues.translator("en")
    blocks = upcoming([(12, event, True), (13, event, False)], "en", t, kinds)
    items = blocks[1].items
    assert items[0].startswith("#12 24 Nov 2026, 10:00 – Test seminar") and "✓" in items[0] and "✓" not in items[1]
    assert items[1].startswith("#13 ")
    assert len(upcoming([], "en", t, kinds)) == 2


def test_preview_in_three_languages(content: Content, event: EventSpec, kinds):
    t_by_lang = {lang: content.catalogues.translator(lang) for lang in ("de", "fr", "en")}
    topic_labels = {i: h.label for i, h in content.handlungsfelder.items()}
    out = preview(None, event, t_by_lang, kinds, topic_labels, {"de": ("/abbestellen", "/zusage 1")})
    assert len(out) == 3
    assert [o.blocks[0].text.split("·")[-1].strip() for o in out] == ["Deutsch", "Français", "English"]
    assert "Séminaire test" in out[1].text() and all(o.choices == [] for o in out)
