"""Broadcasts and the durable outbox of deliveries, claimed by sender processes."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, case, delete, exists, func, insert, select, text, update
from sqlmodel import col

from storage.base import UnitBase, stored_id
from storage.models import Broadcast, Courier, Delivery, Identity, ProcessedMessage, Rsvp, Subscription, utcnow

OPEN = ("queued", "claimed", "sending")
FOLLOWUP = "followup"
"""The broadcast kind of a fired follow-up reminder (storage/reminders.py): one delivery, to the person it is for."""
EXCHANGE = "exchange"
"""The broadcast kind of introduction messages (bot/app/introductions.py): a request to the asked workspace's
coordinators, the contact after acceptance to the person who asked."""
NOT_SUBSCRIBED = ("reminder", "team", FOLLOWUP, EXCHANGE)
"""Kinds sent to people who did not subscribe: reminders to attendees, team notices to members who want them,
follow-ups to the people a plan names, introductions to the municipalities of the exchange."""
IN_FLIGHT_AT_CRASH = "in_flight_at_crash"
"""The reason of a delivery that was in flight when its sender died: it may have arrived."""


@dataclass(frozen=True)
class Parcel:
    """One claimed delivery: what a sender needs to send it."""

    id: int
    broadcast_id: int
    user_id: int
    channel: str
    address: str
    language: str


class Outbox(UnitBase):
    """Mixed into the unit of work."""

    # -- broadcasts ----------------------------------------------------------------
    def add_broadcast(
        self,
        kind: str,
        due_at: datetime,
        created_by: str,
        *,
        title: dict[str, str] | None = None,
        body: dict[str, str] | None = None,
        topics: list[str] | None = None,
        languages: list[str] | None = None,
        lands: list[str] | None = None,
        sizes: list[str] | None = None,
        event_id: int | None = None,
    ) -> int:
        result = self.conn.execute(
            insert(Broadcast)
            .values(
                kind=kind,
                event_id=event_id,
                title=title or {},
                body=body or {},
                topics=topics or [],
                languages=languages or [],
                lands=lands or [],
                sizes=sizes or [],
                status="scheduled",
                due_at=due_at,
                created_by=created_by,
                created_at=utcnow(),
            )
            .returning(col(Broadcast.id))
        )
        return stored_id(result.scalar_one())

    def broadcast(self, broadcast_id: int) -> Broadcast | None:
        row = self.conn.execute(select(Broadcast).where(col(Broadcast.id) == broadcast_id)).mappings().first()
        return Broadcast(**row) if row else None

    def broadcasts(self, limit: int = 10) -> list[Broadcast]:
        return [
            Broadcast(**row)
            for row in self.conn.execute(select(Broadcast).order_by(col(Broadcast.id).desc()).limit(limit)).mappings()
        ]

    def due(self, now: datetime) -> list[int]:
        return [
            stored_id(i)
            for i in self.conn.execute(
                select(col(Broadcast.id))
                .where(col(Broadcast.status) == "scheduled", col(Broadcast.due_at) <= now)
                .order_by(col(Broadcast.due_at))
            ).scalars()
        ]

    def start_broadcast(self, broadcast_id: int, recipients: list[tuple[int, str, str, str]]) -> bool:
        """Queue one delivery per recipient, once: False when another process started it first."""
        now = utcnow()
        started = self.conn.execute(
            update(Broadcast)
            .where(col(Broadcast.id) == broadcast_id, col(Broadcast.status) == "scheduled")
            .values(status="sending", started_at=now)
        ).rowcount
        if not started:
            return False
        rows = [
            {
                "broadcast_id": broadcast_id,
                "user_id": u,
                "channel": c,
                "address": a,
                "language": lang,
                "state": "queued",
            }
            for u, c, a, lang in recipients
        ]
        for i in range(0, len(rows), 1000):
            self.conn.execute(insert(Delivery), rows[i : i + 1000])
        return True

    def cancel_broadcast(self, broadcast_id: int) -> bool:
        """Stop it: nothing more is sent; False when it was already over."""
        cancelled = self.conn.execute(
            update(Broadcast)
            .where(col(Broadcast.id) == broadcast_id, col(Broadcast.status).in_(("scheduled", "sending")))
            .values(status="cancelled", finished_at=utcnow())
        ).rowcount
        if cancelled:
            self.conn.execute(
                update(Delivery)
                .where(col(Delivery.broadcast_id) == broadcast_id, col(Delivery.state).in_(("queued", "claimed")))
                .values(**_not_sent("cancelled"))
            )
        return bool(cancelled)

    def set_progress(self, broadcast_id: int, progress: dict[str, Any]) -> None:
        self.conn.execute(update(Broadcast).where(col(Broadcast.id) == broadcast_id).values(progress=progress))

    def counts(self, broadcast_id: int) -> Counter[str]:
        """Deliveries by state; skipped ones also as ``skipped:<reason>``."""
        counts: Counter[str] = Counter()
        for state, reason, n in self.conn.execute(
            select(col(Delivery.state), col(Delivery.reason), func.count())
            .where(col(Delivery.broadcast_id) == broadcast_id)
            .group_by(col(Delivery.state), col(Delivery.reason))
        ):
            counts[state] += n
            if reason:
                counts[f"{state}:{reason}"] += n
        return counts

    def outbox_rows(self) -> dict[tuple[str, str], int]:
        """All deliveries by (channel, state): what the outbox holds."""
        return {
            (channel, state): n
            for channel, state, n in self.conn.execute(
                select(col(Delivery.channel), col(Delivery.state), func.count()).group_by(
                    col(Delivery.channel), col(Delivery.state)
                )
            )
        }

    def finish_broadcasts(self) -> list[int]:
        """Mark broadcasts with nothing left to send as done; return their ids."""
        left = exists().where(col(Delivery.broadcast_id) == Broadcast.id, col(Delivery.state).in_(OPEN))
        ids = [
            stored_id(i)
            for i in self.conn.execute(
                select(col(Broadcast.id)).where(col(Broadcast.status) == "sending", ~left)
            ).scalars()
        ]
        if ids:
            self.conn.execute(
                update(Broadcast).where(col(Broadcast.id).in_(ids)).values(status="done", finished_at=utcnow())
            )
        return ids

    def sending(self) -> list[Broadcast]:
        return [
            Broadcast(**row)
            for row in self.conn.execute(select(Broadcast).where(col(Broadcast.status) == "sending")).mappings()
        ]

    # -- the outbox -------------------------------------------------------------------
    def claim(self, channel: str, worker: str, limit: int) -> list[Parcel]:
        """Take up to ``limit`` queued deliveries for this sender (SKIP LOCKED on PostgreSQL)."""
        pick = (
            select(col(Delivery.id))
            .where(col(Delivery.channel) == channel, col(Delivery.state) == "queued")
            .order_by(col(Delivery.id))
            .limit(limit)
        )
        if self.dialect == "postgresql":
            pick = pick.with_for_update(skip_locked=True)
        ids = list(self.conn.execute(pick).scalars())
        if not ids:
            return []
        rows = self.conn.execute(
            update(Delivery)
            .where(col(Delivery.id).in_(ids))
            .values(state="claimed", worker=worker, claimed_at=utcnow())
            .returning(
                col(Delivery.id),
                col(Delivery.broadcast_id),
                col(Delivery.user_id),
                col(Delivery.channel),
                col(Delivery.address),
                col(Delivery.language),
            )
        ).all()
        parcels = (
            Parcel(stored_id(i), broadcast_id, user_id, channel, address, language)
            for i, broadcast_id, user_id, channel, address, language in rows
        )
        return sorted(parcels, key=lambda p: p.id)

    def begin_sending(self, ids: list[int], worker: str) -> dict[int, str | None]:
        """Mark deliveries as in flight, right before their requests; say which must be skipped instead.

        Returns ``{id: None}`` for those to send and ``{id: reason}`` for those skipped now: the
        broadcast was cancelled, the person unsubscribed (or, for a reminder, no longer attends),
        or the platform said they cannot be reached. One queued again after a crash ends
        ``unknown`` instead of skipped: its first request may have arrived.
        """
        rows = self.conn.execute(
            select(
                col(Delivery.id),
                col(Delivery.state),
                col(Broadcast.status),
                col(Broadcast.kind),
                exists()
                .where(col(Subscription.user_id) == Delivery.user_id, col(Subscription.confirmed_at).is_not(None))
                .label("subscribed"),
                exists()
                .where(col(Rsvp.user_id) == Delivery.user_id, col(Rsvp.event_id) == Broadcast.event_id)
                .label("attends"),
                exists()
                .where(
                    col(Identity.user_id) == Delivery.user_id,
                    col(Identity.channel) == Delivery.channel,
                    func.coalesce(Identity.address, Identity.ref) == Delivery.address,
                    col(Identity.active).is_(False),
                )
                .label("unreachable"),
            )
            .join(Broadcast, col(Broadcast.id) == Delivery.broadcast_id)
            .where(col(Delivery.id).in_(ids), col(Delivery.worker) == worker)
        ).all()
        verdict: dict[int, str | None] = {}
        for delivery_id, state, status, kind, subscribed, attends, unreachable in rows:
            if state != "claimed":
                continue
            reason = (
                "cancelled"
                if status == "cancelled"
                else ("not_attending" if kind == "reminder" and not attends else None)
                or ("unsubscribed" if kind not in NOT_SUBSCRIBED and not subscribed else None)
                or ("unreachable" if unreachable else None)
            )
            verdict[stored_id(delivery_id)] = reason
        now = utcnow()
        go = [i for i, r in verdict.items() if r is None]
        if go:
            self.conn.execute(update(Delivery).where(col(Delivery.id).in_(go)).values(state="sending", claimed_at=now))
        for reason in {r for r in verdict.values() if r}:
            skipped = [i for i, r in verdict.items() if r == reason]
            self.conn.execute(update(Delivery).where(col(Delivery.id).in_(skipped)).values(**_not_sent(reason)))
        return verdict

    def settle(self, results: list[tuple[int, str, str | None]]) -> None:
        """Record outcomes: (id, state, reason) with state sent, failed, skipped or unknown."""
        now = utcnow()
        groups: dict[tuple[str, str | None], list[int]] = {}
        for delivery_id, state, reason in results:
            groups.setdefault((state, reason), []).append(delivery_id)
        for (state, reason), ids in groups.items():
            self.conn.execute(
                update(Delivery)
                .where(col(Delivery.id).in_(ids), col(Delivery.state) == "sending")
                .values(state=state, reason=reason, done_at=now)
            )

    def release(self, worker: str) -> int:
        """A sender stopping cleanly gives back what it claimed but did not start."""
        return self.conn.execute(
            update(Delivery)
            .where(col(Delivery.worker) == worker, col(Delivery.state) == "claimed")
            .values(state="queued", worker=None, claimed_at=None)
        ).rowcount

    # -- senders alive -------------------------------------------------------------------
    def heartbeat(self, worker: str) -> None:
        now = utcnow()
        if not self.conn.execute(update(Courier).where(col(Courier.id) == worker).values(seen_at=now)).rowcount:
            self.conn.execute(insert(Courier).values(id=worker, started_at=now, seen_at=now))

    def recover(
        self,
        stale_after: timedelta,
        resendable: frozenset[str] = frozenset(),
        resend_within: timedelta = timedelta(minutes=30),
    ) -> Counter[str]:
        """Deal with deliveries held by senders that stopped beating (they crashed).

        Claimed-but-not-started rows go back to the queue. Rows in flight become ``unknown``: the
        request may have reached the platform. On channels in ``resendable`` (the homeserver
        deduplicates by transaction id) recent in-flight rows are queued again instead.
        """
        now = utcnow()
        alive = select(col(Courier.id)).where(col(Courier.seen_at) >= now - stale_after)
        orphan = and_(col(Delivery.worker).is_not(None), col(Delivery.worker).not_in(alive))
        done: Counter[str] = Counter()
        done["requeued"] += self.conn.execute(
            update(Delivery)
            .where(col(Delivery.state) == "claimed", orphan)
            .values(state="queued", worker=None, claimed_at=None)
        ).rowcount
        if resendable:
            done["resent"] += self.conn.execute(
                update(Delivery)
                .where(
                    col(Delivery.state) == "sending",
                    orphan,
                    col(Delivery.channel).in_(resendable),
                    col(Delivery.claimed_at) >= now - resend_within,
                )
                .values(state="queued", worker=None, reason=IN_FLIGHT_AT_CRASH)
            ).rowcount
        done["unknown"] += self.conn.execute(
            update(Delivery)
            .where(col(Delivery.state) == "sending", orphan)
            .values(state="unknown", reason=IN_FLIGHT_AT_CRASH, done_at=now)
        ).rowcount
        self.conn.execute(delete(Courier).where(col(Courier.seen_at) < now - stale_after * 10))
        return done

    def prune_processed(self, before: datetime) -> int:
        """Forget inbound message ids older than any redelivery (platforms retry for a day at most)."""
        return self.conn.execute(delete(ProcessedMessage).where(col(ProcessedMessage.at) < before)).rowcount

    # -- a send budget shared by processes --------------------------------------------------
    def reserve(self, key: str, slots: int, interval: float, now: float) -> float:
        """Take ``slots`` consecutive send slots, none before ``now``; return when the first is due.

        With ``slots=0`` and a future ``now`` it only holds the budget until then (after a flood wait).
        """
        span = slots * interval
        upsert = text(
            "INSERT INTO pace (key, tat) VALUES (:key, :tat) ON CONFLICT (key) DO UPDATE SET "
            "tat = {greatest}(pace.tat, :now) + :span RETURNING tat".format(
                greatest="GREATEST" if self.dialect == "postgresql" else "MAX"
            )
        )
        tat = float(self.conn.execute(upsert, {"key": key, "tat": now + span, "now": now, "span": span}).scalar_one())
        return tat - span


def _not_sent(reason: str) -> dict[str, Any]:
    """A delivery that will not be sent: skipped for ``reason``, or ``unknown`` if it was in flight at a crash."""
    crashed = col(Delivery.reason) == IN_FLIGHT_AT_CRASH  # queued again after the crash: its request may have arrived
    return {
        "state": case((crashed, "unknown"), else_="skipped"),
        "reason": case((crashed, IN_FLIGHT_AT_CRASH), else_=reason),
        "done_at": utcnow(),
    }
