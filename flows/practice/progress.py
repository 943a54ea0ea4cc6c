"""A status report as people type it (a status word in any language, a value) and read it (läuft, 42 Personen
(07.12.2026, Anna))."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from zoneinfo import ZoneInfo

from flows.content.i18n import Translator
from flows.practice.model import STATUS_NAMES, STATUSES, Indicator, Report, Status
from flows.reading import fold, read_number

VALUE_LIMIT = 1e12
"""A reported value beyond this is taken for a typing slip, not stored."""


def _stem(word: str) -> str:
    """A folded status word without its trailing e's: French "terminée" and "terminé" read alike."""
    return fold(word).rstrip("e")


def status_of(word: str, translators: Iterable[Translator]) -> Status | None:
    """A typed status: its id (``running``) or its name in any of the languages (läuft, en cours, erledigt …)."""
    typed = _stem(word)
    if not typed:
        return None
    for t in translators:
        for status in STATUSES:
            if typed in (_stem(status), _stem(t(STATUS_NAMES[status]))):
                return status
    return None


def value_of(text: str) -> float | None:
    """A typed value: digits as German, French or English write them, with an optional sign ("-3", "1.234,5")."""
    raw = text.strip().replace("−", "-")
    sign = -1.0 if raw.startswith("-") else 1.0
    number = read_number(raw.lstrip("+-").strip()) if raw else None
    if number is None or abs(number) >= VALUE_LIMIT:
        return None
    return sign * float(number)


def value_text(t: Translator, value: float, indicator: Indicator | None) -> str:
    """A value with its indicator's unit: "42 Personen"."""
    number = t.number(value)
    return f"{number} {indicator.unit}" if indicator is not None and indicator.unit else number


def reported(t: Translator, report: Report, zone: str, indicator: Indicator | None = None) -> str:
    """One report on one line: "läuft, 42 Personen (07.12.2026, Anna)" (the day in the municipality's zone)."""
    what = t(STATUS_NAMES[report.status]) if report.status is not None else t("no status")
    if report.value is not None:
        what = t("{status}, {value}", status=what, value=value_text(t, report.value, indicator))
    day = t.date(local(report.at, zone).date(), "medium")
    if report.author:
        return t("{what} ({date}, {author})", what=what, date=day, author=report.author)
    return t("{what} ({date})", what=what, date=day)


def local(moment: datetime, zone: str) -> datetime:
    """A stored moment (UTC) in the municipality's time zone."""
    return moment.astimezone(ZoneInfo(zone))
