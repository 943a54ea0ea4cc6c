"""The workspace as the engine sees it for one message: its members, roles and who wrote each answer."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from flows.content.i18n import N_

Role = Literal["coordinator", "editor", "viewer", "owner"]
ROLES: tuple[Role, ...] = ("coordinator", "editor", "viewer", "owner")
ROLE_NAMES: dict[str, str] = {
    "coordinator": N_("coordinator"),
    "editor": N_("editor"),
    "viewer": N_("viewer"),
    "owner": N_("measure owner"),
}
"""Each role as people read it (msgids)."""


@dataclass(frozen=True)
class Mate:
    """A member as the team sees them: user id, role, name (None: never told) and their messengers."""

    user_id: int
    role: Role
    name: str | None = None
    channels: tuple[str, ...] = ()
    notices: bool = True


@dataclass(frozen=True)
class Written:
    """Who last changed an answer, when, at which workspace revision; for a list, who wrote each entry."""

    author_id: int | None
    at: datetime
    revision: int
    authors: tuple[int | None, ...] | None = None


@dataclass(frozen=True)
class Team:
    """One workspace for the person writing now (``me``)."""

    workspace_id: int
    me: int
    role: Role
    revision: int = 0
    name: str | None = None
    members: tuple[Mate, ...] = ()
    written: Mapping[str, Written] = field(default_factory=dict)
    approvals: Mapping[str, tuple[str, Mapping[str, Any]]] = field(default_factory=dict)
    """Stage id to the ISO date the steering group agreed it and the stage's answers then."""

    def mate(self, user_id: int | None) -> Mate | None:
        return next((m for m in self.members if m.user_id == user_id), None) if user_id is not None else None

    @property
    def shared(self) -> bool:
        """More than one person works on this strategy."""
        return len(self.members) > 1

    @property
    def can_edit(self) -> bool:
        return self.role in ("coordinator", "editor")

    @property
    def coordinates(self) -> bool:
        return self.role == "coordinator"
