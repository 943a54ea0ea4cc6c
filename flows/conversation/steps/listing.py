"""List steps: several bullets, one per message (e.g. one SWOT quadrant)."""

from __future__ import annotations

import re
from typing import Any

from flows.conversation import credits
from flows.conversation.context import Ctx
from flows.conversation.steps.base import Input, Result, StepKind
from flows.messages import Bullets, Choice, Paragraph
from flows.reading import DONE_WORDS, NONE_WORDS
from flows.team import roles

_BULLET = re.compile(r"^\s*(?:[-*•–]|\d{1,2}[.)])\s+")


class ListKind(StepKind):
    def items(self, ctx: Ctx, step: Any) -> list[str]:
        return list(ctx.state.answers.get(step.id) or [])

    def choices(self, ctx: Ctx, step: Any) -> list[Choice]:
        choices = [Choice("_done", ctx.t("Done"))]
        if self.items(ctx, step) and roles.may_edit(ctx.team, step.id):  # a viewer is not offered what they may not do
            choices.append(Choice("_undo", ctx.t("Remove the last point")))
        return choices

    def status(self, ctx: Ctx, step: Any) -> list:
        items = self.items(ctx, step)
        if not items:
            return []
        return [Paragraph(ctx.t("So far:")), Bullets(tuple(credits.attributed(ctx, step.id, items)), numbered=True)]

    def handle(self, ctx: Ctx, step: Any, inp: Input) -> Result:
        items = self.items(ctx, step)
        if inp.choice == "_done" or inp.word in DONE_WORDS or (inp.word in NONE_WORDS and not items):
            needed = 0 if step.optional else step.min_items
            if len(items) < needed:
                return Result.error(ctx.plural_points(needed))
            return Result(value=items, done=True)
        if inp.choice == "_undo":
            if not items:
                return Result.error(ctx.t("The list is empty."))
            removed = items.pop()
            return Result(value=items, notes=[Paragraph(ctx.t("Removed: {item}", item=removed))], prompt=False)
        lines = [_BULLET.sub("", line).strip() for line in (inp.text or "").splitlines()]
        lines = [line for line in lines if line]
        if not lines:
            return Result.error(ctx.t("Please send one point per message, or “done” when the list is complete."))
        too_long = [line for line in lines if len(line) > step.item_max_length]
        if too_long:
            return Result.error(
                ctx.t(
                    "One point has {length} characters; I can keep up to {limit} per point. "
                    "Please shorten it or split it into several points. Nothing has been lost.",
                    length=ctx.t.number(len(too_long[0])),
                    limit=ctx.t.number(step.item_max_length),
                )
            )
        if len(items) + len(lines) > step.max_items:
            return Result.error(
                ctx.t(
                    "This list holds up to {limit} points, and it has {count}. Remove one or finish with “done”.",
                    limit=step.max_items,
                    count=len(items),
                )
            )
        items += lines
        note = ctx.t("Noted ({count}). Send the next point, or “done”.", count=len(items))
        return Result(value=items, notes=[Paragraph(note)], prompt=False)
