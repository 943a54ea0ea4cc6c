"""A measure's indicators as people read them, in the chat and in documents alike:
"Nutzer des Dorfladens (Personen): Basis 12 (2025, Vereinszählung) → Ziel 40 bis 12/2028"."""

from __future__ import annotations

from collections.abc import Iterable

from flows.content.i18n import Translator
from flows.practice.model import Baseline, Indicator

ARROW = " → "


def named(t: Translator, indicator: Indicator) -> str:
    """Its name with its unit: "Nutzer des Dorfladens (Personen)"."""
    if not indicator.unit:
        return indicator.name
    return t("{indicator} ({unit})", indicator=indicator.name, unit=indicator.unit)


def baseline(t: Translator, base: Baseline) -> str:
    """ "Basis 12 (2025, Vereinszählung)"; "" without a value."""
    if base.value is None:
        return ""
    details = [d for d in (t.short_date(base.date) if base.date else "", base.source or "") if d]
    shown = t("baseline {value}", value=t.number(base.value))
    return f"{shown} ({', '.join(details)})" if details else shown


def target(t: Translator, indicator: Indicator) -> str:
    """ "Ziel 40 bis 12/2028", "Ziel 40"; an older plan's target as it was typed; "" without one."""
    value = t.number(indicator.target) if indicator.target is not None else indicator.target_text
    if not value:
        return ""
    if indicator.target_date:
        return t("target {value} by {date}", value=value, date=t.short_date(indicator.target_date))
    return t("target {value}", value=value)


def indicator_text(t: Translator, indicator: Indicator) -> str:
    """The whole indicator on one line: name (unit): baseline → target."""
    parts = [p for p in (baseline(t, indicator.baseline) if indicator.baseline else "", target(t, indicator)) if p]
    if not parts:
        return named(t, indicator)
    return t("{label}: {value}", label=named(t, indicator), value=ARROW.join(parts))


def indicators_text(t: Translator, indicators: Iterable[Indicator]) -> str:
    """Several indicators on one line, separated as the language writes it."""
    return t.joined(indicator_text(t, i) for i in indicators)
