"""Who may delete a whole workspace, and how its name is confirmed."""

from __future__ import annotations

from flows.content.i18n import N_
from flows.reading import fold

NOT_COORDINATOR = N_("Only the coordinator can delete the workspace. Nothing was deleted.")


def may_delete_workspace(role: str | None) -> bool:
    """Only a coordinator deletes a workspace (a member deletes only their personal data)."""
    return role == "coordinator"


def confirms(typed: str, name: str) -> bool:
    """The typed text names the workspace (case, accents and spacing aside)."""
    return bool(name.strip()) and fold(typed) == fold(name)
