"""Whether the bot can still reach an identity (a Telegram user may block the bot), and why not.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("identity") as table:
        table.add_column(sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()))
        table.add_column(sa.Column("status", sa.String(32), nullable=True))
        table.add_column(sa.Column("status_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("identity") as table:
        table.drop_column("status_at")
        table.drop_column("status")
        table.drop_column("active")
