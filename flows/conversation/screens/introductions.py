"""Introductions by double opt-in: asking for one, answering one, and what the asker sees meanwhile."""

from __future__ import annotations

from flows.conversation.session import Session
from flows.exchange.model import Match
from flows.messages import Block
from flows.reading import fold

ACCEPT_WORDS = frozenset({"accept", "annehmen", "ja", "accepter", "oui", "yes"})
DECLINE_WORDS = frozenset({"decline", "ablehnen", "nein", "refuser", "non", "no"})


def is_answer(arg: str) -> bool:
    """``/austausch annehmen 12`` (or the button's ``accept 12``): an answer to an introduction, in any language."""
    word = fold(arg.strip().partition(" ")[0])
    return word in ACCEPT_WORDS | DECLINE_WORDS


def answer_command(s: Session, arg: str) -> None:
    """Accept or decline introduction N (the asked workspace's coordinators only)."""
    s.say(s.t("The exchange is not available yet."))


def ask(s: Session, match: Match) -> None:
    """The person asks to be introduced to the municipality of ``match`` (from the /austausch list)."""
    s.say(s.t("The exchange is not available yet."))


def status_blocks(s: Session) -> list[Block]:
    """What the workspace's introductions stand at, for the /austausch screen (none: [])."""
    return []
