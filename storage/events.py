"""Events and who attends them (RSVPs)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select, update

from storage.base import UnitBase
from storage.models import Event, Identity, Rsvp, Subscription, User, utcnow


class Events(UnitBase):
    """Mixed into the unit of work."""

    def add_event(self, values: dict[str, Any], created_by: str) -> int:
        result = self.conn.execute(Event.__table__.insert().values(
            created_by=created_by, created_at=utcnow(), status="draft", **values).returning(Event.id))
        return int(result.scalar_one())

    def event(self, event_id: int) -> Event | None:
        row = self.conn.execute(select(Event).where(Event.id == event_id)).mappings().first()
        return Event(**row) if row else None

    def publish_event(self, event_id: int) -> None:
        self.conn.execute(update(Event).where(Event.id == event_id).values(status="published", published_at=utcnow()))

    def upcoming_events(self, now: datetime, limit: int = 20) -> list[Event]:
        ends = func.coalesce(Event.ends_at, Event.starts_at)
        return [Event(**row) for row in self.conn.execute(select(Event).where(Event.status == "published", ends >= now)
                                                          .order_by(Event.starts_at).limit(limit)).mappings()]

    def rsvp(self, event_id: int, user_id: int, attending: bool) -> bool:
        """Record or withdraw an attendance; False when nothing changed."""
        if not attending:
            return self.conn.execute(delete(Rsvp).where(Rsvp.event_id == event_id, Rsvp.user_id == user_id)
                                     ).rowcount > 0
        if self.conn.execute(select(Rsvp.at).where(Rsvp.event_id == event_id, Rsvp.user_id == user_id)).first():
            return False
        self.conn.execute(Rsvp.__table__.insert().values(event_id=event_id, user_id=user_id, at=utcnow()))
        return True

    def attending(self, user_id: int) -> set[int]:
        return set(self.conn.execute(select(Rsvp.event_id).where(Rsvp.user_id == user_id)).scalars())

    def rsvp_counts(self, event_ids: list[int]) -> dict[int, int]:
        if not event_ids:
            return {}
        rows = self.conn.execute(select(Rsvp.event_id, func.count()).where(Rsvp.event_id.in_(event_ids))
                                 .group_by(Rsvp.event_id))
        return {event_id: n for event_id, n in rows}

    def attendees(self, event_id: int) -> list[tuple[int, str, str, str]]:
        """(user id, channel, address, language) of everyone attending, on their reachable identities."""
        rows = self.conn.execute(
            select(Identity.user_id, Identity.channel, func.coalesce(Identity.address, Identity.ref),
                   func.coalesce(Subscription.language, User.language))
            .join(Rsvp, Rsvp.user_id == Identity.user_id)
            .join(User, User.id == Identity.user_id)
            .outerjoin(Subscription, Subscription.user_id == Identity.user_id)
            .where(Rsvp.event_id == event_id, Identity.active.is_(True), Identity.channel != "console"))
        seen: set[int] = set()
        chosen = []
        for user_id, channel, address, language in rows:
            if user_id not in seen:
                seen.add(user_id)
                chosen.append((user_id, channel, address, language))
        return chosen
