"""The conversation state: where a user is, their draft input and all answers (JSON-serialisable)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

Mode = Literal[
    "new",
    "step",
    "stage_end",
    "menu",
    "pick_stage",
    "pick_edit",
    "pick_lang",
    "confirm_delete",
    "confirm_delete_workspace",
    "browse",
    "tools",
    "tool",
    "subscribe",
    "sub_lang",
    "sub_consent",
    "sub_manage",
    "admin",
    "form",
    "form_preview",
    "form_when",
    "approve",
    "team",
    "team_member",
    "team_remove",
    "invite",
    "template",
    "export",
    "indicators",
    "report_measure",
    "report_status",
    "report_value",
    "reminders",
    "exchange",
    "exchange_profile",
    "exchange_consent",
    "exchange_leave",
    "models",
    "models_list",
    "practices",
    "practice_form",
    "practice_review",
]
HISTORY_LIMIT = 100


class State(BaseModel):
    """Everything the engine needs to continue a conversation. Pure data."""

    version: str = ""
    lang: str = "de"
    mode: Mode = "new"
    stage: str | None = None
    step: str | None = None
    back_to: Mode | None = Field(default=None, description="Mode to return to when an overlay closes.")
    history: list[str] = Field(default_factory=list)
    draft: dict[str, Any] = Field(default_factory=dict)
    turn: int = 0
    asked: str = Field(default="", description="Key of the question on screen; buttons of older ones are stale.")
    seq: int = 0
    answers: dict[str, Any] = Field(default_factory=dict)
    view: dict[str, Any] = Field(default_factory=dict, description="What an overlay shows (toolbox lists).")
    feedback: dict[str, bool] = Field(default_factory=dict, description="Toolbox items marked useful or not.")
    held: str | None = Field(
        default=None,
        description="A typed message not taken as the answer (a question, a bare control word); "
        "'Save as answer' stores it (flows/conversation/meaning.py).",
    )
    seen: dict[str, int] = Field(
        default_factory=dict,
        description="The workspace revision of the current step's answer when it was last shown "
        "(flows/conversation/clash.py).",
    )
    comeback: dict[str, Any] | None = Field(
        default=None,
        description="Where the person was when a command opened an onboarding question (/kommune): "
        "{'mode': 'step' or 'stage_end', 'stage': id, 'step': id or None}; the conversation returns there "
        "once that question (and what it left open) is answered.",
    )
    clash: dict[str, Any] | None = Field(
        default=None,
        description="An answer held because a teammate changed the question since it was shown: "
        "{'step': id, 'value': mine}; the person chooses theirs, mine or both.",
    )

    def answered(self, step_id: str) -> bool:
        """True when the step has an answer or was deliberately skipped."""
        return step_id in self.answers

    def has_value(self, step_id: str) -> bool:
        value = self.answers.get(step_id)
        return value is not None and value != [] and value != ""

    def remember(self, step_id: str) -> None:
        if not self.history or self.history[-1] != step_id:
            self.history.append(step_id)
            del self.history[:-HISTORY_LIMIT]

    def position(self) -> dict[str, Any]:
        """The state without answers, as stored on the conversation row."""
        return self.model_dump(exclude={"answers"})
