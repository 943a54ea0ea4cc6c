"""A measure's progress in the reader's language: each indicator's baseline → target, and the latest status report.

The Zwischenbilanz shows it over each measure's review (which it also prefills from the latest report), and the
documents' review section in its table.
"""

from __future__ import annotations

from typing import Any

from flows.content.model import FieldSingle, RecordsStep
from flows.conversation.context import Ctx
from flows.practice.measures import MEASURES, measure_of
from flows.practice.model import STATUSES, Indicator, Measure, Report, latest

REVIEW = "zb_review"
"""The Zwischenbilanz's review of the measures, whose status field names the statuses."""


def source(ctx: Ctx, uid: str) -> Measure | None:
    """The plan's measure ``uid`` (None when it was removed)."""
    records = ctx.state.answers.get(MEASURES)
    found = next((r for r in records or [] if isinstance(r, dict) and r.get("uid") == uid), None)
    return measure_of(found) if found is not None else None


def report_of(ctx: Ctx, uid: str) -> Report | None:
    """The latest status report on the measure (None without one, or without the reports at hand)."""
    return latest(ctx.practice.reports(), uid) if ctx.practice is not None else None


def amount(ctx: Ctx, value: float, unit: str | None) -> str:
    number = ctx.t.number(value)
    return f"{number} {unit}" if unit else number


def _when(ctx: Ctx, value: str) -> str:
    """A stored ISO day, month or year in words; anything else as it is."""
    try:
        return ctx.format_date(value)
    except ValueError:
        return value


def indicator_values(ctx: Ctx, indicator: Indicator) -> str:
    """ "Basis 0 Personen (Januar 2027) → Ziel 40 Personen bis Dezember 2028" ("" without baseline and target)."""
    t, parts = ctx.t, []
    base = indicator.baseline
    if base is not None and base.value is not None:
        value = amount(ctx, base.value, indicator.unit)
        when = _when(ctx, base.date) if base.date else None
        said = t("baseline {value} ({date})", value=value, date=when) if when else t("baseline {value}", value=value)
        parts.append(said)
    target = amount(ctx, indicator.target, indicator.unit) if indicator.target is not None else indicator.target_text
    if target:
        by = _when(ctx, indicator.target_date) if indicator.target_date else None
        parts.append(t("target {value} by {date}", value=target, date=by) if by else t("target {value}", value=target))
    return " → ".join(parts)


def indicator_text(ctx: Ctx, indicator: Indicator) -> str:
    """ "Indikator Nutzer: Basis 0 Personen (Januar 2027) → Ziel 40 Personen bis Dezember 2028"."""
    values = indicator_values(ctx, indicator)
    if not values:
        return ctx.t("Indicator {name}", name=indicator.name)
    return ctx.t("Indicator {name}: {values}", name=indicator.name, values=values)


def dated(ctx: Ctx, text: str, report: Report) -> str:
    """ "12 Personen (15.03.2027)": a reported value with the day of its report."""
    return ctx.t("{value} ({date})", value=text, date=ctx.t.date(report.at.date(), "medium"))


def status_label(ctx: Ctx, status: str | None) -> str:
    """A status (running, done, delayed, stopped) as the review's status field names it."""
    step = ctx.content.step(REVIEW) if REVIEW in ctx.content.steps else None
    field = next((f for f in step.fields if f.id == "status"), None) if isinstance(step, RecordsStep) else None
    if status is None:
        return ""
    return ctx.option_label(field, status) if isinstance(field, FieldSingle) else status


def report_text(ctx: Ctx, report: Report, unit: str | None = None) -> str:
    """ "Letzte Meldung (15.03.2027, Anna): 12 Nutzer; Stand: läuft"."""
    details = []
    if report.value is not None:
        details.append(amount(ctx, report.value, unit))
    if report.status is not None:
        details.append(ctx.labelled(ctx.t("Status"), status_label(ctx, report.status)))
    day = ctx.t.date(report.at.date(), "medium")
    text = ctx.t.joined(details) or "–"
    if report.author:
        return ctx.t("Latest report ({date}, {author}): {details}", date=day, author=report.author, details=text)
    return ctx.t("Latest report ({date}): {details}", date=day, details=text)


def lines(ctx: Ctx, uid: str) -> list[str]:
    """What the review shows over a measure: its indicators, then its latest report."""
    measure = source(ctx, uid)
    if measure is None:
        return []
    found = [indicator_text(ctx, i) for i in measure.indicators]
    if not found:
        found.append(ctx.t("No indicator has been set for this measure yet."))
    report = report_of(ctx, uid)
    unit = measure.indicators[0].unit if measure.indicators else None
    found.append(report_text(ctx, report, unit) if report is not None else ctx.t("No status report yet."))
    return found


def prefilled(ctx: Ctx, step: RecordsStep, uid: str) -> dict[str, Any]:
    """A new review of a measure starts from its latest report: its status and its indicator's value."""
    report = report_of(ctx, uid)
    if report is None:
        return {}
    fields = {f.id: f for f in step.fields}
    values: dict[str, Any] = {}
    status = fields.get("status")
    offered = {o.id for o in status.options} if isinstance(status, FieldSingle) else set()
    if report.status in STATUSES and report.status in offered:
        values["status"] = report.status
    if report.value is not None and "indicator_now" in fields:
        values["indicator_now"] = ctx.t.number(report.value)
    return values
