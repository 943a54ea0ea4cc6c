"""From plan to practice: reminders, status reports (progress), plan versions and reminder settings.

Nothing existing changes. Downgrade drops the four tables.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

_JSON = sa.JSON().with_variant(JSONB(), "postgresql")
_WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "reminder",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("workspace_id", sa.Integer, sa.ForeignKey("workspace.id", ondelete="CASCADE"), nullable=False),
        sa.Column("key", sa.String(255), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("subject", sa.String(64), nullable=False),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("user.id", ondelete="CASCADE"), nullable=False),
        sa.Column("due_at", _WHEN, nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("reason", sa.String(64), nullable=True),
        sa.Column("broadcast_id", sa.Integer, sa.ForeignKey("broadcast.id", ondelete="SET NULL"), nullable=True),
        sa.Column("created_at", _WHEN, nullable=False),
        sa.Column("done_at", _WHEN, nullable=True),
        sa.UniqueConstraint("workspace_id", "key", name="uq_reminder_key"),
    )
    op.create_index("ix_reminder_due", "reminder", ["state", "due_at"])
    op.create_index("ix_reminder_user_id", "reminder", ["user_id"])
    op.create_index("ix_reminder_workspace_id", "reminder", ["workspace_id"])
    op.create_table(
        "progress",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True, autoincrement=True),
        sa.Column("workspace_id", sa.Integer, sa.ForeignKey("workspace.id", ondelete="CASCADE"), nullable=False),
        sa.Column("measure", sa.String(64), nullable=False),
        sa.Column("status", sa.String(16), nullable=True),
        sa.Column("value", sa.Float, nullable=True),
        sa.Column("note", sa.String(500), nullable=True),
        sa.Column("author_id", sa.Integer, sa.ForeignKey("user.id", ondelete="SET NULL"), nullable=True),
        sa.Column("author", sa.String(64), nullable=True),
        sa.Column("at", _WHEN, nullable=False),
    )
    op.create_index("ix_progress_measure", "progress", ["workspace_id", "measure", "at"])
    op.create_index("ix_progress_workspace_id", "progress", ["workspace_id"])
    op.create_table(
        "planversion",
        sa.Column("workspace_id", sa.Integer, sa.ForeignKey("workspace.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("number", sa.Integer, primary_key=True),
        sa.Column("answers", _JSON, nullable=False),
        sa.Column("agreed_on", sa.String(10), nullable=True),
        sa.Column("by", sa.Integer, sa.ForeignKey("user.id", ondelete="SET NULL"), nullable=True),
        sa.Column("at", _WHEN, nullable=False),
    )
    op.create_table(
        "remindersetting",
        sa.Column("user_id", sa.Integer, sa.ForeignKey("user.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("setting", sa.String(8), nullable=False),
        sa.Column("until", _WHEN, nullable=True),
        sa.Column("at", _WHEN, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("remindersetting")
    op.drop_table("planversion")
    op.drop_index("ix_progress_workspace_id", "progress")
    op.drop_index("ix_progress_measure", "progress")
    op.drop_table("progress")
    op.drop_index("ix_reminder_workspace_id", "reminder")
    op.drop_index("ix_reminder_user_id", "reminder")
    op.drop_index("ix_reminder_due", "reminder")
    op.drop_table("reminder")
