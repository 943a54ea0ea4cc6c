"""Pacing: buckets per chat, the overall pace in any sliding second, and 429s: exact waits, retries first."""

from __future__ import annotations

import asyncio
import time
from datetime import timedelta

import pytest
from telegram.error import RetryAfter

from bot.app.pacing import Bucket
from bot.telegram.pacing import Pacing


def test_a_bucket_lets_a_burst_through_then_one_per_interval():
    bucket = Bucket(rate=1, burst=4)
    waits = [bucket.reserve(now=100.0) for _ in range(6)]
    assert waits == [0, 0, 0, 0, 1.0, 2.0]
    assert bucket.reserve(now=110.0) == 0  # idle time refills it


async def test_private_chats_are_paced_and_other_chats_are_not_held_up():
    pacing = Pacing(overall=200, per_chat=20, burst=2)  # 20/s per chat so the test is quick; the shape matters
    sent: list[tuple[int, float]] = []

    async def send(chat_id: int) -> bool:
        sent.append((chat_id, time.monotonic()))
        return True

    await asyncio.gather(
        *(pacing.process_request(send, (chat,), {}, "sendMessage", {"chat_id": chat}, None) for chat in [1] * 6 + [2])
    )
    one = [t for c, t in sent if c == 1]
    assert one[-1] - one[0] >= 0.19  # two at once, then 50 ms apart
    assert [c for c, _ in sent].index(2) < 3, "chat 2 does not wait for chat 1's pace"


async def record(pacing: Pacing, chats: list[int], refuse: dict[int, float]) -> list[tuple[int, float, int]]:
    """Send one message to each chat at once; ``refuse`` answers a chat's first attempt with 429 (retry_after).

    Returns (chat, when, status) for every attempt, in the order they were made.
    """
    log: list[tuple[int, float, int]] = []

    async def send(chat_id: int) -> bool:
        if chat_id in refuse:
            log.append((chat_id, time.monotonic(), 429))
            raise RetryAfter(timedelta(seconds=refuse.pop(chat_id)))
        log.append((chat_id, time.monotonic(), 200))
        return True

    await asyncio.gather(
        *(pacing.process_request(send, (chat,), {}, "sendMessage", {"chat_id": chat}, None) for chat in chats)
    )
    return log


def busiest(times: list[float], seconds: float = 1.0) -> int:
    """The most of ``times`` within any sliding window of ``seconds``."""
    times = sorted(times)
    return max(sum(1 for u in times[i:] if u - t < seconds) for i, t in enumerate(times))


async def test_the_overall_pace_keeps_to_30_in_any_sliding_second_even_after_the_loop_stalled():
    pacing = Pacing()  # the default: 30/s less the 10 % margin, without burst

    async def stall() -> None:
        await asyncio.sleep(0.5)
        time.sleep(0.3)  # a busy event loop: sends due meanwhile must not go out in a bunch afterwards

    _, log = await asyncio.gather(stall(), record(pacing, list(range(1, 81)), {}))
    assert len(log) == 80 and busiest([t for _, t, _ in log]) <= 30


async def test_a_refused_message_gets_the_next_slot_before_fresh_ones_and_everyone_waits_for_the_token():
    pacing = Pacing(overall=5)  # 200 ms apart so that the order cannot depend on the machine's speed
    log = await record(pacing, list(range(1, 8)), refuse={1: 0.5})  # chat 1 had nothing else: the token's 429
    assert [(c, s) for c, _, s in log] == [(1, 429)] + [(c, 200) for c in range(1, 8)]  # nobody went meanwhile


async def test_a_chat_refused_for_its_own_pace_waits_alone():
    pacing = Pacing(overall=20)
    log = await record(pacing, [1, 1, 2, 3, 4, 5], refuse={})
    log = await record(pacing, [1, 6, 7, 8], refuse={1: 0.5})  # chat 1 had a message a moment ago: its own 429
    assert [(c, s) for c, _, s in log] == [(1, 429), (6, 200), (7, 200), (8, 200), (1, 200)]


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
