"""Reading dates the way people type them: 25.01.2027, 25/01/2027, 2027-01-25, 01/2027, 2027."""

from __future__ import annotations

import re
from datetime import date

_DAY = re.compile(r"^(\d{1,2})[./](\d{1,2})[./](\d{2}|\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_MONTH = re.compile(r"^(\d{1,2})[./](\d{4})$|^(\d{4})-(\d{1,2})$")
_YEAR = re.compile(r"^(\d{4})$")


def parse_date(text: str) -> str | None:
    """Return an ISO date (``2027-01-25``), month (``2027-01``) or year (``2027``), or None."""
    text = text.strip().rstrip(".")
    try:
        if m := _DAY.match(text):
            day, month, year = int(m[1]), int(m[2]), int(m[3])
            year = year + 2000 if year < 100 else year
            return _plausible(date(year, month, day).isoformat(), year)
        if m := _ISO.match(text):
            return _plausible(date(int(m[1]), int(m[2]), int(m[3])).isoformat(), int(m[1]))
        if m := _MONTH.match(text):
            month, year = (int(m[1]), int(m[2])) if m[1] else (int(m[4]), int(m[3]))
            return _plausible(f"{date(year, month, 1):%Y-%m}", year)
        if m := _YEAR.match(text):
            return _plausible(m[1], int(m[1]))
    except ValueError:
        return None
    return None


def _plausible(value: str, year: int) -> str | None:
    return value if 1990 <= year <= 2100 else None
