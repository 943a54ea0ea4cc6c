"""What the parts of a unit of work share: its connection, its state, and the rows it hands out."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, NamedTuple

from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError

from storage.prepared import Prepared

PROFILE_FIELDS = ("name", "kind", "land", "size", "fields")
"""The municipality profile: a projection of the onboarding answers, kept for broadcasts' targeting."""


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
    """The person behind a message: their user id, language, and whether this message created them."""

    user_id: int
    language: str
    created: bool


class Written(NamedTuple):
    """Who last changed an answer and when; for a list, who wrote each entry (None: a former member)."""

    author_id: int | None
    revision: int
    at: datetime
    authors: tuple[int | None, ...] | None


class Teammate(NamedTuple):
    """A member of a workspace as the team sees them."""

    user_id: int
    role: str
    name: str | None
    notices: bool
    channels: tuple[str, ...]


@dataclass(frozen=True)
class Shared:
    """A workspace's strategy at one revision: its answers, who wrote them, its members and approvals."""

    workspace_id: int
    revision: int
    name: str | None
    answers: dict[str, Any]
    written: dict[str, Written]
    members: tuple[Teammate, ...]
    approvals: dict[str, tuple[str, dict[str, Any]]]
    """Stage id to the date the steering group agreed it and the stage's answers then."""

    def role_of(self, user_id: int) -> str | None:
        return next((m.role for m in self.members if m.user_id == user_id), None)


@dataclass
class Saved:
    """A conversation as stored: its row id, position (state without answers) and the workspace it works on."""

    conversation_id: int | None
    revision: int
    content_version: str | None
    position: dict[str, Any] | None
    shared: Shared | None = None
    """None until the first save (a new person), or when they were removed from the workspace."""
    removed: str | None = None
    """The name of the workspace the person was removed from since their last message (``""`` if unnamed)."""
    deleted: str | None = None
    """The name of the workspace its coordinator deleted since the person's last message (``""`` if unnamed)."""

    @property
    def answers(self) -> dict[str, Any]:
        return self.shared.answers if self.shared is not None else {}


EMPTY = Saved(None, 0, None, None)
"""No conversation yet."""


class AnswerCache:
    """Recently active workspaces (answers, authors, members), keyed by workspace and revision.

    An entry is used only when the stored revision still matches, and a revision is written only
    by the save that read the one before it, so several processes may share a database safely.
    """

    def __init__(self, size: int = 20_000):
        self.size = size
        self._entries: OrderedDict[int, Shared] = OrderedDict()

    def get(self, wid: int) -> Shared | None:
        entry = self._entries.get(wid)
        if entry is not None:
            self._entries.move_to_end(wid)
        return entry

    def put(self, shared: Shared) -> None:
        wid = shared.workspace_id
        self._entries[wid] = shared
        self._entries.move_to_end(wid)
        while len(self._entries) > self.size:
            self._entries.popitem(last=False)

    def drop(self, wid: int) -> None:
        self._entries.pop(wid, None)


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
            except self.dialect.loaded_dbapi.Error as exc:
                raise DBAPIError.instance(sql, parameters, exc, self.dialect.loaded_dbapi.Error) from exc
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


def aware(value: datetime) -> datetime:
    """A time read from the database, in UTC (SQLite gives it back without its zone)."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def stored_id(value: int | None) -> int:
    """The id of a row read from the database (the models type ids optional, for rows not yet written)."""
    assert value is not None
    return value


class UnitBase:
    """The state every part of the unit of work reads and writes (see ``storage.store.Unit``)."""

    conn: Connection
    dialect: str
    key: bytes
    """Keys the pseudonyms kept after an erasure."""
    erased: bool
    q: dict[str, Prepared]
    cache: AnswerCache
    optimistic: bool
    pending: dict[str, Any] | None
    """An optimistic unit's save, written by ``flush``."""
    committed: dict[int, Shared]
    """Cache entries to publish once the transaction has committed."""
    workspace: int | None
    """The workspace the unit's save wrote to."""
