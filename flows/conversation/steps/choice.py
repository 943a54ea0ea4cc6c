"""Single choice, multiple choice and 'done when' checklists."""

from __future__ import annotations

from typing import Any

from flows.conversation.context import Ctx
from flows.conversation.steps.base import Input, Result, StepKind
from flows.conversation.steps.checks import check_choice, too_few, unmatched
from flows.messages import Block, Choice
from flows.reading import ALL_WORDS, NONE_WORDS, pick_many


class SingleKind(StepKind):
    nav_keep = True

    def choices(self, ctx: Ctx, step: Any) -> list[Choice]:
        return ctx.offers(step)

    def handle(self, ctx: Ctx, step: Any, inp: Input) -> Result:
        return check_choice(ctx.t, ctx.offers(step), inp.choice)


class MultiKind(StepKind):
    def enter(self, ctx: Ctx, step: Any) -> dict[str, Any]:
        return {"sel": list(ctx.state.answers.get(step.id) or [])}

    def choices(self, ctx: Ctx, step: Any) -> list[Choice]:
        selected = list(ctx.state.draft.get("sel", []))
        ranked = getattr(step, "ordered", False)
        options = [
            Choice(
                o.id,
                f"{selected.index(o.id) + 1}. {o.label}" if ranked and o.id in selected else o.label,
                o.id in selected,
                f"{selected.index(o.id) + 1}. {o.short}" if ranked and o.id in selected and o.short else o.short,
            )
            for o in ctx.offers(step)
        ]
        return [*options, Choice("_done", ctx.t("Done"))]

    def status(self, ctx: Ctx, step: Any) -> list[Block]:
        return []

    def handle(self, ctx: Ctx, step: Any, inp: Input) -> Result:
        offers = ctx.offers(step)
        selected: list[str] = list(ctx.state.draft.get("sel", []))
        if inp.button and inp.choice in {o.id for o in offers}:
            if inp.choice in selected:
                selected.remove(inp.choice)
            else:
                selected.append(inp.choice)
            return Result(draft={"sel": selected})
        if inp.choice == "_done":
            return self._finish(ctx, step, selected)
        if inp.word in ALL_WORDS and self.allows_all:
            return self._finish(ctx, step, [o.id for o in offers])
        if inp.word in NONE_WORDS:
            return self._finish(ctx, step, [])
        picked, unknown = pick_many(offers, inp.text or "")
        if unknown or not (inp.text or "").strip():
            return unmatched(ctx.t, ", ".join(unknown) or "…", draft={"sel": selected})
        return self._finish(ctx, step, picked)

    allows_all = False

    def _finish(self, ctx: Ctx, step: Any, selected: list[str]) -> Result:
        low, high = self.minimum(step), getattr(step, "max_selected", None)
        if step.optional and not selected:
            low = 0
        if len(selected) < low:
            return too_few(ctx.t, low, draft={"sel": selected})
        if high is not None and len(selected) > high:
            return Result.error(
                ctx.t("Please choose at most {n}; you chose {count}.", n=high, count=len(selected)),
                draft={"sel": selected},
            )
        return Result(value=self.ordered(step, selected), done=True)

    def minimum(self, step: Any) -> int:
        return step.min_selected

    def ordered(self, step: Any, selected: list[str]) -> list[str]:
        return selected


class ChecklistKind(MultiKind):
    allows_all = True

    def status(self, ctx: Ctx, step: Any) -> list[Block]:
        return super(MultiKind, self).status(ctx, step)

    def minimum(self, step: Any) -> int:
        return 0  # ticking nothing is an answer too: nothing is done yet

    def ordered(self, step: Any, selected: list[str]) -> list[str]:
        return [item.id for item in step.items if item.id in selected]
