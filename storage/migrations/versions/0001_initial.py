"""Users, identities, municipality profiles, conversations, answers, audit log, processed messages.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

Json = sa.JSON().with_variant(JSONB(), "postgresql")


def when(name: str, index: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=False, index=index)


def owner(primary_key: bool = False, unique: bool = False) -> sa.Column:
    return sa.Column(
        "user_id",
        sa.Integer,
        sa.ForeignKey("user.id", ondelete="CASCADE"),
        nullable=False,
        primary_key=primary_key,
        unique=unique,
        index=not (primary_key or unique),
    )


def upgrade() -> None:
    op.create_table(
        "user",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("language", sa.String(8), nullable=False),
        when("created_at"),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "identity",
        sa.Column("id", sa.Integer, primary_key=True),
        owner(),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("ref", sa.String(255), nullable=False),
        when("created_at"),
        sa.UniqueConstraint("channel", "ref"),
    )
    op.create_table(
        "municipality",
        owner(primary_key=True),
        sa.Column("name", sa.String(255)),
        sa.Column("kind", sa.String(32)),
        sa.Column("land", sa.String(32)),
        sa.Column("size", sa.String(32)),
        sa.Column("fields", Json),
        when("updated_at"),
    )
    op.create_table(
        "conversation",
        sa.Column("id", sa.Integer, primary_key=True),
        owner(unique=True),
        sa.Column("content_version", sa.String(32), nullable=False),
        sa.Column("position", Json, nullable=False),
        sa.Column("revision", sa.Integer, nullable=False),
        when("created_at"),
        when("updated_at"),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "answer",
        sa.Column(
            "conversation_id", sa.Integer, sa.ForeignKey("conversation.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("step_id", sa.String(64), primary_key=True),
        sa.Column("value", Json),
        when("created_at"),
        when("updated_at"),
    )
    op.create_table(
        "auditentry",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True, autoincrement=True),
        owner(),
        when("at"),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("step_id", sa.String(64)),
        sa.Column("old", Json),
        sa.Column("new", Json),
    )
    op.create_table(
        "processedmessage",
        sa.Column("channel", sa.String(16), primary_key=True),
        sa.Column("message_id", sa.String(128), primary_key=True),
        when("at", index=True),
    )


def downgrade() -> None:
    for table in ("processedmessage", "auditentry", "answer", "conversation", "municipality", "identity", "user"):
        op.drop_table(table)
