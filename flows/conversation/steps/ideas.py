"""Ideas carry over: a records step with ``from_ideas`` (the Werkstattplan's measures) first offers each high- and
medium-priority idea of the Zukunftswerkstatt as a draft measure, one at a time: take it over, merge it into a
measure, drop it, or leave the rest for later.

Decisions live in the shared answers, so they survive restarts and hold for every teammate:

- taken over or merged: some record lists the idea's uid in its ``ideas`` (flows.practice.model);
- dropped: the idea's uid is in the answer ``dropped_key(step)`` (``wp_measures_dropped``), written with
  ``Result.also`` next to the step's own answer.

An idea is offered again when its measure is deleted; "later" holds only for the visit.
"""

from __future__ import annotations

from typing import Any

from flows.content.model import FieldOwner, FieldSingle, FieldText, RecordsStep
from flows.conversation.context import Ctx
from flows.conversation.steps.base import KEEP, Input, Result
from flows.conversation.steps.checks import not_offered
from flows.messages import Block, Choice, Paragraph
from flows.reading import DONE_WORDS

IDEA, MERGE = "idea", "idea_merge"
"""The phases of a records step while it offers ideas: one idea on screen, picking the measure to merge it into."""
PHASES = (IDEA, MERGE)
OFFERED = ("high", "medium")
"""The priorities (option ids of the ideas' ``priority`` field) whose ideas are offered."""
CARRIED = (("field", "field"), ("measure", "idea"), ("owner", "champion"))
"""(record field, idea field): what a record taken over from an idea starts with."""
ACCEPT, JOIN, DROP, LATER = "accept", "merge", "drop", "later"


def dropped_key(step: RecordsStep) -> str:
    """The answer listing the uids of the ideas dropped from ``step``."""
    return f"{step.id}_dropped"


def _ideas(ctx: Ctx, step: RecordsStep) -> list[dict[str, Any]]:
    found = ctx.state.answers.get(step.from_ideas or "")
    return [r for r in found if isinstance(r, dict) and r.get("uid")] if isinstance(found, list) else []


def _dropped(ctx: Ctx, step: RecordsStep) -> list[Any]:
    found = ctx.state.answers.get(dropped_key(step))
    return list(found) if isinstance(found, list) else []


def _decided(ctx: Ctx, step: RecordsStep, records: list[dict[str, Any]]) -> set[str]:
    linked = {str(u) for r in records if isinstance(r.get("ideas"), list) for u in r["ideas"]}
    return linked | {str(u) for u in _dropped(ctx, step)}


def pending(ctx: Ctx, step: RecordsStep, records: list[dict[str, Any]], dropped: Any = None) -> list[dict[str, Any]]:
    """The ideas to offer, in their order: high or medium priority, neither linked to a record nor dropped
    (``dropped``: one more, dropped in this turn)."""
    decided = _decided(ctx, step, records) | ({str(dropped)} if dropped is not None else set())
    return [i for i in _ideas(ctx, step) if i.get("priority") in OFFERED and str(i["uid"]) not in decided]


def left_out(ctx: Ctx, step: RecordsStep, records: list[dict[str, Any]]) -> int:
    """Ideas not offered for their low or missing priority (and not taken up by hand)."""
    decided = _decided(ctx, step, records)
    return sum(1 for i in _ideas(ctx, step) if i.get("priority") not in OFFERED and str(i["uid"]) not in decided)


def offers(ctx: Ctx, step: RecordsStep) -> bool:
    """Whether ideas are offered at this step to the person writing (not to viewers or measure owners)."""
    return bool(step.from_ideas) and (ctx.team is None or ctx.team.can_edit)


def next_idea(
    ctx: Ctx, step: RecordsStep, records: list[dict[str, Any]], done: int = 0, dropped: Any = None
) -> dict[str, Any] | None:
    """The draft that offers the first idea still open, or None; ``done``: ideas decided in this visit so far."""
    if not offers(ctx, step):
        return None
    todo = pending(ctx, step, records, dropped)
    return {"phase": IDEA, "idea": todo[0]["uid"], "done": done} if todo else None


def _idea(ctx: Ctx, step: RecordsStep, uid: Any) -> dict[str, Any] | None:
    return next((i for i in _ideas(ctx, step) if i["uid"] == uid), None)


def _source(ctx: Ctx, step: RecordsStep) -> RecordsStep | None:
    source = ctx.content.step(step.from_ideas) if step.from_ideas in ctx.content.steps else None
    return source if isinstance(source, RecordsStep) else None


def title(ctx: Ctx, step: RecordsStep, uid: Any) -> str:
    idea, source = _idea(ctx, step, uid), _source(ctx, step)
    return ctx.record_title(source, idea) if idea is not None and source is not None else ctx.t("(removed)")


# -- what the user sees ------------------------------------------------------
def question(ctx: Ctx, step: RecordsStep, records: list[dict[str, Any]]) -> list[Block]:
    d = ctx.state.draft
    if d.get("phase") == MERGE:
        return [Paragraph(ctx.t("Which measure should the idea “{idea}” join?", idea=title(ctx, step, d["idea"])))]
    todo = pending(ctx, step, records)
    done = int(d.get("done") or 0)
    blocks: list[Block] = []
    if not done:
        if not records:
            blocks.append(Paragraph(ctx.text(step.prompt)))
        blocks.append(
            Paragraph(
                ctx.t.plural(
                    "From the future workshop, {n} idea with high or medium priority is waiting. I offer it as a "
                    "draft measure.",
                    "From the future workshop, {n} ideas with high or medium priority are waiting. I offer them "
                    "one at a time as draft measures.",
                    len(todo),
                )
            )
        )
        others = left_out(ctx, step, records)
        if others:
            blocks.append(
                Paragraph(
                    ctx.t.plural(
                        "{n} idea with low or no priority is not offered; you can add it as a measure by hand.",
                        "{n} ideas with low or no priority are not offered; you can add them as measures by hand.",
                        others,
                    )
                )
            )
    total = done + max(len(todo), 1)
    blocks.append(Paragraph(_offer(ctx, step, d.get("idea"), done + 1, total)))
    return blocks


def _offer(ctx: Ctx, step: RecordsStep, uid: Any, index: int, total: int) -> str:
    """ "Idea 1 of 3: “Dorfladen” (Field of action: Nahversorgung, Priority: high, Champion: Frau X)"."""
    idea, source = _idea(ctx, step, uid), _source(ctx, step)
    details = ""
    if idea is not None and source is not None:
        details = ", ".join(
            ctx.labelled(ctx.text(f.label), ctx.field_value(f, idea.get(f.id)))
            for f in source.fields
            if f.id != source.title_field and idea.get(f.id) not in (None, "")
        )
    where = {"index": index, "total": total, "idea": title(ctx, step, uid)}
    if details:
        return ctx.t("Idea {index} of {total}: “{idea}” ({details})", details=details, **where)
    return ctx.t("Idea {index} of {total}: “{idea}”", **where)


def choices(ctx: Ctx, step: RecordsStep, records: list[dict[str, Any]]) -> list[Choice]:
    if ctx.state.draft.get("phase") == MERGE:
        return [
            *(Choice(f"r:{r['uid']}", ctx.record_title(step, r)) for r in records),
            Choice("_cancel", ctx.t("Cancel")),
        ]
    return [
        Choice(ACCEPT, ctx.t("Take over as a measure")),
        *([Choice(JOIN, ctx.t("Merge into a measure"))] if records else []),
        Choice(DROP, ctx.t("Drop")),
        Choice(LATER, ctx.t("Later")),
    ]


def overview_choice(ctx: Ctx, step: RecordsStep, records: list[dict[str, Any]]) -> list[Choice]:
    """The overview's way back to the ideas left for later."""
    if not offers(ctx, step):
        return []
    todo = len(pending(ctx, step, records))
    return [Choice("_ideas", ctx.t("Workshop ideas ({count})", count=todo))] if todo else []


# -- input -------------------------------------------------------------------
def handle(ctx: Ctx, step: RecordsStep, inp: Input, records: list[dict[str, Any]], fresh: dict[str, Any]) -> Result:
    """An answer to the idea on screen; ``fresh`` is the draft of a new, empty record (for "later")."""
    d = ctx.state.draft
    uid, done = d.get("idea"), int(d.get("done") or 0)
    if uid not in {i["uid"] for i in pending(ctx, step, records)}:  # a teammate decided it, or it was deleted
        changed = Paragraph(ctx.t("This idea has been decided or changed in the meantime."))
        return Result(notes=[changed], draft=next_idea(ctx, step, records, done) or _after(records, fresh))
    if d.get("phase") == MERGE:
        return _merge(ctx, step, inp, records, uid, done)
    if inp.choice == ACCEPT:
        filled = Paragraph(ctx.t("Filled in from the idea: keep each answer or type another."))
        return Result(notes=[filled], draft=_taken(ctx, step, uid, done, fresh))
    if inp.choice == JOIN and records:
        return Result(draft={**d, "phase": MERGE})
    if inp.choice == DROP:
        note = ctx.t("Dropped: “{idea}”. It will not be offered again.", idea=title(ctx, step, uid))
        draft = next_idea(ctx, step, records, done + 1, dropped=uid) or _after(records, fresh)
        also = {dropped_key(step): [*_dropped(ctx, step), uid]}
        return Result(value=KEEP, notes=[Paragraph(note)], draft=draft, also=also)
    if inp.choice == LATER or inp.word in DONE_WORDS:
        return later(ctx, step, records, fresh)
    return not_offered(ctx.t, draft=d)


def later(ctx: Ctx, step: RecordsStep, records: list[dict[str, Any]], fresh: dict[str, Any]) -> Result:
    """The rest of the ideas wait: on to the measures (the overview's button brings them back)."""
    todo = len(pending(ctx, step, records))
    note = ctx.t.plural("All right, {n} idea stays open for later.", "All right, {n} ideas stay open for later.", todo)
    return Result(notes=[Paragraph(note)], draft=_after(records, fresh))


def _after(records: list[dict[str, Any]], fresh: dict[str, Any]) -> dict[str, Any]:
    """Where the measures go on once no idea is on screen: their overview, or a first record."""
    return {"phase": "overview", "seen": True} if records else {**fresh, "seen": True}


def _merge(ctx: Ctx, step: RecordsStep, inp: Input, records: list[dict[str, Any]], uid: Any, done: int) -> Result:
    d = ctx.state.draft
    if inp.choice == "_cancel":
        return Result(draft={**d, "phase": IDEA})
    target = (inp.choice or "").removeprefix("r:")
    index = next((i for i, r in enumerate(records) if inp.choice and r["uid"] == target), None)
    if index is None:
        return Result.error(ctx.t("Please pick one of the entries by its number."), draft=d)
    record = records[index]
    linked = record.get("ideas")
    records[index] = {**record, "ideas": [*(linked if isinstance(linked, list) else []), uid]}
    note = ctx.t(
        "The idea “{idea}” now belongs to the measure “{measure}”.",
        idea=title(ctx, step, uid),
        measure=ctx.record_title(step, record),
    )
    draft = next_idea(ctx, step, records, done + 1) or _after(records, {})
    return Result(value=records, notes=[Paragraph(note)], draft=draft)


def _taken(ctx: Ctx, step: RecordsStep, uid: Any, done: int, fresh: dict[str, Any]) -> dict[str, Any]:
    """A new record filled in from the idea: its field of action, title and champion (as the owner)."""
    idea = _idea(ctx, step, uid) or {}
    fields = {f.id: f for f in step.fields}
    values: dict[str, Any] = {}
    for target, origin in CARRIED:
        f, value = fields.get(target), idea.get(origin)
        if f is None or value in (None, ""):
            continue
        if isinstance(f, FieldSingle) and value in {c.id for c in ctx.offers(f)}:
            values[target] = value
        elif isinstance(f, FieldOwner):
            values[target] = {"name": str(value)}
        elif isinstance(f, FieldText):
            values[target] = str(value)[: f.max_length]
    return {**fresh, "values": {**values, "ideas": [uid]}, "idea": uid, "done": done, "seen": True}
