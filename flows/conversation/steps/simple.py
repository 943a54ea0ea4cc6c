"""Info, free-text and date steps."""

from __future__ import annotations

from typing import Any

from flows.conversation.context import Ctx
from flows.conversation.steps.base import Input, Result, StepKind
from flows.conversation.steps.checks import check_date, check_text
from flows.messages import Choice


class InfoKind(StepKind):
    def choices(self, ctx: Ctx, step: Any) -> list[Choice]:
        return [Choice("_next", ctx.t("Continue"))]

    def status(self, ctx: Ctx, step: Any) -> list:
        return []

    def handle(self, ctx: Ctx, step: Any, inp: Input) -> Result:
        return Result(value=True, done=True)


class TextKind(StepKind):
    nav_keep = True

    def handle(self, ctx: Ctx, step: Any, inp: Input) -> Result:
        return check_text(ctx.t, inp.text or "", step.max_length)


class DateKind(StepKind):
    nav_keep = True

    def handle(self, ctx: Ctx, step: Any, inp: Input) -> Result:
        return check_date(ctx.t, inp.text or "")
