"""Follow-up reminders as stored: planned once per key, fired once into the outbox, deferred or skipped.

A reminder is ``scheduled`` until exactly one process fires it: the change to ``sent`` is a conditional update in
the same transaction as its broadcast (kind ``followup``) and that broadcast's one delivery, so it is sent once,
across restarts and with several processes. The plan (flows/practice/schedule.py) decides what is due; this module
only keeps the rows in step with it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import and_, exists, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import col

from storage.base import aware, stored_id
from storage.models import Answer, Conversation, Identity, Member, Reminder, User, table_of
from storage.outbox import FOLLOWUP, Outbox

IDLE = "idle"
"""The kind of the nudge after a stage was left alone; managed by ``nudge``, never cancelled by ``plan``."""

Planned = tuple[str, str, str, int, datetime]
"""A reminder the plan asks for: key, kind, subject, user id, due time (UTC)."""


class DueRow(NamedTuple):
    """A scheduled reminder whose time has come."""

    id: int
    workspace_id: int
    kind: str
    subject: str
    user_id: int
    due_at: datetime
    member: bool
    """Whether the person is still a member of the workspace."""


class Stale(NamedTuple):
    """A workspace nobody has written in since ``at``: the member who wrote last and where they were."""

    workspace_id: int
    user_id: int
    at: datetime
    position: dict[str, Any]


class Reminders(Outbox):
    """Mixed into the unit of work."""

    def plan(self, wid: int, dues: Sequence[Planned], now: datetime) -> bool:
        """Keep a workspace's reminders in step with its plan: insert those whose key is new (a key cancelled
        before is scheduled again), cancel scheduled ones the plan no longer asks for (not the idle nudge), leave
        sent and skipped ones alone. Writes nothing when nothing changed; True when something did."""
        stored = {
            key: (stored_id(rid), state)
            for rid, key, state in self.conn.execute(
                select(col(Reminder.id), col(Reminder.key), col(Reminder.state)).where(
                    col(Reminder.workspace_id) == wid, col(Reminder.kind) != IDLE
                )
            )
        }
        wanted = {due[0]: due for due in dues}
        new = [wanted[key] for key in wanted if key not in stored]
        again = [(stored[key][0], wanted[key]) for key in wanted if key in stored and stored[key][1] == "cancelled"]
        gone = [rid for key, (rid, state) in stored.items() if state == "scheduled" and key not in wanted]
        if new:
            self._insert_absent(wid, new, now)
        for rid, (_, _, _, _, due_at) in again:
            self.conn.execute(
                update(Reminder)
                .where(col(Reminder.id) == rid, col(Reminder.state) == "cancelled")
                .values(state="scheduled", due_at=due_at, reason=None, done_at=None)
            )
        if gone:
            self.conn.execute(
                update(Reminder)
                .where(col(Reminder.id).in_(gone), col(Reminder.state) == "scheduled")
                .values(state="cancelled", done_at=now)
            )
        return bool(new or again or gone)

    def nudge(self, wid: int, due: Planned, now: datetime, skipped: str | None = None) -> bool:
        """Schedule the idle nudge ``due`` unless one with its key exists (``skipped``: store it as skipped for this
        reason, so the idle stage is not looked at again); True when it is new."""
        return self._insert_absent(wid, [due], now, skipped) > 0

    def _insert_absent(self, wid: int, dues: Sequence[Planned], now: datetime, skipped: str | None = None) -> int:
        """Insert reminders whose key the workspace does not have yet (another process may insert it first)."""
        ins = postgresql.insert if self.dialect == "postgresql" else sqlite.insert
        rows = [
            {
                "workspace_id": wid,
                "key": key[:255],
                "kind": kind,
                "subject": subject[:64],
                "user_id": user_id,
                "due_at": due_at,
                "state": "skipped" if skipped else "scheduled",
                "reason": skipped,
                "created_at": now,
                "done_at": now if skipped else None,
            }
            for key, kind, subject, user_id, due_at in dues
        ]
        statement = ins(Reminder).on_conflict_do_nothing(index_elements=["workspace_id", "key"])
        done = self.conn.execute(statement, rows[0] if len(rows) == 1 else rows)
        return max(done.rowcount, 0)

    def due_reminders(self, now: datetime, limit: int = 500) -> list[DueRow]:
        """Scheduled reminders due by ``now``, oldest first; on PostgreSQL locked for this transaction, and those
        another process holds are left to it (SKIP LOCKED)."""
        member = exists().where(
            col(Member.workspace_id) == Reminder.workspace_id, col(Member.user_id) == Reminder.user_id
        )
        pick = (
            select(
                col(Reminder.id),
                col(Reminder.workspace_id),
                col(Reminder.kind),
                col(Reminder.subject),
                col(Reminder.user_id),
                col(Reminder.due_at),
                member.label("member"),
            )
            .where(col(Reminder.state) == "scheduled", col(Reminder.due_at) <= now)
            .order_by(col(Reminder.due_at), col(Reminder.id))
            .limit(limit)
        )
        if self.dialect == "postgresql":
            pick = pick.with_for_update(skip_locked=True, of=Reminder)
        return [DueRow(stored_id(i), w, k, s, u, aware(d), bool(m)) for i, w, k, s, u, d, m in self.conn.execute(pick)]

    def fire(self, reminder: DueRow, recipient: tuple[str, str, str], now: datetime) -> int | None:
        """Send ``reminder`` to ``recipient`` (channel, address, language): mark it sent and queue its broadcast
        with one delivery, in this transaction. None, and nothing queued, when it is no longer scheduled and due
        (another process fired, deferred or cancelled it first)."""
        taken = self.conn.execute(
            update(Reminder)
            .where(col(Reminder.id) == reminder.id, col(Reminder.state) == "scheduled", col(Reminder.due_at) <= now)
            .values(state="sent", done_at=now)
        ).rowcount
        if taken != 1:
            return None
        broadcast_id = self.add_broadcast(
            FOLLOWUP, now, f"workspace:{reminder.workspace_id}", body={"reminder": str(reminder.id)}
        )
        channel, address, language = recipient
        self.start_broadcast(broadcast_id, [(reminder.user_id, channel, address, language)])
        self.conn.execute(update(Reminder).where(col(Reminder.id) == reminder.id).values(broadcast_id=broadcast_id))
        return broadcast_id

    def defer(self, reminder_id: int, until: datetime) -> bool:
        """Move a scheduled reminder to ``until`` (quiet hours, a pause); False when it is no longer scheduled."""
        return bool(
            self.conn.execute(
                update(Reminder)
                .where(col(Reminder.id) == reminder_id, col(Reminder.state) == "scheduled")
                .values(due_at=until)
            ).rowcount
        )

    def skip(self, reminder_id: int, reason: str, now: datetime) -> bool:
        """Never send a scheduled reminder (``reason``: off, paused, unreachable, late, gone)."""
        return bool(
            self.conn.execute(
                update(Reminder)
                .where(col(Reminder.id) == reminder_id, col(Reminder.state) == "scheduled")
                .values(state="skipped", reason=reason[:64], done_at=now)
            ).rowcount
        )

    def reminder(self, reminder_id: int) -> Reminder | None:
        row = self.conn.execute(select(Reminder).where(col(Reminder.id) == reminder_id)).mappings().first()
        return Reminder(**row) if row else None

    def reminders_of(self, wid: int) -> list[Reminder]:
        """A workspace's reminders in every state, soonest first."""
        rows = self.conn.execute(
            select(Reminder).where(col(Reminder.workspace_id) == wid).order_by(col(Reminder.due_at), col(Reminder.id))
        ).mappings()
        return [Reminder(**row) for row in rows]

    # -- what deciding and rendering a reminder reads -----------------------------------------
    def answers_of(self, wid: int, steps: Iterable[str] | None = None) -> dict[str, Any]:
        """A workspace's stored answers (only ``steps``, where given)."""
        query = select(col(Answer.step_id), col(Answer.value)).where(col(Answer.workspace_id) == wid)
        if steps is not None:
            query = query.where(col(Answer.step_id).in_(list(steps)))
        return {step: value for step, value in self.conn.execute(query)}

    def addresses(self, user_ids: Iterable[int], channels: Iterable[str]) -> dict[int, tuple[str, str, str]]:
        """Where each person can be reached on one of ``channels``: (channel, address, language) of the identity
        they linked last that the platform has not refused; people without one are left out."""
        ids, on = sorted(set(user_ids)), [c for c in channels if c != "console"]
        if not ids or not on:
            return {}
        rows = self.conn.execute(
            select(
                col(Identity.user_id),
                col(Identity.channel),
                func.coalesce(Identity.address, Identity.ref),
                col(User.language),
            )
            .join(User, col(User.id) == col(Identity.user_id))
            .where(col(Identity.user_id).in_(ids), col(Identity.channel).in_(on), col(Identity.active).is_(True))
            .order_by(col(Identity.user_id), col(Identity.created_at).desc(), col(Identity.id).desc())
        ).all()
        found: dict[int, tuple[str, str, str]] = {}
        for user_id, channel, address, language in rows:
            found.setdefault(user_id, (channel, address, language))
        return found

    def stale(self, before: datetime, limit: int = 500) -> list[Stale]:
        """Workspaces whose members last wrote before ``before`` and that had no idle nudge since: the member who
        wrote last, when, and their position (its stage is the one left alone)."""
        conversation, member = table_of(Conversation).alias("c2"), table_of(Member).alias("m2")
        latest = (
            select(func.max(conversation.c.updated_at))
            .join(
                member,
                and_(
                    member.c.user_id == conversation.c.user_id,
                    member.c.workspace_id == conversation.c.workspace_id,
                ),
            )
            .where(conversation.c.workspace_id == Conversation.workspace_id)
            .scalar_subquery()
        )
        nudged = exists().where(
            col(Reminder.workspace_id) == Conversation.workspace_id,
            col(Reminder.kind) == IDLE,
            col(Reminder.due_at) > Conversation.updated_at,
        )
        rows = self.conn.execute(
            select(
                col(Conversation.workspace_id),
                col(Conversation.user_id),
                col(Conversation.updated_at),
                col(Conversation.position),
            )
            .join(
                Member,
                and_(
                    col(Member.user_id) == Conversation.user_id,
                    col(Member.workspace_id) == Conversation.workspace_id,
                ),
            )
            .where(col(Conversation.updated_at) < before, col(Conversation.updated_at) == latest, ~nudged)
            .order_by(col(Conversation.workspace_id))
            .limit(limit)
        ).all()
        found: dict[int, Stale] = {}
        for wid, user_id, at, position in rows:
            found.setdefault(stored_id(wid), Stale(stored_id(wid), user_id, aware(at), dict(position or {})))
        return list(found.values())
