"""Pacing shared by the channels: a leaky bucket per sender or chat."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Protocol


@dataclass
class Bucket:
    """GCRA (a leaky bucket): ``rate`` per second on average, ``burst`` at once."""

    rate: float
    burst: int
    tat: float = 0.0
    """Theoretical arrival time of the next request."""

    def reserve(self, now: float) -> float:
        """Take the next slot; return how long to wait for it."""
        interval = 1 / self.rate
        tat = max(self.tat, now)
        wait = max(0.0, tat - (self.burst - 1) * interval - now)
        self.tat = tat + interval
        return wait

    def idle(self, now: float) -> bool:
        return self.tat < now


class Budget(Protocol):
    """Send slots shared by everything that sends with one account."""

    async def take(self) -> float:
        """Reserve the next slot; return the seconds to wait for it."""
        ...


@dataclass
class LocalBudget:
    """A budget for this process alone."""

    bucket: Bucket

    async def take(self) -> float:
        return self.bucket.reserve(time.monotonic())


class SharedBudget:
    """A budget kept in the database, so several processes sending with one bot token share its pace.

    Slots are leased a few at a time (one round trip per lease); the database row holds the
    theoretical arrival time of the next free slot (GCRA without burst). Clocks of the processes
    are taken to agree (NTP): a skew of a few milliseconds only shifts slots by that much.
    """

    def __init__(self, reserve: Callable[[int, float, float], Awaitable[float]], rate: float, lease: int = 3):
        self.reserve, self.interval, self.lease = reserve, 1 / rate, lease
        self._slots: list[float] = []
        self._lock = asyncio.Lock()

    async def take(self) -> float:
        async with self._lock:
            now = time.time()
            while self._slots and self._slots[0] < now - self.interval:
                self._slots.pop(0)  # leased long ago and unused: gone
            if not self._slots:
                first = await self.reserve(self.lease, self.interval, now)
                self._slots = [first + i * self.interval for i in range(self.lease)]
            return max(0.0, self._slots.pop(0) - time.time())
