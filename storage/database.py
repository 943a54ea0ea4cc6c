"""Engine creation for SQLite (WAL) and PostgreSQL, and the schema check through Alembic."""

from __future__ import annotations

import errno
import logging
import socket
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import cast

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine as sa_create_engine
from sqlalchemy import event, func, select, text
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.pool import SingletonThreadPool

from storage.files import create_private, owner_only, private_folder

log = logging.getLogger(__name__)
MIGRATIONS = Path(__file__).parent / "migrations"
SUPPORTED = "sqlite:///path/to/daks.db or postgresql://user@host:5432/database"
MIGRATION_WAIT = 60.0
"""Seconds a start waits for another process's schema upgrade (a message's unit of work waits far less)."""
_NETWORK_ERRNOS = (errno.ENETUNREACH, errno.EHOSTUNREACH, errno.ETIMEDOUT)
MIGRATION_LOCK = 0x44414B53
"""PostgreSQL advisory lock ("DAKS") held while one process checks and upgrades the schema."""


class SchemaUnknown(RuntimeError):
    """The database carries a schema revision this version of the app does not know."""


class DatabaseMisconfigured(ValueError):
    """The database URL cannot work: not a URL, an unsupported database, or an unusable SQLite file."""


class DatabaseUnreachable(ConnectionError):
    """The database cannot be reached or refuses the connection; ``transient`` when a retry may help."""

    def __init__(self, message: str, transient: bool):
        super().__init__(message)
        self.transient = transient


def dialect_of(url: str) -> str:
    """``sqlite`` or ``postgresql``; DatabaseMisconfigured for anything else (never echoing the URL)."""
    try:
        backend = make_url(url).get_backend_name()
    except (ArgumentError, ValueError):
        raise DatabaseMisconfigured(f"not a database URL; write {SUPPORTED}") from None
    if backend in ("postgresql", "postgres"):
        return "postgresql"
    if backend == "sqlite":
        return "sqlite"
    raise DatabaseMisconfigured(f"{backend!r} databases are not supported; use {SUPPORTED}")


def async_url(url: str) -> str:
    """Accept plain ``postgresql://`` URLs and pick the asyncpg driver."""
    parsed = make_url(url)
    driver = "postgresql+asyncpg" if dialect_of(url) == "postgresql" else parsed.drivername
    return parsed.set(drivername=driver).render_as_string(hide_password=False)


def is_sqlite(url: str) -> bool:
    return dialect_of(url) == "sqlite"


def sqlite_file(url: str) -> Path | None:
    """The database file of a SQLite URL; None for PostgreSQL and in-memory SQLite."""
    path = make_url(url).database if is_sqlite(url) else None
    return Path(path) if path and path != ":memory:" else None


def create_engine(url: str) -> AsyncEngine:
    """The async engine for PostgreSQL (asyncpg).

    No pre-ping (a round trip per message): a connection that died fails its first statement,
    SQLAlchemy then recycles the whole pool, and the Companion retries the message.
    """
    return create_async_engine(
        async_url(url), pool_size=10, max_overflow=5, connect_args={"command_timeout": 10, "timeout": 5}
    )


def create_sqlite_engine(url: str, busy_timeout: float = 5.0) -> Engine:
    """A plain SQLite engine: units of work run on it directly (see ``Store``), not through aiosqlite,
    which costs a thread hop per statement."""
    parsed = make_url(url).set(drivername="sqlite")
    _private_database(parsed.database)
    engine = sa_create_engine(
        parsed, connect_args={"timeout": busy_timeout, "check_same_thread": False}, poolclass=SingletonThreadPool
    )
    _sqlite_pragmas(engine)
    return engine


def _private_database(database: str | None) -> None:
    """The database file is created 0600 in a 0700 folder before SQLite opens it; SQLite gives its
    -wal and -shm files the same mode. A file from an older version loses group and other access."""
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    path = Path(database)
    try:
        private_folder(path.parent)
        if not create_private(path):
            for name in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
                owner_only(name)
    except OSError as exc:
        raise DatabaseMisconfigured(
            f"The SQLite database {path} cannot be created in {path.parent} "
            f"({exc.strerror or exc}); check DAKS_DATABASE_URL (or --db)"
        ) from None


def checkpoint(conn: Connection) -> None:
    """Copy the SQLite WAL into the database file and empty it, so erased rows leave no copy there.

    Runs outside any transaction, on the raw connection (which is in autocommit mode). Another
    process reading at this moment keeps part of the WAL until the next checkpoint."""
    try:
        driver = cast(sqlite3.Connection, conn.connection.dbapi_connection)  # only SQLite has a WAL to empty
        busy, _, _ = driver.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    except sqlite3.Error as exc:
        busy = str(exc)
    if busy:
        log.warning("the WAL could not be emptied after an erasure (%s); SQLite's next checkpoint does it", busy)


def _sqlite_pragmas(engine: Engine) -> None:
    """WAL, foreign keys, secure delete (erased rows are overwritten with zeros), a busy timeout, and
    BEGIN IMMEDIATE so writers never deadlock on upgrade."""

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON", "secure_delete=ON"):
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def ping(connection: Connection) -> None:
    """A cheap round trip: raises when the database cannot be reached (or, on SQLite, not written to)."""
    connection.execute(text("SELECT 1"))


def alembic_config(connection: Connection | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def migrate_sqlite(url: str, upgrade: bool) -> str | None:
    """``migrate`` on a connection of its own that waits up to MIGRATION_WAIT s while another process
    upgrades the same file (BEGIN IMMEDIATE makes starts take turns)."""
    engine = create_sqlite_engine(url, busy_timeout=MIGRATION_WAIT)
    try:
        with engine.begin() as connection:
            return migrate(connection, upgrade)
    finally:
        engine.dispose()


def migrate(connection: Connection, upgrade: bool) -> str | None:
    """Upgrade to the newest schema (or check that it is there); refuse revisions we do not know.

    On PostgreSQL an advisory lock held until the transaction ends makes concurrent first starts take
    turns: the second one finds the schema the first one committed."""
    if connection.dialect.name == "postgresql":
        _take_migration_lock(connection)
    script = ScriptDirectory.from_config(alembic_config())
    current = MigrationContext.configure(connection).get_current_revision()
    known = {rev.revision for rev in script.walk_revisions()}
    if current is not None and current not in known:
        raise SchemaUnknown(
            f"The database is at schema revision {current!r}, which this version of DAKS-Begleiter does not "
            f"know (it knows up to {script.get_current_head()!r}). Run a newer version, or point "
            "DAKS_DATABASE_URL at another database."
        )
    if current != script.get_current_head():
        if not upgrade:
            raise SchemaUnknown(
                f"The database schema is at {current!r}, but this version needs {script.get_current_head()!r}. "
                "Run `daks db upgrade` first."
            )
        command.upgrade(alembic_config(connection), "head")
    return script.get_current_head()


def _take_migration_lock(connection: Connection) -> None:
    """Wait for the lock in short tries, so that no single statement outlasts the driver's command timeout."""
    deadline = time.monotonic() + MIGRATION_WAIT
    while not connection.execute(select(func.pg_try_advisory_xact_lock(MIGRATION_LOCK))).scalar_one():
        if time.monotonic() > deadline:
            raise DatabaseUnreachable(
                f"Another process has been upgrading the database schema for more than "
                f"{MIGRATION_WAIT:.0f} s; wait for it, then start again",
                transient=False,
            )
        time.sleep(0.1)


def open_failure(exc: BaseException, url: str) -> DatabaseMisconfigured | DatabaseUnreachable | None:
    """What a failed first connection means for the operator (no password); None if it is something else."""
    import asyncpg

    parsed = make_url(url)
    path = sqlite_file(url)
    if path is not None:
        error = next((c for c in causes(exc) if isinstance(c, sqlite3.Error)), None)
        if error is None:
            return None
        if "locked" in str(error):
            return DatabaseUnreachable(
                f"The SQLite database {path} stayed locked by another process for "
                f"{MIGRATION_WAIT:.0f} s; stop that process or start again later",
                False,
            )
        if not any(words in str(error) for words in ("unable to open", "not a database", "readonly", "disk")):
            return None
        return DatabaseMisconfigured(
            f"The SQLite database {path} cannot be used ({error}); check "
            "DAKS_DATABASE_URL (or --db) and the file's permissions"
        )
    where = f"{parsed.host or 'localhost'}:{parsed.port or 5432}"
    fix = "start it, or correct host and port in DAKS_DATABASE_URL (or --db)"
    for cause in causes(exc):
        if isinstance(cause, asyncpg.InvalidCatalogNameError):
            reason, transient = f"the database {parsed.database!r} does not exist", False
            options = {"-h": parsed.host, "-p": parsed.port, "-U": parsed.username}
            createdb = " ".join(["createdb", *(f"{k} {v}" for k, v in options.items() if v), str(parsed.database)])
            fix = f"create it ({createdb}) or correct its name in DAKS_DATABASE_URL (or --db)"
        elif isinstance(cause, asyncpg.InvalidAuthorizationSpecificationError):
            reason, transient = f"user {parsed.username!r} was refused ({cause})", False
            fix = "check user and password in DAKS_DATABASE_URL (or --db) and the server's pg_hba.conf"
        elif isinstance(cause, (asyncpg.CannotConnectNowError, asyncpg.TooManyConnectionsError)):
            reason, transient = str(cause), True
        elif isinstance(cause, socket.gaierror):
            reason, transient, fix = "unknown host", True, "correct the host in DAKS_DATABASE_URL (or --db)"
        elif isinstance(cause, ConnectionRefusedError) or "Connect call failed" in str(cause):
            reason, transient = "connection refused", True
        elif isinstance(cause, TimeoutError):
            reason, transient = "no answer within 5 s", True
        elif isinstance(cause, ConnectionError) or getattr(cause, "errno", None) in _NETWORK_ERRNOS:
            reason, transient = getattr(cause, "strerror", None) or str(cause), True
        else:
            continue
        return DatabaseUnreachable(f"Cannot connect to PostgreSQL at {where}: {reason}.\nTo fix: {fix}.", transient)
    return None


def causes(exc: BaseException) -> Iterator[BaseException]:
    """``exc`` and every exception it was raised from or during."""
    seen: set[int] = set()
    todo: list[BaseException | None] = [exc]
    while todo:
        current = todo.pop(0)
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        todo += [current.__cause__, current.__context__]
