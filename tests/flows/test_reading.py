"""Reading typed text: dates as step answers (ISO day, month or year strings) and the dates and times admins type."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from flows.reading import is_question, parse_date, parse_when, read_figure, terms_named

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.mark.parametrize(
    ("typed", "iso"),
    [
        ("25.01.2027", "2027-01-25"),
        ("25.1.27", "2027-01-25"),  # short day, month and two-digit year
        ("2027-01-25", "2027-01-25"),
        ("25/01/2027", "2027-01-25"),
        ("01/2027", "2027-01"),
        ("1.2027", "2027-01"),
        ("2027-03", "2027-03"),
        ("2027", "2027"),
        ("  25.01.2027  ", "2027-01-25"),  # surrounding blanks are ignored
        ("25.01.2027.", "2027-01-25"),  # so is a full stop at the end of a sentence
        ("29.02.2028", "2028-02-29"),  # leap day in a leap year
        ("31.12.2030", "2030-12-31"),
        # in words: a day, a month, a part of a year (its first month; Mitte June, Ende December)
        ("25. Januar 2027", "2027-01-25"),
        ("25-01-2027", "2027-01-25"),
        ("Jan 2027", "2027-01"),
        ("März 2027", "2027-03"),
        ("Ende März 2027", "2027-03"),
        ("mars 2027", "2027-03"),
        ("Frühjahr 2027", "2027-03"),
        ("im Herbst 2027", "2027-09"),
        ("printemps 2027", "2027-03"),
        ("spring 2027", "2027-03"),
        ("Q2 2027", "2027-04"),
        ("2027 Q3", "2027-07"),
        ("2. Quartal 2027", "2027-04"),
        ("2e trimestre 2027", "2027-04"),
        ("H2 2027", "2027-07"),
        ("Anfang 2027", "2027-01"),
        ("début 2027", "2027-01"),
        ("Mitte 2027", "2027-06"),
        ("mi-2027", "2027-06"),
        ("mid 2027", "2027-06"),
        ("Ende 2027", "2027-12"),
        ("fin 2027", "2027-12"),
        ("d'ici fin 2027", "2027-12"),
        ("end of 2027", "2027-12"),
    ],
)
def test_accepts_what_people_type(typed: str, iso: str) -> None:
    assert parse_date(typed) == iso


@pytest.mark.parametrize(
    "typed",
    [
        "31.02.2027",  # no 31 February
        "29.02.2027",  # 2027 is no leap year
        "13/2027",  # no month 13
        "2027-13-01",  # no month 13 (ISO)
        "0.2027",  # no month 0
        "00.01.2027",  # no day 0
        "morgen",
        "",
        "   ",
        "1800",  # implausible year
        "25.01.1800",
        "2027-01-25T10:00",
        "25.01.2027 abends",
        "ca. 2027",
        "2027a",
        "25.O1.2027",  # letter O instead of a zero
        "25.01.202",  # three-digit year
        "Q5 2027",  # no fifth quarter
        "Sommer 27",  # two-digit years only with a day and month in figures
        "irgendwann 2027",
        "Frühjahr",  # no year
    ],
)
def test_rejects_what_is_no_date(typed: str) -> None:
    assert parse_date(typed) is None


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("24.11.2026 10:00", "de"),
        ("24.11.2026, 10 Uhr", "de"),
        ("Dienstag, 24. November 2026 um 10 Uhr", "de"),
        ("2026-11-24 10:00", "de"),
        ("24/11/2026 10h00", "fr"),
        ("24/11/2026 10h", "fr"),
        ("mardi 24 novembre 2026 à 10h", "fr"),
        ("2026-11-24 10:00", "en"),
        ("2026-11-24T10:00", "en"),
        ("24 Nov 2026 10:00", "en"),
        ("11/24/2026 10:00 AM", "en"),
    ],
)
def test_parse_when_reads_what_admins_type(text: str, lang: str):
    assert parse_when(text, "Europe/Berlin", lang) == datetime(2026, 11, 24, 10, tzinfo=BERLIN)


def test_parse_when_a_bare_time_is_on_the_base_day():
    assert parse_when("11:30", "Europe/Berlin", "de", base=date(2026, 11, 24)) == datetime(
        2026, 11, 24, 11, 30, tzinfo=BERLIN
    )
    assert parse_when("11:30", "Europe/Berlin", "de") is None


@pytest.mark.parametrize("text", ["24.11.2026", "31.02.2026 10:00", "24.11.2026 25:00", "tomorrow", ""])
def test_parse_when_rejects_what_it_cannot_read(text: str):
    assert parse_when(text, "Europe/Berlin", "de", base=date(2026, 11, 24)) is None


@pytest.mark.parametrize(
    ("typed", "asks"),
    [
        ("Was ist eine Verwaltungsspitze?", True),
        ("was ist AFOM", True),
        ("Muss ich alle Akteure nennen", True),
        ("c'est quoi un indicateur", True),
        ("Qu’est-ce que l’AFOM", True),
        ("What is a SMART goal", True),
        ("Bürgermeisterin Beispiel", False),
        ("Wasser und Abwasser", False),  # "Was" only as a whole word
        ("Que les jeunes restent", False),  # "que" alone opens many French answers
        ("Wie früher: eine lebendige Ortsmitte mit Laden, Arzt, Kneipe und Bus jede Stunde bis spät", False),
    ],
)
def test_questions_are_told_from_answers(typed: str, asks: bool) -> None:
    assert is_question(typed) is asks


@pytest.mark.parametrize(
    ("typed", "terms"),
    [
        ("Was sind Handlungsfelder?", ["handlungsfeld"]),  # a longer form of the alias
        ("Qu’est-ce qu’un plan d’action ?", ["werkstattplan"]),  # not "action" inside it
        ("Unterschied zwischen Kommunalprofil und SWOT?", ["kommunalprofil", "afom"]),
        ("Brauche ich ein Smartphone?", []),  # short aliases match whole words only
        ("Wer übernimmt die Moderation?", []),
    ],
)
def test_the_glossary_terms_a_question_names(content, typed: str, terms: list[str]) -> None:
    assert [t.id for t in terms_named(content.glossary, typed)] == terms


@pytest.mark.parametrize(
    ("typed", "figure"),
    [
        ("40", 40.0),
        (" 40 ", 40.0),
        ("ca. 1.250 Nutzer", 1250.0),
        ("Etwa 40 Personen", 40.0),
        ("\u22123,4 %", -3.4),
        ("-5", -5.0),
        ("12 000", 12000.0),
        ("12\u202f000", 12000.0),  # French thousands
        ("1.234,5", 1234.5),
        ("1,234.5", 1234.5),
        ("0,5", 0.5),
        ("2,5%", 2.5),
    ],
)
def test_read_figure_reads_one_number_with_its_unit(typed: str, figure: float) -> None:
    assert read_figure(typed) == figure


@pytest.mark.parametrize(
    "typed", ["", "vierzig", "zwei bis 2029", "40 bis 2028", "12 2025", "1.2.3", "9" * 16, "9" * 16_000]
)
def test_read_figure_refuses_what_is_not_one_number(typed: str) -> None:
    assert read_figure(typed) is None
