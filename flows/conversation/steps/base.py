"""The contract every step kind fulfils, and the small types it returns."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any

from flows.conversation import credits
from flows.conversation.context import Ctx
from flows.messages import Block, Choice, Paragraph

KEEP: Any = object()
"""Sentinel: the handler leaves the stored answer as it is."""


@dataclass(frozen=True)
class Input:
    """User input as a step sees it: typed text, and the displayed choice it matched, if any."""

    text: str | None
    choice: str | None
    button: bool = False

    @property
    def word(self) -> str:
        return (self.text or "").strip().strip(".!").casefold()


@dataclass
class Result:
    notes: list[Block] = field(default_factory=list)
    value: Any = KEEP
    done: bool = False
    draft: dict[str, Any] | None = None
    prompt: bool = True
    held: dict[str, Any] | None = None
    """An entry not stored because a teammate changed it while it was being edited (``State.clash``)."""
    also: dict[str, Any] = field(default_factory=dict)
    """Answers of other steps that come with ``value`` and are stored with it in the same turn (the Land and size
    a place picked in the directory gives); None removes an answer, so that its step is asked again. With ``value``
    KEEP they are stored alone (the ideas a records step dropped, flows/conversation/steps/ideas.py)."""
    goto: tuple[str, dict[str, Any] | None] | None = None
    """Go on at this step (with this draft, else where it starts) instead of the stage's next question: a review
    reopening a measure of the plan, and back to the review after it."""

    @classmethod
    def error(cls, message: str, draft: dict[str, Any] | None = None) -> Result:
        return cls(notes=[Paragraph(message)], draft=draft, prompt=False)


class StepKind(ABC):
    """Default behaviour; subclasses override what differs."""

    nav_keep = False
    """Offer 'keep answer' when the step already has one."""

    def choices(self, ctx: Ctx, step: Any) -> list[Choice]:
        return []

    def status(self, ctx: Ctx, step: Any) -> list[Block]:
        """Blocks shown under the prompt: the current answer by default."""
        if ctx.state.has_value(step.id):
            current = ctx.t("Current answer: {value}", value=ctx.short(step, ctx.state.answers[step.id]))
            return [Paragraph("\n".join([current, *credits.noted(ctx, step)]))]
        return []

    def question(self, ctx: Ctx, step: Any) -> list[Block] | None:
        """The question text, or None to use the step's prompt."""
        return None

    def opening(self, ctx: Ctx, step: Any) -> bool:
        """Whether the question is at its start, where the stage's introduction belongs (not inside a record)."""
        return True

    def key(self, ctx: Ctx, step: Any) -> str:
        """Identity of the question on screen; a new key makes older buttons stale."""
        return step.id

    def expects(self, ctx: Ctx, step: Any) -> str:
        return step.kind

    def optional(self, ctx: Ctx, step: Any) -> bool:
        """Whether what is asked now may be left empty."""
        return bool(step.optional)

    def enter(self, ctx: Ctx, step: Any) -> dict[str, Any]:
        """The draft a step starts with."""
        return {}

    @abstractmethod
    def handle(self, ctx: Ctx, step: Any, inp: Input) -> Result:
        """Take the user's input; say what to store, what to tell them and whether the step is done."""

    def back(self, ctx: Ctx, step: Any) -> dict[str, Any] | None:
        """Handle /back inside the step; None leaves the step."""
        return None

    def skip(self, ctx: Ctx, step: Any) -> Result | None:
        """Handle /skip inside the step; None lets the engine skip the whole step."""
        return None
