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
from storage.models import Answer, AuditEntry, Conversation, Identity, Json, Municipality, ProcessedMessage, User
from storage.prepared import Prepared

_ME = "SELECT user_id, active, address FROM identity WHERE channel = :channel AND ref = :ref"
_MID = "CAST(:mid AS varchar)"
_UNSEEN = f"NOT EXISTS (SELECT 1 FROM processedmessage WHERE channel = :channel AND message_id = {_MID})"
_OPEN = f"""
SELECT {_UNSEEN} AS fresh, me.user_id, u.language, me.active, me.address,
       c.id AS cid, c.revision, c.content_version, c.position,
       (SELECT r.role FROM role AS r WHERE r.channel = :channel AND r.ref = :ref) AS granted,
       s.channel AS sub_channel, s.ref AS sub_ref, s.language AS sub_language, s.topics, s.consent_version,
       s.requested_at, s.confirmed_at
FROM (SELECT 1 AS one) AS one
LEFT JOIN ({_ME}) AS me ON true
LEFT JOIN "user" AS u ON u.id = me.user_id
LEFT JOIN conversation AS c ON c.user_id = me.user_id
LEFT JOIN subscription AS s ON s.user_id = me.user_id
"""
"""What a message needs to know, in one round trip: whether its id is new, the person, their
conversation, subscription and granted role."""
_PG_LOCK = f"""
WITH claim AS (
    INSERT INTO processedmessage (channel, message_id, at)
    SELECT :channel, {_MID}, :now WHERE {_MID} IS NOT NULL
    ON CONFLICT DO NOTHING RETURNING 1
), me AS (
    SELECT user_id FROM identity WHERE channel = :channel AND ref = :ref FOR UPDATE
), mine AS (
    SELECT id FROM conversation WHERE user_id IN (SELECT user_id FROM me) FOR UPDATE
)
SELECT ({_MID} IS NULL OR EXISTS (SELECT 1 FROM claim)) AS fresh, (SELECT count(*) FROM mine) AS locked
"""
"""PostgreSQL in a transaction: claim the message id and lock the person's identity and conversation
rows until commit, so that what is read next (in a new statement, hence a new snapshot) stays as it
is until the save."""

_PG_SAVE = f"""
WITH changes AS (
    SELECT * FROM jsonb_to_recordset(CAST(:changes AS jsonb)) AS c(step_id text, value jsonb, old jsonb, action text)
), moved AS (
    UPDATE conversation SET content_version = :version, position = CAST(:position AS jsonb), revision = :revision,
           updated_at = :now
    WHERE id = :cid AND revision = :seen AND {_UNSEEN} RETURNING id
), claim AS (
    INSERT INTO processedmessage (channel, message_id, at)
    SELECT :channel, {_MID}, :now WHERE {_MID} IS NOT NULL AND EXISTS (SELECT 1 FROM moved)
    ON CONFLICT DO NOTHING
), upserted AS (
    INSERT INTO answer (conversation_id, step_id, value, created_at, updated_at)
    SELECT :cid, step_id, value, :now, :now FROM changes WHERE action <> 'remove' AND EXISTS (SELECT 1 FROM moved)
    ON CONFLICT (conversation_id, step_id) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
), removed AS (
    DELETE FROM answer WHERE conversation_id = :cid AND EXISTS (SELECT 1 FROM moved)
    AND step_id IN (SELECT step_id FROM changes WHERE action = 'remove')
), audited AS (
    INSERT INTO auditentry (user_id, at, action, step_id, old, new)
    SELECT :uid, :now, action, step_id, old, value FROM changes WHERE EXISTS (SELECT 1 FROM moved)
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
one round trip, written only while the conversation is at the revision the message read. With
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
        conversation_id=p("cid"),
        step_id=p("sid"),
        value=p("value", type_=Json),
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
        "answers": select(col(Answer.step_id), col(Answer.value)).where(col(Answer.conversation_id) == p("cid")),
        "new_conversation": ins(Conversation)
        .values(
            user_id=p("uid"),
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
            index_elements=["conversation_id", "step_id"], set_={"value": answer.excluded.value, "updated_at": p("now")}
        ),
        "profile": profile.on_conflict_do_update(
            index_elements=["user_id"], set_={k: getattr(profile.excluded, k) for k in (*PROFILE_FIELDS, "updated_at")}
        ),
        "audit": ins(AuditEntry).values(
            user_id=p("uid"),
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
