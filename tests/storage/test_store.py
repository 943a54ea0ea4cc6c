"""The store on SQLite and PostgreSQL: schema through Alembic, units of work that commit or roll back
as a whole, and the database files on disk.

The helpers here call units of work the way ``bot.app.companion.Companion`` calls them:
``open_conversation`` first, then ``save`` with the engine's classified changes; here written
``(step_id, old, new)`` where a sentinel object (``MISSING``) stands for "no answer at all" and
``None`` for "skipped" (see ``changed``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Column, MetaData, String, func, inspect, select, text
from sqlalchemy.engine import Connection
from sqlmodel import SQLModel

from flows.conversation.state import State
from storage.base import Account, Saved
from storage.conversations import Change
from storage.database import SchemaUnknown, alembic_config
from storage.models import Answer, AuditEntry, Conversation, Identity, Municipality, ProcessedMessage, User
from storage.store import Store, Unit

MISSING = object()  # the step had (or gets) no answer row at all
VERSION = "1"
TABLES = {
    "workspace",
    "member",
    "code",
    "codeattempt",
    "approval",
    "room",
    "template",
    "place",
    "dataset",
    "figure",
    "reminder",
    "progress",
    "planversion",
    "remindersetting",
    "exchangeprofile",
    "introduction",
    "sharedpractice",
    "adoption",
    "quote",
    "user",
    "identity",
    "municipality",
    "conversation",
    "answer",
    "auditentry",
    "processedmessage",
    "erasure",
    "subscription",
    "consentrecord",
    "role",
    "adminlog",
    "event",
    "rsvp",
    "broadcast",
    "delivery",
    "courier",
    "pace",
}
HEAD = ScriptDirectory.from_config(alembic_config()).get_current_head()


# -- helpers ---------------------------------------------------------------------------------------


def position(step: str = "ob_name", lang: str = "de", **more: Any) -> dict[str, Any]:
    """A conversation position as the engine stores it (the state without answers)."""
    return State(
        version=VERSION,
        lang=lang,
        mode="step",
        stage="onboarding",
        step=step,
        turn=3,
        seq=2,
        history=["ob_welcome"],
        draft=more,
    ).position()


def changed(triples: list[tuple[str, Any, Any]]) -> list[Change]:
    """``(step_id, old, new)`` with ``MISSING`` as the engine classifies them: answer, skip (None) or remove."""
    return [
        Change(
            sid,
            "remove" if new is MISSING else "skip" if new is None else "answer",
            None if old is MISSING else old,
            None if new is MISSING else new,
        )
        for sid, old, new in triples
    ]


async def put(
    store: Store,
    answers: dict[str, Any],
    *,
    channel: str = "telegram",
    ref: str = "1001",
    lang: str = "de",
    pos: dict[str, Any] | None = None,
) -> tuple[Account, Saved, int]:
    """One message's unit of work: open the conversation and save new values for some steps.

    ``answers`` maps step ids to their new value: JSON, None (skipped) or MISSING (removed).
    """

    def work(unit: Unit) -> tuple[Account, Saved, int]:
        account, saved = unit.open_conversation(channel, ref, lang)
        changes = [(sid, saved.answers.get(sid, MISSING), new) for sid, new in answers.items()]
        cid = unit.save(account.user_id, saved, VERSION, pos or position(lang=lang), changed(changes), lang)
        return account, saved, cid

    return await store.run(work)


async def load(store: Store, channel: str = "telegram", ref: str = "1001", lang: str = "de") -> tuple[Account, Saved]:
    return await store.run(lambda unit: unit.open_conversation(channel, ref, lang))


def plain(saved: Saved) -> tuple[int | None, int, str | None, dict[str, Any] | None, dict[str, Any]]:
    """A conversation as compared in tests: id, revision, content version, position and the workspace's answers."""
    return (saved.conversation_id, saved.revision, saved.content_version, saved.position, saved.answers)


def cached(store: Store, wid: int) -> tuple[int, dict[str, Any]] | None:
    """What a store's cache holds for a workspace: its revision and answers."""
    entry = store.cache.get(wid)
    return (entry.revision, entry.answers) if entry is not None else None


async def rows(store: Store, model: Any, order_by: str | None = None, **where: Any) -> list[dict[str, Any]]:
    """All rows of a table (optionally filtered by column values) as plain dicts."""
    table = model.__table__

    def read(conn: Connection) -> list[dict[str, Any]]:
        stmt = select(table).where(*(table.c[k] == v for k, v in where.items()))
        if order_by:
            stmt = stmt.order_by(table.c[order_by])
        return [dict(r._mapping) for r in conn.execute(stmt)]

    return await store.run_connection(read)


async def count(store: Store, model: Any, **where: Any) -> int:
    table = model.__table__
    return await store.run_connection(
        lambda conn: conn.execute(
            select(func.count()).select_from(table).where(*(table.c[k] == v for k, v in where.items()))
        ).scalar_one()
    )


# -- schema ----------------------------------------------------------------------------------------


async def test_open_creates_schema_that_matches_the_models(database_url: str) -> None:
    store = await Store.open(database_url)
    try:
        tables = await store.run_connection(lambda conn: set(inspect(conn).get_table_names()))
        assert tables == TABLES | {"alembic_version"}
        revision = await store.run_connection(lambda conn: MigrationContext.configure(conn).get_current_revision())
        assert revision == HEAD == "0010"

        def diff(metadata: MetaData) -> Callable[[Connection], list[Any]]:
            def compare(conn: Connection) -> list[Any]:
                ctx = MigrationContext.configure(conn, opts={"compare_type": True, "compare_server_default": True})
                return compare_metadata(ctx, metadata)

            return compare

        # Nothing is filtered: there is not even type-only noise here, because sqlmodel's AutoString
        # (a String with the same length) compares equal to the migration's String on both databases.
        assert await store.run_connection(diff(SQLModel.metadata)) == []

        # The comparison does see a difference when there is one.
        drifted = MetaData()
        for table in SQLModel.metadata.sorted_tables:
            table.to_metadata(drifted)
        drifted.tables["identity"].append_column(Column("nickname", String(20)))
        changes = await store.run_connection(diff(drifted))
        assert [(c[0], c[2], c[3].name) for c in changes] == [("add_column", "identity", "nickname")]
    finally:
        await store.close()

    # Opening again is a no-op, with or without permission to upgrade.
    for upgrade in (True, False):
        again = await Store.open(database_url, upgrade=upgrade)
        try:
            assert (
                await again.run_connection(lambda conn: MigrationContext.configure(conn).get_current_revision()) == HEAD
            )
        finally:
            await again.close()


async def test_unknown_revision_is_refused(database_url: str) -> None:
    store = await Store.open(database_url)
    await store.run_connection(lambda conn: conn.execute(text("UPDATE alembic_version SET version_num = 'f00dcafe9'")))
    await store.close()

    for upgrade in (True, False):
        with pytest.raises(SchemaUnknown) as info:
            await Store.open(database_url, upgrade=upgrade)
        assert "'f00dcafe9'" in str(info.value)
        assert "does not know" in str(info.value)

    # Nothing was touched: the database still carries the unknown revision and all tables.
    plain = Store(database_url)
    try:
        assert (
            await plain.run_connection(lambda conn: MigrationContext.configure(conn).get_current_revision())
            == "f00dcafe9"
        )
        assert await plain.run_connection(lambda conn: set(inspect(conn).get_table_names())) >= TABLES
    finally:
        await plain.close()


async def test_no_upgrade_on_empty_database_asks_to_run_upgrade(database_url: str) -> None:
    with pytest.raises(SchemaUnknown) as info:
        await Store.open(database_url, upgrade=False)
    message = str(info.value)
    assert "Run `daks db upgrade` first" in message
    assert repr(HEAD) in message

    plain = Store(database_url)
    try:
        assert await plain.run_connection(lambda conn: inspect(conn).get_table_names()) == []
    finally:
        await plain.close()


# -- transactions ----------------------------------------------------------------------------------


async def test_failed_unit_of_work_is_rolled_back(store: Store, other: Store) -> None:
    account, _, cid = await put(store, {"ob_name": "Musterstadt"}, ref="anna")
    seen: dict[str, Any] = {}

    def failing(unit: Unit) -> None:
        unit.claim_message("telegram", "m-1")
        known, saved = unit.open_conversation("telegram", "anna", "de")
        unit.save(
            known.user_id,
            saved,
            VERSION,
            position("ob_land"),
            changed([("ob_name", "Musterstadt", "Umbenannt"), ("ob_kind", MISSING, "stadt")]),
            "de",
        )
        unit.set_profile(known.user_id, {"name": "Umbenannt"})
        newcomer, fresh = unit.open_conversation("telegram", "zoe", "de")
        unit.save(newcomer.user_id, fresh, VERSION, position(), changed([("ob_name", MISSING, "Z")]), "de")
        seen["wid"] = unit.workspace
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        await store.run(failing)

    counts = {
        model.__tablename__: await count(store, model)
        for model in (User, Identity, Municipality, Conversation, Answer, AuditEntry, ProcessedMessage)
    }
    assert counts == {
        "user": 1,
        "identity": 1,
        "municipality": 0,
        "conversation": 1,
        "answer": 1,
        "auditentry": 1,
        "processedmessage": 0,
    }
    # Uncommitted answers were not published to the cache either.
    shared = (await load(store, ref="anna"))[1].shared
    assert shared is not None and cached(store, shared.workspace_id) == (1, {"ob_name": "Musterstadt"})
    assert cached(store, seen["wid"]) is None
    for reader in (store, other):
        known, saved = await load(reader, ref="anna")
        assert (known.user_id, saved.revision, saved.answers) == (account.user_id, 1, {"ob_name": "Musterstadt"})
        assert saved.position == position()

    # The store keeps working, and what failed can be done again.
    assert await store.run(lambda unit: unit.claim_message("telegram", "m-1")) is True
    newcomer, saved = await load(store, ref="zoe")
    assert newcomer.created is True and saved.answers == {}


# -- files on disk (SQLite) ------------------------------------------------------------------------


async def test_a_new_sqlite_database_and_its_folder_are_owner_only(tmp_path) -> None:
    import os
    import stat

    folder = tmp_path / "new" / "data"
    old = os.umask(0o022)
    try:
        store = await Store.open(f"sqlite:///{folder / 'daks.db'}")
        try:
            await put(store, {"ob_name": "Musterstadt"})
            files = [folder / name for name in ("daks.db", "daks.db-wal", "daks.db-shm")]
            assert {stat.S_IMODE(path.stat().st_mode) for path in files} == {0o600}
            assert stat.S_IMODE(folder.stat().st_mode) == stat.S_IMODE(folder.parent.stat().st_mode) == 0o700
        finally:
            await store.close()
    finally:
        os.umask(old)


async def test_a_database_file_of_an_older_version_loses_group_and_other_access(tmp_path) -> None:
    import stat

    path = tmp_path / "daks.db"
    path.touch(mode=0o644)
    path.chmod(0o644)
    store = await Store.open(f"sqlite:///{path}")
    await store.close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
