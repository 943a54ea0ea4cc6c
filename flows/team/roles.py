"""What each role may change: coordinators and editors everything, viewers nothing, measure owners their measures."""

from __future__ import annotations

from typing import Any

from flows.team.view import Mate, Team

OWNED_STEP = "wp_measures"
"""The Werkstattplan's measures: the one answer a measure owner may change."""
OWNER_FIELD = "owner"
"""The field of a measure that names who is responsible for it."""


def may_change(team: Team | None, step_id: str, old: Any, new: Any) -> bool:
    """Whether the person writing may turn answer ``old`` of ``step_id`` into ``new``.

    Without a workspace the strategy is theirs alone. An owner may add, change or delete only
    measures whose owner is them, before and after the change.
    """
    if team is None or team.can_edit or old == new:
        return True
    if team.role != "owner" or step_id != OWNED_STEP:
        return False
    mine = _me(team)
    before, after = _by_uid(old), _by_uid(new)
    touched = [r for uid, r in before.items() if after.get(uid) != r] + [
        r for uid, r in after.items() if before.get(uid) != r
    ]
    return all(owns(r, mine, team.me) for r in touched)


def may_edit(team: Team | None, step_id: str) -> bool:
    """Whether anything of ``step_id`` may be changed by them (a viewer: nothing; an owner: the measures)."""
    return team is None or team.can_edit or (team.role == "owner" and step_id == OWNED_STEP)


def owns(record: Any, name: str | None, user_id: int | None = None) -> bool:
    """A measure is owned by the member ``user_id`` when its owner names them as a member (``{"member", "name"}``,
    as flows.practice.model describes), else by ``name`` when it names them by name (case and spaces aside;
    older measures hold the name alone)."""
    owner = record.get(OWNER_FIELD) if isinstance(record, dict) else None
    if isinstance(owner, dict):
        if isinstance(owner.get("member"), int):
            return owner["member"] == user_id
        owner = owner.get("name")
    return isinstance(owner, str) and name is not None and bool(_norm(name)) and _norm(owner) == _norm(name)


def coordinators(team: Team) -> tuple[Mate, ...]:
    """Whom to ask for a change."""
    return tuple(m for m in team.members if m.role == "coordinator")


def _me(team: Team) -> str | None:
    mate = team.mate(team.me)
    return mate.name if mate is not None and mate.name and _norm(mate.name) else None


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def _by_uid(value: Any) -> dict[str, Any]:
    records = value if isinstance(value, list) else []
    return {str(r.get("uid")) if isinstance(r, dict) else str(i): r for i, r in enumerate(records)}
