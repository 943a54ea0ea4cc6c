"""Learning from each other: exchange profiles, introductions, shared practices, adoptions, reviewed quotes.

Nothing existing changes. Downgrade drops the five tables.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

_JSON = sa.JSON().with_variant(JSONB(), "postgresql")
_WHEN = sa.DateTime(timezone=True)


def _workspace(name: str = "workspace_id", primary_key: bool = False) -> sa.Column:
    return sa.Column(
        name, sa.Integer, sa.ForeignKey("workspace.id", ondelete="CASCADE"), primary_key=primary_key, nullable=False
    )


def _user(name: str, ondelete: str = "SET NULL") -> sa.Column:
    return sa.Column(name, sa.Integer, sa.ForeignKey("user.id", ondelete=ondelete), nullable=ondelete != "CASCADE")


def upgrade() -> None:
    op.create_table(
        "exchangeprofile",
        _workspace(primary_key=True),
        _user("user_id", "CASCADE"),
        sa.Column("facts", _JSON, nullable=False),
        sa.Column("offers", _JSON, nullable=False),
        sa.Column("seeks", _JSON, nullable=False),
        sa.Column("languages", _JSON, nullable=False),
        sa.Column("contact", sa.String(500), nullable=False),
        sa.Column("twin_town", sa.String(255), nullable=False),
        sa.Column("consent_version", sa.String(32), nullable=False),
        sa.Column("opted_in_at", _WHEN, nullable=False),
        sa.Column("updated_at", _WHEN, nullable=False),
    )
    op.create_index("ix_exchangeprofile_user_id", "exchangeprofile", ["user_id"])
    op.create_table(
        "introduction",
        sa.Column("id", sa.Integer, primary_key=True),
        _workspace("asking"),
        _workspace("asked"),
        _user("asked_by"),
        sa.Column("reasons", _JSON, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("asked_at", _WHEN, nullable=False),
        _user("answered_by"),
        sa.Column("answered_at", _WHEN, nullable=True),
    )
    op.create_index("ix_introduction_asking", "introduction", ["asking"])
    op.create_index("ix_introduction_asked", "introduction", ["asked", "status"])
    op.create_table(
        "sharedpractice",
        sa.Column("id", sa.Integer, primary_key=True),
        _workspace(),
        sa.Column("measure", sa.String(64), nullable=False),
        sa.Column("municipality", sa.String(255), nullable=False),
        sa.Column("field", sa.String(32), nullable=False),
        sa.Column("lang", sa.String(8), nullable=False),
        sa.Column("texts", _JSON, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        _user("submitted_by"),
        sa.Column("submitted_at", _WHEN, nullable=False),
        sa.Column("reviewed_by", sa.String(255), nullable=True),
        sa.Column("reviewed_at", _WHEN, nullable=True),
        sa.Column("updated_at", _WHEN, nullable=False),
    )
    op.create_index("ix_sharedpractice_workspace_id", "sharedpractice", ["workspace_id"])
    op.create_index("ix_sharedpractice_status", "sharedpractice", ["status"])
    op.create_table(
        "adoption",
        sa.Column("item", sa.String(64), primary_key=True),
        _workspace(primary_key=True),
        sa.Column("measure", sa.String(64), nullable=False),
        sa.Column("at", _WHEN, nullable=False),
    )
    op.create_table(
        "quote",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("digest", sa.String(64), nullable=False, unique=True),
        sa.Column("field", sa.String(32), nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("text", sa.String(2000), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("reviewed_by", sa.String(255), nullable=False),
        sa.Column("reviewed_at", _WHEN, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("quote")
    op.drop_table("adoption")
    op.drop_index("ix_sharedpractice_status", "sharedpractice")
    op.drop_index("ix_sharedpractice_workspace_id", "sharedpractice")
    op.drop_table("sharedpractice")
    op.drop_index("ix_introduction_asked", "introduction")
    op.drop_index("ix_introduction_asking", "introduction")
    op.drop_table("introduction")
    op.drop_index("ix_exchangeprofile_user_id", "exchangeprofile")
    op.drop_table("exchangeprofile")
