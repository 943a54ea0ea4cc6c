"""The Zwischenbilanz's review of the plan's measures: over each measure its indicators (baseline, target, latest
value) and its latest status report, as its reminders say them (flows/practice/messages.py); the review prefilled from
that report; the documents' review table.
"""

from __future__ import annotations

from typing import Any

from flows.content.model import FieldSingle, RecordsStep
from flows.conversation.context import Ctx
from flows.practice import shown
from flows.practice.measures import MEASURES, measure_of
from flows.practice.messages import indicator_line, report_line
from flows.practice.model import STATUS_NAMES, STATUSES, Indicator, Measure, Report, Status, latest
from flows.practice.progress import local, value_text
from flows.practice.zone import zone_of


def source(ctx: Ctx, uid: str) -> Measure | None:
    """The plan's measure ``uid`` (None when it was removed)."""
    records = ctx.state.answers.get(MEASURES)
    found = next((r for r in records or [] if isinstance(r, dict) and r.get("uid") == uid), None)
    return measure_of(found) if found is not None else None


def report_of(ctx: Ctx, uid: str) -> Report | None:
    """The latest status report on the measure (None without one, or without the reports at hand)."""
    return latest(ctx.practice.reports(), uid) if ctx.practice is not None else None


def indicator_values(ctx: Ctx, indicator: Indicator) -> str:
    """ "Nutzer (Personen): Basis 0 (01/2027) → Ziel 40 bis 12/2028" (the name alone without baseline and target)."""
    return shown.indicator_text(ctx.t, indicator)


def dated(ctx: Ctx, report: Report, indicator: Indicator | None) -> str:
    """ "12 Personen (15.03.2027)": a reported value with its unit and the day of its report (in the municipality's
    time zone)."""
    value = value_text(ctx.t, report.value, indicator) if report.value is not None else "–"
    day = local(report.at, zone_of(ctx.state.answers)).date()
    return ctx.t("{what} ({date})", what=value, date=ctx.t.date(day, "medium"))


def status_label(ctx: Ctx, status: Status) -> str:
    """A status as people read it and press it (läuft, erledigt, verzögert, gestoppt)."""
    return ctx.t(STATUS_NAMES[status])


def lines(ctx: Ctx, uid: str) -> list[str]:
    """What the review shows over a measure, as its reminders do: each indicator with baseline, target and (the first)
    the latest reported value, then the latest report's status."""
    measure = source(ctx, uid)
    if measure is None:
        return []
    report = report_of(ctx, uid)
    found = [indicator_line(ctx.t, i, report if n == 0 else None, None) for n, i in enumerate(measure.indicators)]
    if not found:
        found.append(ctx.t("No indicator has been set for this measure yet."))
    found.append(report_line(ctx.t, report) if report is not None else ctx.t("No status report yet."))
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
