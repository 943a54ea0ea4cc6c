"""``/praxis``: share a measure as good practice; editors review, translate and see adoptions."""

from __future__ import annotations

from flows.conversation.session import Session


def practices_command(s: Session, arg: str) -> None:
    s.say(s.t("The exchange is not available yet."))
