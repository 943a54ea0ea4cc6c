"""SQLModel tables. The schema itself moves forward only through Alembic migrations."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    Table,
    UniqueConstraint,
    text,
    true,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

Json = JSON().with_variant(JSONB(), "postgresql")


def utcnow() -> datetime:
    return datetime.now(UTC)


def table_of(model: type[SQLModel]) -> Table:
    """A model's table (SQLModel sets ``__table__`` on every table model but does not declare it)."""
    table: Table = model.__table__  # type: ignore[attr-defined]  # set by SQLModel's metaclass, not declared
    return table


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
    address: str | None = Field(
        default=None,
        max_length=255,
        description="Where to write when it is not ``ref`` (a Matrix user's direct chat room).",
    )


class Workspace(SQLModel, table=True):
    """One municipality's strategy: all stage answers belong to it, and its members work on them together."""

    __table_args__ = {"sqlite_autoincrement": True}  # ids key the answer cache: never reuse them

    id: int | None = Field(default=None, primary_key=True)
    name: str | None = Field(default=None, max_length=255, description="The municipality's name, from its answers.")
    revision: int = Field(default=0, description="Raised by every change of its answers or members.")
    created_at: datetime = _when()


def _workspace(primary_key: bool = False, nullable: bool = False, ondelete: str = "CASCADE") -> Any:
    return Field(
        sa_column=Column(
            Integer,
            ForeignKey("workspace.id", ondelete=ondelete),
            primary_key=primary_key,
            nullable=nullable,
            index=not primary_key,
        )
    )


class Member(SQLModel, table=True):
    """A person in a workspace, with their role: coordinator, editor, viewer or owner (of measures)."""

    workspace_id: int = _workspace(primary_key=True)
    user_id: int = Field(
        sa_column=Column(Integer, ForeignKey("user.id", ondelete="CASCADE"), primary_key=True, index=True)
    )
    role: str = Field(max_length=16)
    name: str | None = Field(default=None, max_length=64, description="How the team sees them (their messenger name).")
    notices: bool = Field(default=True, sa_column=Column(Boolean, nullable=False, server_default=true()))
    """Whether they are told when a teammate completes a stage or the coordinator approves one."""
    joined_at: datetime = _when()


class Code(SQLModel, table=True):
    """A single-use code: ``join`` a workspace in a role, or ``link`` another messenger to a person."""

    code: str = Field(primary_key=True, max_length=16)
    kind: str = Field(max_length=8)
    user_id: int = _owner()
    """Who made it (the coordinator inviting, or the person linking)."""
    workspace_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("workspace.id", ondelete="CASCADE"), nullable=True, index=True),
    )
    role: str | None = Field(default=None, max_length=16)
    created_at: datetime = _when()
    expires_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    used_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True), nullable=True))
    used_by: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("user.id", ondelete="SET NULL"), nullable=True)
    )


class CodeAttempt(SQLModel, table=True):
    """A code someone entered that was unknown, used or expired (failed attempts are rate-limited)."""

    id: int | None = Field(
        default=None,
        sa_column=Column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    )
    user_id: int = _owner()
    at: datetime = _when()


class Approval(SQLModel, table=True):
    """A stage the steering group agreed on a date, with its answers as they were then."""

    workspace_id: int = _workspace(primary_key=True)
    stage_id: str = Field(primary_key=True, max_length=64)
    agreed_on: str = Field(max_length=10, description="ISO date the steering group agreed.")
    by: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("user.id", ondelete="SET NULL"), nullable=True)
    )
    at: datetime = _when()
    answers: dict[str, Any] = Field(default_factory=dict, sa_column=Column(Json, nullable=False))


class Template(SQLModel, table=True):
    """A workspace's own DOCX or ODT template (its letterhead), one per format; exports are laid out in it."""

    workspace_id: int = _workspace(primary_key=True)
    format: str = Field(primary_key=True, max_length=8, description="docx or odt.")
    file_name: str = Field(max_length=255)
    data: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    uploaded_by: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("user.id", ondelete="SET NULL"), nullable=True)
    )
    uploaded_at: datetime = _when()


class Room(SQLModel, table=True):
    """A group chat or room bound to a workspace: stage summaries and approvals are posted there."""

    channel: str = Field(primary_key=True, max_length=16)
    ref: str = Field(primary_key=True, max_length=255)
    workspace_id: int = _workspace()
    bound_by: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("user.id", ondelete="SET NULL"), nullable=True)
    )
    at: datetime = _when()


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
    user_id: int = Field(
        sa_column=Column(Integer, ForeignKey("user.id", ondelete="CASCADE"), unique=True, nullable=False)
    )
    workspace_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("workspace.id", ondelete="SET NULL"), nullable=True, index=True),
    )
    """The workspace whose strategy this person works on now."""
    content_version: str = Field(max_length=32)
    position: dict[str, Any] = Field(sa_column=Column(Json, nullable=False))
    revision: int = Field(default=0, description="Raised by every save of the position.")
    created_at: datetime = _when()
    updated_at: datetime = _when()


class Answer(SQLModel, table=True):
    """A workspace's answer to one step; ``value`` is JSON (text, option ids, bullets, records); null means skipped."""

    workspace_id: int = _workspace(primary_key=True)
    step_id: str = Field(primary_key=True, max_length=64)
    value: Any = Field(default=None, sa_column=Column(Json))
    author_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("user.id", ondelete="SET NULL"), nullable=True)
    )
    """Who last changed it (null: a former member)."""
    authors: list[int | None] | None = Field(default=None, sa_column=Column(Json, nullable=True))
    """For a list or records answer: who wrote each entry, in the same order (null: a former member)."""
    revision: int = Field(default=0, description="The workspace revision that wrote it.")
    created_at: datetime = _when()
    updated_at: datetime = _when()


class AuditEntry(SQLModel, table=True):
    """Every change to a user's answers: what it was, what it became, and when."""

    id: int | None = Field(
        default=None,
        sa_column=Column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    )
    user_id: int = _owner()
    workspace_id: int | None = Field(default=None, sa_column=Column(Integer, nullable=True, index=True))
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


class Erasure(SQLModel, table=True):
    """A channel identity whose person erased all their data, kept only as a keyed hash (``subject_of``).

    It lets the next message from that identity be told that everything was deleted, instead of silently
    starting as someone new; it goes when they start again. The hash is no personal data without the
    operator's key, like the subject of a withdrawn consent."""

    subject: str = Field(primary_key=True, max_length=64)
    at: datetime = _when()


def _maybe(**kw: Any) -> Any:
    return Field(default=None, sa_column=Column(DateTime(timezone=True), nullable=True, **kw))


def _big_id() -> Any:
    return Field(
        default=None,
        sa_column=Column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    )


class Subscription(SQLModel, table=True):
    """A newsletter subscription. It counts only once ``confirmed_at`` is set (double opt-in)."""

    user_id: int = Field(sa_column=Column(Integer, ForeignKey("user.id", ondelete="CASCADE"), primary_key=True))
    channel: str = Field(max_length=16, description="The channel the person subscribed on.")
    ref: str = Field(max_length=255, description="Their platform id there.")
    language: str = Field(max_length=8)
    topics: list[str] = Field(default_factory=list, sa_column=Column(Json, nullable=False))
    consent_version: str = Field(max_length=32)
    requested_at: datetime = _when()
    confirmed_at: datetime | None = _maybe()
    updated_at: datetime = _when()


class ConsentRecord(SQLModel, table=True):
    """Proof of consent (GDPR Art. 7(1)): every request, confirmation, change and withdrawal.

    ``subject`` is a keyed hash (HMAC) of channel and platform id; after an erasure only the
    withdrawal stays, under that hash, so the withdrawal can still be proven and honoured.
    """

    id: int | None = _big_id()
    user_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("user.id", ondelete="SET NULL"), nullable=True, index=True)
    )
    subject: str = Field(max_length=64, index=True)
    channel: str = Field(max_length=16)
    ref: str | None = Field(default=None, max_length=255)
    action: str = Field(max_length=16, description="requested, confirmed, changed, withdrawn or erased.")
    consent_version: str = Field(max_length=32)
    topics: list[str] | None = Field(default=None, sa_column=Column(Json, nullable=True))
    language: str | None = Field(default=None, max_length=8)
    at: datetime = _when()


class Role(SQLModel, table=True):
    """A role granted in chat (``editor``); admins come from the configuration, never from here."""

    channel: str = Field(primary_key=True, max_length=16)
    ref: str = Field(primary_key=True, max_length=255)
    role: str = Field(max_length=16)
    granted_by: str = Field(max_length=300)
    granted_at: datetime = _when()


class AdminLog(SQLModel, table=True):
    """Every admin or editor action: who, what, on what, when."""

    id: int | None = _big_id()
    at: datetime = _when(index=True)
    actor: str = Field(max_length=300)
    action: str = Field(max_length=32)
    target: str | None = Field(default=None, max_length=300)
    detail: dict[str, Any] | None = Field(default=None, sa_column=Column(Json, nullable=True))


class Event(SQLModel, table=True):
    """An event announced to subscribers: texts per language, times with their time zone."""

    __table_args__ = {"sqlite_autoincrement": True}

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=32, description="online_seminar, regional_meeting, conference or publication.")
    title: dict[str, str] = Field(sa_column=Column(Json, nullable=False))
    description: dict[str, str] = Field(default_factory=dict, sa_column=Column(Json, nullable=False))
    starts_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False, index=True))
    ends_at: datetime | None = _maybe()
    timezone: str = Field(default="Europe/Berlin", max_length=64)
    place: str | None = Field(default=None, max_length=500)
    online_url: str | None = Field(default=None, max_length=500)
    topics: list[str] = Field(default_factory=list, sa_column=Column(Json, nullable=False))
    audience: dict[str, str] = Field(default_factory=dict, sa_column=Column(Json, nullable=False))
    registration_url: str | None = Field(default=None, max_length=500)
    status: str = Field(default="draft", max_length=16, description="draft, published or cancelled.")
    created_by: str = Field(max_length=300)
    created_at: datetime = _when()
    published_at: datetime | None = _maybe()


class Rsvp(SQLModel, table=True):
    """Someone said they will attend an event."""

    event_id: int = Field(sa_column=Column(Integer, ForeignKey("event.id", ondelete="CASCADE"), primary_key=True))
    user_id: int = Field(
        sa_column=Column(Integer, ForeignKey("user.id", ondelete="CASCADE"), primary_key=True, index=True)
    )
    at: datetime = _when()


class Broadcast(SQLModel, table=True):
    """A newsletter, event announcement or reminder, and whom it is for."""

    __table_args__ = {"sqlite_autoincrement": True}

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=16, description="newsletter, event, reminder or team (a team notice).")
    event_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("event.id", ondelete="CASCADE"), nullable=True, index=True)
    )
    title: dict[str, str] = Field(default_factory=dict, sa_column=Column(Json, nullable=False))
    body: dict[str, str] = Field(default_factory=dict, sa_column=Column(Json, nullable=False))
    topics: list[str] = Field(default_factory=list, sa_column=Column(Json, nullable=False))
    languages: list[str] = Field(default_factory=list, sa_column=Column(Json, nullable=False))
    lands: list[str] = Field(default_factory=list, sa_column=Column(Json, nullable=False))
    sizes: list[str] = Field(default_factory=list, sa_column=Column(Json, nullable=False))
    status: str = Field(default="scheduled", max_length=16, description="scheduled, sending, done or cancelled.")
    due_at: datetime = _when(index=True)
    created_by: str = Field(max_length=300)
    progress: dict[str, Any] | None = Field(
        default=None, sa_column=Column(Json, nullable=True), description="The chat message that shows live progress."
    )
    created_at: datetime = _when()
    started_at: datetime | None = _maybe()
    finished_at: datetime | None = _maybe()


class Delivery(SQLModel, table=True):
    """One broadcast to one recipient: the durable outbox row.

    queued -> claimed (a sender took it) -> sending (committed before the request) -> sent;
    or failed, skipped (with a reason), or unknown (in flight when a sender died: never re-sent
    where the platform cannot deduplicate).
    """

    __table_args__ = (UniqueConstraint("broadcast_id", "user_id"), Index("ix_delivery_todo", "channel", "state", "id"))
    id: int | None = _big_id()
    broadcast_id: int = Field(sa_column=Column(Integer, ForeignKey("broadcast.id", ondelete="CASCADE"), nullable=False))
    user_id: int = Field(
        sa_column=Column(Integer, ForeignKey("user.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    channel: str = Field(max_length=16)
    address: str = Field(max_length=255)
    language: str = Field(max_length=8)
    state: str = Field(default="queued", max_length=16)
    reason: str | None = Field(default=None, max_length=64)
    worker: str | None = Field(default=None, max_length=64)
    claimed_at: datetime | None = _maybe()
    done_at: datetime | None = _maybe()


class Courier(SQLModel, table=True):
    """A running sender process; its heartbeat tells others whether its claimed rows are still in hand."""

    id: str = Field(primary_key=True, max_length=64)
    started_at: datetime = _when()
    seen_at: datetime = _when()


class Pace(SQLModel, table=True):
    """A send budget shared by every process (GCRA: the theoretical arrival time of the next slot)."""

    key: str = Field(primary_key=True, max_length=64)
    tat: float = Field(default=0.0, sa_column=Column(Float, nullable=False))


# -- official statistics (flows/statistics): the directory, imported files and their figures ------------------
class Place(SQLModel, table=True):
    """An entry of an official municipality directory (GV100AD, COG): a Gemeinde, Kreis, Land; commune …"""

    __table_args__ = (
        # text_pattern_ops: PostgreSQL compares the folded names byte by byte (as SQLite does), whatever the
        # database's collation, so a name prefix is an index range (storage/places.py).
        Index("ix_place_folded", "country", "folded", postgresql_ops={"folded": "text_pattern_ops"}),
        Index("ix_place_postcode", "postcode"),
    )
    country: str = Field(primary_key=True, max_length=2)
    key: str = Field(primary_key=True, max_length=12)
    level: str = Field(max_length=16)
    name: str = Field(max_length=255)
    folded: str = Field(max_length=255, description="The name as looked up (flows.statistics.directory.folded_name).")
    kreis: str = Field(default="", max_length=12)
    land: str = Field(default="", max_length=12)
    kind: str = Field(default="", max_length=8)
    postcode: str = Field(default="", max_length=8)
    population: int | None = Field(default=None)
    stand: date | None = Field(default=None, sa_column=Column(Date, nullable=True))


class Dataset(SQLModel, table=True):
    """One imported statistics file: what it is, where it came from, who imported it for whom.

    ``workspace_id`` None: an admin's import, serving every municipality; else a file sent in chat or a register
    extract, serving that workspace only (and gone with it)."""

    __table_args__ = (UniqueConstraint("scope", "sha256"),)
    id: int | None = Field(default=None, primary_key=True)
    scope: int = Field(default=0, description="The workspace's id, 0 for everybody (a unique key needs no NULL).")
    workspace_id: int | None = _workspace(nullable=True)
    sha256: str = Field(max_length=64)
    source: str = Field(max_length=16, description="official or register.")
    table_code: str = Field(max_length=32)
    layout: str = Field(max_length=16)
    file_name: str = Field(default="", max_length=255)
    figures: int = Field(default=0)
    imported_by: str = Field(default="", max_length=255)
    imported_at: datetime = _when()


class Figure(SQLModel, table=True):
    """One statistical value, with its provenance: the dataset (source, table code) and its Stichtag.

    One row per scope, region, source, measure, Stichtag, sex, age band and Ortsteil: importing a file twice
    changes nothing; a newer file with the same figure replaces its value."""

    __table_args__ = (
        UniqueConstraint(
            "scope", "country", "region", "source", "measure", "stichtag", "sex", "age", "ortsteil", name="uq_figure"
        ),
        Index(
            "ix_figure_workspace_id",
            "workspace_id",
            sqlite_where=text("workspace_id IS NOT NULL"),
            postgresql_where=text("workspace_id IS NOT NULL"),
        ),
    )
    id: int | None = _big_id()
    dataset_id: int = Field(description="The file it came from (no foreign key: a check per row is too slow).")
    workspace_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("workspace.id", ondelete="CASCADE"), nullable=True),
        description="The workspace whose figure it is (and goes with), None for everybody's (= scope).",
    )
    scope: int = Field(default=0)
    country: str = Field(max_length=2)
    region: str = Field(max_length=12)
    source: str = Field(max_length=16)
    measure: str = Field(max_length=16)
    stichtag: date = Field(sa_column=Column(Date, nullable=False))
    sex: str = Field(default="", max_length=1)
    age: str = Field(default="", max_length=8, description='"" everybody; "0-3", "75-": from (incl.) to (excl.).')
    ortsteil: str = Field(default="", max_length=120)
    value: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    table_code: str = Field(max_length=32)


# -- from plan to practice (flows/practice): reminders, status reports, plan versions ------------------------
class Reminder(SQLModel, table=True):
    """One follow-up the plan asks for (flows.practice.model.Due), sent once.

    scheduled -> sent (a broadcast of kind ``followup`` with one delivery was queued in the same transaction), or
    cancelled (the plan no longer asks for it) or skipped (with a reason: the person stopped reminders, cannot be
    reached). ``key`` makes it once across processes and restarts."""

    __table_args__ = (
        UniqueConstraint("workspace_id", "key", name="uq_reminder_key"),
        Index("ix_reminder_due", "state", "due_at"),
    )
    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = _workspace()
    key: str = Field(max_length=255)
    kind: str = Field(max_length=16, description="monitoring, ending, review, idle or commitment.")
    subject: str = Field(default="", max_length=64, description="A measure's or commitment's uid, or a stage id.")
    user_id: int = _owner()
    due_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    state: str = Field(default="scheduled", max_length=16)
    reason: str | None = Field(default=None, max_length=64)
    broadcast_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("broadcast.id", ondelete="SET NULL"), nullable=True)
    )
    created_at: datetime = _when()
    done_at: datetime | None = _maybe()


class Progress(SQLModel, table=True):
    """A status report on a measure (flows.practice.model.Report): appended, never changed."""

    __table_args__ = (Index("ix_progress_measure", "workspace_id", "measure", "at"),)
    id: int | None = _big_id()
    workspace_id: int = _workspace()
    measure: str = Field(max_length=64, description="The measure's uid in the Werkstattplan.")
    status: str | None = Field(default=None, max_length=16)
    value: float | None = Field(default=None, sa_column=Column(Float, nullable=True))
    note: str | None = Field(default=None, max_length=500)
    author_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("user.id", ondelete="SET NULL"), nullable=True)
    )
    author: str | None = Field(default=None, max_length=64, description="The author's name then.")
    at: datetime = _when()


class PlanVersion(SQLModel, table=True):
    """A recorded version of the Werkstattplan: the stage's answers then, and the date it was agreed (if it was)."""

    workspace_id: int = _workspace(primary_key=True)
    number: int = Field(primary_key=True)
    answers: dict[str, Any] = Field(default_factory=dict, sa_column=Column(Json, nullable=False))
    agreed_on: str | None = Field(default=None, max_length=10)
    by: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("user.id", ondelete="SET NULL"), nullable=True)
    )
    at: datetime = _when()


class ReminderSetting(SQLModel, table=True):
    """A person's choice about follow-up reminders: on, paused until a time, or off."""

    user_id: int = Field(sa_column=Column(Integer, ForeignKey("user.id", ondelete="CASCADE"), primary_key=True))
    setting: str = Field(default="on", max_length=8)
    until: datetime | None = _maybe()
    at: datetime = _when()


# -- learning from each other (flows/exchange) ---------------------------------------------------
class ExchangeProfile(SQLModel, table=True):
    """A workspace opted in to the exchange (flows.exchange.model.Profile), under the exchange consent's version.

    ``facts`` are what its answers say (kind, size, region, fields, stage), refreshed on every save of the
    workspace. The row goes when the workspace withdraws, when it is deleted, and when the person who opted it in
    erases their data (their contact is in it)."""

    workspace_id: int = _workspace(primary_key=True)
    user_id: int = _owner()
    """Who opted it in (a coordinator), whose consent it rests on."""
    facts: dict[str, Any] = Field(default_factory=dict, sa_column=Column(Json, nullable=False))
    offers: list[str] = Field(default_factory=list, sa_column=Column(Json, nullable=False))
    seeks: list[str] = Field(default_factory=list, sa_column=Column(Json, nullable=False))
    languages: list[str] = Field(default_factory=list, sa_column=Column(Json, nullable=False))
    contact: str = Field(default="", max_length=500)
    twin_town: str = Field(default="", max_length=255)
    consent_version: str = Field(max_length=32)
    opted_in_at: datetime = _when()
    updated_at: datetime = _when()


class Introduction(SQLModel, table=True):
    """Workspace ``asking`` asked to be introduced to ``asked`` (double opt-in): asked -> accepted, declined or
    closed (no answer within 14 days, or either side left the exchange)."""

    __table_args__ = (Index("ix_introduction_asked", "asked", "status"),)
    id: int | None = Field(default=None, primary_key=True)
    asking: int = Field(
        sa_column=Column(Integer, ForeignKey("workspace.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    asked: int = Field(sa_column=Column(Integer, ForeignKey("workspace.id", ondelete="CASCADE"), nullable=False))
    asked_by: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("user.id", ondelete="SET NULL"), nullable=True)
    )
    reasons: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(Json, nullable=False))
    status: str = Field(default="asked", max_length=16)
    asked_at: datetime = _when()
    answered_by: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("user.id", ondelete="SET NULL"), nullable=True)
    )
    answered_at: datetime | None = _maybe()


class SharedPractice(SQLModel, table=True):
    """A measure submitted as good practice (flows.exchange.model.SharedPractice): submitted -> approved or
    rejected by an editor. Goes with its workspace."""

    __table_args__ = (Index("ix_sharedpractice_status", "status"),)
    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = _workspace()
    measure: str = Field(max_length=64)
    municipality: str = Field(default="", max_length=255, description="The submitter's municipality, as shown.")
    field: str = Field(max_length=32)
    lang: str = Field(max_length=8)
    texts: dict[str, Any] = Field(default_factory=dict, sa_column=Column(Json, nullable=False))
    status: str = Field(default="submitted", max_length=16)
    submitted_by: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("user.id", ondelete="SET NULL"), nullable=True)
    )
    submitted_at: datetime = _when()
    reviewed_by: str | None = Field(default=None, max_length=255, description="The editor's channel:ref.")
    reviewed_at: datetime | None = _maybe()
    updated_at: datetime = _when()


class Adoption(SQLModel, table=True):
    """A workspace took a toolbox item (a shared practice ``gp-12`` or a content item) over as a draft measure."""

    item: str = Field(primary_key=True, max_length=64)
    workspace_id: int = _workspace(primary_key=True)
    measure: str = Field(max_length=64)
    at: datetime = _when()


class Quote(SQLModel, table=True):
    """An editor's decision on one free-text obstacle or ask before it may appear in the pooled report: the text
    as approved (shortened, names removed) or rejected. ``digest`` names the source entry without naming its
    workspace (a keyed hash of workspace, answer and text)."""

    id: int | None = Field(default=None, primary_key=True)
    digest: str = Field(max_length=64, sa_column_kwargs={"unique": True})
    field: str = Field(max_length=32)
    source: str = Field(max_length=16, description="blocked, hindered or ask.")
    text: str = Field(default="", max_length=2000)
    status: str = Field(max_length=16, description="approved or rejected.")
    reviewed_by: str = Field(max_length=255)
    reviewed_at: datetime = _when()
