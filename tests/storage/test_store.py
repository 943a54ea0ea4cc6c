"""The store on SQLite and PostgreSQL: schema through Alembic, units of work, answers with their
audit trail and cache, and the user's rights (access and erasure).

Units of work are called the way ``bot.app.companion.Companion`` calls them: ``open_conversation``
first, then ``save`` with the engine's classified changes; here written ``(step_id, old, new)`` where a
sentinel object (``MISSING``) stands for "no answer at all" and ``None`` for "skipped" (see ``changed``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Column, MetaData, String, bindparam, func, inspect, select, text
from sqlalchemy.engine import Connection
from sqlmodel import SQLModel

from flows.conversation.state import State
from storage.conversations import Change
from storage.database import SchemaUnknown, alembic_config
from storage.models import Answer, AuditEntry, Conversation, Identity, Json, Municipality, ProcessedMessage, User
from storage.store import Account, Saved, Store, Unit

MISSING = object()  # the step had (or gets) no answer row at all
VERSION = "1"
TABLES = {"user", "identity", "municipality", "conversation", "answer", "auditentry", "processedmessage",
          "subscription", "consentrecord", "role", "adminlog", "event", "rsvp", "broadcast", "delivery", "courier",
          "pace"}
HEAD = ScriptDirectory.from_config(alembic_config()).get_current_head()


# -- helpers ---------------------------------------------------------------------------------------

def changed(triples: list[tuple[str, Any, Any]]) -> list[Change]:
    """``(step_id, old, new)`` with ``MISSING`` as the engine classifies them: answer, skip (None) or remove."""
    return [Change(sid, "remove" if new is MISSING else "skip" if new is None else "answer",
                   None if old is MISSING else old, None if new is MISSING else new) for sid, old, new in triples]


def position(step: str = "ob_name", lang: str = "de", **more: Any) -> dict[str, Any]:
    """A conversation position as the engine stores it (the state without answers)."""
    return State(version=VERSION, lang=lang, mode="step", stage="onboarding", step=step, turn=3, seq=2,
                 history=["ob_welcome"], draft=more).position()


async def put(store: Store, answers: dict[str, Any], *, channel: str = "telegram", ref: str = "1001",
              lang: str = "de", pos: dict[str, Any] | None = None) -> tuple[Account, Saved, int]:
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
    return await store.run_connection(lambda conn: conn.execute(
        select(func.count()).select_from(table).where(*(table.c[k] == v for k, v in where.items()))).scalar_one())


ANSWERS: dict[str, Any] = {
    "ob_name": "Müllheim (Baden) – „Ortsmitte“ 'ä' \"zitiert\"",
    "ob_fields": ["housing", "mobility", "health"],
    "kp_indicators": [
        {"indicator": "population", "value": "18.734", "year": "2024", "comparison": None},
        {"indicator": "change", "value": "-3,2 %", "year": "2014-2024", "notes": ["a", {"b": 1}]},
    ],
    "ko_existing": None,        # skipped
    "ko_steering": [],          # an empty list is a value, not a skip
    "ko_coordinator": "null",   # a string that looks like JSON null stays a string
}


# -- schema ----------------------------------------------------------------------------------------

async def test_open_creates_schema_that_matches_the_models(database_url: str) -> None:
    store = await Store.open(database_url)
    try:
        tables = await store.run_connection(lambda conn: set(inspect(conn).get_table_names()))
        assert tables == TABLES | {"alembic_version"}
        revision = await store.run_connection(lambda conn: MigrationContext.configure(conn).get_current_revision())
        assert revision == HEAD == "0003"

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
            assert await again.run_connection(
                lambda conn: MigrationContext.configure(conn).get_current_revision()) == HEAD
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
        assert await plain.run_connection(
            lambda conn: MigrationContext.configure(conn).get_current_revision()) == "f00dcafe9"
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


# -- users and identities ----------------------------------------------------------------------------

async def test_open_conversation_creates_user_and_identity_once(store: Store) -> None:
    account, saved = await load(store, "telegram", "1001", "fr")
    assert account.created is True
    assert account.language == "fr"
    assert saved == Saved(None, 0, None, None, {})

    again, saved_again = await load(store, "telegram", "1001", "de")
    assert again == Account(account.user_id, "fr", created=False)  # the stored language wins
    assert saved_again == Saved(None, 0, None, None, {})           # no conversation saved yet

    other_channel, _ = await load(store, "matrix", "1001")
    other_ref, _ = await load(store, "telegram", "1002")
    assert other_channel.created and other_ref.created
    assert len({account.user_id, other_channel.user_id, other_ref.user_id}) == 3

    users = await rows(store, User, order_by="id")
    assert [(u["id"], u["language"]) for u in users] == [
        (account.user_id, "fr"), (other_channel.user_id, "de"), (other_ref.user_id, "de")]
    identities = await rows(store, Identity, order_by="id")
    assert [(i["user_id"], i["channel"], i["ref"]) for i in identities] == [
        (account.user_id, "telegram", "1001"), (other_channel.user_id, "matrix", "1001"),
        (other_ref.user_id, "telegram", "1002")]


async def test_first_save_after_a_unit_that_only_looked(store: Store) -> None:
    """Companion.current opens a conversation without saving; the user's next message must still save."""
    account, _ = await load(store)  # creates user and identity, no conversation
    _, saved, cid = await put(store, {"ob_name": "Musterstadt"})
    assert (saved.conversation_id, saved.revision) == (None, 0)
    assert (await load(store))[1] == Saved(cid, 1, VERSION, position(), {"ob_name": "Musterstadt"})
    assert [c["user_id"] for c in await rows(store, Conversation)] == [account.user_id]


async def test_open_conversation_twice_in_one_unit(store: Store) -> None:
    def work(unit: Unit) -> tuple[Account, Account]:
        return unit.open_conversation("console", "anna", "de")[0], unit.open_conversation("console", "anna", "de")[0]

    first, second = await store.run(work)
    assert (first.created, second.created) == (True, False)
    assert first.user_id == second.user_id
    assert await count(store, User) == 1


# -- saving answers ------------------------------------------------------------------------------

async def test_save_round_trip_audit_and_revision(store: Store, other: Store) -> None:
    pos1 = position("ob_kind", draft_note="halb fertig")
    account, saved, cid = await put(store, ANSWERS, pos=pos1)
    assert saved.conversation_id is None and saved.revision == 0

    for reader in (store, other):  # the writer (cache) and a fresh process (database)
        again, loaded = await load(reader)
        assert again.user_id == account.user_id
        assert loaded == Saved(cid, 1, VERSION, pos1, ANSWERS)

    audit = await rows(store, AuditEntry, order_by="id", user_id=account.user_id)
    assert [(a["action"], a["step_id"], a["old"], a["new"]) for a in audit] == [
        ("answer", "ob_name", None, ANSWERS["ob_name"]),
        ("answer", "ob_fields", None, ANSWERS["ob_fields"]),
        ("answer", "kp_indicators", None, ANSWERS["kp_indicators"]),
        ("skip", "ko_existing", None, None),
        ("answer", "ko_steering", None, []),
        ("answer", "ko_coordinator", None, "null"),
    ]

    # Second message: change one answer, remove one, skip one that had a value.
    pos2 = position("ob_land")
    _, saved, cid2 = await put(store, {"ob_name": "Neustadt", "ob_fields": MISSING, "kp_indicators": None}, pos=pos2)
    assert cid2 == cid and saved.revision == 1
    expected = {**{k: v for k, v in ANSWERS.items() if k != "ob_fields"}, "ob_name": "Neustadt",
                "kp_indicators": None}
    for reader in (store, other):
        assert (await load(reader))[1] == Saved(cid, 2, VERSION, pos2, expected)
    audit = await rows(store, AuditEntry, order_by="id", user_id=account.user_id)
    assert [(a["action"], a["step_id"], a["old"], a["new"]) for a in audit[6:]] == [
        ("answer", "ob_name", ANSWERS["ob_name"], "Neustadt"),
        ("remove", "ob_fields", ANSWERS["ob_fields"], None),
        ("skip", "kp_indicators", ANSWERS["kp_indicators"], None),
    ]
    assert await count(store, Answer, conversation_id=cid, step_id="ob_fields") == 0

    # Third message moves on without changing answers: one more revision, no audit entry.
    pos3 = position("ob_size")
    await put(store, {}, pos=pos3)
    for reader in (store, other):
        assert (await load(reader))[1] == Saved(cid, 3, VERSION, pos3, expected)
    assert await count(store, AuditEntry) == 9
    conversation = (await rows(store, Conversation))[0]
    assert (conversation["id"], conversation["user_id"], conversation["revision"]) == (cid, account.user_id, 3)
    assert conversation["updated_at"] >= conversation["created_at"]
    assert await count(store, Answer) == len(expected)


async def test_save_in_another_language_updates_the_user(store: Store) -> None:
    account, _, _ = await put(store, {"ob_name": "Musterstadt"}, lang="de")
    await put(store, {}, lang="en", pos=position(lang="en"))
    again, saved = await load(store, lang="de")
    assert again.language == "en"
    assert saved.position is not None and saved.position["lang"] == "en"
    assert [u["language"] for u in await rows(store, User, id=account.user_id)] == ["en"]


async def test_cache_is_used_only_while_the_revision_matches(store: Store, other: Store) -> None:
    _, _, cid = await put(store, {"ob_name": "Musterstadt", "ob_fields": ["housing"]})
    assert store.cache.get(cid) == (1, {"ob_name": "Musterstadt", "ob_fields": ["housing"]})

    change = text("UPDATE answer SET value = :value WHERE conversation_id = :cid AND step_id = 'ob_name'"
                  ).bindparams(bindparam("value", type_=Json))
    bump = text("UPDATE conversation SET revision = revision + 1 WHERE id = :cid")

    # Another process changes the row but not the revision: this store still trusts its cache,
    # which shows that the cache (and not the database) answered.
    await other.run_connection(lambda conn: conn.execute(change, {"value": "Anderswo", "cid": cid}))
    assert (await load(store))[1].answers["ob_name"] == "Musterstadt"
    assert (await load(other))[1].answers["ob_name"] == "Anderswo"  # no cache entry there

    # Once the revision moves, the cache entry is stale and the database is read again.
    await other.run_connection(lambda conn: conn.execute(bump, {"cid": cid}))
    _, saved = await load(store)
    assert saved.revision == 2
    assert saved.answers == {"ob_name": "Anderswo", "ob_fields": ["housing"]}
    assert store.cache.get(cid) == (2, {"ob_name": "Anderswo", "ob_fields": ["housing"]})

    # A save by the other process is seen here as well.
    await put(other, {"ob_fields": ["health", "mobility"]})
    _, saved = await load(store)
    assert (saved.revision, saved.answers) == (3, {"ob_name": "Anderswo", "ob_fields": ["health", "mobility"]})


async def test_cached_answers_of_a_deleted_user_never_reach_a_new_conversation(store: Store, other: Store) -> None:
    """Process 1 has user A's answers cached; process 2 erases A, then user B starts.

    B's conversation must come back empty in process 1, even if B's conversation gets the
    same row id and revision as A's had.
    """
    a, _, _ = await put(store, {"ob_name": "Geheimstadt", "ob_fields": ["housing"]}, ref="alice")
    await other.run(lambda unit: unit.delete_user(a.user_id))
    await put(other, {}, ref="bob")  # B's first message: a conversation without answers

    _, saved = await load(store, ref="bob")
    assert saved.answers == {}


# -- inbound messages ------------------------------------------------------------------------------

async def test_claim_message_once(store: Store) -> None:
    assert await store.run(lambda unit: unit.claim_message("telegram", "m1")) is True
    assert await store.run(lambda unit: unit.claim_message("telegram", "m1")) is False
    assert await store.run(lambda unit: unit.claim_message("telegram", "m1")) is False
    assert await store.run(lambda unit: unit.claim_message("matrix", "m1")) is True   # other channel
    assert await store.run(lambda unit: unit.claim_message("telegram", "m2")) is True
    assert await store.run(lambda unit: (unit.claim_message("console", "x"), unit.claim_message("console", "x"))) \
        == (True, False)
    claimed = await rows(store, ProcessedMessage)
    assert sorted((r["channel"], r["message_id"]) for r in claimed) == [
        ("console", "x"), ("matrix", "m1"), ("telegram", "m1"), ("telegram", "m2")]


# -- the user's rights ---------------------------------------------------------------------------

async def _full_user(store: Store, ref: str, name: str) -> tuple[int, int]:
    """A user with identity, conversation, answers, audit entries and a municipality profile."""
    account, _, cid = await put(store, {"ob_name": name, "ob_fields": ["housing"], "ko_existing": None}, ref=ref)
    await put(store, {"ob_name": name + " (neu)"}, ref=ref)

    def profile(unit: Unit) -> None:
        unit.set_profile(account.user_id, {"name": name, "kind": "stadt", "land": "by", "size": "m",
                                           "fields": ["housing"]})

    await store.run(profile)
    return account.user_id, cid


async def _dump(store: Store, user_id: int, cid: int) -> dict[str, list[dict[str, Any]]]:
    return {
        "user": await rows(store, User, id=user_id),
        "identity": await rows(store, Identity, order_by="id", user_id=user_id),
        "municipality": await rows(store, Municipality, user_id=user_id),
        "conversation": await rows(store, Conversation, user_id=user_id),
        "answer": await rows(store, Answer, order_by="step_id", conversation_id=cid),
        "auditentry": await rows(store, AuditEntry, order_by="id", user_id=user_id),
    }


async def test_delete_user_removes_everything_of_that_user_only(store: Store) -> None:
    anna, anna_cid = await _full_user(store, "anna", "Annaberg")
    ben, ben_cid = await _full_user(store, "ben", "Benediktbeuern")
    # Anna also talks to the companion on a second channel.
    await store.run_connection(lambda conn: conn.execute(Identity.__table__.insert().values(
        user_id=anna, channel="matrix", ref="@anna:example.org", created_at=datetime.now(UTC))))
    before_anna, before_ben = await _dump(store, anna, anna_cid), await _dump(store, ben, ben_cid)
    assert {k: len(v) for k, v in before_anna.items()} == {
        "user": 1, "identity": 2, "municipality": 1, "conversation": 1, "answer": 3, "auditentry": 4}

    await store.run(lambda unit: unit.delete_user(anna))

    assert {k: len(v) for k, v in (await _dump(store, anna, anna_cid)).items()} == {
        "user": 0, "identity": 0, "municipality": 0, "conversation": 0, "answer": 0, "auditentry": 0}
    assert await _dump(store, ben, ben_cid) == before_ben
    assert await count(store, User) == 1

    # Writing again later starts from nothing.
    account, saved = await load(store, ref="anna")
    assert account.created is True and account.user_id != anna
    assert saved == Saved(None, 0, None, None, {})


async def test_stored_lists_what_is_kept_about_a_user(store: Store) -> None:
    start = datetime.now(UTC) - timedelta(seconds=5)
    user_id, _ = await _full_user(store, "anna", "Annaberg")
    data = await store.run(lambda unit: unit.stored(user_id))
    assert set(data) == {"user_id", "created_at", "language", "identities", "municipality", "answers",
                         "audit_entries", "conversation_updated_at", "subscription", "consent", "attending"}
    assert data["user_id"] == str(user_id)
    assert data["language"] == "de"
    assert [(c, r) for c, r, _ in data["identities"]] == [("telegram", "anna")]
    assert data["municipality"] == {"name": "Annaberg", "kind": "stadt", "land": "by", "size": "m",
                                    "fields": ["housing"]}
    assert data["answers"] == 3          # the skipped one counts: it is stored
    assert data["audit_entries"] == 4
    for when in (data["created_at"], data["identities"][0][2], data["conversation_updated_at"]):
        assert when.tzinfo is not None
        assert start <= when <= datetime.now(UTC) + timedelta(seconds=5)

    fresh, _ = await load(store, ref="nobody-yet")
    bare = await store.run(lambda unit: unit.stored(fresh.user_id))
    assert (bare["municipality"], bare["answers"], bare["audit_entries"], bare["conversation_updated_at"],
            bare["subscription"], bare["consent"], bare["attending"]) == ({}, 0, 0, None, None, [], [])


async def test_set_profile_upserts(store: Store) -> None:
    account, _ = await load(store)
    await store.run(lambda unit: unit.set_profile(account.user_id, {"name": "Musterstadt", "kind": "stadt"}))
    first = await rows(store, Municipality)
    assert [{k: r[k] for k in ("user_id", "name", "kind", "land", "size", "fields")} for r in first] == [
        {"user_id": account.user_id, "name": "Musterstadt", "kind": "stadt", "land": None, "size": None,
         "fields": None}]

    profile = {"name": "Neustadt", "kind": "gemeinde", "land": "sn", "size": "s", "fields": ["mobility", "health"]}
    await store.run(lambda unit: unit.set_profile(account.user_id, profile))
    second = await rows(store, Municipality)
    assert [{k: r[k] for k in ("user_id", *profile)} for r in second] == [{"user_id": account.user_id, **profile}]
    assert second[0]["updated_at"] >= first[0]["updated_at"]


# -- transactions ----------------------------------------------------------------------------------

async def test_failed_unit_of_work_is_rolled_back(store: Store, other: Store) -> None:
    account, _, cid = await put(store, {"ob_name": "Musterstadt"}, ref="anna")
    seen: dict[str, Any] = {}

    def failing(unit: Unit) -> None:
        unit.claim_message("telegram", "m-1")
        known, saved = unit.open_conversation("telegram", "anna", "de")
        unit.save(known.user_id, saved, VERSION, position("ob_land"),
                  changed([("ob_name", "Musterstadt", "Umbenannt"), ("ob_kind", MISSING, "stadt")]), "de")
        unit.set_profile(known.user_id, {"name": "Umbenannt"})
        newcomer, fresh = unit.open_conversation("telegram", "zoe", "de")
        seen["cid"] = unit.save(newcomer.user_id, fresh, VERSION, position(), changed([("ob_name", MISSING, "Z")]),
                                "de")
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        await store.run(failing)

    counts = {model.__tablename__: await count(store, model)
              for model in (User, Identity, Municipality, Conversation, Answer, AuditEntry, ProcessedMessage)}
    assert counts == {"user": 1, "identity": 1, "municipality": 0, "conversation": 1, "answer": 1,
                      "auditentry": 1, "processedmessage": 0}
    # Uncommitted answers were not published to the cache either.
    assert store.cache.get(cid) == (1, {"ob_name": "Musterstadt"})
    assert store.cache.get(seen["cid"]) is None
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


async def test_an_erasure_leaves_no_copy_of_the_answers_in_the_database_file_or_its_wal(tmp_path) -> None:
    path = tmp_path / "daks.db"
    marker = "Geheime-Antwort-7f3a9c"
    store = await Store.open(f"sqlite:///{path}")
    try:
        account, _, _ = await put(store, {"ob_name": marker, "ko_goals": [f"{marker} {i}" for i in range(50)]})
        await put(store, {"ob_name": "Musterstadt"}, ref="ben")
        disk = lambda: path.read_bytes() + (tmp_path / "daks.db-wal").read_bytes()  # noqa: E731
        assert marker.encode() in disk()  # the test sees what is on disk
        assert await store.run_connection(lambda conn: conn.exec_driver_sql("PRAGMA secure_delete").scalar()) == 1

        await store.run(lambda unit: unit.delete_user(account.user_id))

        assert marker.encode() not in disk()  # while the store is still open
        _, saved = await load(store, ref="ben")
        assert saved.answers == {"ob_name": "Musterstadt"}
    finally:
        await store.close()
