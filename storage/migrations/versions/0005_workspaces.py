"""Workspaces: a strategy belongs to a municipality's workspace, and its team works on it together.

Every existing conversation becomes a workspace of its own (with the conversation's id), its person
that workspace's coordinator, and its answers the workspace's answers, written by that person.
Nothing is lost: the answers keep their values and times.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_JSON = sa.JSON().with_variant(sa.dialects.postgresql.JSONB(), "postgresql")
_WHEN = sa.DateTime(timezone=True)


def _user(column: str, nullable: bool = True, ondelete: str = "SET NULL") -> sa.Column:
    return sa.Column(column, sa.Integer, sa.ForeignKey("user.id", ondelete=ondelete), nullable=nullable)


def _workspace(primary_key: bool = False, nullable: bool = False) -> sa.Column:
    return sa.Column(
        "workspace_id",
        sa.Integer,
        sa.ForeignKey("workspace.id", ondelete="CASCADE"),
        primary_key=primary_key,
        nullable=nullable,
    )


def upgrade() -> None:
    op.create_table(
        "workspace",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(255), nullable=True),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("created_at", _WHEN, nullable=False),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "member",
        _workspace(primary_key=True),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("user.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("name", sa.String(64), nullable=True),
        sa.Column("notices", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column("joined_at", _WHEN, nullable=False),
    )
    op.create_index("ix_member_user_id", "member", ["user_id"])
    op.create_table(
        "code",
        sa.Column("code", sa.String(16), primary_key=True),
        sa.Column("kind", sa.String(8), nullable=False),
        _user("user_id", nullable=False, ondelete="CASCADE"),
        _workspace(nullable=True),
        sa.Column("role", sa.String(16), nullable=True),
        sa.Column("created_at", _WHEN, nullable=False),
        sa.Column("expires_at", _WHEN, nullable=False),
        sa.Column("used_at", _WHEN, nullable=True),
        _user("used_by"),
    )
    op.create_index("ix_code_user_id", "code", ["user_id"])
    op.create_index("ix_code_workspace_id", "code", ["workspace_id"])
    op.create_table(
        "codeattempt",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True, autoincrement=True),
        _user("user_id", nullable=False, ondelete="CASCADE"),
        sa.Column("at", _WHEN, nullable=False),
    )
    op.create_index("ix_codeattempt_user_id", "codeattempt", ["user_id"])
    op.create_table(
        "approval",
        _workspace(primary_key=True),
        sa.Column("stage_id", sa.String(64), primary_key=True),
        sa.Column("agreed_on", sa.String(10), nullable=False),
        _user("by"),
        sa.Column("at", _WHEN, nullable=False),
        sa.Column("answers", _JSON, nullable=False),
    )
    op.create_table(
        "room",
        sa.Column("channel", sa.String(16), primary_key=True),
        sa.Column("ref", sa.String(255), primary_key=True),
        _workspace(),
        _user("bound_by"),
        sa.Column("at", _WHEN, nullable=False),
    )
    op.create_index("ix_room_workspace_id", "room", ["workspace_id"])

    # Every conversation becomes a workspace with the same id, its person the coordinator.
    op.execute(
        "INSERT INTO workspace (id, name, revision, created_at) SELECT c.id, m.name, c.revision, c.created_at "
        "FROM conversation AS c LEFT JOIN municipality AS m ON m.user_id = c.user_id"
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute("SELECT setval(pg_get_serial_sequence('workspace', 'id'), (SELECT max(id) FROM workspace))")
    op.execute(
        "INSERT INTO member (workspace_id, user_id, role, notices, joined_at) "
        "SELECT id, user_id, 'coordinator', true, created_at FROM conversation"
    )
    # Answers move from the conversation to its workspace (same id), written by the conversation's person,
    # before the conversation table changes (see below).
    op.create_table(
        "answer_new",
        _workspace(primary_key=True),
        sa.Column("step_id", sa.String(64), primary_key=True),
        sa.Column("value", _JSON, nullable=True),
        _user("author_id"),
        sa.Column("authors", _JSON, nullable=True),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("created_at", _WHEN, nullable=False),
        sa.Column("updated_at", _WHEN, nullable=False),
    )
    op.execute(
        "INSERT INTO answer_new (workspace_id, step_id, value, author_id, authors, revision, created_at, updated_at) "
        "SELECT a.conversation_id, a.step_id, a.value, c.user_id, NULL, c.revision, a.created_at, a.updated_at "
        "FROM answer AS a JOIN conversation AS c ON c.id = a.conversation_id"
    )
    op.drop_table("answer")
    op.rename_table("answer_new", "answer")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE answer RENAME CONSTRAINT answer_new_pkey TO answer_pkey")

    # Only now, with nothing referring to it any more: on SQLite the batch copies the conversation table and
    # drops the old one, and with foreign keys on that drop would take the old answers with it (ON DELETE CASCADE).
    with op.batch_alter_table("conversation") as table:
        table.add_column(sa.Column("workspace_id", sa.Integer, nullable=True))
        table.create_foreign_key(
            "fk_conversation_workspace", "workspace", ["workspace_id"], ["id"], ondelete="SET NULL"
        )
        table.create_index("ix_conversation_workspace_id", ["workspace_id"])
    op.execute("UPDATE conversation SET workspace_id = id")
    with op.batch_alter_table("auditentry") as table:
        table.add_column(sa.Column("workspace_id", sa.Integer, nullable=True))
        table.create_index("ix_auditentry_workspace_id", ["workspace_id"])
    op.execute(
        "UPDATE auditentry SET workspace_id = (SELECT c.id FROM conversation AS c WHERE c.user_id = auditentry.user_id)"
    )


def downgrade() -> None:
    raise NotImplementedError("workspaces cannot be split back into one strategy per person")
