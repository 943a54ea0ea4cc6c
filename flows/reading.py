"""How typed text is read: forgiving comparison, the done/all/none/stop words, dates, times and option lists."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.dates import get_day_names, get_month_names

from flows.content.model import LANGUAGES
from flows.messages import Choice

DONE_WORDS = frozenset({"fertig", "done", "termine", "terminé", "fini", "finished", "ende"})
ALL_WORDS = frozenset({"alle", "all", "tout", "tous", "toutes"})
NONE_WORDS = frozenset({"keine", "keins", "nichts", "none", "nothing", "aucun", "aucune", "rien"})
STOP_WORDS = frozenset({"stop", "abbestellen", "desabonner", "unsubscribe"})
"""A message of just one of these words ends a subscription (the one-word way for text channels)."""

_FOLD = str.maketrans(
    {
        "ä": "ae",
        "ö": "oe",
        "ü": "ue",
        "ß": "ss",
        "é": "e",
        "è": "e",
        "ê": "e",
        "à": "a",
        "â": "a",
        "ç": "c",
        "î": "i",
        "ô": "o",
        "û": "u",
        "ù": "u",
        "ë": "e",
        "ï": "i",
    }
)


def fold(text: str) -> str:
    """Compare labels forgivingly: case, umlauts, accents and surrounding punctuation."""
    return " ".join(text.casefold().translate(_FOLD).strip(" .!?\"'„“”»«").split())


# --- option lists ---------------------------------------------------------------------------------

_AND = re.compile(r"\s+(?:und|and|et|&)\s+", re.IGNORECASE)
_NUMBERS_ONLY = re.compile(r"^[0-9\s,;]+$")


def pick_many(offers: Sequence[Choice], text: str) -> tuple[list[str], list[str]]:
    """Read '1, 3 und 5' or 'Wohnen; Mobilität' into option ids; also return what was not understood."""
    text = _AND.sub(",", text.strip())
    tokens = re.split(r"[\s,;]+" if _NUMBERS_ONLY.match(text) else r"[,;\n]", text)
    ids: list[str] = []
    unknown: list[str] = []
    by_label = {fold(o.label): o.id for o in offers}
    for token in (t.strip() for t in tokens):
        if not token:
            continue
        if re.fullmatch(r"[0-9]{1,6}", token) and 1 <= int(token) <= len(offers):
            option_id: str | None = offers[int(token) - 1].id
        else:
            option_id = by_label.get(fold(token))
        if option_id is None:
            unknown.append(token)
        elif option_id not in ids:
            ids.append(option_id)
    return ids, unknown


# --- dates as step answers: 25.01.2027, 25/01/2027, 2027-01-25, 01/2027, 2027 ----------------------

_DAY = re.compile(r"^(\d{1,2})[./](\d{1,2})[./](\d{2}|\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_MONTH = re.compile(r"^(\d{1,2})[./](\d{4})$|^(\d{4})-(\d{1,2})$")
_YEAR = re.compile(r"^(\d{4})$")


def _century(year: int) -> int:
    """Two-digit years are this century's."""
    return year + 2000 if year < 100 else year


def parse_date(text: str) -> str | None:
    """Return an ISO date (``2027-01-25``), month (``2027-01``) or year (``2027``), or None."""
    text = text.strip().rstrip(".")
    try:
        if m := _DAY.match(text):
            day, month, year = int(m[1]), int(m[2]), _century(int(m[3]))
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


# --- days and times as admins type them: 24.11.2026 10:00, 24 novembre 2026 à 10h, 11:30 ------------

_TIME = re.compile(r"(?:^|[\s,]+)(?:um|à|a|at)?\s*(\d{1,2})(?:[:h.](\d{2}))?\s*(h|uhr|am|pm|a\.m\.|p\.m\.)?$")
_NUMERIC = re.compile(r"^(\d{1,2})[./-](\d{1,2})[./-](\d{4}|\d{2})$")
_WORDS = re.compile(r"^(\d{1,2})(?:\.|er)?\s+([^\W\d]+)\.?\s+(\d{4})$|^([^\W\d]+)\.?\s+(\d{1,2}),?\s+(\d{4})$")


def _month_names() -> dict[str, int]:
    names: dict[str, int] = {}
    for lang in LANGUAGES:
        for width in ("wide", "abbreviated"):
            for context in ("format", "stand-alone"):
                for number, name in get_month_names(width, context, lang).items():
                    names[name.casefold().rstrip(".")] = number
    names.update({"sept": 9, "mär": 3})
    return names


_MONTHS = _month_names()
_WEEKDAYS = {
    n.casefold().rstrip(".")
    for lang in LANGUAGES
    for width in ("wide", "abbreviated")
    for n in get_day_names(width, "format", lang).values()
}


def time_zone(name: str) -> ZoneInfo:
    """The IANA time zone ``name``; ValueError with a hint when there is none."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {name!r}; use an IANA name such as 'Europe/Berlin'") from None


def _time(match: re.Match[str]) -> time | None:
    hour, minute, unit = int(match[1]), int(match[2] or 0), (match[3] or "").replace(".", "")
    if not match[2] and not unit:
        return None
    if unit in ("am", "pm"):
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if unit == "pm" else 0)
    return time(hour, minute) if hour < 24 and minute < 60 else None


def parse_day(text: str, lang: str) -> date | None:
    """A day typed in figures or words (``24.11.2026``, ``2026-11-24``, ``Tuesday, 24 Nov 2026``); slashes day first
    except where only the US order fits (English). ``text`` is expected case-folded."""
    text = text.strip(" ,")
    first, _, rest = text.partition(" ")
    if first.rstrip(",.") in _WEEKDAYS and first.rstrip(",.") not in _MONTHS:
        text = rest.strip(" ,")
    text = re.sub(r"^(?:le|am|on|the)\s+", "", text, flags=re.IGNORECASE)
    try:
        if m := _ISO.match(text):
            return date(int(m[1]), int(m[2]), int(m[3]))
        if m := _NUMERIC.match(text):
            day, month, year = int(m[1]), int(m[2]), _century(int(m[3]))
            if lang == "en" and month > 12 and day <= 12:
                day, month = month, day  # 11/24/2026 can only be US order
            return date(year, month, day)
        if m := _WORDS.match(text):
            day_, name, year_ = (m[1], m[2], m[3]) if m[1] else (m[5], m[4], m[6])
            number = _MONTHS.get(name.casefold())
            return date(int(year_), number, int(day_)) if number else None
    except ValueError:
        return None
    return None


def parse_when(text: str, tz: str, lang: str, base: date | None = None) -> datetime | None:
    """A date and time typed by an admin (``24.11.2026 10:00``, ``24.11.2026, 10 Uhr``, ``2026-11-24 10:00``,
    ``24/11/2026 10h00``, ``24 Nov 2026 10:00``, ``24 novembre 2026 à 10h``), or a bare time (``11:30``)
    on the day ``base``. Slashed dates are day first. Returns an aware datetime in ``tz`` or None."""
    text = re.sub(r"\s+", " ", text.strip().casefold())
    text = re.sub(r"^(\d{4}-\d{1,2}-\d{1,2})t(?=\d)", r"\1 ", text)
    m = _TIME.search(text)
    if not m:
        return None
    at = _time(m)
    head = text[: m.start()]
    day = base if not head.strip(" ,") else parse_day(head, lang)
    if at is None or day is None or not 2000 <= day.year <= 2100:
        return None
    return datetime.combine(day, at, time_zone(tz))
