"""Official statistics: the municipality directory (place), imported files (dataset) and their values (figure).

Nothing existing changes. Downgrade drops the three tables.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-21
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "place",
        sa.Column("country", sa.String(2), primary_key=True),
        sa.Column("key", sa.String(12), primary_key=True),
        sa.Column("level", sa.String(16), nullable=False),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("folded", sa.String(255), nullable=False),
        sa.Column("kreis", sa.String(12), nullable=False),
        sa.Column("land", sa.String(12), nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("postcode", sa.String(8), nullable=False),
        sa.Column("population", sa.Integer, nullable=True),
        sa.Column("stand", sa.Date, nullable=True),
    )
    op.create_index("ix_place_folded", "place", ["country", "folded"], postgresql_ops={"folded": "text_pattern_ops"})
    op.create_index("ix_place_postcode", "place", ["postcode"])
    op.create_table(
        "dataset",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("scope", sa.Integer, nullable=False),
        sa.Column("workspace_id", sa.Integer, sa.ForeignKey("workspace.id", ondelete="CASCADE"), nullable=True),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("table_code", sa.String(32), nullable=False),
        sa.Column("layout", sa.String(16), nullable=False),
        sa.Column("file_name", sa.String(255), nullable=False),
        sa.Column("figures", sa.Integer, nullable=False),
        sa.Column("imported_by", sa.String(255), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("scope", "sha256"),
    )
    op.create_index("ix_dataset_workspace_id", "dataset", ["workspace_id"])
    op.create_table(
        "figure",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True, autoincrement=True),
        sa.Column("dataset_id", sa.Integer, nullable=False),
        sa.Column("workspace_id", sa.Integer, sa.ForeignKey("workspace.id", ondelete="CASCADE"), nullable=True),
        sa.Column("scope", sa.Integer, nullable=False),
        sa.Column("country", sa.String(2), nullable=False),
        sa.Column("region", sa.String(12), nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("measure", sa.String(16), nullable=False),
        sa.Column("stichtag", sa.Date, nullable=False),
        sa.Column("sex", sa.String(1), nullable=False),
        sa.Column("age", sa.String(8), nullable=False),
        sa.Column("ortsteil", sa.String(120), nullable=False),
        sa.Column("value", sa.BigInteger, nullable=True),
        sa.Column("table_code", sa.String(32), nullable=False),
        sa.UniqueConstraint(
            "scope", "country", "region", "source", "measure", "stichtag", "sex", "age", "ortsteil", name="uq_figure"
        ),
    )
    op.create_index(
        "ix_figure_workspace_id",
        "figure",
        ["workspace_id"],
        sqlite_where=sa.text("workspace_id IS NOT NULL"),
        postgresql_where=sa.text("workspace_id IS NOT NULL"),
    )


def downgrade() -> None:
    op.drop_table("figure")
    op.drop_table("dataset")
    op.drop_table("place")
