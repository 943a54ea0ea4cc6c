"""The stored workspace as the engine sees it (storage rows to flows' Team)."""

from __future__ import annotations

from typing import cast

from flows.team.view import Mate, Role, Team, Written
from storage.base import Shared


def team_of(shared: Shared | None, user_id: int) -> Team | None:
    """The workspace of the person writing, or None when they have none (yet)."""
    if shared is None:
        return None
    role = shared.role_of(user_id)
    if role is None:
        return None
    return Team(
        workspace_id=shared.workspace_id,
        me=user_id,
        role=cast(Role, role),
        revision=shared.revision,
        name=shared.name,
        members=tuple(Mate(m.user_id, cast(Role, m.role), m.name, m.channels, m.notices) for m in shared.members),
        written={k: Written(w.author_id, w.at, w.revision, w.authors) for k, w in shared.written.items()},
        approvals=shared.approvals,
    )
