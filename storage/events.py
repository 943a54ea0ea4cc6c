"""Events and who attends them (RSVPs)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlmodel import col

from storage.base import UnitBase, stored_id
from storage.models import Event, Identity, Rsvp, Subscription, User, utcnow


class Events(UnitBase):
    """Mixed into the unit of work."""

    def add_event(self, values: dict[str, Any], created_by: str) -> int:
        result = self.conn.execute(
            insert(Event)
            .values(created_by=created_by, created_at=utcnow(), status="draft", **values)
            .returning(col(Event.id))
        )
        return stored_id(result.scalar_one())

    def event(self, event_id: int) -> Event | None:
        row = self.conn.execute(select(Event).where(col(Event.id) == event_id)).mappings().first()
        return Event(**row) if row else None

    def publish_event(self, event_id: int) -> None:
        self.conn.execute(
            update(Event).where(col(Event.id) == event_id).values(status="published", published_at=utcnow())
        )

    def upcoming_events(self, now: datetime, limit: int = 20) -> list[Event]:
        ends = func.coalesce(Event.ends_at, Event.starts_at)
        return [
            Event(**row)
            for row in self.conn.execute(
                select(Event)
                .where(col(Event.status) == "published", ends >= now)
                .order_by(col(Event.starts_at))
                .limit(limit)
            ).mappings()
        ]

    def rsvp(self, event_id: int, user_id: int, attending: bool) -> bool:
        """Record or withdraw an attendance; False when nothing changed."""
        mine = (col(Rsvp.event_id) == event_id, col(Rsvp.user_id) == user_id)
        if not attending:
            return self.conn.execute(delete(Rsvp).where(*mine)).rowcount > 0
        if self.conn.execute(select(col(Rsvp.at)).where(*mine)).first():
            return False
        self.conn.execute(insert(Rsvp).values(event_id=event_id, user_id=user_id, at=utcnow()))
        return True

    def attending(self, user_id: int) -> set[int]:
        return set(self.conn.execute(select(col(Rsvp.event_id)).where(col(Rsvp.user_id) == user_id)).scalars())

    def rsvp_counts(self, event_ids: list[int]) -> dict[int, int]:
        if not event_ids:
            return {}
        rows = self.conn.execute(
            select(col(Rsvp.event_id), func.count())
            .where(col(Rsvp.event_id).in_(event_ids))
            .group_by(col(Rsvp.event_id))
        )
        return {event_id: n for event_id, n in rows}

    def attendees(self, event_id: int) -> list[tuple[int, str, str, str]]:
        """(user id, channel, address, language) of everyone attending, on their reachable identities."""
        rows = self.conn.execute(
            select(
                col(Identity.user_id),
                col(Identity.channel),
                func.coalesce(Identity.address, Identity.ref),
                func.coalesce(Subscription.language, User.language),
            )
            .join(Rsvp, col(Rsvp.user_id) == Identity.user_id)
            .join(User, col(User.id) == Identity.user_id)
            .outerjoin(Subscription, col(Subscription.user_id) == Identity.user_id)
            .where(col(Rsvp.event_id) == event_id, col(Identity.active).is_(True), col(Identity.channel) != "console")
        )
        seen: set[int] = set()
        chosen = []
        for user_id, channel, address, language in rows:
            if user_id not in seen:
                seen.add(user_id)
                chosen.append((user_id, channel, address, language))
        return chosen
