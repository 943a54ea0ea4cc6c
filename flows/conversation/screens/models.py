"""``/modellkommunen``: the model municipalities of the federal programmes, near me or by field of action."""

from __future__ import annotations

from flows.conversation.session import Session


def models_command(s: Session, arg: str) -> None:
    s.say(s.t("The exchange is not available yet."))
