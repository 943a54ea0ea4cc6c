"""One person on several messengers (link codes, merging two users) and deleting a whole workspace."""

from __future__ import annotations

from sqlalchemy import delete, select, update
from sqlmodel import col

from storage.models import (
    Answer,
    Approval,
    AuditEntry,
    Code,
    CodeAttempt,
    ConsentRecord,
    Conversation,
    Identity,
    Member,
    Municipality,
    Room,
    Rsvp,
    Subscription,
    Template,
    User,
    Workspace,
)
from storage.workspaces import COORDINATOR, Workspaces


class Linking(Workspaces):
    """Mixed into the unit of work: merging two people into one (by a link code), deleting workspaces."""

    def merge_person(self, old: int, into: int) -> None:
        """Make ``old`` (the user behind the messenger that entered a link code) part of ``into``, then delete it.

        Their identities, consent records, change log and attendances move; their subscription and municipality
        profile only where ``into`` has none. Their memberships move where ``into`` is not a member; their
        own workspace goes if nobody else is in it and nothing was answered there. ``into`` keeps its
        conversation."""
        for table in (Identity, ConsentRecord, AuditEntry, CodeAttempt, Code):
            self.conn.execute(update(table).where(col(table.user_id) == old).values(user_id=into))
        self.conn.execute(update(Code).where(col(Code.used_by) == old).values(used_by=into))
        self.conn.execute(update(Approval).where(col(Approval.by) == old).values(by=into))
        self.conn.execute(update(Room).where(col(Room.bound_by) == old).values(bound_by=into))
        for kept in (Subscription, Municipality):
            if self.conn.execute(select(col(kept.user_id)).where(col(kept.user_id) == into)).first() is None:
                self.conn.execute(update(kept).where(col(kept.user_id) == old).values(user_id=into))
            else:  # theirs stays; the consent records of both moved above
                self.conn.execute(delete(kept).where(col(kept.user_id) == old))
        taken = select(col(Rsvp.event_id)).where(col(Rsvp.user_id) == into)
        self.conn.execute(
            update(Rsvp).where(col(Rsvp.user_id) == old, col(Rsvp.event_id).not_in(taken)).values(user_id=into)
        )
        for wid, _name, role in self.memberships(old):
            self._merge_membership(wid, role, old, into)
        self.conn.execute(delete(Conversation).where(col(Conversation.user_id) == old))
        self.conn.execute(delete(User).where(col(User.id) == old))

    def _merge_membership(self, wid: int, role: str, old: int, into: int) -> None:
        others = self.conn.execute(
            select(col(Member.user_id), col(Member.role)).where(
                col(Member.workspace_id) == wid, col(Member.user_id) != old
            )
        ).all()
        answered = self.conn.execute(select(col(Answer.step_id)).where(col(Answer.workspace_id) == wid)).first()
        if not others and answered is None:
            self.conn.execute(delete(Workspace).where(col(Workspace.id) == wid))
            self.cache.drop(wid)
            return
        self.reassign_author(wid, old, into)
        mine = (col(Member.workspace_id) == wid, col(Member.user_id) == old)
        theirs = next((r for u, r in others if u == into), None)
        if theirs is None:
            self.conn.execute(update(Member).where(*mine).values(user_id=into))
        else:
            self.conn.execute(delete(Member).where(*mine))
            if role == COORDINATOR and all(r != COORDINATOR for u, r in others):
                self.conn.execute(
                    update(Member)
                    .where(col(Member.workspace_id) == wid, col(Member.user_id) == into)
                    .values(role=COORDINATOR)
                )
        self.touch(wid)

    def delete_workspace(self, wid: int, by: int) -> str | None:
        """Delete a workspace with its answers, change log, approvals, codes, rooms and memberships.

        The other members' conversations keep only the note that it was deleted (``Saved.deleted``), so their
        next message starts afresh and says so. Returns the workspace's name."""
        name = self.conn.execute(select(col(Workspace.name)).where(col(Workspace.id) == wid)).scalar()
        members = select(col(Member.user_id)).where(col(Member.workspace_id) == wid)
        self.conn.execute(
            update(Conversation)
            .where(col(Conversation.workspace_id) == wid, col(Conversation.user_id) != by)
            .values(position={"deleted": name or ""}, workspace_id=None, revision=Conversation.revision + 1)
        )
        self.conn.execute(
            update(Conversation)
            .where(col(Conversation.workspace_id) == wid)
            .values(position={}, workspace_id=None, revision=Conversation.revision + 1)
        )
        self.conn.execute(delete(Municipality).where(col(Municipality.user_id).in_(members)))
        for table in (AuditEntry, Answer, Approval, Code, Room, Template, Member):
            self.conn.execute(delete(table).where(col(table.workspace_id) == wid))
        self.conn.execute(delete(Workspace).where(col(Workspace.id) == wid))
        self.cache.drop(wid)
        return name
