"""Single choice, multiple choice and 'done when' checklists."""

from __future__ import annotations

import re
from typing import Any

from flows.conversation import rules
from flows.conversation.context import Ctx
from flows.conversation.steps.base import Input, Result, StepKind
from flows.conversation.steps.checks import check_choice, too_few, unmatched
from flows.messages import Block, Bullets, Choice, Paragraph
from flows.reading import ALL_WORDS, NONE_WORDS, fold, pick_many


class SingleKind(StepKind):
    nav_keep = True

    def choices(self, ctx: Ctx, step: Any) -> list[Choice]:
        return ctx.offers(step)

    def handle(self, ctx: Ctx, step: Any, inp: Input) -> Result:
        return check_choice(ctx.t, ctx.offers(step), inp.choice)


class MultiKind(StepKind):
    def offered(self, ctx: Ctx, step: Any) -> list[Choice]:
        """The options people pick from."""
        return ctx.offers(step)

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
            for o in self.offered(ctx, step)
        ]
        return [*options, Choice("_done", ctx.t("Done"))]

    def status(self, ctx: Ctx, step: Any) -> list[Block]:
        return []

    def handle(self, ctx: Ctx, step: Any, inp: Input) -> Result:
        offers = self.offered(ctx, step)
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
        return Result(value=self.ordered(ctx, step, selected), done=True)

    def minimum(self, step: Any) -> int:
        return step.min_selected

    def ordered(self, ctx: Ctx, step: Any, selected: list[str]) -> list[str]:
        return selected


class ChecklistKind(MultiKind):
    """A 'done when' checklist: people tick the items without a rule; the answers decide the others, which are shown
    with the reason and are no option (flows/conversation/rules.py). The answer stored is the ticks plus the decided
    items met at that moment; readers ask ``rules.ticked`` for what is done now."""

    allows_all = True

    def offered(self, ctx: Ctx, step: Any) -> list[Choice]:
        by_hand = {item.id for item in step.items if item.rule is None}
        return [c for c in ctx.offers(step) if c.id in by_hand]

    def enter(self, ctx: Ctx, step: Any) -> dict[str, Any]:
        by_hand = {item.id for item in step.items if item.rule is None}
        return {"sel": [i for i in ctx.state.answers.get(step.id) or [] if i in by_hand]}

    def status(self, ctx: Ctx, step: Any) -> list[Block]:
        blocks = super(MultiKind, self).status(ctx, step)
        items = self._decided(ctx, step)
        if not items:
            return blocks
        lines = []
        for item in items:
            verdict = rules.decide(ctx, item.rule)
            why = rules.explain(ctx, item.rule, verdict)
            lines.append(f"{'✓' if verdict.met else '✗'} {ctx.text(item.short or item.label)} — {why}")
        blocks += [Paragraph(ctx.t("Your answers decide these:")), Bullets(tuple(lines))]
        if not self.offered(ctx, step):
            blocks.append(Paragraph(ctx.t("There is nothing to tick by hand here.")))
        return blocks

    def handle(self, ctx: Ctx, step: Any, inp: Input) -> Result:
        item = None if inp.button else self._named(ctx, step, inp.text or "")
        if item is None:
            return super().handle(ctx, step, inp)
        refusal = ctx.t(
            "“{item}” follows from your answers, so it is not ticked by hand ({why}). To change it, change your "
            "answer to {where}: at the end of the stage, “{edit}” leads there.",
            item=ctx.text(item.short or item.label),
            why=rules.explain(ctx, item.rule, rules.decide(ctx, item.rule)),
            where=rules.subject(ctx, item.rule),
            edit=ctx.t("Change an answer"),
        )
        return Result.error(refusal, draft={"sel": list(ctx.state.draft.get("sel", []))})

    def minimum(self, step: Any) -> int:
        return 0  # ticking nothing is an answer too: nothing is done yet

    def ordered(self, ctx: Ctx, step: Any, selected: list[str]) -> list[str]:
        by_hand = [item.id for item in step.items if item.rule is None and item.id in selected]
        return rules.ticked(ctx, step, by_hand)

    def _decided(self, ctx: Ctx, step: Any) -> list[Any]:
        """The items the answers decide that this municipality is offered."""
        offered = {c.id for c in ctx.offers(step)}
        return [item for item in rules.decided(step) if item.id in offered]

    def _named(self, ctx: Ctx, step: Any, text: str) -> Any:
        """A decided item that typed text names by its label or short label (it is no option), else None."""
        names = {fold(ctx.text(t)): item for item in self._decided(ctx, step) for t in (item.label, item.short) if t}
        _, unknown = pick_many(self.offered(ctx, step), text)
        parts = [text, *re.split(r"[,;\n]", text), *unknown]  # a label may hold "und", which pick_many splits at
        return next((names[fold(p)] for p in parts if fold(p) in names), None)
