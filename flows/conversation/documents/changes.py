"""The Werkstattplan's version in the documents: which one it is, what changed since the last recorded one
(flows.practice.versions), and which fields of which measures the changes touched (marked ● in the plan's table).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from flows.content.model import RecordsStep
from flows.conversation.context import Ctx
from flows.documents.model import Block, Items, Text
from flows.practice import versions
from flows.practice.measures import MEASURES
from flows.practice.model import Version
from flows.practice.versions import Change
from flows.team.approval import snapshot

MARK = "●"
"""Set after a table cell whose answer changed since the last version (explained under the table)."""


@dataclass(frozen=True)
class Standing:
    """The plan's version now: its number, whether it is a draft, the last recorded version and the changes since."""

    number: int
    draft: bool
    base: Version | None
    changes: tuple[Change, ...]


def standing(ctx: Ctx) -> Standing | None:
    """None where the recorded versions are not at hand (no storage) or the content has no Werkstattplan."""
    if ctx.practice is None or versions.STAGE not in {s.id for s in ctx.content.stages}:
        return None
    now = snapshot(ctx.content.stage(versions.STAGE), ctx.state.answers)
    recorded = ctx.practice.versions()
    fields = versions.fields_of(ctx.content)
    number, draft = versions.current(recorded, now, fields)
    base = recorded[-1] if recorded else None
    found = versions.changes(base.answers, now, fields) if base is not None else []
    return Standing(number, draft, base, tuple(found))


def _day(ctx: Ctx, version: Version) -> str:
    """When a version was agreed (an ISO day), else when it was recorded: 12.03.2027."""
    if version.agreed_on:
        return ctx.t.date(date.fromisoformat(version.agreed_on), "medium")
    return ctx.t.date(version.at.date(), "medium") if version.at is not None else ""


def line(ctx: Ctx, found: Standing) -> str:
    """ "Werkstattplan, Version 2 (Entwurf, Änderungen seit Version 1 vom 12.03.2027)"."""
    plan = ctx.text(ctx.content.stage(versions.STAGE).title)
    t, base = ctx.t, found.base
    if base is None:
        return t("{plan}, version {number} (draft)", plan=plan, number=found.number)
    if found.draft:
        return t(
            "{plan}, version {number} (draft, changes since version {base} of {date})",
            plan=plan,
            number=found.number,
            base=base.number,
            date=_day(ctx, base),
        )
    if base.agreed_on:
        return t("{plan}, version {number}, agreed on {date}", plan=plan, number=found.number, date=_day(ctx, base))
    return t("{plan}, version {number} of {date}", plan=plan, number=found.number, date=_day(ctx, base))


def marks(ctx: Ctx) -> dict[str, frozenset[str]]:
    """Per measure uid, its fields changed since the last version (``*``: the measure is new)."""
    found = standing(ctx)
    return versions.marked(found.changes) if found is not None and found.base is not None else {}


def legend(ctx: Ctx, found: Standing) -> Text:
    assert found.base is not None
    return Text(ctx.t("{mark} new or changed since version {number}", mark=MARK, number=found.base.number), "note")


def blocks(ctx: Ctx, found: Standing) -> list[Block]:
    """ "Änderungen seit dem letzten Beschluss" and one line per change (nothing without a recorded version)."""
    base = found.base
    if base is None:
        return []
    title = (
        ctx.t("Changes since the last approval")
        if base.agreed_on
        else ctx.t("Changes since version {number}", number=base.number)
    )
    said = tuple(_said(ctx, c) for c in found.changes)
    if not said:
        return [Text(title, "strong"), Text(ctx.t("None."), "note")]
    return [Text(title, "strong"), Items(said)]


def _said(ctx: Ctx, change: Change) -> str:
    t = ctx.t
    if change.kind == "added":
        return t("New measure: {title}", title=change.title)
    if change.kind == "removed":
        return t("Measure removed: {title}", title=change.title)
    if change.kind == "changed":
        step = ctx.content.step(MEASURES)
        assert isinstance(step, RecordsStep)
        field = next(f for f in step.fields if f.id == change.field)
        old, new = (ctx.field_value(field, v) or "–" for v in (change.old, change.new))
        return t("{title}, {field}: {old} → {new}", title=change.title, field=ctx.text(field.label), old=old, new=new)
    step_id = change.field or ""
    if step_id not in ctx.content.steps:
        return step_id
    answered = ctx.content.step(step_id)
    old, new = (_short(ctx, answered, v) for v in (change.old, change.new))
    return t("{label}: {old} → {new}", label=ctx.text(answered.label), old=old, new=new)


def _short(ctx: Ctx, step: Any, value: Any) -> str:
    return "–" if value is None or value == [] or value == "" else ctx.short(step, value)
