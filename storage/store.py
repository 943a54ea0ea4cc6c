"""The unit of work: one transaction per inbound message, committed before the reply is sent."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from storage.database import create_engine, prepare
from storage.models import (
    Answer,
    AuditEntry,
    Conversation,
    Identity,
    Municipality,
    ProcessedMessage,
    User,
    utcnow,
)

PROFILE_FIELDS = ("name", "kind", "land", "size", "fields")


@dataclass
class Account:
    user_id: int
    language: str
    created: bool


@dataclass
class Saved:
    """A conversation as stored: its row id, position (state without answers) and answers."""

    conversation_id: int | None
    content_version: str | None
    position: dict[str, Any] | None
    answers: dict[str, Any]


class Store:
    """Owns the database engine; hands out units of work."""

    def __init__(self, engine: AsyncEngine):
        self.engine = engine
        self.dialect = engine.dialect.name
        self._write_lock = asyncio.Lock() if self.dialect == "sqlite" else None

    @classmethod
    async def open(cls, url: str, upgrade: bool = True) -> Store:
        engine = create_engine(url)
        await prepare(engine, upgrade=upgrade)
        return cls(engine)

    async def close(self) -> None:
        await self.engine.dispose()

    @asynccontextmanager
    async def unit(self) -> AsyncIterator[Unit]:
        """A transaction; SQLite writers queue in-process instead of spinning on the file lock."""
        if self._write_lock is None:
            async with self.engine.begin() as conn:
                yield Unit(conn, self.dialect)
            return
        async with self._write_lock, self.engine.begin() as conn:
            yield Unit(conn, self.dialect)


class Unit:
    """Reads and writes inside one transaction."""

    def __init__(self, conn: AsyncConnection, dialect: str):
        self.conn = conn
        self.dialect = dialect

    def _insert(self, table: Any) -> Any:
        return (postgresql.insert if self.dialect == "postgresql" else sqlite.insert)(table)

    # -- inbound -----------------------------------------------------------
    async def claim_message(self, channel: str, message_id: str) -> bool:
        """Record an inbound message id; False when it was handled before."""
        stmt = self._insert(ProcessedMessage).values(channel=channel, message_id=message_id, at=utcnow())
        result = await self.conn.execute(stmt.on_conflict_do_nothing())
        return result.rowcount == 1

    async def forget_messages(self, older_than: timedelta) -> int:
        result = await self.conn.execute(
            delete(ProcessedMessage).where(ProcessedMessage.at < datetime.now(UTC) - older_than))
        return result.rowcount

    async def account(self, channel: str, ref: str, language: str) -> Account:
        """The user behind a channel identity; created on first contact."""
        row = (await self.conn.execute(
            select(User.id, User.language).join(Identity, Identity.user_id == User.id)
            .where(Identity.channel == channel, Identity.ref == ref))).first()
        if row is not None:
            return Account(row.id, row.language, created=False)
        user_id = (await self.conn.execute(
            self._insert(User).values(language=language, created_at=utcnow()).returning(User.id))).scalar_one()
        await self.conn.execute(self._insert(Identity).values(user_id=user_id, channel=channel, ref=ref,
                                                              created_at=utcnow()))
        return Account(user_id, language, created=True)

    # -- conversation ------------------------------------------------------
    async def load(self, user_id: int) -> Saved:
        query = select(Conversation.id, Conversation.content_version, Conversation.position) \
            .where(Conversation.user_id == user_id)
        if self.dialect == "postgresql":
            query = query.with_for_update()
        row = (await self.conn.execute(query)).first()
        if row is None:
            return Saved(None, None, None, {})
        answers = dict((await self.conn.execute(
            select(Answer.step_id, Answer.value).where(Answer.conversation_id == row.id))).tuples().all())
        return Saved(row.id, row.content_version, row.position, answers)

    async def save(self, user_id: int, saved: Saved, version: str, position: dict[str, Any],
                   changes: list[tuple[str, Any, Any]], missing: object, language: str) -> int:
        """Store the new position and every changed answer, each with an audit entry."""
        now = utcnow()
        conversation_id = saved.conversation_id
        if conversation_id is None:
            conversation_id = (await self.conn.execute(
                self._insert(Conversation).values(user_id=user_id, content_version=version, position=position,
                                                  created_at=now, updated_at=now).returning(Conversation.id)
            )).scalar_one()
        else:
            await self.conn.execute(update(Conversation).where(Conversation.id == conversation_id)
                                    .values(content_version=version, position=position, updated_at=now))
        if saved.position is not None and saved.position.get("lang") != language:
            await self.conn.execute(update(User).where(User.id == user_id).values(language=language))
        upserts, removed, audit = [], [], []
        for step_id, old, new in changes:
            if new is missing:
                removed.append(step_id)
            else:
                upserts.append({"conversation_id": conversation_id, "step_id": step_id, "value": new,
                                "created_at": now, "updated_at": now})
            action = "skip" if new is None else "remove" if new is missing else "answer"
            audit.append({"user_id": user_id, "at": now, "action": action, "step_id": step_id,
                          "old": None if old is missing else old, "new": None if new is missing else new})
        if upserts:
            stmt = self._insert(Answer)
            stmt = stmt.on_conflict_do_update(index_elements=["conversation_id", "step_id"],
                                              set_={"value": stmt.excluded.value, "updated_at": now})
            await self.conn.execute(stmt, upserts)
        if removed:
            await self.conn.execute(delete(Answer).where(Answer.conversation_id == conversation_id,
                                                         Answer.step_id.in_(removed)))
        if audit:
            await self.conn.execute(self._insert(AuditEntry), audit)
        return conversation_id

    async def set_profile(self, user_id: int, profile: dict[str, Any]) -> None:
        values = {k: profile.get(k) for k in PROFILE_FIELDS}
        stmt = self._insert(Municipality).values(user_id=user_id, updated_at=utcnow(), **values)
        await self.conn.execute(stmt.on_conflict_do_update(index_elements=["user_id"],
                                                           set_={**values, "updated_at": utcnow()}))

    # -- the user's rights ---------------------------------------------------
    async def delete_user(self, user_id: int) -> None:
        """Erase a user and everything that hangs on them (Art. 17 GDPR)."""
        conversation_ids = select(Conversation.id).where(Conversation.user_id == user_id)
        await self.conn.execute(delete(Answer).where(Answer.conversation_id.in_(conversation_ids)))
        for table in (Conversation, Municipality, AuditEntry, Identity):
            await self.conn.execute(delete(table).where(table.user_id == user_id))
        await self.conn.execute(delete(User).where(User.id == user_id))

    async def stored(self, user_id: int) -> dict[str, Any]:
        """Everything stored about a user, as plain data (Art. 15 GDPR)."""
        user = (await self.conn.execute(select(User).where(User.id == user_id))).one()
        identities = (await self.conn.execute(
            select(Identity.channel, Identity.ref, Identity.created_at).where(Identity.user_id == user_id))).all()
        profile = (await self.conn.execute(select(Municipality).where(Municipality.user_id == user_id))).first()
        conversation = (await self.conn.execute(
            select(Conversation.id, Conversation.updated_at).where(Conversation.user_id == user_id))).first()
        answers = 0
        if conversation is not None:
            answers = (await self.conn.execute(select(func.count()).select_from(Answer)
                                               .where(Answer.conversation_id == conversation.id))).scalar_one()
        audit = (await self.conn.execute(select(func.count()).select_from(AuditEntry)
                                         .where(AuditEntry.user_id == user_id))).scalar_one()
        return {
            "user_id": str(user.id), "created_at": _aware(user.created_at), "language": user.language,
            "identities": [(c, r, _aware(at)) for c, r, at in identities],
            "municipality": {k: getattr(profile, k) for k in PROFILE_FIELDS} if profile else {},
            "answers": answers, "audit_entries": audit,
            "conversation_updated_at": _aware(conversation.updated_at) if conversation else None,
        }


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)
