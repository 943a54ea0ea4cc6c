"""Group rooms: a team's Telegram group or Matrix room, bound by its coordinator, hears the team's notices."""

from __future__ import annotations

from flows.content.i18n import Translator

BINDS = frozenset({"room", "invite"})
"""Commands that, written in a group chat or room, bind it to the writer's team (``/teamraum``, ``/einladen``)."""


def may_bind(role: str | None) -> bool:
    """Only a workspace's coordinator connects a group to it."""
    return role == "coordinator"


def bound(t: Translator, workspace: str | None) -> str:
    return t(
        "This group now hears of the team’s completed stages and approvals ({workspace}). "
        "The work itself stays in private chats with me.",
        workspace=workspace or t("your team"),
    )


def refused(t: Translator) -> str:
    return t(
        "Only a team’s coordinator can connect this group to the team. "
        "Please write to me in a private chat first; there I help with the strategy itself."
    )
