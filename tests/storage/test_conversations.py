"""A message's reads and writes on SQLite and PostgreSQL: the person on first contact, the
conversation and its answers with their audit trail and cache, the message id claimed once, the
municipality profile; and writers never overwrite what they did not see: revision-checked saves,
whole units run again, and a message's fast path (``Store.run_message``).

Units of work are called the way ``bot.app.companion.Companion`` calls them (see ``tests.storage.test_store``).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import bindparam, text
from sqlalchemy.util import await_only

from storage.base import Account, Conflict, Saved
from storage.models import Answer, AuditEntry, Conversation, Identity, Json, Municipality, ProcessedMessage, User
from storage.store import Store, Unit
from tests.storage.test_store import MISSING, VERSION, cached, changed, count, load, plain, position, put, rows

# -- writers never overwrite what they did not see -------------------------------------------------

Extra = Callable[[Unit, int], None]


def append(
    point: str,
    message_id: str | None = None,
    runs: list[Saved] | None = None,
    meanwhile: Extra | None = None,
    extra: Extra | None = None,
) -> Callable[[Unit], bool]:
    """One message's unit of work: add ``point`` to the steering-group list.

    ``runs`` collects what each run of the unit read; ``meanwhile`` happens between reading and
    saving, ``extra`` after saving.
    """

    def work(unit: Unit) -> bool:
        opened = unit.open("telegram", "1001", "de", message_id=message_id)
        if runs is not None:
            runs.append(opened.saved)
        if not opened.fresh:
            return False
        if meanwhile is not None:
            meanwhile(unit, opened.account.user_id)
        old = opened.saved.answers.get("ko_steering", MISSING)
        new = [*([] if old is MISSING else old), point]
        unit.save(
            opened.account.user_id,
            opened.saved,
            VERSION,
            position("ko_steering"),
            changed([("ko_steering", old, new)]),
            "de",
        )
        if extra is not None:
            extra(unit, opened.account.user_id)
        return True

    return work


async def steering(store: Store) -> list[str]:
    return (await load(store))[1].answers.get("ko_steering", [])


async def test_a_save_from_a_stale_read_is_refused_and_nothing_of_it_is_kept(store: Store, other: Store) -> None:
    await store.run(append("Sozialamt"))
    _, stale = await load(store)
    await other.run(append("Planungsamt"))

    def stale_save(unit: Unit) -> None:
        account, _ = unit.open_conversation("telegram", "1001", "de")
        unit.save(
            account.user_id,
            stale,
            VERSION,
            position(),
            changed([("ko_steering", ["Sozialamt"], ["Sozialamt", "X"])]),
            "de",
        )

    with pytest.raises(Conflict):
        await store.run(stale_save)
    assert await steering(store) == ["Sozialamt", "Planungsamt"]
    assert await steering(other) == ["Sozialamt", "Planungsamt"]
    assert await count(store, AuditEntry) == 2


@pytest.mark.postgres
async def test_a_unit_that_waited_for_the_lock_reads_what_the_holder_wrote(postgres_url: str) -> None:
    """READ COMMITTED: a statement that waited for a lock sees other rows as they were before the
    wait. A unit that waited for the person's lock must read their conversation as it is after."""
    import asyncpg

    first, second = await Store.open(postgres_url), await Store.open(postgres_url)
    try:
        await first.run(append("Sozialamt"))
        release, holding = asyncio.Event(), asyncio.Event()

        def hold(unit: Unit, user_id: int) -> None:
            holding.set()
            await_only(release.wait())

        holder = asyncio.ensure_future(first.run(append("Jugendamt", meanwhile=hold)))
        await holding.wait()
        runs: list[Saved] = []
        waiter = asyncio.ensure_future(second.run(append("Planungsamt", runs=runs)))
        admin = await asyncpg.connect(postgres_url)
        try:
            while not await admin.fetchval(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
            ):
                await asyncio.sleep(0.01)
        finally:
            await admin.close()
        release.set()
        assert await holder and await waiter
        assert [saved.revision for saved in runs] == [2]  # read after the wait: no run in vain
        for store in (first, second):
            assert await steering(store) == ["Sozialamt", "Jugendamt", "Planungsamt"]
    finally:
        await first.close()
        await second.close()


@pytest.mark.postgres
async def test_a_message_read_without_a_transaction_runs_again_when_another_writer_came_first(
    postgres_url: str,
) -> None:
    first, second = await Store.open(postgres_url), await Store.open(postgres_url)
    try:
        await first.run(append("Sozialamt"))
        runs: list[Saved] = []

        def another_writer(unit: Unit, user_id: int) -> None:
            if len(runs) == 1:
                await_only(second.run(append("Jugendamt")))

        assert await first.run_message(append("Planungsamt", runs=runs, meanwhile=another_writer))
        assert [saved.revision for saved in runs] == [1, 2]
        assert await steering(second) == ["Sozialamt", "Jugendamt", "Planungsamt"]
        assert await count(first, ProcessedMessage) == 0
    finally:
        await first.close()
        await second.close()


async def test_a_redelivered_message_is_taken_in_once(store: Store, other: Store) -> None:
    assert await store.run_message(append("Sozialamt", message_id="u-1"))
    assert not await store.run_message(append("Sozialamt", message_id="u-1"))
    assert not await other.run_message(append("Sozialamt", message_id="u-1"))
    taken = await asyncio.gather(
        *(s.run_message(append("Planungsamt", message_id="u-2")) for s in (store, other, store, other))
    )
    assert sorted(taken) == [False, False, False, True]
    assert await steering(other) == ["Sozialamt", "Planungsamt"]
    assert [r["message_id"] for r in await rows(store, ProcessedMessage, order_by="message_id")] == ["u-1", "u-2"]


async def test_a_message_that_writes_more_than_its_save_is_one_transaction(store: Store) -> None:
    await store.run(append("Sozialamt"))

    def profile(unit: Unit, user_id: int) -> None:
        unit.set_profile(user_id, {"name": "Musterstadt"})

    assert await store.run_message(append("Planungsamt", message_id="m-1", extra=profile))
    assert [r["name"] for r in await rows(store, Municipality)] == ["Musterstadt"]

    def failing(unit: Unit, user_id: int) -> None:
        unit.set_profile(user_id, {"name": "Anderswo"})
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        await store.run_message(append("Jugendamt", message_id="m-2", extra=failing))
    assert await steering(store) == ["Sozialamt", "Planungsamt"]
    assert [r["name"] for r in await rows(store, Municipality)] == ["Musterstadt"]
    assert await count(store, ProcessedMessage, message_id="m-2") == 0


async def test_many_writers_on_one_conversation_lose_nothing(store: Store, other: Store) -> None:
    await store.run(append("start"))

    async def person(name: str, on: Store, n: int = 25) -> None:
        for i in range(n):
            assert await on.run_message(append(f"{name}-{i:02d}", message_id=f"{name}-{i}"))

    await asyncio.gather(*(person(f"p{k}", (store, other)[k % 2]) for k in range(8)))
    stored = await steering(other)
    assert len(stored) == 1 + 8 * 25 and stored[0] == "start"
    for k in range(8):
        mine = [p for p in stored if p.startswith(f"p{k}-")]
        assert mine == [f"p{k}-{i:02d}" for i in range(25)]
    assert await count(store, AuditEntry) == len(stored)


# -- users and identities ----------------------------------------------------------------------------


async def test_open_conversation_creates_user_and_identity_once(store: Store) -> None:
    account, saved = await load(store, "telegram", "1001", "fr")
    assert account.created is True
    assert account.language == "fr"
    assert plain(saved) == (None, 0, None, None, {})

    again, saved_again = await load(store, "telegram", "1001", "de")
    assert again == Account(account.user_id, "fr", created=False)  # the stored language wins
    assert plain(saved_again) == (None, 0, None, None, {})  # no conversation saved yet

    other_channel, _ = await load(store, "matrix", "1001")
    other_ref, _ = await load(store, "telegram", "1002")
    assert other_channel.created and other_ref.created
    assert len({account.user_id, other_channel.user_id, other_ref.user_id}) == 3

    users = await rows(store, User, order_by="id")
    assert [(u["id"], u["language"]) for u in users] == [
        (account.user_id, "fr"),
        (other_channel.user_id, "de"),
        (other_ref.user_id, "de"),
    ]
    identities = await rows(store, Identity, order_by="id")
    assert [(i["user_id"], i["channel"], i["ref"]) for i in identities] == [
        (account.user_id, "telegram", "1001"),
        (other_channel.user_id, "matrix", "1001"),
        (other_ref.user_id, "telegram", "1002"),
    ]


async def test_first_save_after_a_unit_that_only_looked(store: Store) -> None:
    """Companion.current opens a conversation without saving; the user's next message must still save."""
    account, _ = await load(store)  # creates user and identity, no conversation
    _, saved, cid = await put(store, {"ob_name": "Musterstadt"})
    assert (saved.conversation_id, saved.revision) == (None, 0)
    assert plain((await load(store))[1]) == (cid, 1, VERSION, position(), {"ob_name": "Musterstadt"})
    assert [c["user_id"] for c in await rows(store, Conversation)] == [account.user_id]


async def test_open_conversation_twice_in_one_unit(store: Store) -> None:
    def work(unit: Unit) -> tuple[Account, Account]:
        return unit.open_conversation("console", "anna", "de")[0], unit.open_conversation("console", "anna", "de")[0]

    first, second = await store.run(work)
    assert (first.created, second.created) == (True, False)
    assert first.user_id == second.user_id
    assert await count(store, User) == 1


ANSWERS: dict[str, Any] = {
    "ob_name": "Müllheim (Baden) – „Ortsmitte“ 'ä' \"zitiert\"",
    "ob_fields": ["housing", "mobility", "health"],
    "kp_indicators": [
        {"indicator": "population", "value": "18.734", "year": "2024", "comparison": None},
        {"indicator": "change", "value": "-3,2 %", "year": "2014-2024", "notes": ["a", {"b": 1}]},
    ],
    "ko_existing": None,  # skipped
    "ko_steering": [],  # an empty list is a value, not a skip
    "ko_coordinator": "null",  # a string that looks like JSON null stays a string
}


# -- saving answers ------------------------------------------------------------------------------


async def test_save_round_trip_audit_and_revision(store: Store, other: Store) -> None:
    pos1 = position("ob_kind", draft_note="halb fertig")
    account, saved, cid = await put(store, ANSWERS, pos=pos1)
    assert saved.conversation_id is None and saved.revision == 0

    for reader in (store, other):  # the writer (cache) and a fresh process (database)
        again, loaded = await load(reader)
        assert again.user_id == account.user_id
        assert plain(loaded) == (cid, 1, VERSION, pos1, ANSWERS)

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
    expected = {**{k: v for k, v in ANSWERS.items() if k != "ob_fields"}, "ob_name": "Neustadt", "kp_indicators": None}
    for reader in (store, other):
        assert plain((await load(reader))[1]) == (cid, 2, VERSION, pos2, expected)
    audit = await rows(store, AuditEntry, order_by="id", user_id=account.user_id)
    assert [(a["action"], a["step_id"], a["old"], a["new"]) for a in audit[6:]] == [
        ("answer", "ob_name", ANSWERS["ob_name"], "Neustadt"),
        ("remove", "ob_fields", ANSWERS["ob_fields"], None),
        ("skip", "kp_indicators", ANSWERS["kp_indicators"], None),
    ]
    assert await count(store, Answer, step_id="ob_fields") == 0

    # Third message moves on without changing answers: one more revision, no audit entry.
    pos3 = position("ob_size")
    await put(store, {}, pos=pos3)
    for reader in (store, other):
        assert plain((await load(reader))[1]) == (cid, 3, VERSION, pos3, expected)
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
    await put(store, {"ob_name": "Musterstadt", "ob_fields": ["housing"]})
    shared = (await load(store))[1].shared
    assert shared is not None
    wid = shared.workspace_id
    assert cached(store, wid) == (1, {"ob_name": "Musterstadt", "ob_fields": ["housing"]})

    change = text("UPDATE answer SET value = :value WHERE workspace_id = :wid AND step_id = 'ob_name'").bindparams(
        bindparam("value", type_=Json)
    )
    bump = text("UPDATE workspace SET revision = revision + 1 WHERE id = :wid")

    # Another process changes the row but not the revision: this store still trusts its cache,
    # which shows that the cache (and not the database) answered.
    await other.run_connection(lambda conn: conn.execute(change, {"value": "Anderswo", "wid": wid}))
    assert (await load(store))[1].answers["ob_name"] == "Musterstadt"
    assert (await load(other))[1].answers["ob_name"] == "Anderswo"  # no cache entry there

    # Once the revision moves, the cache entry is stale and the database is read again.
    await other.run_connection(lambda conn: conn.execute(bump, {"wid": wid}))
    _, saved = await load(store)
    assert saved.shared is not None and saved.shared.revision == 2
    assert saved.answers == {"ob_name": "Anderswo", "ob_fields": ["housing"]}
    assert cached(store, wid) == (2, {"ob_name": "Anderswo", "ob_fields": ["housing"]})

    # A save by the other process is seen here as well.
    await put(other, {"ob_fields": ["health", "mobility"]})
    _, saved = await load(store)
    assert saved.shared is not None
    assert (saved.shared.revision, saved.answers) == (3, {"ob_name": "Anderswo", "ob_fields": ["health", "mobility"]})


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
    assert await store.run(lambda unit: unit.claim_message("matrix", "m1")) is True  # other channel
    assert await store.run(lambda unit: unit.claim_message("telegram", "m2")) is True
    assert await store.run(lambda unit: (unit.claim_message("console", "x"), unit.claim_message("console", "x"))) == (
        True,
        False,
    )
    claimed = await rows(store, ProcessedMessage)
    assert sorted((r["channel"], r["message_id"]) for r in claimed) == [
        ("console", "x"),
        ("matrix", "m1"),
        ("telegram", "m1"),
        ("telegram", "m2"),
    ]


# -- the municipality profile ---------------------------------------------------------------------


async def test_set_profile_upserts(store: Store) -> None:
    account, _ = await load(store)
    await store.run(lambda unit: unit.set_profile(account.user_id, {"name": "Musterstadt", "kind": "stadt"}))
    first = await rows(store, Municipality)
    assert [{k: r[k] for k in ("user_id", "name", "kind", "land", "size", "fields")} for r in first] == [
        {"user_id": account.user_id, "name": "Musterstadt", "kind": "stadt", "land": None, "size": None, "fields": None}
    ]

    profile = {"name": "Neustadt", "kind": "gemeinde", "land": "sn", "size": "s", "fields": ["mobility", "health"]}
    await store.run(lambda unit: unit.set_profile(account.user_id, profile))
    second = await rows(store, Municipality)
    assert [{k: r[k] for k in ("user_id", *profile)} for r in second] == [{"user_id": account.user_id, **profile}]
    assert second[0]["updated_at"] >= first[0]["updated_at"]
