"""The statements of a message's hot path, built once per dialect and compiled once per driver."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Boolean, DateTime, Integer, String, bindparam, column, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Dialect
from sqlalchemy.sql import ClauseElement
from sqlalchemy.sql.expression import ColumnClause
from sqlmodel import col

from storage.base import PROFILE_FIELDS
from storage.models import (
    Answer,
    Approval,
    AuditEntry,
    Conversation,
    Identity,
    Json,
    Member,
    Municipality,
    ProcessedMessage,
    User,
    Workspace,
)
from storage.prepared import Prepared

_ME = "SELECT user_id, active, address FROM identity WHERE channel = :channel AND ref = :ref"
_MID = "CAST(:mid AS varchar)"
_UNSEEN = f"NOT EXISTS (SELECT 1 FROM processedmessage WHERE channel = :channel AND message_id = {_MID})"
_OPEN = f"""
SELECT {_UNSEEN} AS fresh, me.user_id, u.language, me.active, me.address,
       c.id AS cid, c.revision, c.content_version, c.position,
       c.workspace_id AS wid, w.revision AS wrev, w.name AS wname, mem.role AS wrole,
       (SELECT r.role FROM role AS r WHERE r.channel = :channel AND r.ref = :ref) AS granted,
       s.channel AS sub_channel, s.ref AS sub_ref, s.language AS sub_language, s.topics, s.consent_version,
       s.requested_at, s.confirmed_at
FROM (SELECT 1 AS one) AS one
LEFT JOIN ({_ME}) AS me ON true
LEFT JOIN "user" AS u ON u.id = me.user_id
LEFT JOIN conversation AS c ON c.user_id = me.user_id
LEFT JOIN workspace AS w ON w.id = c.workspace_id
LEFT JOIN member AS mem ON mem.workspace_id = c.workspace_id AND mem.user_id = me.user_id
LEFT JOIN subscription AS s ON s.user_id = me.user_id
"""
"""What a message needs to know, in one round trip: whether its id is new, the person, their
conversation and its workspace (revision, name, their role there), subscription and granted role."""
_PG_LOCK = f"""
WITH claim AS (
    INSERT INTO processedmessage (channel, message_id, at)
    SELECT :channel, {_MID}, :now WHERE {_MID} IS NOT NULL
    ON CONFLICT DO NOTHING RETURNING 1
), me AS (
    SELECT user_id FROM identity WHERE channel = :channel AND ref = :ref FOR UPDATE
), theirs AS (
    SELECT w.id FROM workspace AS w JOIN conversation AS c ON c.workspace_id = w.id
    WHERE c.user_id IN (SELECT user_id FROM me) FOR UPDATE OF w
), mine AS (
    SELECT id FROM conversation WHERE user_id IN (SELECT user_id FROM me) AND (SELECT count(*) FROM theirs) >= 0
    FOR UPDATE
)
SELECT ({_MID} IS NULL OR EXISTS (SELECT 1 FROM claim)) AS fresh, (SELECT count(*) FROM mine) AS locked
"""
"""PostgreSQL in a transaction: claim the message id and lock the person's identity, workspace and
conversation rows until commit, so that what is read next (in a new statement, hence a new snapshot)
stays as it is until the save. The workspace is locked before the conversation, in the order the
one-statement save takes them, so that the two never wait for each other."""

_PG_SAVE = f"""
WITH changes AS (
    SELECT * FROM jsonb_to_recordset(CAST(:changes AS jsonb))
        AS c(step_id text, value jsonb, old jsonb, action text, authors jsonb)
), ws AS (
    UPDATE workspace SET revision = :wrevision, name = COALESCE(CAST(:wname AS varchar), name)
    WHERE id = :wid AND revision = :wseen AND EXISTS (SELECT 1 FROM changes) AND {_UNSEEN}
    AND EXISTS (SELECT 1 FROM conversation WHERE id = :cid AND revision = :seen) RETURNING id
), moved AS (
    UPDATE conversation SET content_version = :version, position = CAST(:position AS jsonb), revision = :revision,
           updated_at = :now
    WHERE id = :cid AND revision = :seen AND {_UNSEEN}
    AND (NOT EXISTS (SELECT 1 FROM changes) OR EXISTS (SELECT 1 FROM ws)) RETURNING id
), claim AS (
    INSERT INTO processedmessage (channel, message_id, at)
    SELECT :channel, {_MID}, :now WHERE {_MID} IS NOT NULL AND EXISTS (SELECT 1 FROM moved)
    ON CONFLICT DO NOTHING
), upserted AS (
    INSERT INTO answer (workspace_id, step_id, value, author_id, authors, revision, created_at, updated_at)
    SELECT :wid, step_id, value, :uid, authors, :wrevision, :now, :now FROM changes
    WHERE action <> 'remove' AND EXISTS (SELECT 1 FROM moved)
    ON CONFLICT (workspace_id, step_id) DO UPDATE SET value = excluded.value, author_id = excluded.author_id,
        authors = excluded.authors, revision = excluded.revision, updated_at = excluded.updated_at
), removed AS (
    DELETE FROM answer WHERE workspace_id = :wid AND EXISTS (SELECT 1 FROM moved)
    AND step_id IN (SELECT step_id FROM changes WHERE action = 'remove')
), audited AS (
    INSERT INTO auditentry (user_id, workspace_id, at, action, step_id, old, new)
    SELECT :uid, :wid, :now, action, step_id, old, value FROM changes WHERE EXISTS (SELECT 1 FROM moved)
), profiled AS (
    INSERT INTO municipality (user_id, name, kind, land, size, fields, updated_at)
    SELECT :uid, p.name, p.kind, p.land, p.size, p.fields, :now
    FROM jsonb_to_record(CAST(:profile AS jsonb)) AS p(name varchar, kind varchar, land varchar, size varchar,
                                                        fields jsonb)
    WHERE CAST(:profile AS jsonb) IS NOT NULL AND EXISTS (SELECT 1 FROM moved)
    ON CONFLICT (user_id) DO UPDATE SET name = excluded.name, kind = excluded.kind, land = excluded.land,
        size = excluded.size, fields = excluded.fields, updated_at = excluded.updated_at
)
SELECT count(*) AS moved FROM moved
"""
"""PostgreSQL: position, answers, audit entries and (with ``:profile``) the municipality profile in
one round trip, written only while the conversation is at the revision the message read and, when
answers change, the workspace too (its revision is raised, so other members' writers see it). With
``:mid`` (a message read without a transaction) the same statement also claims the message id, so
the whole message is one atomic write; a message id handled meanwhile writes nothing."""


def _opened_columns() -> list[ColumnClause[Any]]:
    when = DateTime(timezone=True)
    return [
        column("fresh", Boolean),
        column("user_id", Integer),
        column("language", String),
        column("active", Boolean),
        column("address", String),
        column("cid", Integer),
        column("revision", Integer),
        column("content_version", String),
        column("position", Json),
        column("wid", Integer),
        column("wrev", Integer),
        column("wname", String),
        column("wrole", String),
        column("granted", String),
        column("sub_channel", String),
        column("sub_ref", String),
        column("sub_language", String),
        column("topics", Json),
        column("consent_version", String),
        column("requested_at", when),
        column("confirmed_at", when),
    ]


def _statements(dialect: str) -> dict[str, ClauseElement]:
    """Statements built once per dialect: SQLAlchemy then reuses their compiled form."""
    ins = postgresql.insert if dialect == "postgresql" else sqlite.insert
    p = bindparam
    when = DateTime(timezone=True)
    answer = ins(Answer).values(
        workspace_id=p("wid"),
        step_id=p("sid"),
        value=p("value", type_=Json),
        author_id=p("uid"),
        authors=p("authors", type_=Json),
        revision=p("wrevision"),
        created_at=p("now"),
        updated_at=p("now"),
    )
    profile = ins(Municipality).values(
        user_id=p("uid"),
        updated_at=p("now"),
        fields=p("fields", type_=Json),
        **{k: p(k) for k in PROFILE_FIELDS if k != "fields"},
    )
    identity = (col(Identity.channel) == p("channel"), col(Identity.ref) == p("ref"))
    statements: dict[str, ClauseElement] = {
        "claim": ins(ProcessedMessage)
        .values(channel=p("channel"), message_id=p("mid"), at=p("now"))
        .on_conflict_do_nothing(),
        "new_user": ins(User).values(language=p("lang"), created_at=p("now")).returning(col(User.id)),
        "new_identity": ins(Identity).values(
            user_id=p("uid"), channel=p("channel"), ref=p("ref"), address=p("address"), created_at=p("now")
        ),
        "address": update(Identity).where(*identity).values(address=p("address")),
        "reachable": update(Identity)
        .where(*identity)
        .values(active=p("active"), status=p("status"), status_at=p("now")),
        "answers": select(
            col(Answer.step_id),
            col(Answer.value),
            col(Answer.author_id),
            col(Answer.revision),
            col(Answer.updated_at),
            col(Answer.authors),
        ).where(col(Answer.workspace_id) == p("wid")),
        "members": select(
            col(Member.user_id), col(Member.role), col(Member.name), col(Member.notices), col(Identity.channel)
        )
        .join(Identity, col(Identity.user_id) == col(Member.user_id), isouter=True)
        .where(col(Member.workspace_id) == p("wid"))
        .order_by(col(Member.joined_at), col(Member.user_id)),
        "approvals": select(col(Approval.stage_id), col(Approval.agreed_on), col(Approval.answers)).where(
            col(Approval.workspace_id) == p("wid")
        ),
        "new_workspace": ins(Workspace).values(revision=1, created_at=p("now")).returning(col(Workspace.id)),
        "new_member": ins(Member).values(
            workspace_id=p("wid"), user_id=p("uid"), role=p("role"), name=p("name"), notices=True, joined_at=p("now")
        ),
        "bump": update(Workspace)
        .where(col(Workspace.id) == p("wid"), col(Workspace.revision) == p("wseen"))
        .values(revision=p("wrevision")),
        "workspace_name": update(Workspace)
        .where(
            col(Workspace.id)
            == select(col(Conversation.workspace_id)).where(col(Conversation.user_id) == p("uid")).scalar_subquery()
        )
        .values(name=p("wname")),
        "new_conversation": ins(Conversation)
        .values(
            user_id=p("uid"),
            workspace_id=p("wid"),
            content_version=p("version"),
            position=p("position", type_=Json),
            revision=1,
            created_at=p("now"),
            updated_at=p("now"),
        )
        .returning(col(Conversation.id)),
        "move": update(Conversation)
        .where(col(Conversation.id) == p("cid"), col(Conversation.revision) == p("seen"))
        .values(
            content_version=p("version"),
            position=p("position", type_=Json),
            revision=p("revision"),
            updated_at=p("now"),
        ),
        "language": update(User).where(col(User.id) == p("uid")).values(language=p("lang")),
        "answer": answer.on_conflict_do_update(
            index_elements=["workspace_id", "step_id"],
            set_={k: getattr(answer.excluded, k) for k in ("value", "author_id", "authors", "revision", "updated_at")},
        ),
        "join_workspace": update(Conversation).where(col(Conversation.id) == p("cid")).values(workspace_id=p("wid")),
        "profile": profile.on_conflict_do_update(
            index_elements=["user_id"], set_={k: getattr(profile.excluded, k) for k in (*PROFILE_FIELDS, "updated_at")}
        ),
        "audit": ins(AuditEntry).values(
            user_id=p("uid"),
            workspace_id=p("wid"),
            at=p("now"),
            action=p("action"),
            step_id=p("sid"),
            old=p("old", type_=Json),
            new=p("new", type_=Json),
        ),
    }
    typed = (p("mid", type_=String), p("now", type_=when))
    statements["open"] = text(_OPEN).bindparams(typed[0]).columns(*_opened_columns())
    if dialect == "postgresql":
        statements["lock"] = (
            text(_PG_LOCK).bindparams(*typed).columns(column("fresh", Boolean), column("locked", Integer))
        )
        statements["save"] = text(_PG_SAVE).bindparams(*typed).columns(column("moved", Integer))
    return statements


_STATEMENTS = {dialect: _statements(dialect) for dialect in ("sqlite", "postgresql")}
_PREPARED: dict[str, dict[str, Prepared]] = {}


def prepared(dialect: Dialect) -> dict[str, Prepared]:
    """The statements compiled for a connection's dialect and driver."""
    key = f"{dialect.name}+{dialect.driver}"
    if key not in _PREPARED:
        _PREPARED[key] = {name: Prepared(stmt, dialect) for name, stmt in _STATEMENTS[dialect.name].items()}
    return _PREPARED[key]
