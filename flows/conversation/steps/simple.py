"""Info, free-text and date steps."""

from __future__ import annotations

from typing import Any

from flows.conversation.context import Ctx
from flows.conversation.steps.base import Input, Result, StepKind
from flows.messages import Choice
from flows.reading import parse_date


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
        return check_text(ctx, inp.text or "", step.max_length)


def check_text(ctx: Ctx, text: str, max_length: int) -> Result:
    text = text.strip()
    if not text:
        return Result.error(ctx.t("I did not receive any text. Please type your answer."))
    if len(text) > max_length:
        return Result.error(ctx.t(
            "Your answer has {length} characters; I can keep up to {limit} here. "
            "Please shorten it or split it up. Nothing has been lost.",
            length=ctx.t.number(len(text)), limit=ctx.t.number(max_length)))
    return Result(value=text, done=True)


class DateKind(StepKind):
    nav_keep = True

    def handle(self, ctx: Ctx, step: Any, inp: Input) -> Result:
        return check_date(ctx, inp.text or "")


def check_date(ctx: Ctx, text: str) -> Result:
    value = parse_date(text)
    if value is None:
        return Result.error(ctx.t(
            "I could not read that as a date. Please write it like 25.01.2027, 01/2027 or 2027."))
    return Result(value=value, done=True)
