"""Workspaces: a municipality's strategy and its team (members, roles, codes, approvals, rooms)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlmodel import col

from storage.base import UnitBase, aware, stored_id
from storage.models import (
    Answer,
    Approval,
    Code,
    CodeAttempt,
    Conversation,
    Identity,
    Member,
    Room,
    User,
    Workspace,
    utcnow,
)

COORDINATOR = "coordinator"


class Workspaces(UnitBase):
    """Mixed into the unit of work: a workspace's team."""

    def touch(self, wid: int) -> None:
        """Raise a workspace's revision: its members, approvals or answers changed (caches see it)."""
        self.conn.execute(update(Workspace).where(col(Workspace.id) == wid).values(revision=Workspace.revision + 1))
        self.cache.drop(wid)

    def memberships(self, user_id: int) -> list[tuple[int, str | None, str]]:
        """The workspaces a person belongs to: id, name and their role there."""
        rows = self.conn.execute(
            select(col(Workspace.id), col(Workspace.name), col(Member.role))
            .join(Member, col(Member.workspace_id) == col(Workspace.id))
            .where(col(Member.user_id) == user_id)
            .order_by(col(Member.joined_at))
        ).all()
        return [(stored_id(wid), name, role) for wid, name, role in rows]

    def leave_all(self, user_id: int) -> list[tuple[int, str | None, bool]]:
        """A person leaves every workspace (they erased their data). What they wrote for the municipality stays,
        by a former member; a workspace nobody else is in goes with them, and one left without a coordinator
        gets its longest-standing member as coordinator. Returns each workspace left: id, name, and whether it
        went with them."""
        left = []
        for wid, name, role in self.memberships(user_id):
            others = self.conn.execute(
                select(col(Member.user_id), col(Member.role))
                .where(col(Member.workspace_id) == wid, col(Member.user_id) != user_id)
                .order_by(col(Member.joined_at), col(Member.user_id))
            ).all()
            left.append((wid, name, not others))
            if not others:
                self.conn.execute(delete(Workspace).where(col(Workspace.id) == wid))
                self.cache.drop(wid)
                continue
            if role == COORDINATOR and all(r != COORDINATOR for _, r in others):
                self.conn.execute(
                    update(Member)
                    .where(col(Member.workspace_id) == wid, col(Member.user_id) == others[0][0])
                    .values(role=COORDINATOR)
                )
            self.reassign_author(wid, user_id, None)  # what they wrote stays, by a former member
            self.conn.execute(delete(Member).where(col(Member.workspace_id) == wid, col(Member.user_id) == user_id))
            self.touch(wid)
        return left

    def reassign_author(self, wid: int, old: int, into: int | None) -> None:
        """What ``old`` wrote in a workspace counts as ``into``'s (None: a former member's)."""
        self.conn.execute(
            update(Answer).where(col(Answer.workspace_id) == wid, col(Answer.author_id) == old).values(author_id=into)
        )
        rows = self.conn.execute(
            select(col(Answer.step_id), col(Answer.authors)).where(
                col(Answer.workspace_id) == wid, col(Answer.authors).is_not(None)
            )
        ).all()
        for step_id, authors in rows:
            if authors and old in authors:
                moved: list[Any] = [into if a == old else a for a in authors]
                self.conn.execute(
                    update(Answer)
                    .where(col(Answer.workspace_id) == wid, col(Answer.step_id) == step_id)
                    .values(authors=moved, updated_at=Answer.updated_at)
                )

    def code_taken(self, code: str) -> bool:
        return self.conn.execute(select(col(Code.code)).where(col(Code.code) == code)).first() is not None

    def create_code(
        self, code: str, kind: str, user_id: int, wid: int | None, role: str | None, expires_at: datetime
    ) -> None:
        self.conn.execute(
            insert(Code).values(
                code=code,
                kind=kind,
                user_id=user_id,
                workspace_id=wid,
                role=role,
                created_at=utcnow(),
                expires_at=expires_at,
            )
        )

    def code(self, code: str, kind: str) -> Code | None:
        """A stored code of ``kind`` (its row, used or not)."""
        row = self.conn.execute(select(Code).where(col(Code.code) == code, col(Code.kind) == kind)).first()
        if row is None:
            return None
        found = Code.model_validate(row._mapping)
        found.expires_at = aware(found.expires_at)
        return found

    def use_code(self, code: str, user_id: int) -> bool:
        """Mark a code used by ``user_id``; False when someone used it first."""
        done = self.conn.execute(
            update(Code)
            .where(col(Code.code) == code, col(Code.used_at).is_(None))
            .values(used_at=utcnow(), used_by=user_id)
        )
        return done.rowcount == 1

    def failed_codes(self, user_id: int, since: datetime) -> list[datetime]:
        """When ``user_id`` entered a wrong code since ``since``."""
        rows = self.conn.execute(
            select(col(CodeAttempt.at)).where(col(CodeAttempt.user_id) == user_id, col(CodeAttempt.at) > since)
        ).scalars()
        return [aware(at) for at in rows]

    def code_failed(self, user_id: int, at: datetime) -> None:
        self.conn.execute(insert(CodeAttempt).values(user_id=user_id, at=at))

    def members(self, wid: int) -> list[tuple[int, str, str | None]]:
        """A workspace's members as stored now (user id, role, name), longest-standing first."""
        rows = self.conn.execute(
            select(col(Member.user_id), col(Member.role), col(Member.name))
            .where(col(Member.workspace_id) == wid)
            .order_by(col(Member.joined_at), col(Member.user_id))
        ).all()
        return [(u, r, n) for u, r, n in rows]

    def workspace_name(self, wid: int) -> str | None:
        return self.conn.execute(select(col(Workspace.name)).where(col(Workspace.id) == wid)).scalar()

    def set_role(self, wid: int, user_id: int, role: str) -> bool:
        done = self.conn.execute(
            update(Member).where(col(Member.workspace_id) == wid, col(Member.user_id) == user_id).values(role=role)
        )
        self.touch(wid)
        return done.rowcount == 1

    def remove_member(self, wid: int, user_id: int) -> bool:
        """Take a person out of a workspace. What they wrote stays; their conversation still names the workspace,
        so their next message learns that they were removed (and they start afresh)."""
        done = self.conn.execute(delete(Member).where(col(Member.workspace_id) == wid, col(Member.user_id) == user_id))
        self.touch(wid)
        return done.rowcount == 1

    def rename_member(self, wid: int, user_id: int, name: str) -> None:
        """Keep the name their messenger gives them (only called when it changed)."""
        self.conn.execute(
            update(Member).where(col(Member.workspace_id) == wid, col(Member.user_id) == user_id).values(name=name)
        )
        self.touch(wid)

    def restart(self, user_id: int, position: dict[str, Any]) -> None:
        """Put a person's conversation at a fresh position (after joining a team: its answers are new to them)."""
        self.conn.execute(
            update(Conversation)
            .where(col(Conversation.user_id) == user_id)
            .values(position=position, revision=Conversation.revision + 1)
        )

    def join(self, user_id: int, wid: int, role: str, name: str | None = None, leave_own: bool = False) -> None:
        """Make a person a member of a workspace in ``role`` and move their conversation there.

        The workspace they worked in before goes if nobody else is in it and nothing was answered there
        (or, with ``leave_own``, the caller knows that nothing worth keeping was); else they stay its
        member (``memberships`` lists it)."""
        now = utcnow()
        before = self.conn.execute(
            select(col(Conversation.workspace_id)).where(col(Conversation.user_id) == user_id)
        ).scalar()
        existing = self.conn.execute(
            select(col(Member.role)).where(col(Member.workspace_id) == wid, col(Member.user_id) == user_id)
        ).scalar()
        if existing is None:
            self.conn.execute(
                insert(Member).values(
                    workspace_id=wid, user_id=user_id, role=role, name=name and name[:64], notices=True, joined_at=now
                )
            )
        self.conn.execute(update(Conversation).where(col(Conversation.user_id) == user_id).values(workspace_id=wid))
        self.touch(wid)
        if before is not None and before != wid:
            self._drop_if_unused(before, user_id, leave_own)

    def _drop_if_unused(self, wid: int, user_id: int, leave_own: bool) -> None:
        others = self.conn.execute(
            select(col(Member.user_id)).where(col(Member.workspace_id) == wid, col(Member.user_id) != user_id)
        ).first()
        answered = self.conn.execute(select(col(Answer.step_id)).where(col(Answer.workspace_id) == wid)).first()
        if others is None and (answered is None or leave_own):
            self.conn.execute(delete(Workspace).where(col(Workspace.id) == wid))
            self.cache.drop(wid)

    # -- notices and approvals ---------------------------------------------------------------
    def member(self, wid: int, user_id: int) -> tuple[str, str | None] | None:
        """A member's role and name in a workspace, or None."""
        row = self.conn.execute(
            select(col(Member.role), col(Member.name)).where(
                col(Member.workspace_id) == wid, col(Member.user_id) == user_id
            )
        ).first()
        return (row[0], row[1]) if row else None

    def set_notices(self, wid: int, user_id: int, on: bool) -> bool:
        """Turn a member's team notices on or off; False when they are no member."""
        changed = self.conn.execute(
            update(Member).where(col(Member.workspace_id) == wid, col(Member.user_id) == user_id).values(notices=on)
        ).rowcount
        if changed:
            self.touch(wid)
        return bool(changed)

    def to_tell(self, wid: int, leaving_out: int) -> list[tuple[int, str, str, str]]:
        """(user id, channel, address, language) of the other members with notices on (see ``reachable``)."""
        return self.reachable(wid, col(Member.user_id) != leaving_out, col(Member.notices).is_(True))

    def reachable(self, wid: int, *where: Any) -> list[tuple[int, str, str, str]]:
        """(user id, channel, address, language) of the workspace's members that match ``where``, each on the
        messenger they linked last that can still be reached (a terminal cannot)."""
        rows = self.conn.execute(
            select(
                col(Member.user_id),
                col(Identity.channel),
                func.coalesce(Identity.address, Identity.ref),
                col(User.language),
            )
            .join(Identity, col(Identity.user_id) == col(Member.user_id))
            .join(User, col(User.id) == col(Member.user_id))
            .where(
                col(Member.workspace_id) == wid,
                col(Identity.active).is_(True),
                col(Identity.channel) != "console",
                *where,
            )
            .order_by(col(Member.user_id), col(Identity.created_at).desc(), col(Identity.id).desc())
        ).all()
        chosen: dict[int, tuple[int, str, str, str]] = {}
        for user_id, channel, address, language in rows:
            chosen.setdefault(user_id, (user_id, channel, address, language))
        return list(chosen.values())

    def approve(self, wid: int, stage_id: str, agreed_on: str, by: int, answers: dict[str, Any]) -> None:
        """Record that the steering group agreed a stage on a date, with its answers then (replacing an earlier one)."""
        self.conn.execute(delete(Approval).where(col(Approval.workspace_id) == wid, col(Approval.stage_id) == stage_id))
        self.conn.execute(
            insert(Approval).values(
                workspace_id=wid, stage_id=stage_id, agreed_on=agreed_on, by=by, at=utcnow(), answers=answers
            )
        )
        self.touch(wid)

    # -- group rooms ------------------------------------------------------------------------------
    def working_on(self, channel: str, ref: str) -> tuple[int, str, int | None] | None:
        """The person behind an identity: user id, language and the workspace they work on now (None: unknown)."""
        row = self.conn.execute(
            select(col(User.id), col(User.language), col(Conversation.workspace_id))
            .join(Identity, col(Identity.user_id) == col(User.id))
            .outerjoin(Conversation, col(Conversation.user_id) == col(User.id))
            .where(col(Identity.channel) == channel, col(Identity.ref) == ref)
        ).first()
        return (stored_id(row[0]), row[1], row[2]) if row else None

    def bind_room(self, channel: str, ref: str, wid: int, by: int) -> None:
        """A group chat or room gets the workspace's notices from now on (one workspace per room)."""
        self.conn.execute(delete(Room).where(col(Room.channel) == channel, col(Room.ref) == ref))
        self.conn.execute(insert(Room).values(channel=channel, ref=ref, workspace_id=wid, bound_by=by, at=utcnow()))

    def rooms(self, wid: int) -> list[tuple[int, str, str, str]]:
        """(binder's user id, channel, room, binder's language) of the rooms bound to a workspace."""
        rows = self.conn.execute(
            select(col(Room.bound_by), col(Room.channel), col(Room.ref), col(User.language))
            .join(User, col(User.id) == col(Room.bound_by))
            .where(col(Room.workspace_id) == wid)
            .order_by(col(Room.at))
        ).all()
        return [(stored_id(u), channel, ref, lang) for u, channel, ref, lang in rows]
