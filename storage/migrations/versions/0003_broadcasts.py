"""Subscriptions with consent records, roles and the admin log, events and RSVPs, broadcasts and the
delivery outbox, sender heartbeats and the shared send budget; identities get an address.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

Json = sa.JSON().with_variant(JSONB(), "postgresql")
BigId = sa.BigInteger().with_variant(sa.Integer, "sqlite")


def when(name: str, nullable: bool = False, index: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable, index=index)


def user(
    ondelete: str = "CASCADE", *, primary_key: bool = False, nullable: bool | None = None, index: bool = False
) -> sa.Column[int]:
    return sa.Column(
        "user_id",
        sa.Integer,
        sa.ForeignKey("user.id", ondelete=ondelete),
        primary_key=primary_key,
        nullable=not primary_key if nullable is None else nullable,
        index=index,
    )


def upgrade() -> None:
    with op.batch_alter_table("identity") as table:
        table.add_column(sa.Column("address", sa.String(255), nullable=True))
    op.create_table(
        "subscription",
        user(primary_key=True),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("ref", sa.String(255), nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("topics", Json, nullable=False),
        sa.Column("consent_version", sa.String(32), nullable=False),
        when("requested_at"),
        when("confirmed_at", nullable=True),
        when("updated_at"),
    )
    op.create_table(
        "consentrecord",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        user("SET NULL", nullable=True, index=True),
        sa.Column("subject", sa.String(64), nullable=False, index=True),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("ref", sa.String(255)),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("consent_version", sa.String(32), nullable=False),
        sa.Column("topics", Json),
        sa.Column("language", sa.String(8)),
        when("at"),
    )
    op.create_table(
        "role",
        sa.Column("channel", sa.String(16), primary_key=True),
        sa.Column("ref", sa.String(255), primary_key=True),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("granted_by", sa.String(300), nullable=False),
        when("granted_at"),
    )
    op.create_table(
        "adminlog",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        when("at", index=True),
        sa.Column("actor", sa.String(300), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("target", sa.String(300)),
        sa.Column("detail", Json),
    )
    op.create_table(
        "event",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("title", Json, nullable=False),
        sa.Column("description", Json, nullable=False),
        when("starts_at", index=True),
        when("ends_at", nullable=True),
        sa.Column("timezone", sa.String(64), nullable=False),
        sa.Column("place", sa.String(500)),
        sa.Column("online_url", sa.String(500)),
        sa.Column("topics", Json, nullable=False),
        sa.Column("audience", Json, nullable=False),
        sa.Column("registration_url", sa.String(500)),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_by", sa.String(300), nullable=False),
        when("created_at"),
        when("published_at", nullable=True),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "rsvp",
        sa.Column("event_id", sa.Integer, sa.ForeignKey("event.id", ondelete="CASCADE"), primary_key=True),
        user(primary_key=True, index=True),
        when("at"),
    )
    op.create_table(
        "broadcast",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("event_id", sa.Integer, sa.ForeignKey("event.id", ondelete="CASCADE"), index=True),
        sa.Column("title", Json, nullable=False),
        sa.Column("body", Json, nullable=False),
        sa.Column("topics", Json, nullable=False),
        sa.Column("languages", Json, nullable=False),
        sa.Column("lands", Json, nullable=False),
        sa.Column("sizes", Json, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        when("due_at", index=True),
        sa.Column("created_by", sa.String(300), nullable=False),
        sa.Column("progress", Json),
        when("created_at"),
        when("started_at", nullable=True),
        when("finished_at", nullable=True),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "delivery",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("broadcast_id", sa.Integer, sa.ForeignKey("broadcast.id", ondelete="CASCADE"), nullable=False),
        user(nullable=False, index=True),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("address", sa.String(255), nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("reason", sa.String(64)),
        sa.Column("worker", sa.String(64)),
        when("claimed_at", nullable=True),
        when("done_at", nullable=True),
        sa.UniqueConstraint("broadcast_id", "user_id"),
    )
    op.create_index("ix_delivery_todo", "delivery", ["channel", "state", "id"])
    op.create_table("courier", sa.Column("id", sa.String(64), primary_key=True), when("started_at"), when("seen_at"))
    op.create_table(
        "pace", sa.Column("key", sa.String(64), primary_key=True), sa.Column("tat", sa.Float, nullable=False)
    )


def downgrade() -> None:
    for name in (
        "pace",
        "courier",
        "delivery",
        "broadcast",
        "rsvp",
        "event",
        "adminlog",
        "role",
        "consentrecord",
        "subscription",
    ):
        op.drop_table(name)
    with op.batch_alter_table("identity") as table:
        table.drop_column("address")
