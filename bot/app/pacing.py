"""Pacing shared by the channels: a leaky bucket per sender or chat, and an account's budget of send slots."""

from __future__ import annotations

import asyncio
import heapq
import itertools
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Protocol

log = logging.getLogger(__name__)


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

    def hold(self, until: float) -> None:
        """No slot before ``until``."""
        self.tat = max(self.tat, until + (self.burst - 1) / self.rate)

    def idle(self, now: float) -> bool:
        return self.tat < now


class Budget(Protocol):
    """Send slots shared by everything that sends with one account, ``interval`` seconds apart."""

    interval: float

    async def take(self) -> float:
        """Reserve the next slot; return the seconds until it is due (negative: overdue)."""
        ...

    async def pause(self, seconds: float) -> None:
        """No slot for the next ``seconds`` (the platform said to wait)."""
        ...


class LocalBudget:
    """A budget for this process alone, without burst."""

    def __init__(self, rate: float):
        self.bucket, self.interval = Bucket(rate, 1), 1 / rate

    async def take(self) -> float:
        return self.bucket.reserve(time.monotonic())

    async def pause(self, seconds: float) -> None:
        self.bucket.hold(time.monotonic() + seconds)


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
            if not self._slots:
                first = await self.reserve(self.lease, self.interval, time.time())
                self._slots = [first + i * self.interval for i in range(self.lease)]
            return self._slots.pop(0) - time.time()

    async def pause(self, seconds: float) -> None:
        """Hold every process: the shared row's next slot moves to the end of the pause."""
        async with self._lock:
            self._slots.clear()
            await self.reserve(0, self.interval, time.time() + seconds)


class Turnstile:
    """Lets senders through one per slot of a budget, each at its slot's time; retries go first.

    A sender that resumes more than half an interval after its slot (the event loop was busy)
    gives the slot up and waits for the next one, first in line: a late send would sit closer to
    the next one than the budget's spacing. So any ``n + 1`` sends span at least ``n`` intervals
    less half of one, however busy the process was.
    """

    def __init__(self, budget: Budget):
        self.budget = budget
        self._queue: list[tuple[int, int, asyncio.Future[float]]] = []
        self._order = itertools.count()
        self._held_until = 0.0
        self._runner: asyncio.Task[None] | None = None

    async def enter(self, retry: bool = False) -> None:
        """Return at this sender's slot; a retry (refused before) is let through before fresh sends."""
        loop = asyncio.get_running_loop()
        ticket = (0 if retry else 1, next(self._order))
        while True:
            turn: asyncio.Future[float] = loop.create_future()
            heapq.heappush(self._queue, (*ticket, turn))
            if self._runner is None or self._runner.done():
                self._runner = loop.create_task(self._run())
            due = await turn
            if loop.time() - due <= self.budget.interval / 2:
                return

    async def hold(self, seconds: float) -> None:
        """Let nobody through for ``seconds``: the platform refused the account as a whole."""
        self._held_until = max(self._held_until, asyncio.get_running_loop().time() + seconds)
        try:
            await self.budget.pause(seconds)
        except Exception as exc:  # this process holds anyway; others learn of it from their own 429s
            log.warning("could not hold the shared send budget (%s); only this process waits", type(exc).__name__)

    def close(self) -> None:
        """Stop; senders still waiting are cancelled."""
        if self._runner is not None:
            self._runner.cancel()
        for *_, turn in self._queue:
            turn.cancel()
        self._queue.clear()

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        while self._queue:
            try:
                due = loop.time() + await self.budget.take()
            except Exception as exc:  # the budget is unreachable: the next sender gets the error
                if (turn := self._next()) is not None:
                    turn.set_exception(exc)
                continue
            if due > loop.time():
                await asyncio.sleep(due - loop.time())
            if due >= self._held_until and (turn := self._next()) is not None:
                turn.set_result(due)

    def _next(self) -> asyncio.Future[float] | None:
        """The most urgent sender still waiting."""
        while self._queue:
            *_, turn = heapq.heappop(self._queue)
            if not turn.done():
                return turn
        return None
