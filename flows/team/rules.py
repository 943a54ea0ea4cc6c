"""Who may do what in a team: only coordinators manage it, and a workspace always keeps a coordinator."""

from __future__ import annotations

from collections.abc import Sequence

from flows.team.view import Mate, Role, Team

INVITABLE: tuple[Role, ...] = ("editor", "viewer", "owner", "coordinator")
"""The roles a coordinator can invite into, in the order they are offered."""


def may_manage(team: Team | None) -> bool:
    """Invite, change roles, remove members: coordinators only (a person without a team yet will coordinate)."""
    return team is None or team.coordinates


def coordinators(team: Team) -> list[Mate]:
    return [m for m in team.members if m.role == "coordinator"]


def leaves_no_coordinator(roles: Sequence[str], current: str, new: str | None) -> bool:
    """Changing a member in ``current`` role to ``new`` (None: removing them) would leave no coordinator."""
    if current != "coordinator" or new == "coordinator":
        return False
    return sum(1 for r in roles if r == "coordinator") <= 1
