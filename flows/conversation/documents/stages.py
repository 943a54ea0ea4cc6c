"""One section per DAKS stage: every answer in the stage's order, tables where the answers are a table.

Most answers read as "Label: value" or a list under its label (:mod:`answers`); the indicators, the
SWOT, the workshop's ideas, the Werkstattplan and the review of the measures are tables.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flows.content.model import ListStep, RecordsStep, Stage, Step
from flows.conversation.context import Ctx
from flows.conversation.documents import answers, changes, official, plan, series
from flows.conversation.overview import approval_line
from flows.conversation.review import dated, indicator_values
from flows.documents.model import Block, Cell, Items, Section, Table, Text
from flows.exchange.obstacles import POOL
from flows.practice import versions
from flows.practice.measures import measure_of

SWOT = ("kp_strengths", "kp_weaknesses", "kp_opportunities", "kp_threats")
"""Stärken, Schwächen, Chancen, Risiken: read row by row as the 2×2 grid shows them."""
PRIORITIES = ("high", "medium", "low")


def section(ctx: Ctx, stage: Stage) -> Section:
    """The stage's heading, its approval, its answers; marked "incomplete" or "not started yet"."""
    blocks: list[Block] = []
    agreed = approval_line(ctx, stage)
    if agreed:
        blocks.append(Text(agreed, "note"))
    for step in stage.steps:
        blocks += _HANDLERS.get(step.id, answers.blocks)(ctx, step)
    if stage.id == versions.STAGE and plan.measures(ctx) and (found := changes.standing(ctx)) is not None:
        blocks += changes.blocks(ctx, found)  # what changed since the last recorded version, after all the answers
    if not any(not (isinstance(b, Text) and b.style == "note") for b in blocks):
        blocks.append(Text(ctx.t("Nothing recorded yet."), "note"))
    return Section(f"{stage.number}. {ctx.text(stage.title)}", tuple(blocks), state=answers.stage_state(ctx, stage))


def indicators(ctx: Ctx, step: Step) -> list[Block]:
    """The statistics of the municipality picked in the directory (:mod:`official`), then the indicators as
    recorded: a table (indicator, value, year, comparison) and a chart per series typed by hand.

    Rows imported from statistics (records with a ``source``) are left out of the table where that source's
    table stands above, and are never drawn again."""
    shown = official.profiles(ctx)
    found = official.blocks(ctx, shown)
    sources = {p.source for p in shown}
    records = _records(ctx, step)
    authors = answers.authored(ctx, step.id, len(records))
    listed = [(r, a) for r, a in zip(records, authors, strict=True) if r.get("source") not in sources]
    if not isinstance(step, RecordsStep) or not listed:
        return found
    columns = [f for f in step.fields if f.id in ("indicator", "value", "year", "comparison")]
    rows = []
    for record, author in listed:
        cells = [ctx.field_value(f, record.get(f.id)) for f in columns]
        cells[0] = answers.titled(ctx, cells[0], author)
        rows.append(tuple(cells))
    found.append(Table(tuple(ctx.text(f.label) for f in columns), tuple(rows), ctx.text(step.label)))
    return found + list(series.charts(ctx, step, [r for r in records if not r.get("source")]))


def swot(ctx: Ctx, step: Step) -> list[Block]:
    """Strengths, weaknesses, opportunities, threats as a 2×2 grid, each point with its author when shared."""
    if not any(ctx.state.has_value(s) for s in SWOT):
        return []
    cells = []
    for step_id in SWOT:
        value = ctx.state.answers.get(step_id)
        points = answers.entries(ctx, step_id, list(value)) if isinstance(value, list) else []
        cells.append(Cell(ctx.text(ctx.content.step(step_id).label), tuple(points)))
    grid = ((cells[0], cells[1]), (cells[2], cells[3]))
    return [Table((), grid, ctx.t("SWOT analysis"), grid=True)]


def ideas(ctx: Ctx, step: Step) -> list[Block]:
    """The workshop's ideas (idea, field, champion, priority), high priority first."""
    records = _records(ctx, step)
    if not isinstance(step, RecordsStep) or not records:
        return []
    columns = [f for f in step.fields if f.id in ("idea", "field", "champion", "priority")]
    authored = list(zip(records, answers.authored(ctx, step.id, len(records)), strict=True))
    authored.sort(key=lambda pair: _rank(pair[0].get("priority")))
    rows = []
    for record, author in authored:
        cells = [ctx.field_value(f, record.get(f.id)) for f in columns]
        cells[0] = answers.titled(ctx, cells[0], author)
        rows.append(tuple(cells))
    return [Table(tuple(ctx.text(f.label) for f in columns), tuple(rows), ctx.text(step.label))]


def measures(ctx: Ctx, step: Step) -> list[Block]:
    """The plan's version, the Werkstattplan table (changed cells marked), its budget totals."""
    if not plan.measures(ctx):
        return []
    found = changes.standing(ctx)
    heading: list[Block] = [Text(changes.line(ctx, found), "strong")] if found is not None else []
    legend = [changes.legend(ctx, found)] if found is not None and found.base is not None and found.changes else []
    totals = [Text(ctx.t("Budget totals"), "strong"), *plan.totals_blocks(ctx, plan.budget_totals(ctx))]
    return [*heading, plan.table(ctx), *legend, *totals]


def review(ctx: Ctx, step: Step) -> list[Block]:
    """Per measure: its indicators' baseline → target, the latest value, the status and the decision."""
    records = plan.measures(ctx)
    if not isinstance(step, RecordsStep) or not ctx.state.has_value(step.id) or not records:
        return []
    fields = {f.id: f for f in step.fields}
    header = (
        ctx.t("Measure"),
        ctx.t("Indicator: baseline → target"),
        ctx.text(fields["indicator_now"].label),
        ctx.text(fields["status"].label),
        ctx.text(fields["decision"].label),
    )
    rows, notes = [], []
    for record in records:
        entry = plan.review_of(ctx, record) or {}
        measure = measure_of(record)
        name = measure.title
        targets = [indicator_values(ctx, i) for i in measure.indicators]
        report = plan.newer_report(ctx, record)
        now = (
            dated(ctx, report, measure.indicators[0] if measure.indicators else None)
            if report is not None and report.value is not None
            else ctx.field_value(fields["indicator_now"], entry.get("indicator_now"))
        )
        rows.append(
            (
                name,
                ctx.t.joined(targets),
                now,
                plan.status(ctx, record),
                ctx.field_value(fields["decision"], entry.get("decision")),
            )
        )
        notes += [
            ctx.labelled(name, ctx.labelled(ctx.text(fields[f].label), entry[f]))
            for f in ("helped", "blocked")
            if entry.get(f)
        ]
    found: list[Block] = [Table(header, tuple(rows), ctx.text(step.label))]
    return found + ([Items(tuple(notes))] if notes else [])


def _skip(ctx: Ctx, step: Step) -> list[Block]:
    return []


def _records(ctx: Ctx, step: Step) -> list[dict[str, Any]]:
    value = ctx.state.answers.get(step.id)
    return (
        [r for r in value if isinstance(r, dict)] if isinstance(value, list) and not isinstance(step, ListStep) else []
    )


def _rank(priority: Any) -> int:
    return PRIORITIES.index(priority) if priority in PRIORITIES else len(PRIORITIES)


_HANDLERS: dict[str, Callable[[Ctx, Step], list[Block]]] = {
    "kp_indicators": indicators,
    SWOT[0]: swot,
    **{s: _skip for s in SWOT[1:]},
    "zw_ideas": ideas,
    plan.MEASURES: measures,
    plan.REVIEW: review,
    POOL: _skip,  # whether the answers may go into the programmes' report: no part of the council's strategy
}
