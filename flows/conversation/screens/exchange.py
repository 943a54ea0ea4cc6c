"""``/austausch``: the workspace's exchange profile (opt-in with its own consent) and similar municipalities."""

from __future__ import annotations

from flows.conversation.session import Session


def exchange_command(s: Session, arg: str) -> None:
    """``/austausch``: matches when the workspace takes part, else what taking part means and the opt-in."""
    s.say(s.t("The exchange is not available yet."))
