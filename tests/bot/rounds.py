"""Waiting for the running sender (bot/app/courier.py) to look at the test clock: its heartbeats, read from the
database beside it."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import select

from storage.models import Courier
from storage.store import Store


async def looked(store: Store, beats: int = 3, output: Callable[[], str] = str) -> None:
    """Wait for ``beats`` more heartbeats of the sender. Each round of its housekeeping begins with one and ends
    with the reminders due, so after the second a whole round has run on the clock as it is now; the third covers
    the beat of its start (or of a round under way), which no finished round follows yet. ``output``: the bot's
    log, shown when it stops beating."""
    for _ in range(beats):
        seen = await _beats(store)
        for _ in range(300):
            if await _beats(store) != seen:
                break
            await asyncio.sleep(0.1)
        else:
            raise AssertionError(f"the sender stopped beating:\n{output()}")


async def _beats(store: Store) -> list[tuple[str, datetime]]:
    return await store.run(lambda unit: [tuple(r) for r in unit.conn.execute(select(Courier.id, Courier.seen_at))])
