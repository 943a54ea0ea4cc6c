"""People talking to the Companion in tests, and a look at the tables behind it.

A test reads like a transcript::

    anna = Person(companion, "1001")
    await anna.says("/newsletter")
    await anna.presses("x:housing")   # a button, by its choice id (labels may still change language)

Buttons are pressed by id because UI strings may be English until the translations land.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from bot.app.companion import Companion
from flows.messages import Inbound, Outbound
from storage.models import Identity
from storage.store import Store


class Person:
    """One messenger account writing to the companion."""

    def __init__(self, companion: Companion, ref: str, channel: str = "telegram", lang: str | None = None):
        self.companion, self.ref, self.channel, self.lang = companion, ref, channel, lang
        self.replies: list[Outbound] = []
        self.question: Outbound | None = None
        """The last reply that carried buttons: what a press answers."""

    @property
    def name(self) -> str:
        return f"{self.channel}:{self.ref}"

    async def _send(self, inbound: Inbound) -> str:
        response = await self.companion.handle(self.channel, self.ref, inbound, hint=self.lang)
        self.replies = response.replies
        asked = [r for r in self.replies if r.choices and r.turn is not None]
        self.question = asked[-1] if asked else self.question
        return self.text

    async def says(self, text: str) -> str:
        """Types a message (a number picks that choice, as in the console)."""
        return await self._send(Inbound(text=text))

    async def presses(self, choice_id: str) -> str:
        """Presses a button of the question shown last; it must be on offer."""
        assert self.question is not None, "no question with buttons has been shown"
        assert choice_id in self.offered, f"no button {choice_id!r} in {self.offered}"
        return await self._send(Inbound(choice=choice_id, turn=self.question.turn))

    async def taps(self, command: str) -> str:
        """Presses a button under a broadcast or progress message (``admin cancel 3``, ``rsvp 2``)."""
        return await self._send(Inbound(command=command))

    @property
    def offered(self) -> list[str]:
        """Choice ids of the question shown last."""
        return [c.id for c in self.question.choices] if self.question else []

    @property
    def selected(self) -> list[str]:
        return [c.id for c in self.question.choices if c.selected] if self.question else []

    @property
    def text(self) -> str:
        return "\n\n".join(r.text() for r in self.replies)

    @property
    def all_choice_ids(self) -> list[str]:
        """Every choice id in the latest replies (to prove something was NOT offered)."""
        return [c.id for r in self.replies for c in r.choices]


def aware(moment: datetime | None) -> datetime | None:
    """Stored times as aware datetimes: SQLite gives them back without offset, in UTC."""
    if moment is None:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


async def rows(store: Store, table: Any, *where: Any) -> list[dict[str, Any]]:
    """Every row of a table (a SQLModel class), as plain dicts, in primary-key order."""

    def read(unit):  # type: ignore[no-untyped-def]
        key = list(table.__table__.primary_key.columns)
        query = select(*table.__table__.columns).where(*where).order_by(*key)
        return [dict(r) for r in unit.conn.execute(query).mappings()]

    return await store.run(read)


async def user_id(store: Store, person: Person) -> int:
    """The user behind a messenger account (without creating one)."""
    found = await rows(store, Identity, Identity.channel == person.channel, Identity.ref == person.ref)
    assert len(found) == 1, f"{person.name} has {len(found)} identities"
    return int(found[0]["user_id"])
