"""Two people changing one answer: nothing a teammate wrote is overwritten unseen.

When a question is shown, the position keeps the workspace revision of its answer (``State.seen``).
An answer that would replace a teammate's change made since then is held (``State.clash``), and the
person is shown the teammate's version and chooses: keep theirs, replace it with mine, or (free text)
keep both. Lists are not held: an entry is appended to the list as it is now, so both land.
"""

from __future__ import annotations

from typing import Any

from flows.content.model import RecordsStep, Step
from flows.conversation import credits
from flows.conversation.context import Ctx
from flows.conversation.steps.base import KEEP, Result
from flows.messages import Block, Choice, Paragraph
from flows.team.view import Written

SINGLE = frozenset({"text", "date", "place", "single", "multi", "checklist"})
"""Answers that are one value: a change replaces the whole of it."""
JOINED = frozenset({"text"})
"""Answers two versions of which can be kept together."""


def saw(ctx: Ctx) -> None:
    """The current question is on screen: remember the revision of its answer as shown."""
    step = ctx.state.step
    if ctx.team is None or step is None:
        ctx.state.seen = {}
        return
    written = ctx.team.written.get(step)
    ctx.state.seen = {step: written.revision if written is not None else 0}


def newer(ctx: Ctx, step: Step) -> Written | None:
    """A teammate's change of ``step`` that the person has not seen, if there is one."""
    team, seen = ctx.team, ctx.state.seen.get(step.id)
    written = team.written.get(step.id) if team is not None else None
    if team is None or written is None or seen is None or step.kind not in SINGLE:
        return None
    return written if written.revision > seen and written.author_id != team.me else None


def hold(ctx: Ctx, step: Step, value: Any, also: dict[str, Any] | None = None) -> None:
    """Keep my answer (and the answers that come with it, ``Result.also``) until the person chooses."""
    ctx.state.clash = {"step": step.id, "value": value, **({"also": also} if also else {})}


def question(ctx: Ctx, step: Step) -> list[Block]:
    """The teammate's version and mine, side by side, and the question which to keep."""
    clash = ctx.state.clash or {}
    written = _written(ctx, step)
    who = _who(ctx, step)
    day = ctx.t.day(written.at) if written is not None else ""
    if isinstance(step, RecordsStep) and "uid" in clash:
        theirs = _entry(ctx, step, clash["uid"])
        intro = ctx.t(
            "{name} changed this entry on {date} while you were editing it. Nothing has been overwritten.",
            name=who,
            date=day,
        )
        return [
            Paragraph(intro),
            Paragraph(
                ctx.t("Answer of {name}", name=who)
                + "\n"
                + (ctx.record_text(step, theirs) if theirs else ctx.t("(removed)"))
            ),
            Paragraph(ctx.t("Your answer") + "\n" + ctx.record_text(step, clash["value"])),
            Paragraph(ctx.t("Which one should be kept?")),
        ]
    intro = ctx.t(
        "{name} changed this answer on {date}, after you had seen it. Nothing has been overwritten.",
        name=who,
        date=day,
    )
    return [
        Paragraph(intro),
        Paragraph(ctx.labelled(ctx.t("Answer of {name}", name=who), ctx.short(step, ctx.state.answers.get(step.id)))),
        Paragraph(ctx.labelled(ctx.t("Your answer"), ctx.short(step, clash.get("value")))),
        Paragraph(ctx.t("Which one should be kept?")),
    ]


def choices(ctx: Ctx, step: Step) -> list[Choice]:
    options = [
        Choice("_theirs", ctx.t("Keep the answer of {name}", name=_who(ctx, step))),
        Choice("_mine", ctx.t("Replace it with mine")),
    ]
    if step.kind in JOINED and isinstance(ctx.state.answers.get(step.id), str):
        options.append(Choice("_both", ctx.t("Keep both")))
    return options


def settle(ctx: Ctx, step: Step, choice: str | None) -> Result | None:
    """What a choice on the clash decides (the value to store, or KEEP for theirs); None for anything else.

    Either way the held answer is let go: a typed message is a new answer.
    """
    clash, ctx.state.clash = ctx.state.clash or {}, None
    mine, theirs = clash.get("value"), ctx.state.answers.get(step.id)
    if isinstance(step, RecordsStep) and "uid" in clash:
        return _settle_entry(ctx, step, choice, clash)
    if choice == "_theirs":
        kept = ctx.t("The answer of {name} stays.", name=_who(ctx, step))
        return Result(value=KEEP, done=True, notes=[Paragraph(kept)])
    if choice == "_mine":
        return Result(value=mine, done=True, also=dict(clash.get("also") or {}))
    if choice == "_both" and step.kind in JOINED and isinstance(theirs, str) and isinstance(mine, str):
        both = f"{theirs}\n{mine}"
        limit = getattr(step, "max_length", len(both))
        if len(both) > limit:
            ctx.state.clash = clash
            return Result.error(
                ctx.t(
                    "Both together have {length} characters; I can keep up to {limit} here. "
                    "Please keep one, or type a shorter answer.",
                    length=ctx.t.number(len(both)),
                    limit=ctx.t.number(limit),
                )
            )
        return Result(value=both, done=True)
    return None


def _written(ctx: Ctx, step: Step) -> Written | None:
    return ctx.team.written.get(step.id) if ctx.team is not None else None


def _who(ctx: Ctx, step: Step) -> str:
    """Who wrote the answer as it is stored now."""
    written = _written(ctx, step)
    return credits.name_of(ctx, written.author_id if written is not None else None)


OVERVIEW = {"phase": "overview", "seen": True}
"""Where a records step continues after an entry's clash: its list of entries."""


def _entry(ctx: Ctx, step: RecordsStep, uid: str) -> dict[str, Any] | None:
    return next((r for r in ctx.state.answers.get(step.id) or [] if r.get("uid") == uid), None)


def _settle_entry(ctx: Ctx, step: RecordsStep, choice: str | None, clash: dict[str, Any]) -> Result | None:
    """An entry of a records answer: keep the teammate's, or put mine in its place (or back, if they deleted it)."""
    uid, mine = clash["uid"], clash["value"]
    if choice == "_theirs":
        kept = ctx.t("The answer of {name} stays.", name=_who(ctx, step))
        return Result(notes=[Paragraph(kept)], draft=dict(OVERVIEW))
    if choice == "_mine":
        records = [dict(r) for r in ctx.state.answers.get(step.id) or []]
        at = next((i for i, r in enumerate(records) if r.get("uid") == uid), None)
        if at is None:
            records.append(mine)
        else:
            records[at] = mine
        saved = ctx.t("Saved: {title}", title=ctx.record_text(step, mine))
        return Result(value=records, notes=[Paragraph(saved)], draft=dict(OVERVIEW))
    return None
