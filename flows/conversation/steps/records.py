"""Record tables: measures with several fields each; with ``for_each``, one record per earlier record; with
``from_ideas``, the workshop's ideas offered first as draft records (:mod:`ideas`)."""

from __future__ import annotations

from typing import Any

from flows.content.model import FieldBudget, FieldDate, FieldSingle, RecordsStep
from flows.conversation import credits, review
from flows.conversation.context import Ctx
from flows.conversation.steps import ideas
from flows.conversation.steps.base import Input, Result, StepKind
from flows.conversation.steps.checks import (
    check_budget,
    check_choice,
    check_date,
    check_text,
    not_offered,
    not_skippable,
)
from flows.messages import Block, Bullets, Choice, Paragraph
from flows.practice.measures import MEASURES, measure_of
from flows.reading import DONE_WORDS

_SEEN = {"phase": "overview", "seen": True}
"""The overview again within one visit: the records by title only, without the introduction."""


def new_uid(ctx: Ctx, records: list[dict[str, Any]]) -> str:
    """An id for a new record (``r1``, ``r2`` … counted per conversation), none of ``records`` has yet: a teammate's
    conversation counts on its own."""
    taken = {r.get("uid") for r in records}
    while True:
        ctx.state.seq += 1
        uid = f"r{ctx.state.seq}"
        if uid not in taken:
            return uid


def _status(ctx: Ctx, step: RecordsStep, record: dict[str, Any]) -> list[str]:
    """A measure's latest status report, as its owner gave it (/stand)."""
    said = ctx.last_report(measure_of(record)) if step.id == MEASURES else None
    return [ctx.labelled(ctx.t("Status"), said)] if said else []


class RecordsKind(StepKind):
    # -- helpers -----------------------------------------------------------
    def records(self, ctx: Ctx, step: RecordsStep) -> list[dict[str, Any]]:
        return [dict(r) for r in ctx.state.answers.get(step.id) or []]

    def sources(self, ctx: Ctx, step: RecordsStep) -> list[dict[str, Any]]:
        return list(ctx.state.answers.get(step.for_each) or []) if step.for_each else []

    def _open(self, ctx: Ctx, step: RecordsStep, uid: str | None, records: list[dict[str, Any]]) -> dict[str, Any]:
        existing = next((r for r in records if r["uid"] == uid), None)
        values = dict(existing) if existing is not None else {}
        if existing is None and uid is not None and step.for_each == MEASURES:
            values = review.prefilled(ctx, step, uid)  # a measure's review starts from its latest report
        return {"phase": "field", "uid": uid, "field": 0, "values": values, "was": existing}

    def _next_review(self, ctx: Ctx, step: RecordsStep, records: list[dict[str, Any]]) -> dict[str, Any]:
        reviewed = {r["uid"] for r in records}
        todo = [s["uid"] for s in self.sources(ctx, step) if s["uid"] not in reviewed]
        if todo:
            return self._open(ctx, step, todo[0], records)
        return {"phase": "overview" if self.sources(ctx, step) else "empty"}

    def enter(self, ctx: Ctx, step: RecordsStep) -> dict[str, Any]:
        records = self.records(ctx, step)
        if step.for_each:
            return self._next_review(ctx, step, records)
        offered = ideas.next_idea(ctx, step, records)
        if offered is not None:
            return offered
        return {"phase": "overview"} if records else self._open(ctx, step, None, records)

    def expects(self, ctx: Ctx, step: RecordsStep) -> str:
        d = ctx.state.draft
        if d.get("phase") == ideas.IDEA:
            return "single"  # one of the buttons, as for a single choice
        return step.fields[d["field"]].kind if d.get("phase") == "field" else "records"

    def optional(self, ctx: Ctx, step: RecordsStep) -> bool:
        d = ctx.state.draft
        return step.fields[d["field"]].optional if d.get("phase") == "field" else step.optional

    def key(self, ctx: Ctx, step: RecordsStep) -> str:
        d = ctx.state.draft
        return f"{step.id}:{d.get('phase')}:{d.get('uid') or d.get('idea')}:{d.get('field')}"

    def _title(self, ctx: Ctx, step: RecordsStep, uid: str | None) -> str:
        if step.for_each:
            return ctx.record_title(step, {"uid": uid})
        record = next((r for r in self.records(ctx, step) if r["uid"] == uid), None)
        return ctx.record_title(step, record) if record else ""

    # -- what the user sees ------------------------------------------------
    def question(self, ctx: Ctx, step: RecordsStep) -> list[Block]:
        d = ctx.state.draft
        item = ctx.text(step.item)
        records = self.records(ctx, step)
        phase = d.get("phase")
        if phase in ideas.PHASES:
            return ideas.question(ctx, step, records)
        if phase == "field":
            blocks: list[Block] = []
            if d["field"] == 0 and not records and not step.for_each and not d.get("seen"):
                blocks.append(Paragraph(ctx.text(step.prompt)))
            f = step.fields[d["field"]]
            title = self._title(ctx, step, d.get("uid")) if d.get("uid") else ""
            where = {"item": item, "field": ctx.text(f.label), "index": d["field"] + 1, "total": len(step.fields)}
            if title:
                heading = ctx.t("{item} “{title}” · {field} ({index}/{total})", title=title, **where)
            else:
                heading = ctx.t("{item} {number} · {field} ({index}/{total})", number=len(records) + 1, **where)
            blocks.append(Paragraph(heading))
            if step.for_each == MEASURES and d["field"] == 0 and d.get("uid"):
                blocks += [Paragraph(line) for line in review.lines(ctx, d["uid"])]
            blocks.append(Paragraph(ctx.text(f.prompt)))
            current = d["values"].get(f.id)
            if current not in (None, ""):
                blocks.append(Paragraph(ctx.t("Current answer: {value}", value=ctx.field_value(f, current))))
            return blocks
        if phase == "pick_edit":
            return [Paragraph(ctx.t("Which one do you want to change?"))]
        if phase == "pick_delete":
            return [Paragraph(ctx.t("Which one do you want to delete?"))]
        if phase == "empty":
            return [
                Paragraph(ctx.text(step.prompt)),
                Paragraph(ctx.t("There is nothing to go through yet: the earlier stage has no entries.")),
            ]
        # Seen once in this visit (a save shows the entry in full): the introduction and details are not said again.
        seen = bool(d.get("seen"))
        blocks = [] if seen else [Paragraph(ctx.text(step.prompt))]
        if step.for_each:
            done = {r["uid"]: r for r in records}
            lines = [
                ("✓ " if s["uid"] in done else "○ ") + ctx.record_title(step, {"uid": s["uid"]})
                for s in self.sources(ctx, step)
            ]
            return [*blocks, Bullets(tuple(lines))]
        if records:
            blocks.append(Paragraph(ctx.t("Recorded so far ({count}):", count=len(records))))
            titles = credits.attributed(ctx, step.id, [ctx.record_title(step, r) for r in records])
            if seen:
                blocks.append(Bullets(tuple(titles), numbered=True))
            else:
                blocks += [
                    Paragraph("\n".join([f"{number}. {title}", *ctx.record_details(step, r), *_status(ctx, step, r)]))
                    for number, (title, r) in enumerate(zip(titles, records, strict=True), 1)
                ]
        return blocks

    def opening(self, ctx: Ctx, step: RecordsStep) -> bool:
        """At the first field of the first record, or at an overview not yet seen in this visit."""
        d = ctx.state.draft
        if d.get("phase") == "field":
            return d["field"] == 0 and not self.records(ctx, step) and not d.get("seen")
        if d.get("phase") == ideas.IDEA:
            return not d.get("done")
        return d.get("phase") in ("overview", "empty") and not d.get("seen")

    def status(self, ctx: Ctx, step: RecordsStep) -> list:
        return []

    def choices(self, ctx: Ctx, step: RecordsStep) -> list[Choice]:
        d = ctx.state.draft
        records = self.records(ctx, step)
        phase = d.get("phase")
        if phase in ideas.PHASES:
            return ideas.choices(ctx, step, records)
        if phase == "field":
            f = step.fields[d["field"]]
            choices = ctx.offers(f) if isinstance(f, FieldSingle) else []
            if d["values"].get(f.id) not in (None, ""):
                choices.append(Choice("_keep", ctx.t("Keep answer")))
            if f.optional:
                choices.append(Choice("_skip", ctx.t("Skip")))
            return choices
        if phase in ("pick_edit", "pick_delete"):
            return [
                *(Choice(f"r:{r['uid']}", ctx.record_title(step, r)) for r in records),
                Choice("_cancel", ctx.t("Cancel")),
            ]
        if phase == "empty":
            return [Choice("_done", ctx.t("Continue"))]
        item = ctx.text(step.item)
        choices = []
        if step.for_each:
            if records:
                choices.append(Choice("_editrec", ctx.t("Review one again")))
        else:
            if len(records) < step.max_records:
                choices.append(Choice("_add", ctx.t("Add another ({item})", item=item)))
            if records:
                choices += [Choice("_editrec", ctx.t("Change an entry")), Choice("_delrec", ctx.t("Delete an entry"))]
            choices += ideas.overview_choice(ctx, step, records)
        return [*choices, Choice("_done", ctx.t("Done"))]

    # -- input -------------------------------------------------------------
    def handle(self, ctx: Ctx, step: RecordsStep, inp: Input) -> Result:
        d = ctx.state.draft
        records = self.records(ctx, step)
        phase = d.get("phase")
        if phase in ideas.PHASES:
            return ideas.handle(ctx, step, inp, records, self._open(ctx, step, None, records))
        if phase == "field":
            return self._field(ctx, step, inp, d, records)
        if phase in ("pick_edit", "pick_delete"):
            if inp.choice == "_cancel":
                return Result(draft=dict(_SEEN))
            uid = (inp.choice or "").removeprefix("r:")
            if not inp.choice or not any(r["uid"] == uid for r in records):
                return Result.error(ctx.t("Please pick one of the entries by its number."), draft=d)
            if phase == "pick_edit":
                return Result(draft=self._open(ctx, step, uid, records))
            removed = next(r for r in records if r["uid"] == uid)
            rest = [r for r in records if r["uid"] != uid]
            note = ctx.t("Deleted: {title}", title=ctx.record_title(step, removed))
            return Result(value=rest, notes=[Paragraph(note)], draft=dict(_SEEN))
        if inp.choice == "_done" or inp.word in DONE_WORDS:
            needed = 0 if step.optional or step.for_each else step.min_records
            if len(records) < needed:
                return Result.error(ctx.t("Please record at least one entry first."), draft=d)
            return Result(value=records, done=True)
        if inp.choice == "_add" and not step.for_each and len(records) < step.max_records:
            return Result(draft=self._open(ctx, step, None, records))
        if inp.choice == "_editrec" and records:
            if len(records) == 1:
                return Result(draft=self._open(ctx, step, records[0]["uid"], records))
            return Result(draft={"phase": "pick_edit"})
        if inp.choice == "_delrec" and records:
            return Result(draft={"phase": "pick_delete"})
        if inp.choice == "_ideas" and not step.for_each:
            offered = ideas.next_idea(ctx, step, records)
            if offered is not None:
                return Result(draft=offered)
        return not_offered(ctx.t, draft=d)

    def _field(
        self, ctx: Ctx, step: RecordsStep, inp: Input, d: dict[str, Any], records: list[dict[str, Any]]
    ) -> Result:
        f = step.fields[d["field"]]
        values = dict(d["values"])
        notes: list[Block] = []
        if inp.choice == "_keep" and values.get(f.id) not in (None, ""):
            pass
        elif inp.choice == "_skip":
            if not f.optional:
                return not_skippable(ctx.t, draft=d)
            values[f.id] = None
        else:
            if isinstance(f, FieldSingle):
                checked = check_choice(ctx.t, ctx.offers(f), inp.choice)
            elif isinstance(f, FieldDate):
                checked = check_date(ctx.t, inp.text or "")
            elif isinstance(f, FieldBudget):
                checked = check_budget(ctx.t, inp.text or "", f.max_length, ctx.content.funding)
            else:
                checked = check_text(ctx.t, inp.text or "", f.max_length)
            if not checked.done:
                checked.draft = d
                return checked
            values[f.id], notes = checked.value, checked.notes
        if d["field"] + 1 < len(step.fields):
            return Result(notes=notes, draft={**d, "field": d["field"] + 1, "values": values})
        changed = self._changed(ctx, step, d, records)
        if changed:
            record = {**values, "uid": d["uid"]}
            return Result(held={"step": step.id, "uid": d["uid"], "value": record}, draft=dict(_SEEN))
        return self._save(ctx, step, values, d.get("uid"), records, d.get("back"))

    def _changed(self, ctx: Ctx, step: RecordsStep, d: dict[str, Any], records: list[dict[str, Any]]) -> bool:
        """Whether a teammate changed (or deleted) the entry being edited since it was opened."""
        was, team = d.get("was"), ctx.team
        if was is None or team is None:
            return False
        index = next((i for i, r in enumerate(records) if r["uid"] == d["uid"]), None)
        if index is not None and records[index] == was:
            return False
        written = team.written.get(step.id)
        if written is None:
            return False
        authors = written.authors
        aligned = index is not None and authors is not None and len(authors) == len(records)
        return (
            authors[index] if aligned and authors is not None and index is not None else written.author_id
        ) != team.me

    def _save(
        self,
        ctx: Ctx,
        step: RecordsStep,
        values: dict[str, Any],
        uid: str | None,
        records: list[dict[str, Any]],
        back: str | None = None,
    ) -> Result:
        if uid is None:
            uid = new_uid(ctx, records)
        record = {**values, "uid": uid}
        index = next((i for i, r in enumerate(records) if r["uid"] == uid), None)
        if index is None:
            records.append(record)
        else:
            records[index] = record
        notes: list[Block] = [Paragraph(ctx.t("Saved: {title}", title=ctx.record_text(step, record)))]
        if back is not None and back in ctx.content.steps:  # a record reopened by a review: back to the review
            return Result(value=records, notes=notes, goto=(back, None))
        if step.for_each and any(record.get(f) in ids for f, ids in step.reopens.items()):
            reopened = self._reopen(ctx, step, uid)
            if reopened is not None:
                return Result(value=records, notes=[*notes, reopened[0]], goto=reopened[1])
        after = self._next_review(ctx, step, records) if step.for_each else {"phase": "overview"}
        if ctx.state.draft.get("idea") is not None:  # taken over from an idea: on to the next one
            after = ideas.next_idea(ctx, step, records, int(ctx.state.draft.get("done") or 0) + 1) or after
        return Result(value=records, notes=notes, draft=dict(_SEEN) if after["phase"] == "overview" else after)

    def _reopen(self, ctx: Ctx, step: RecordsStep, uid: str) -> tuple[Paragraph, tuple[str, dict[str, Any]]] | None:
        """The record a review went through, opened for editing (``reopens``); saving it comes back to the review."""
        source = ctx.content.step(step.for_each) if step.for_each in ctx.content.steps else None
        if not isinstance(source, RecordsStep):
            return None
        records = self.records(ctx, source)
        if not any(r["uid"] == uid for r in records):
            return None
        draft = {**self._open(ctx, source, uid, records), "back": step.id}
        stage = ctx.content.stage_of(source.id)
        note = ctx.t(
            "Now “{title}” in “{stage}”: change what needs changing and keep the rest. Then we go on with “{step}”.",
            title=self._title(ctx, step, uid),
            stage=ctx.text(stage.title),
            step=ctx.text(step.label),
        )
        return Paragraph(note), (source.id, draft)

    def back(self, ctx: Ctx, step: RecordsStep) -> dict[str, Any] | None:
        d = ctx.state.draft
        if d.get("phase") == "field" and d["field"] > 0:
            return {**d, "field": d["field"] - 1}
        if d.get("phase") == "field" and d.get("back"):
            return None  # a record reopened by a review: back to the review (it is the step before in the history)
        if (d.get("phase") == "field" and d.get("idea") is not None) or d.get("phase") == ideas.MERGE:
            return {"phase": ideas.IDEA, "idea": d["idea"], "done": d.get("done") or 0}  # the idea again
        if d.get("phase") in ("pick_edit", "pick_delete") or (d.get("phase") == "field" and self.records(ctx, step)):
            return {"phase": "overview"}
        return None

    def skip(self, ctx: Ctx, step: RecordsStep) -> Result | None:
        if ctx.state.draft.get("phase") == "field":
            return self.handle(ctx, step, Input(text=None, choice="_skip", button=True))
        if ctx.state.draft.get("phase") == ideas.IDEA:
            return ideas.later(ctx, step, self.records(ctx, step), self._open(ctx, step, None, self.records(ctx, step)))
        return None
