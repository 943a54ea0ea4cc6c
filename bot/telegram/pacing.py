"""Outgoing pacing within Telegram's limits, plugged into python-telegram-bot as its rate limiter."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

from bot.pacing import Bucket, Budget, LocalBudget

log = logging.getLogger(__name__)


@dataclass
class Lane:
    """One chat: its own bucket, and a pause after Telegram said "retry after"."""

    bucket: Bucket
    paused_until: float = 0.0
    turn: asyncio.Lock = field(default_factory=asyncio.Lock)


class Pacing(BaseRateLimiter[int]):
    """About 1 message/s per private chat, 20/min per group, 30/s overall; a 429 pauses its chat exactly.

    Only requests that carry a ``chat_id`` are paced (sending and editing messages); callback
    answers and getUpdates go straight through. A request refused with 429 is retried after
    exactly ``retry_after`` seconds, at most ``retries`` times.
    """

    def __init__(self, overall: float = 30, per_chat: float = 1, group_per_minute: float = 20, burst: int = 4,
                 retries: int = 3, clock: Callable[[], float] = time.monotonic, budget: Budget | None = None):
        self.overall: Budget = budget or LocalBudget(Bucket(overall, 4))
        self.per_chat, self.per_group, self.burst = per_chat, group_per_minute / 60, burst
        self.retries = retries
        self.clock = clock
        self.paused_until = 0.0
        self.lanes: dict[int | str, Lane] = {}

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""

    async def process_request(self, callback: Callable[..., Coroutine[Any, Any, Any]], args: Any,
                              kwargs: dict[str, Any], endpoint: str, data: dict[str, Any],
                              rate_limit_args: int | None) -> Any:
        chat_id = data.get("chat_id")
        if chat_id is None:
            return await callback(*args, **kwargs)
        lane = self._lane(chat_id)
        retries = self.retries if rate_limit_args is None else rate_limit_args
        for attempt in range(retries + 1):
            await self._wait(lane)
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                seconds = exc._retry_after.total_seconds()  # the exact figure (the public one may round)
                lane.paused_until = max(lane.paused_until, self.clock() + seconds)
                log.warning("Telegram asked to wait %.1f s before %s to chat %s (attempt %d)", seconds, endpoint,
                            chat_id, attempt + 1)
                if attempt == retries:
                    raise
        raise AssertionError("unreachable")

    async def _wait(self, lane: Lane) -> None:
        async with lane.turn:  # one chat's requests take their slots in order
            pause = lane.paused_until - self.clock()
            if pause > 0:
                await asyncio.sleep(pause)
            wait = lane.bucket.reserve(self.clock())
            if wait > 0:
                await asyncio.sleep(wait)
            wait = await self.overall.take()
            if wait > 0:
                await asyncio.sleep(wait)

    def _lane(self, chat_id: int | str) -> Lane:
        chat_id = int(chat_id) if str(chat_id).lstrip("-").isdigit() else chat_id
        lane = self.lanes.get(chat_id)
        if lane is None:
            if len(self.lanes) > 10_000:
                self._forget_idle()
            group = isinstance(chat_id, str) or int(chat_id) < 0
            bucket = Bucket(self.per_group, 3) if group else Bucket(self.per_chat, self.burst)
            lane = self.lanes[chat_id] = Lane(bucket)
        return lane

    def _forget_idle(self) -> None:
        now = self.clock()
        for key in [k for k, v in self.lanes.items() if v.bucket.idle(now) and v.paused_until < now]:
            del self.lanes[key]
