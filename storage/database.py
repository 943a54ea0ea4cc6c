"""Engine creation for SQLite (WAL) and PostgreSQL, and the schema check through Alembic."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine as sa_create_engine
from sqlalchemy import event, text
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.pool import SingletonThreadPool

from storage.files import create_private, owner_only, private_folder

log = logging.getLogger(__name__)
MIGRATIONS = Path(__file__).parent / "migrations"


class SchemaUnknown(RuntimeError):
    """The database carries a schema revision this version of the app does not know."""


def async_url(url: str) -> str:
    """Accept plain ``postgresql://`` URLs and pick the asyncpg driver."""
    parsed = make_url(url)
    driver = {"postgresql": "postgresql+asyncpg", "postgres": "postgresql+asyncpg"}.get(parsed.drivername,
                                                                                        parsed.drivername)
    return parsed.set(drivername=driver).render_as_string(hide_password=False)


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def create_engine(url: str) -> AsyncEngine:
    """The async engine for PostgreSQL (asyncpg).

    No pre-ping (a round trip per message): a connection that died fails its first statement,
    SQLAlchemy then recycles the whole pool, and the Companion retries the message.
    """
    return create_async_engine(async_url(url), pool_size=10, max_overflow=5,
                               connect_args={"command_timeout": 10, "timeout": 5})


def create_sqlite_engine(url: str, busy_timeout: float = 5.0) -> Engine:
    """A plain SQLite engine: units of work run on it directly (see ``Store``), not through aiosqlite,
    which costs a thread hop per statement."""
    parsed = make_url(url).set(drivername="sqlite")
    _private_database(parsed.database)
    engine = sa_create_engine(parsed, connect_args={"timeout": busy_timeout, "check_same_thread": False},
                              poolclass=SingletonThreadPool)
    _sqlite_pragmas(engine)
    return engine


def _private_database(database: str | None) -> None:
    """The database file is created 0600 in a 0700 folder before SQLite opens it; SQLite gives its
    -wal and -shm files the same mode. A file from an older version loses group and other access."""
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    path = Path(database)
    private_folder(path.parent)
    if not create_private(path):
        for name in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            owner_only(name)


def checkpoint(conn: Connection) -> None:
    """Copy the SQLite WAL into the database file and empty it, so erased rows leave no copy there.

    Runs outside any transaction, on the raw connection (which is in autocommit mode). Another
    process reading at this moment keeps part of the WAL until the next checkpoint."""
    try:
        busy, _, _ = conn.connection.dbapi_connection.execute(  # type: ignore[union-attr]
            "PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    except sqlite3.Error as exc:
        busy = str(exc)
    if busy:
        log.warning("the WAL could not be emptied after an erasure (%s); SQLite's next checkpoint does it", busy)


def _sqlite_pragmas(engine: Engine) -> None:
    """WAL, foreign keys, secure delete (erased rows are overwritten with zeros), a busy timeout, and
    BEGIN IMMEDIATE so writers never deadlock on upgrade."""

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):  # type: ignore[no-untyped-def]
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON", "secure_delete=ON"):
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(conn):  # type: ignore[no-untyped-def]
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


def migrate(connection: Connection, upgrade: bool) -> str | None:
    """Upgrade to the newest schema (or check that it is there); refuse revisions we do not know."""
    script = ScriptDirectory.from_config(alembic_config())
    current = MigrationContext.configure(connection).get_current_revision()
    known = {rev.revision for rev in script.walk_revisions()}
    if current is not None and current not in known:
        raise SchemaUnknown(
            f"The database is at schema revision {current!r}, which this version of DAKS-Begleiter does not "
            f"know (it knows up to {script.get_current_head()!r}). Run a newer version, or point "
            "DAKS_DATABASE_URL at another database.")
    if current != script.get_current_head():
        if not upgrade:
            raise SchemaUnknown(
                f"The database schema is at {current!r}, but this version needs {script.get_current_head()!r}. "
                "Run `daks db upgrade` first.")
        command.upgrade(alembic_config(connection), "head")
    return script.get_current_head()
