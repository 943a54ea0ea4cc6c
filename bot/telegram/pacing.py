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

from bot.app.pacing import Bucket, Budget, LocalBudget, Turnstile

log = logging.getLogger(__name__)


@dataclass
class Lane:
    """One chat: its own bucket, and a pause after Telegram said "retry after"."""

    bucket: Bucket
    paused_until: float = 0.0
    last: float = float("-inf")
    """When the latest message to this chat went out."""
    turn: asyncio.Lock = field(default_factory=asyncio.Lock)


class Pacing(BaseRateLimiter[int]):
    """About 1 message/s per private chat, 20/min per group, and the token's overall budget; 429s are waited out.

    Only requests that carry a ``chat_id`` are paced (sending and editing messages); callback
    answers and getUpdates go straight through. A request refused with 429 is retried after
    exactly ``retry_after`` seconds, before any fresh message, at most ``retries`` times. When
    the chat had no other message within its own interval, its limit cannot be what was hit:
    the refusal is the token's, and every send waits ``retry_after`` (Telegram lengthens the
    wait of a bot that keeps sending). Without a shared ``budget`` the overall pace is ``overall``
    per second in this process: Telegram's 30 less the default margin of 10 %.
    """

    def __init__(
        self,
        overall: float = 27,
        per_chat: float = 1,
        group_per_minute: float = 20,
        burst: int = 4,
        retries: int = 3,
        clock: Callable[[], float] = time.monotonic,
        budget: Budget | None = None,
    ):
        self.overall = Turnstile(budget or LocalBudget(overall))
        self.per_chat, self.per_group, self.burst = per_chat, group_per_minute / 60, burst
        self.retries = retries
        self.clock = clock
        self.lanes: dict[int | str, Lane] = {}

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        self.overall.close()

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, Any]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> Any:
        chat_id = data.get("chat_id")
        if chat_id is None:
            return await callback(*args, **kwargs)
        lane = self._lane(chat_id)
        retries = self.retries if rate_limit_args is None else rate_limit_args
        for attempt in range(retries + 1):
            quiet = await self._wait(lane, retry=attempt > 0)
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                await self._refused(lane, quiet, exc, f"{endpoint} to chat {chat_id} (attempt {attempt + 1})")
                if attempt == retries:
                    raise
        raise AssertionError("unreachable")

    async def _wait(self, lane: Lane, retry: bool) -> bool:
        """Wait for this chat's turn and an overall slot; True when the chat had no other message within its
        own interval before this one."""
        async with lane.turn:  # one chat's requests take their slots in order
            pause = lane.paused_until - self.clock()
            if pause > 0:
                await asyncio.sleep(pause)
            wait = lane.bucket.reserve(self.clock())
            if wait > 0:
                await asyncio.sleep(wait)
            await self.overall.enter(retry)
            now = self.clock()
            quiet, lane.last = now - lane.last >= 1 / lane.bucket.rate, now
            return quiet

    async def _refused(self, lane: Lane, quiet: bool, exc: RetryAfter, what: str) -> None:
        """Telegram said "retry after": hold every send when the token was refused, else only this chat."""
        seconds = exc._retry_after.total_seconds()  # the exact figure (the public one may round)
        if quiet:
            await self.overall.hold(seconds)  # the retry waits in the turnstile, first in line
        else:
            lane.paused_until = max(lane.paused_until, self.clock() + seconds)
        log.warning(
            "Telegram asked to wait %.1f s before %s; %s",
            seconds,
            what,
            "every send waits" if quiet else "this chat waits",
        )

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
