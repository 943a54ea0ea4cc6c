"""A message's reads and writes: who wrote, their conversation and answers, and saving a turn.

Writers never overwrite what they did not see. Every save names the revision it read and is
written only while the conversation is still at it; otherwise :class:`Conflict` makes the whole
unit of work run again on the rows as they are now. The same check will guard any row that
several people write (a team's shared strategy), not only one person's conversation.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, NamedTuple, cast

from sqlalchemy import Boolean, DateTime, Integer, String, bindparam, column, delete, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.exc import DBAPIError, IntegrityError

from storage.models import (
    Answer,
    AuditEntry,
    Conversation,
    Identity,
    Json,
    Municipality,
    ProcessedMessage,
    User,
    utcnow,
)
from storage.people import Subscriber
from storage.prepared import Prepared

PROFILE_FIELDS = ("name", "kind", "land", "size", "fields")
"""The municipality profile: a projection of the onboarding answers, kept for broadcasts' targeting."""


class Change(NamedTuple):
    """One answer to write, as the engine classified it: ``answer`` (upsert ``new``), ``skip`` (upsert None)
    or ``remove`` (delete the row); ``old`` is what the audit entry keeps as before (None when absent)."""

    step_id: str
    kind: Literal["answer", "skip", "remove"]
    old: Any
    new: Any


class Conflict(Exception):
    """What a unit of work read has changed under it (another writer committed first).

    Raised by a save that finds the conversation no longer at the revision it read, or by a
    first-contact insert that another writer made at the same moment. ``Store.run`` rolls back and
    runs the whole unit again.
    """


class NeedsTransaction(Exception):
    """An optimistic unit (see ``Store.run_message``) wants to write more than its one save."""


@dataclass
class Account:
    user_id: int
    language: str
    created: bool


@dataclass
class Saved:
    """A conversation as stored: its row id, position (state without answers) and answers."""

    conversation_id: int | None
    revision: int
    content_version: str | None
    position: dict[str, Any] | None
    answers: dict[str, Any]


EMPTY = Saved(None, 0, None, None, {})
"""No conversation yet."""


@dataclass
class Opened:
    """What a message needs to know before the engine runs: whether it is new, and whose it is."""

    fresh: bool
    """False when the message id was handled before (a redelivery): nothing more to do."""
    account: Account
    saved: Saved
    subscriber: Subscriber | None
    granted: str | None
    """A role granted in chat (``editor``), if any."""


class AnswerCache:
    """Answers of recently active conversations, keyed by conversation and revision.

    An entry is used only when the stored revision still matches, and a revision is written only
    by the save that read the one before it, so several processes may share a database safely.
    """

    def __init__(self, size: int = 20_000):
        self.size = size
        self._entries: OrderedDict[int, tuple[int, dict[str, Any]]] = OrderedDict()

    def get(self, cid: int) -> tuple[int, dict[str, Any]] | None:
        entry = self._entries.get(cid)
        if entry is not None:
            self._entries.move_to_end(cid)
        return entry

    def put(self, cid: int, revision: int, answers: dict[str, Any]) -> None:
        self._entries[cid] = (revision, answers)
        self._entries.move_to_end(cid)
        while len(self._entries) > self.size:
            self._entries.popitem(last=False)

    def drop(self, cid: int) -> None:
        self._entries.pop(cid, None)


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


def _opened_columns() -> list[Any]:
    when = DateTime(timezone=True)
    return [column("fresh", Boolean), column("user_id", Integer), column("language", String),
            column("active", Boolean), column("address", String), column("cid", Integer),
            column("revision", Integer), column("content_version", String), column("position", Json),
            column("granted", String), column("sub_channel", String), column("sub_ref", String),
            column("sub_language", String), column("topics", Json), column("consent_version", String),
            column("requested_at", when), column("confirmed_at", when)]


def _statements(dialect: str) -> dict[str, Any]:
    """Statements built once per dialect: SQLAlchemy then reuses their compiled form."""
    ins = postgresql.insert if dialect == "postgresql" else sqlite.insert
    p = bindparam
    when = DateTime(timezone=True)
    answer = ins(Answer).values(conversation_id=p("cid"), step_id=p("sid"), value=p("value", type_=Json),
                                created_at=p("now"), updated_at=p("now"))
    profile = ins(Municipality).values(user_id=p("uid"), updated_at=p("now"), fields=p("fields", type_=Json),
                                       **{k: p(k) for k in PROFILE_FIELDS if k != "fields"})
    statements: dict[str, Any] = {
        "claim": ins(ProcessedMessage).values(channel=p("channel"), message_id=p("mid"), at=p("now"))
        .on_conflict_do_nothing(),
        "new_user": ins(User).values(language=p("lang"), created_at=p("now")).returning(User.id),
        "new_identity": ins(Identity).values(user_id=p("uid"), channel=p("channel"), ref=p("ref"),
                                             address=p("address"), created_at=p("now")),
        "address": update(Identity).where(Identity.channel == p("channel"), Identity.ref == p("ref")).values(
            address=p("address")),
        "reachable": update(Identity).where(Identity.channel == p("channel"), Identity.ref == p("ref")).values(
            active=p("active"), status=p("status"), status_at=p("now")),
        "answers": select(Answer.step_id, Answer.value).where(Answer.conversation_id == p("cid")),
        "new_conversation": ins(Conversation).values(user_id=p("uid"), content_version=p("version"),
                                                     position=p("position", type_=Json), revision=1,
                                                     created_at=p("now"),
                                                     updated_at=p("now")).returning(Conversation.id),
        "move": update(Conversation).where(Conversation.id == p("cid"), Conversation.revision == p("seen")).values(
            content_version=p("version"), position=p("position", type_=Json), revision=p("revision"),
            updated_at=p("now")),
        "language": update(User).where(User.id == p("uid")).values(language=p("lang")),
        "answer": answer.on_conflict_do_update(index_elements=["conversation_id", "step_id"],
                                               set_={"value": answer.excluded.value, "updated_at": p("now")}),
        "profile": profile.on_conflict_do_update(index_elements=["user_id"], set_={
            k: getattr(profile.excluded, k) for k in (*PROFILE_FIELDS, "updated_at")}),
        "audit": ins(AuditEntry).values(user_id=p("uid"), at=p("now"), action=p("action"), step_id=p("sid"),
                                        old=p("old", type_=Json), new=p("new", type_=Json)),
    }
    typed = (p("mid", type_=String), p("now", type_=when))
    statements["open"] = text(_OPEN).bindparams(typed[0]).columns(*_opened_columns())
    if dialect == "postgresql":
        statements["lock"] = text(_PG_LOCK).bindparams(*typed).columns(column("fresh", Boolean),
                                                                        column("locked", Integer))
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


class Direct:
    """A connection whose compiled statements (``Prepared``) go straight to the driver.

    SQLAlchemy's cursor costs about as much CPU per statement as the driver itself; on the hot path
    that is most of the cost. Statements built with SQLAlchemy (``execute``) still go through it,
    and a driver's error is raised as SQLAlchemy's, so callers see one kind of database error.
    On SQLite the statements run in the connection's transaction (the same DBAPI connection); on
    PostgreSQL only outside one (see ``Store.run_message``), since SQLAlchemy begins its
    transactions lazily, at its own first statement.
    """

    def __init__(self, conn: Connection):
        self.conn = conn
        self.dialect = conn.dialect
        self._driver: Any = conn.connection.dbapi_connection

    def execute(self, statement: Any, *args: Any, **kwargs: Any) -> Any:
        return self.conn.execute(statement, *args, **kwargs)

    def exec_driver_sql(self, sql: str, parameters: Any = ()) -> Any:
        if self.dialect.name == "sqlite":
            try:
                cursor = self._driver.cursor()
                (cursor.executemany if isinstance(parameters, list) else cursor.execute)(sql, parameters)
                return cursor
            except self.dialect.dbapi.Error as exc:
                raise DBAPIError.instance(sql, parameters, exc, self.dialect.dbapi.Error) from exc
        return _Fetched(self._driver.run_async(lambda driver: driver.fetch(sql, *parameters)))


class Reading(Direct):
    """The connection of an optimistic unit: reads pass, and the first write asks for a transaction."""

    def execute(self, statement: Any, *args: Any, **kwargs: Any) -> Any:
        if not getattr(statement, "is_select", False):
            raise NeedsTransaction(type(statement).__name__)
        return super().execute(statement, *args, **kwargs)

    def exec_driver_sql(self, sql: str, parameters: Any = ()) -> Any:
        if not sql.lstrip().upper().startswith("SELECT"):
            raise NeedsTransaction(sql.split(None, 1)[0])
        return super().exec_driver_sql(sql, parameters)


@dataclass
class _Fetched:
    """Rows as the driver returned them, read the way ``Prepared`` reads a cursor."""

    records: list[Any]

    def fetchall(self) -> list[Any]:
        return self.records


class Conversations:
    """Mixed into the unit of work: the reads and writes of one inbound message."""

    conn: Connection
    dialect: str
    q: dict[str, Prepared]
    cache: AnswerCache
    committed: dict[int, tuple[int, dict[str, Any]]]
    optimistic: bool
    pending: dict[str, Any] | None

    def claim_message(self, channel: str, message_id: str) -> bool:
        """Record an inbound message id; False when it was handled before."""
        result = self.q["claim"].run(self.conn, {"channel": channel, "mid": message_id, "now": utcnow()})
        return result.rowcount == 1

    def open(self, channel: str, ref: str, language: str, address: str | None = None,
             message_id: str | None = None) -> Opened:
        """Claim an inbound message and open its sender's conversation, subscription and role.

        The person (user and identity) is created on first contact. On PostgreSQL the identity row
        stays locked until commit, so one person's messages are handled one after the other even
        across processes. ``address`` is where to write to them when it is not ``ref`` (a Matrix
        direct chat room); it is kept up to date. With ``message_id`` a message seen before comes
        back with ``fresh=False`` and nothing else is done.
        """
        now = utcnow()
        fresh, values = True, {"channel": channel, "ref": ref, "mid": message_id, "now": now}
        if not self.optimistic:  # claim (and on PostgreSQL lock) first; then read what is now there
            if self.dialect == "postgresql":
                fresh = self.q["lock"].rows(self.conn, values)[0][0]
            elif message_id is not None:
                fresh = self.claim_message(channel, message_id)
            values["mid"] = None
        row = self.q["open"].rows(self.conn, values)[0]
        (claimed, user_id, user_language, active, known_address, cid, revision, version, position, granted,
         sub_channel, sub_ref, sub_language, topics, consent_version, requested_at, confirmed_at) = row
        if not (fresh and claimed):
            return Opened(False, Account(user_id or 0, user_language or language, False), EMPTY, None, None)
        if user_id is None:
            return Opened(True, self._new_person(channel, ref, language, address, now), EMPTY, None, None)
        if address is not None and address != known_address:
            self.q["address"].run(self.conn, {"channel": channel, "ref": ref, "address": address})
        if not active:  # they wrote again, so they can be reached again (e.g. unblocked the bot)
            self.set_reachable(channel, ref, True, None)
        if self.optimistic:
            if self.pending is not None:
                raise NeedsTransaction("a second person in one unit")
            self.pending = {"channel": channel, "mid": message_id}
        saved = EMPTY
        if cid is not None:
            saved = Saved(cid, revision, version, position, self._answers_of(cid, revision))
        subscriber = None
        if sub_channel is not None:
            subscriber = Subscriber(user_id, sub_channel, sub_ref, sub_language, tuple(topics or ()),
                                    consent_version, requested_at, confirmed_at)
        return Opened(True, Account(user_id, user_language, created=False), saved, subscriber, granted)

    def open_conversation(self, channel: str, ref: str, language: str, address: str | None = None
                          ) -> tuple[Account, Saved]:
        """The person behind a channel identity (created on first contact) and their conversation."""
        opened = self.open(channel, ref, language, address)
        return opened.account, opened.saved

    def set_reachable(self, channel: str, ref: str, active: bool, status: str | None) -> None:
        """Record whether the platform lets us reach an identity (``status`` says why not)."""
        self.q["reachable"].run(self.conn, {"channel": channel, "ref": ref, "active": active, "status": status,
                                            "now": utcnow()})

    def _new_person(self, channel: str, ref: str, language: str, address: str | None, now: datetime) -> Account:
        try:
            user_id = self.q["new_user"].rows(self.conn, {"lang": language, "now": now})[0][0]
            self.q["new_identity"].run(self.conn, {"uid": user_id, "channel": channel, "ref": ref, "now": now,
                                                   "address": address})
        except IntegrityError as exc:  # another process met this person at the same moment
            raise Conflict(f"{channel} identity created concurrently") from exc
        return Account(user_id, language, created=True)

    def _answers_of(self, cid: int, revision: int) -> dict[str, Any]:
        """A conversation's answers: from the cache while its revision is the stored one."""
        cached = self.cache.get(cid)
        if cached is not None and cached[0] == revision:
            return dict(cached[1])
        answers = dict(self.q["answers"].rows(self.conn, {"cid": cid}))
        self.cache.put(cid, revision, dict(answers))
        return answers

    def set_profile(self, user_id: int, profile: dict[str, Any]) -> None:
        """Keep the municipality profile in step with the answers it comes from (after ``save``)."""
        values = {k: profile.get(k) for k in PROFILE_FIELDS}
        if self.optimistic:
            if self.pending is None or "cid" not in self.pending:
                raise NeedsTransaction("profile without a save")
            self.pending["profile"] = json.dumps(values)
            return
        self.q["profile"].run(self.conn, {"uid": user_id, "now": utcnow(), **values})

    def save(self, user_id: int, saved: Saved, version: str, position: dict[str, Any],
             changes: list[Change], language: str) -> int:
        """Store the new position and every changed answer, each with an audit entry.

        Written only if the conversation is still at the revision ``saved`` was read at; otherwise
        another writer came first and :class:`Conflict` is raised (nothing of it is kept). An
        optimistic unit keeps the save for ``flush``.
        """
        now = utcnow()
        conversation_id = saved.conversation_id
        language_changed = saved.position is not None and saved.position.get("lang") != language
        if conversation_id is None:
            try:
                conversation_id = self.q["new_conversation"].rows(self.conn, {
                    "uid": user_id, "version": version, "position": position, "now": now})[0][0]
            except IntegrityError as exc:
                raise Conflict("conversation created concurrently") from exc
            self._write_answers(user_id, conversation_id, changes, now)
        else:
            values = {"uid": user_id, "cid": conversation_id, "seen": saved.revision, "revision": saved.revision + 1,
                      "version": version, "position": position, "now": now}
            if self.optimistic:
                if language_changed or self.pending is None:
                    raise NeedsTransaction("save")
                self.pending |= values | {"changes": _changes_json(changes), "profile": None}
            elif self.dialect == "postgresql":
                self._save_in_one_statement(values | {"mid": None, "channel": None, "profile": None,
                                                      "changes": _changes_json(changes)})
            else:
                if self.q["move"].run(self.conn, values).rowcount != 1:
                    raise Conflict(f"conversation {conversation_id} is no longer at revision {saved.revision}")
                self._write_answers(user_id, conversation_id, changes, now)
        if language_changed:
            self.q["language"].run(self.conn, {"uid": user_id, "lang": language})
        self._publish(conversation_id, saved, changes)
        return conversation_id

    def flush(self, conn: Connection) -> None:
        """Write what an optimistic unit kept: its save and its message id, in one atomic statement."""
        if self.pending is not None and "cid" in self.pending:
            self._save_in_one_statement(self.pending, cast(Connection, Direct(conn)))

    def _save_in_one_statement(self, values: dict[str, Any], conn: Connection | None = None) -> None:
        """PostgreSQL: the whole save as one statement (see ``_PG_SAVE``)."""
        values = values | {"position": json.dumps(values["position"])}
        if self.q["save"].rows(conn or self.conn, values)[0][0] != 1:
            raise Conflict(f"conversation {values['cid']} is no longer at revision {values['seen']}")

    def _write_answers(self, user_id: int, conversation_id: int, changes: list[Change], now: datetime) -> None:
        upserts, removed, audit = [], [], []
        for step_id, kind, old, new in changes:
            if kind == "remove":
                removed.append(step_id)
            else:
                upserts.append({"cid": conversation_id, "sid": step_id, "value": new, "now": now})
            audit.append({"uid": user_id, "now": now, "action": kind, "sid": step_id, "old": old, "new": new})
        if upserts:
            self.q["answer"].run_many(self.conn, upserts)
        if removed:
            self.conn.execute(delete(Answer).where(Answer.conversation_id == conversation_id,
                                                   Answer.step_id.in_(removed)))
        if audit:
            self.q["audit"].run_many(self.conn, audit)

    def _publish(self, conversation_id: int, saved: Saved, changes: list[Change]) -> None:
        answers = dict(saved.answers)
        for step_id, kind, _old, new in changes:
            if kind == "remove":
                answers.pop(step_id, None)
            else:
                answers[step_id] = new
        self.committed[conversation_id] = (saved.revision + 1, answers)


def _changes_json(changes: list[Change]) -> str:
    """Answer changes as the JSON rows the PostgreSQL save statement reads."""
    return json.dumps([{"step_id": c.step_id, "value": c.new, "old": c.old, "action": c.kind} for c in changes])
