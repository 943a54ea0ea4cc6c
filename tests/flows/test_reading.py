"""parse_date: the date formats people type, normalised to ISO day, month or year strings."""

from __future__ import annotations

import pytest

from flows.reading import parse_date


@pytest.mark.parametrize(
    ("typed", "iso"),
    [
        ("25.01.2027", "2027-01-25"),
        ("25.1.27", "2027-01-25"),       # short day, month and two-digit year
        ("2027-01-25", "2027-01-25"),
        ("25/01/2027", "2027-01-25"),
        ("01/2027", "2027-01"),
        ("1.2027", "2027-01"),
        ("2027-03", "2027-03"),
        ("2027", "2027"),
        ("  25.01.2027  ", "2027-01-25"),  # surrounding blanks are ignored
        ("25.01.2027.", "2027-01-25"),     # so is a full stop at the end of a sentence
        ("29.02.2028", "2028-02-29"),      # leap day in a leap year
        ("31.12.2030", "2030-12-31"),
    ],
)
def test_accepts_what_people_type(typed: str, iso: str) -> None:
    assert parse_date(typed) == iso


@pytest.mark.parametrize(
    "typed",
    [
        "31.02.2027",       # no 31 February
        "29.02.2027",       # 2027 is no leap year
        "13/2027",          # no month 13
        "2027-13-01",       # no month 13 (ISO)
        "0.2027",           # no month 0
        "00.01.2027",       # no day 0
        "morgen",
        "",
        "   ",
        "1800",             # implausible year
        "25.01.1800",
        "2027-01-25T10:00",
        "25.01.2027 abends",
        "ca. 2027",
        "2027a",
        "Jan 2027",
        "25. Januar 2027",
        "25.O1.2027",       # letter O instead of a zero
        "25-01-2027",       # day first with dashes is not one of the accepted forms
        "25.01.202",        # three-digit year
    ],
)
def test_rejects_what_is_no_date(typed: str) -> None:
    assert parse_date(typed) is None

