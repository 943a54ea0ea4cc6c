"""The store and its unit of work: each message is stored atomically before its reply is sent."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from typing import TypeVar, cast

from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.base import Account, AnswerCache, Conflict, Direct, NeedsTransaction, Reading, Saved
from storage.commons import Commons
from storage.conversations import Conversations, Opened
from storage.database import (
    checkpoint,
    create_engine,
    create_sqlite_engine,
    is_sqlite,
    migrate,
    migrate_sqlite,
    open_failure,
)
from storage.events import Events
from storage.exchange import Profiles
from storage.figures import Figures
from storage.introductions import Introductions
from storage.linking import Linking
from storage.obstacles import Obstacles
from storage.outbox import Outbox
from storage.people import People
from storage.places import Places
from storage.plans import Plans
from storage.reminders import Reminders
from storage.statements import prepared

__all__ = ["Account", "Conflict", "Opened", "Saved", "Store", "Unit"]

T = TypeVar("T")
log = logging.getLogger(__name__)
SQLITE_BUSY_TIMEOUT = 0.25
"""Seconds a SQLite write waits for another process's lock before the Companion retries."""
CONFLICT_RETRIES = 10
"""How often a unit of work is run again after another writer changed what it had read."""


class Store:
    """Owns the database; runs units of work, each atomically (``run``, ``run_message``).

    A unit of work is a plain function of a ``Unit``. On PostgreSQL it runs on the async engine
    (asyncpg) through ``run_sync``. On SQLite it runs right on the event loop, on one long-lived
    connection: a message's unit takes well under a millisecond, which is cheaper than any thread
    hop (measured: 1,000-1,400 messages/s inline against 570-730 through a worker thread on the
    same machine), and units never interleave. The busy timeout is short, so a lock held by
    another process blocks the loop for at most that long; the Companion then retries after an
    asynchronous pause.

    ``key`` keys the pseudonyms that remain after an erasure (see ``subject_of``); without one, a
    random key for this store only (tests, tools that erase nobody).
    """

    def __init__(self, url: str, busy_timeout: float = SQLITE_BUSY_TIMEOUT, key: bytes | None = None):
        self.url = url
        self.key = key or secrets.token_bytes(32)
        self.dialect = "sqlite" if is_sqlite(url) else "postgresql"
        self._async: AsyncEngine | None = None
        self._sync: Engine | None = None
        self._autocommit: AsyncEngine | None = None
        self.cache = AnswerCache()
        self._conn: Connection | None = None
        if self.dialect == "sqlite":
            self._sync = create_sqlite_engine(url, busy_timeout)
        else:
            self._async = create_engine(url)
            self._autocommit = self._async.execution_options(isolation_level="AUTOCOMMIT")

    @classmethod
    async def open(
        cls, url: str, upgrade: bool = True, busy_timeout: float = SQLITE_BUSY_TIMEOUT, key: bytes | None = None
    ) -> Store:
        store = cls(url, busy_timeout, key)
        try:
            if store.dialect == "sqlite":
                migrate_sqlite(url, upgrade)
            else:
                await store.run_connection(lambda conn: migrate(conn, upgrade))
        except BaseException as exc:
            await store.close()
            problem = open_failure(exc, url)
            if problem is None:
                raise
            raise problem from exc
        return store

    async def close(self) -> None:
        if self._async is not None:
            await self._async.dispose()
        if self._sync is not None:
            self._close_sqlite()

    async def run(self, work: Callable[[Unit], T]) -> T:
        """Run ``work`` in one transaction and commit it before returning.

        Writers never overwrite what they did not see: a unit whose write finds that another writer
        committed first raises :class:`Conflict`, and the whole unit runs again, in a new
        transaction, on the rows as they are now. ``work`` must therefore be safe to run again (it
        is: everything it does goes through the transaction that is rolled back).
        """
        for attempt in range(CONFLICT_RETRIES + 1):
            try:
                unit, result = await self.run_connection(lambda conn: self._unit_of_work(conn, work))
            except (Conflict, DBAPIError) as exc:
                if attempt == CONFLICT_RETRIES or not contended(exc):
                    raise
                log.debug("unit of work ran into another writer; running it again (attempt %d)", attempt + 2)
                continue
            for shared in unit.committed.values():
                self.cache.put(shared)
            if unit.erased and self._conn is not None:
                checkpoint(self._conn)  # SQLite: no copy of the erased rows stays in the WAL
            return result
        raise AssertionError("unreachable")

    def _unit_of_work(self, conn: Connection, work: Callable[[Unit], T]) -> tuple[Unit, T]:
        unit = Unit(conn, self.dialect, self.cache, self.key)
        return unit, work(unit)

    async def run_message(self, work: Callable[[Unit], T]) -> T:
        """Like ``run``, for an inbound message: on PostgreSQL first without a transaction.

        Most messages read their conversation and write one save. Such a unit reads outside a
        transaction and writes its save together with the message id in one atomic statement,
        which takes effect only if the conversation is still at the revision it read: two round
        trips instead of a transaction's four. A unit that wants to write anything else, or whose
        save finds another writer came first, runs again through ``run``.
        """
        if self._autocommit is None:
            return await self.run(work)
        try:
            async with self._autocommit.connect() as conn:
                unit, result = await conn.run_sync(lambda sync: self._optimistic(sync, work))
        except DBAPIError as exc:
            if not contended(exc):
                raise  # no connection to be had: the caller decides when to try again
            return await self.run(work)
        except Exception as exc:  # wants a transaction, met another writer, or the connection failed
            log.debug("message runs again in a transaction (%s: %s)", type(exc).__name__, exc)
            return await self.run(work)
        for shared in unit.committed.values():
            self.cache.put(shared)
        return result

    def _optimistic(self, conn: Connection, work: Callable[[Unit], T]) -> tuple[Unit, T]:
        try:
            unit = Unit(conn, self.dialect, self.cache, self.key, optimistic=True)
            result = work(unit)
            unit.flush(conn)
        except (NeedsTransaction, Conflict):
            raise
        except Exception:
            conn.invalidate()  # the driver's own errors bypass SQLAlchemy: never reuse this connection
            raise
        return unit, result

    async def run_connection(self, work: Callable[[Connection], T]) -> T:
        if self._async is not None:
            async with self._async.begin() as conn:
                return await conn.run_sync(work)
        return self._run_sqlite(work)

    def _run_sqlite(self, work: Callable[[Connection], T]) -> T:
        """One transaction on the long-lived SQLite connection (saves a pool round per message)."""
        assert self._sync is not None
        if self._conn is None:
            self._conn = self._sync.connect()
        try:
            with self._conn.begin():
                return work(self._conn)
        except BaseException:
            self._conn.close()
            self._conn = None
            raise

    def _close_sqlite(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        if self._sync is not None:
            self._sync.dispose()


def contended(exc: Exception) -> bool:
    """Another writer came first: a revision conflict, or PostgreSQL chose this transaction to break a
    deadlock or a serialisation failure (two members writing one workspace). Running again is safe."""
    if isinstance(exc, Conflict):
        return True
    code = getattr(getattr(exc, "orig", None), "sqlstate", None) or getattr(getattr(exc, "orig", None), "pgcode", None)
    return code in ("40P01", "40001")


class Unit(
    Conversations,
    People,
    Linking,
    Events,
    Reminders,
    Outbox,
    Places,
    Figures,
    Plans,
    Profiles,
    Introductions,
    Commons,
    Obstacles,
):
    """Reads and writes inside one transaction (or, ``optimistic``, reads and one kept save)."""

    def __init__(self, conn: Connection, dialect: str, cache: AnswerCache, key: bytes, optimistic: bool = False):
        self.conn = cast(Connection, Reading(conn) if optimistic else Direct(conn) if dialect == "sqlite" else conn)
        self.dialect = dialect
        self.key = key
        self.erased = False
        self.q = prepared(conn.dialect)
        self.cache = cache
        self.optimistic = optimistic
        self.pending = None
        self.committed = {}
        self.workspace = None
