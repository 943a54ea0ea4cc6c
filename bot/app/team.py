"""The stored workspace as the engine sees it (storage rows to flows' Team)."""

from __future__ import annotations

from datetime import datetime
from typing import cast

from flows.content.content import Content
from flows.conversation.actions import Approve, SetNotices, TellTeam
from flows.team.telling import team_notice
from flows.team.view import Mate, Role, Team, Written
from storage.base import Shared
from storage.store import Unit

TEAM = "team"
"""The broadcast kind of team notices (a stage completed or approved)."""


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


TeamAction = TellTeam | Approve | SetNotices


def act(unit: Unit, content: Content, actor: str, user_id: int, action: TeamAction, now: datetime) -> None:
    """Carry out a team action of the person ``user_id`` (``actor``: their ``channel:ref``, for the audit log)."""
    if isinstance(action, TellTeam):
        tell_team(unit, content, user_id, action, now)
    elif isinstance(action, Approve):
        approve(unit, actor, user_id, action)
    else:
        unit.set_notices(action.workspace_id, user_id, action.on)


def tell_team(unit: Unit, content: Content, user_id: int, action: TellTeam, now: datetime) -> int | None:
    """Queue one notice to the workspace's other members who want them (in the paced outbox); its broadcast id."""
    wid = action.workspace_id
    me = unit.member(wid, user_id)
    if me is None:
        return None
    name = unit.workspace_name(wid)
    for binder, channel, room, lang in unit.rooms(wid):  # a group room: one broadcast each (one delivery per user)
        said = team_notice(content, action.kind, action.stage_id, me[1], name, action.agreed_on, personal=False)
        room_id = unit.add_broadcast(TEAM, now, f"workspace:{wid}", body=said)
        unit.start_broadcast(room_id, [(binder, channel, room, lang)])
    recipients = unit.to_tell(wid, user_id)
    if not recipients:
        return None
    body = team_notice(content, action.kind, action.stage_id, me[1], name, action.agreed_on)
    broadcast_id = unit.add_broadcast(TEAM, now, f"workspace:{wid}", body=body)
    unit.start_broadcast(broadcast_id, recipients)
    return broadcast_id


def approve(unit: Unit, actor: str, user_id: int, action: Approve) -> bool:
    """Store the steering group's approval when the actor coordinates the workspace; audit it."""
    me = unit.member(action.workspace_id, user_id)
    if me is None or me[0] != "coordinator":
        return False
    unit.approve(action.workspace_id, action.stage_id, action.agreed_on, user_id, action.answers)
    unit.log_admin(
        actor, "approve", f"workspace:{action.workspace_id}", {"stage": action.stage_id, "agreed_on": action.agreed_on}
    )
    return True
