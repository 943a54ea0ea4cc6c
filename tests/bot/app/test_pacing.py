"""The send budget shared through the database, on SQLite and PostgreSQL."""

from __future__ import annotations

from bot.app.pacing import SharedBudget
from storage.store import Store


async def test_a_flood_wait_in_one_process_holds_the_budget_of_the_others(store: Store):
    async def reserve(slots: int, interval: float, now: float) -> float:
        return await store.run(lambda unit: unit.reserve("telegram:1", slots, interval, now))

    one, other = SharedBudget(reserve, rate=27), SharedBudget(reserve, rate=27)
    first = await other.take()  # leases three slots
    await one.pause(5.0)  # Telegram refused the token: five seconds for everyone
    waits = [await other.take() for _ in range(3)]

    assert first < 0.1 and max(waits[:2]) < 0.2, "the slots the other process had leased are its own"
    assert waits[2] > 4.9, "its next lease starts after the wait"
