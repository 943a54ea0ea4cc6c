"""Exchange profiles in the shell: the ``Profiles`` port on one unit of work, and storing what the engine asked."""

from __future__ import annotations

from datetime import datetime

from flows.content.i18n import Translator
from flows.content.loader import Content
from flows.conversation.actions import LeaveExchange, SaveProfile
from flows.exchange.model import Profile
from flows.messages import Outbound
from storage.store import Unit


class StoredProfiles:
    """:class:`flows.exchange.model.Profiles` for the person's workspace (None: they have none)."""

    def __init__(self, unit: Unit, workspace_id: int | None):
        self.unit = unit
        self.workspace_id = workspace_id

    def mine(self) -> Profile | None:
        return None

    def candidates(self) -> list[Profile]:
        return []


def act(
    unit: Unit, content: Content, user_id: int, action: SaveProfile | LeaveExchange, now: datetime, t: Translator
) -> Outbound | None:
    """Store the opt-in, a changed profile or the withdrawal (a coordinator's only; checked again here)."""
    return None
