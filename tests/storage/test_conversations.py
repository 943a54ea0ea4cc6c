"""Writers never overwrite what they did not see: revision-checked saves, whole units run again,
and a message's fast path (``Store.run_message``), on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest
from sqlalchemy.util import await_only

from storage.conversations import Conflict, Saved
from storage.models import AuditEntry, Municipality, ProcessedMessage
from storage.store import Store, Unit
from tests.storage.test_store import MISSING, VERSION, changed, count, load, position, rows

Extra = Callable[[Unit, int], None]


def append(point: str, message_id: str | None = None, runs: list[Saved] | None = None,
           meanwhile: Extra | None = None, extra: Extra | None = None) -> Callable[[Unit], bool]:
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
        unit.save(opened.account.user_id, opened.saved, VERSION, position("ko_steering"),
                  changed([("ko_steering", old, new)]), "de")
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
        unit.save(account.user_id, stale, VERSION, position(),
                  changed([("ko_steering", ["Sozialamt"], ["Sozialamt", "X"])]), "de")

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
            while not await admin.fetchval("SELECT count(*) FROM pg_stat_activity "
                                           "WHERE datname = current_database() AND wait_event_type = 'Lock'"):
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
        postgres_url: str) -> None:
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
    taken = await asyncio.gather(*(s.run_message(append("Planungsamt", message_id="u-2"))
                                   for s in (store, other, store, other)))
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

