"""Single choice, multiple choice and 'done when' checklists."""

from __future__ import annotations

import re
from typing import Any

from flows.conversation.context import Ctx, Offer
from flows.conversation.steps.base import ALL_WORDS, NONE_WORDS, Input, Result, StepKind, fold
from flows.messages import Choice

_AND = re.compile(r"\s+(?:und|and|et|&)\s+", re.IGNORECASE)
_NUMBERS_ONLY = re.compile(r"^[0-9\s,;]+$")


def pick_many(offers: list[Offer], text: str) -> tuple[list[str], list[str]]:
    """Read '1, 3 und 5' or 'Wohnen; Mobilität' into option ids; also return what was not understood."""
    text = _AND.sub(",", text.strip())
    tokens = re.split(r"[\s,;]+" if _NUMBERS_ONLY.match(text) else r"[,;\n]", text)
    ids: list[str] = []
    unknown: list[str] = []
    by_label = {fold(o.label): o.id for o in offers}
    for token in (t.strip() for t in tokens):
        if not token:
            continue
        if re.fullmatch(r"[0-9]{1,6}", token) and 1 <= int(token) <= len(offers):
            option_id = offers[int(token) - 1].id
        else:
            option_id = by_label.get(fold(token))
        if option_id is None:
            unknown.append(token)
        elif option_id not in ids:
            ids.append(option_id)
    return ids, unknown


class SingleKind(StepKind):
    nav_keep = True

    def choices(self, ctx: Ctx, step: Any) -> list[Choice]:
        return [Choice(o.id, o.label) for o in ctx.offers(step)]

    def handle(self, ctx: Ctx, step: Any, inp: Input) -> Result:
        offers = ctx.offers(step)
        if inp.choice in {o.id for o in offers}:
            return Result(value=inp.choice, done=True)
        return Result.error(ctx.t("Please pick one of the options: type its number (1 to {n}) or its name.",
                                  n=len(offers)))


class MultiKind(StepKind):

    def enter(self, ctx: Ctx, step: Any) -> dict[str, Any]:
        return {"sel": list(ctx.state.answers.get(step.id) or [])}

    def choices(self, ctx: Ctx, step: Any) -> list[Choice]:
        selected = list(ctx.state.draft.get("sel", []))
        ranked = getattr(step, "ordered", False)
        options = [Choice(o.id, f"{selected.index(o.id) + 1}. {o.label}" if ranked and o.id in selected else o.label,
                          o.id in selected) for o in ctx.offers(step)]
        return [*options, Choice("_done", ctx.t("Done"))]

    def status(self, ctx: Ctx, step: Any) -> list:
        return []

    def handle(self, ctx: Ctx, step: Any, inp: Input) -> Result:
        offers = ctx.offers(step)
        selected: list[str] = list(ctx.state.draft.get("sel", []))
        if inp.button and inp.choice in {o.id for o in offers}:
            selected.remove(inp.choice) if inp.choice in selected else selected.append(inp.choice)
            return Result(draft={"sel": selected})
        if inp.choice == "_done":
            return self._finish(ctx, step, selected)
        if inp.word in ALL_WORDS and self.allows_all:
            return self._finish(ctx, step, [o.id for o in offers])
        if inp.word in NONE_WORDS:
            return self._finish(ctx, step, [])
        picked, unknown = pick_many(offers, inp.text or "")
        if unknown or not (inp.text or "").strip():
            return Result.error(ctx.t(
                "I could not match “{what}” to an option. Type the numbers of your choices, "
                "for example “1, 3”, or their names.", what=", ".join(unknown) or "…"), draft={"sel": selected})
        return self._finish(ctx, step, picked)

    allows_all = False

    def _finish(self, ctx: Ctx, step: Any, selected: list[str]) -> Result:
        low, high = self.minimum(step), getattr(step, "max_selected", None)
        if step.optional and not selected:
            low = 0
        if len(selected) < low:
            return Result.error(ctx.t("Please choose at least {n}.", n=low), draft={"sel": selected})
        if high is not None and len(selected) > high:
            return Result.error(ctx.t("Please choose at most {n}; you chose {count}.", n=high, count=len(selected)),
                                draft={"sel": selected})
        return Result(value=self.ordered(step, selected), done=True)

    def minimum(self, step: Any) -> int:
        return step.min_selected

    def ordered(self, step: Any, selected: list[str]) -> list[str]:
        return selected


class ChecklistKind(MultiKind):
    allows_all = True

    def status(self, ctx: Ctx, step: Any) -> list:
        return super(MultiKind, self).status(ctx, step)

    def minimum(self, step: Any) -> int:
        return 0  # ticking nothing is an answer too: nothing is done yet

    def ordered(self, step: Any, selected: list[str]) -> list[str]:
        return [item.id for item in step.items if item.id in selected]
