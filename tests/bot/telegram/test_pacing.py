"""Pacing: buckets per chat and overall, and an exact wait after Telegram's 429."""

from __future__ import annotations

import asyncio
import time

import pytest
from telegram.error import RetryAfter

from bot.pacing import Bucket
from bot.telegram.pacing import Pacing


def test_a_bucket_lets_a_burst_through_then_one_per_interval():
    bucket = Bucket(rate=1, burst=4)
    waits = [bucket.reserve(now=100.0) for _ in range(6)]
    assert waits == [0, 0, 0, 0, 1.0, 2.0]
    assert bucket.reserve(now=110.0) == 0  # idle time refills it


async def test_private_chats_are_paced_and_other_chats_are_not_held_up():
    pacing = Pacing(per_chat=20, burst=2)  # 20/s so the test is quick; the shape is what matters
    sent: list[tuple[int, float]] = []

    async def send(chat_id: int) -> bool:
        sent.append((chat_id, time.monotonic()))
        return True

    start = time.monotonic()
    await asyncio.gather(*(pacing.process_request(send, (chat,), {}, "sendMessage", {"chat_id": chat}, None)
                           for chat in [1] * 6 + [2]))
    one = sorted(t - start for c, t in sent if c == 1)
    assert one[1] < 0.03 and one[-1] >= 0.19  # two at once, then 50 ms apart
    assert [t - start for c, t in sent if c == 2][0] < 0.03


async def test_after_a_429_the_chat_waits_exactly_retry_after_and_the_message_goes_out_once():
    pacing = Pacing()
    attempts: list[float] = []

    async def send() -> bool:
        attempts.append(time.monotonic())
        if len(attempts) == 1:
            raise RetryAfter(1)
        return True

    assert await pacing.process_request(send, (), {}, "sendMessage", {"chat_id": 5}, None) is True
    assert len(attempts) == 2 and 1.0 <= attempts[1] - attempts[0] < 1.3


async def test_requests_without_a_chat_are_not_paced_and_retries_end():
    pacing = Pacing(retries=1)
    calls = 0

    async def flood() -> bool:
        nonlocal calls
        calls += 1
        raise RetryAfter(0)

    with pytest.raises(RetryAfter):
        await pacing.process_request(flood, (), {}, "sendMessage", {"chat_id": -100}, None)
    assert calls == 2

    async def answer() -> bool:
        return True

    start = time.monotonic()
    for _ in range(50):
        await pacing.process_request(answer, (), {}, "answerCallbackQuery", {"callback_query_id": "1"}, None)
    assert time.monotonic() - start < 0.5
