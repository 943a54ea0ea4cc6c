"""Answers as document blocks: a labelled line, a list with its authors, a checklist with what is open."""

from __future__ import annotations

from typing import Any

from flows.content.i18n import N_
from flows.content.model import ChecklistStep, InfoStep, ListStep, RecordsStep, Stage, Step
from flows.conversation import credits, rules
from flows.conversation.context import Ctx
from flows.documents.model import Block, Items, Text

INCOMPLETE = N_("incomplete")
NOT_STARTED = N_("not started yet")


def stage_state(ctx: Ctx, stage: Stage) -> str:
    """ "" when every question is answered, else "incomplete" or "not started yet" in the reader's language."""
    asked = [s for s in stage.steps if not isinstance(s, InfoStep) and ctx.applies(s)]
    answered = [s for s in asked if ctx.state.answered(s.id)]
    if len(answered) == len(asked):
        return ""
    return ctx.t(INCOMPLETE) if answered else ctx.t(NOT_STARTED)


def value(ctx: Ctx, step_id: str) -> Any:
    return ctx.state.answers.get(step_id)


def line(ctx: Ctx, step_id: str) -> str:
    """An answer on one line ("" when unanswered or skipped)."""
    if not ctx.state.has_value(step_id):
        return ""
    return ctx.short(ctx.content.step(step_id), ctx.state.answers[step_id])


def entries(ctx: Ctx, step_id: str, texts: list[str]) -> list[str]:
    """A list's or records' entries, each with its author when the strategy is shared."""
    return credits.attributed(ctx, step_id, texts, you=False)


def blocks(ctx: Ctx, step: Step) -> list[Block]:
    """One answer: "Label: value" (and who changed it), a list under its label, a checklist with what is open."""
    ticks = isinstance(step, ChecklistStep) and isinstance(ctx.state.answers.get(step.id), list)
    if isinstance(step, InfoStep) or not (ctx.state.has_value(step.id) or ticks):
        return []  # a checklist answered with no ticks is shown: the answers may decide some of its items
    value = ctx.state.answers[step.id]
    label = ctx.text(step.label)
    notes: list[Block] = [Text(n, "note") for n in credits.noted(ctx, step, you=False)]
    if isinstance(step, ListStep):
        return [Text(label, "strong"), Items(tuple(entries(ctx, step.id, list(value))))]
    if isinstance(step, RecordsStep):
        texts = [ctx.record_text(step, r) for r in value]
        return [Text(label, "strong"), Items(tuple(_headed(ctx, step.id, texts)))]
    if isinstance(step, ChecklistStep):
        done = rules.ticked(ctx, step, value)
        open_items = tuple(ctx.text(i.label) for i in step.items if i.id not in done)
        found: list[Block] = [Text(ctx.labelled(label, ctx.short(step, value)))]
        if open_items:
            found += [Text(ctx.t("Still open:")), Items(open_items)]
        return found + notes
    return [Text(ctx.labelled(label, ctx.short(step, value))), *notes]


def _headed(ctx: Ctx, step_id: str, texts: list[str]) -> list[str]:
    names = credits.authors(ctx, step_id, you=False)
    if names is None or len(names) != len(texts):
        return texts
    return [credits.headed(ctx, t, n) for t, n in zip(texts, names, strict=True)]


def authored(ctx: Ctx, step_id: str, count: int) -> list[str | None]:
    """The author of each of ``count`` records, or None for each when authors are not shown."""
    names = credits.authors(ctx, step_id, you=False)
    return list(names) if names is not None and len(names) == count else [None] * count


def titled(ctx: Ctx, title: str, author: str | None) -> str:
    return credits.by(ctx, title, author) if author else title
