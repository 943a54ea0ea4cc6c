"""SQLModel tables. The schema itself moves forward only through Alembic migrations."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, Column, DateTime, ForeignKey, Integer, UniqueConstraint, true
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

Json = JSON().with_variant(JSONB(), "postgresql")


def utcnow() -> datetime:
    return datetime.now(UTC)


def _when(**kw: Any) -> Any:
    return Field(default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False, **kw))


def _owner(nullable: bool = False) -> Any:
    return Field(sa_column=Column(Integer, ForeignKey("user.id", ondelete="CASCADE"), nullable=nullable, index=True))


class User(SQLModel, table=True):
    """A person using the companion; one row however many messengers they use."""

    __table_args__ = {"sqlite_autoincrement": True}  # never reuse the id of a deleted user

    id: int | None = Field(default=None, primary_key=True)
    language: str = Field(default="de", max_length=8)
    created_at: datetime = _when()


class Identity(SQLModel, table=True):
    """A user's account on one channel (``console``, ``telegram``, ``matrix``)."""

    __table_args__ = (UniqueConstraint("channel", "ref"),)
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = _owner()
    channel: str = Field(max_length=16)
    ref: str = Field(max_length=255)
    created_at: datetime = _when()
    active: bool = Field(default=True, sa_column=Column(Boolean, nullable=False, server_default=true()))
    """False once the platform said the user cannot be reached (blocked the bot, chat gone)."""
    status: str | None = Field(default=None, max_length=32, description="Why not reachable, e.g. blocked.")
    status_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True), nullable=True))


class Municipality(SQLModel, table=True):
    """The municipality profile a user gave in the onboarding (a projection of their answers)."""

    user_id: int = Field(sa_column=Column(Integer, ForeignKey("user.id", ondelete="CASCADE"), primary_key=True))
    name: str | None = Field(default=None, max_length=255)
    kind: str | None = Field(default=None, max_length=32)
    land: str | None = Field(default=None, max_length=32)
    size: str | None = Field(default=None, max_length=32)
    fields: list[str] | None = Field(default=None, sa_column=Column(Json))
    updated_at: datetime = _when()


class Conversation(SQLModel, table=True):
    """Where a user stands: stage, step, draft input and the content version it runs on."""

    __table_args__ = {"sqlite_autoincrement": True}  # ids key the answer cache: never reuse them

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(sa_column=Column(Integer, ForeignKey("user.id", ondelete="CASCADE"), unique=True,
                                          nullable=False))
    content_version: str = Field(max_length=32)
    position: dict[str, Any] = Field(sa_column=Column(Json, nullable=False))
    revision: int = Field(default=0, description="Raised by every save; lets a process trust its cache.")
    created_at: datetime = _when()
    updated_at: datetime = _when()


class Answer(SQLModel, table=True):
    """One answer per step; ``value`` is JSON (text, option ids, bullets, records); null means skipped."""

    conversation_id: int = Field(sa_column=Column(Integer, ForeignKey("conversation.id", ondelete="CASCADE"),
                                                  primary_key=True))
    step_id: str = Field(primary_key=True, max_length=64)
    value: Any = Field(default=None, sa_column=Column(Json))
    created_at: datetime = _when()
    updated_at: datetime = _when()


class AuditEntry(SQLModel, table=True):
    """Every change to a user's answers: what it was, what it became, and when."""

    id: int | None = Field(default=None, sa_column=Column(BigInteger().with_variant(Integer, "sqlite"),
                                                          primary_key=True, autoincrement=True))
    user_id: int = _owner()
    at: datetime = _when()
    action: str = Field(max_length=32)
    step_id: str | None = Field(default=None, max_length=64)
    old: Any = Field(default=None, sa_column=Column(Json))
    new: Any = Field(default=None, sa_column=Column(Json))


class ProcessedMessage(SQLModel, table=True):
    """Inbound message ids already handled, so a redelivered message is ignored."""

    channel: str = Field(primary_key=True, max_length=16)
    message_id: str = Field(primary_key=True, max_length=128)
    at: datetime = _when(index=True)
