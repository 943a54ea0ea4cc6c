"""The Werkstattplan as a table, one row per measure, and its budget totals: shared by both documents."""

from __future__ import annotations

from typing import Any

from flows.content.model import RecordsStep
from flows.conversation.context import Ctx
from flows.conversation.documents import answers, changes
from flows.conversation.documents.money import Priced, Source, Totals, totals
from flows.conversation.review import report_of, status_label
from flows.documents.model import Block, Items, Table, Text
from flows.practice.measures import indicators_of
from flows.practice.model import Report
from flows.practice.shown import indicators_text

MEASURES, REVIEW = "wp_measures", "zb_review"
_COLUMNS = ("field", "goal", "measure", "owner", "partners", "target_group")
_FIELDS_OF_CELLS = (*((c,) for c in _COLUMNS), ("start", "end"), ("budget",), ("indicator", "target", "indicators"), ())
"""The fields each column of the plan's table shows (a change to one of them marks the cell)."""


def measures(ctx: Ctx) -> list[dict[str, Any]]:
    found = ctx.state.answers.get(MEASURES)
    return [r for r in found if isinstance(r, dict)] if isinstance(found, list) else []


def newer_report(ctx: Ctx, record: dict[str, Any]) -> Report | None:
    """The measure's latest status report when it says more than its review: there is no review of the measure, or
    the report came after the review's date."""
    report = report_of(ctx, str(record.get("uid") or ""))
    if report is None:
        return None
    reviewed, day = review_of(ctx, record), ctx.state.answers.get("zb_date")
    return report if not reviewed or not isinstance(day, str) or report.at.date().isoformat() > day else None


def status(ctx: Ctx, record: dict[str, Any]) -> str:
    """The measure's status: from a newer status report, else from the Zwischenbilanz, else "planned"."""
    report = newer_report(ctx, record)
    if report is not None and report.status is not None:
        return status_label(ctx, report.status)
    review = review_of(ctx, record)
    step = _step(ctx, REVIEW)
    if review and review.get("status") and step is not None:
        field = next(f for f in step.fields if f.id == "status")
        return ctx.field_value(field, review["status"])
    return ctx.t("planned")


def table(ctx: Ctx) -> Table:
    """The plan: field, goal, measure, owner, partners, target group, period, budget, the indicators (each
    "name (unit): baseline → target"), status."""
    step = _step(ctx, MEASURES)
    assert step is not None
    fields = {f.id: f for f in step.fields}
    header = (
        *(ctx.text(fields[c].label) for c in _COLUMNS),
        ctx.t("Period"),
        ctx.text(fields["budget"].label),
        ctx.t("Indicator → target"),
        ctx.t("Status"),
    )
    records = measures(ctx)
    marked = changes.marks(ctx)
    rows = []
    for record, author in zip(records, answers.authored(ctx, MEASURES, len(records)), strict=True):
        cells = [ctx.field_value(fields[c], record.get(c)) for c in _COLUMNS]
        cells[2] = answers.titled(ctx, cells[2], author)
        for origin in (ctx.origin(step, record), ctx.adopted(record)):  # "Aus der Zukunftswerkstatt: Dorfladen"
            if origin:
                cells[2] = f"{cells[2]}\n{origin}"
        start, end = (ctx.field_value(fields[c], record.get(c)) for c in ("start", "end"))
        row = (
            *cells,
            f"{start} – {end}" if end else start,
            ctx.budget_text(record.get("budget")),
            indicators_text(ctx.t, indicators_of(record)),
            status(ctx, record),
        )
        rows.append(_marked(row, marked.get(str(record.get("uid")), frozenset())))
    return Table(header, tuple(rows), caption=ctx.text(step.label))


def _marked(row: tuple[str, ...], changed: frozenset[str]) -> tuple[str, ...]:
    """The cells showing a changed field marked ●; a new measure's title too."""
    if not changed:
        return row
    title = _COLUMNS.index("measure")
    return tuple(
        f"{cell} {changes.MARK}".strip() if changed.intersection(ids) or (i == title and "*" in changed) else cell
        for i, (cell, ids) in enumerate(zip(row, _FIELDS_OF_CELLS, strict=True))
    )


def budget_totals(ctx: Ctx) -> Totals:
    return totals(
        [
            Priced(str(r.get("measure") or "…"), ctx.budget(r.get("budget")), r.get("start"), r.get("end"))
            for r in measures(ctx)
        ]
    )


def totals_blocks(ctx: Ctx, sums: Totals) -> list[Block]:
    """The totals per year and per funding source as tables with a total row; measures without an amount."""
    t = ctx.t
    amount, total = t("Amount"), (t("Total"), t.money(sums.total))
    found: list[Block] = []
    if sums.per_year:
        rows = tuple((str(y) if y is not None else t("no year given"), t.money(v)) for y, v in sums.per_year)
        found.append(Table((t("Year"), amount), rows, t("Budget per year"), total, numeric=(1,)))
        if sums.spread:
            found.append(Text(t("An amount planned over several years is split evenly between them."), "note"))
        rows = tuple((source_name(ctx, s), t.money(v)) for s, v in sums.per_source)
        found.append(Table((t("Funding source"), amount), rows, t("Budget per funding source"), total, numeric=(1,)))
    if sums.unpriced:
        found += [Text(t("Measures without a stated amount:")), Items(sums.unpriced)]
    if not found:
        found.append(Text(t("No budget has been entered yet."), "note"))
    return found


def source_name(ctx: Ctx, source: Source) -> str:
    kind, name = source
    if kind == "funding":
        category = next((c for c in ctx.content.funding if c.id == name), None)
        return ctx.text(category.label) if category is not None else name
    return name if kind == "source" else ctx.t("not stated")


def review_of(ctx: Ctx, record: dict[str, Any]) -> dict[str, Any] | None:
    """The Zwischenbilanz entry of a measure, when there is one."""
    found = ctx.state.answers.get(REVIEW)
    uid = record.get("uid")
    if not uid or not isinstance(found, list):
        return None
    return next((r for r in found if isinstance(r, dict) and r.get("uid") == uid), None)


def _step(ctx: Ctx, step_id: str) -> RecordsStep | None:
    step = ctx.content.step(step_id) if step_id in ctx.content.steps else None
    return step if isinstance(step, RecordsStep) else None
