"""Broadcasts from the durable outbox through the real `daks serve`, against the fake Bot API with Telegram's limits."""

from __future__ import annotations

import asyncio
import random
import signal
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.app.effects import queue_newsletter
from flows.news.newsletters import NewsletterSpec
from storage.models import Delivery, Identity, utcnow
from storage.store import Store
from tests.bot.telegram.conftest import BotProcess, bot_env
from tests.fakes.bot_api import FakeBotAPI

TITLE = "Neues aus der Zukunftswerkstatt"
FIRST = 500_000


async def seed(url: str, api: FakeBotAPI, n: int, version: str) -> tuple[set[int], set[int]]:
    """``n`` confirmed subscribers; every 40th has blocked the bot, every 40th + 1 has deleted the chat."""
    blocked, gone = set(), set()
    for i in range(n):
        uid = FIRST + i
        if i % 40 == 0:
            api.user(uid)
            api.blocked.add(uid)
            blocked.add(uid)
        elif i % 40 == 1:
            gone.add(uid)  # unknown to Telegram: "chat not found"
        else:
            api.user(uid)

    def subscribe(unit):  # type: ignore[no-untyped-def]
        for i in range(n):
            account, _ = unit.open_conversation("telegram", str(FIRST + i), "de")
            unit.confirm_subscription(account.user_id, "telegram", str(FIRST + i), "de", [], version)

    store = await Store.open(url)
    try:
        await store.run(subscribe)
    finally:
        await store.close()
    return blocked, gone


async def queue(url: str) -> int:
    spec = NewsletterSpec(title={"de": TITLE}, body={"de": "Die **Zwischenbilanz** steht an.\n\n- eins\n- zwei"})
    store = await Store.open(url)
    try:
        return await store.run(lambda unit: queue_newsletter(unit, spec, "cli:test", utcnow()))
    finally:
        await store.close()


async def deliveries(url: str) -> dict[int, tuple[str, str | None]]:
    store = await Store.open(url)
    try:
        rows = await store.run(
            lambda unit: unit.conn.execute(select(Delivery.address, Delivery.state, Delivery.reason)).all()
        )
        return {int(a): (s, r) for a, s, r in rows}
    finally:
        await store.close()


async def finished(url: str, broadcast_id: int, timeout: float) -> None:
    store = await Store.open(url)
    try:
        for _ in range(int(timeout * 2)):
            row = await store.run(lambda unit: unit.broadcast(broadcast_id))
            if row is not None and row.status == "done":
                return
            await asyncio.sleep(0.5)
        raise AssertionError(f"broadcast {broadcast_id} not finished: {await deliveries_counts(store)}")
    finally:
        await store.close()


async def deliveries_counts(store: Store) -> Counter[str]:
    rows = await store.run(lambda unit: unit.conn.execute(select(Delivery.state)).scalars().all())
    return Counter(rows)


def copies(api: FakeBotAPI) -> Counter[int]:
    return Counter(m.chat_id for chat in list(api.users) for m in api.sent(chat) if TITLE in m.text)


async def inactive(url: str) -> dict[int, str | None]:
    store = await Store.open(url)
    try:
        rows = await store.run(
            lambda unit: unit.conn.execute(
                select(Identity.ref, Identity.status).where(Identity.active.is_(False))
            ).all()
        )
        return {int(r): s for r, s in rows}
    finally:
        await store.close()


@pytest.fixture
async def limited() -> FakeBotAPI:
    async with FakeBotAPI(limits=True) as server:
        yield server


def paced_env(api: FakeBotAPI, url: str, data: Path, **extra: str) -> dict[str, str]:
    return bot_env(api, url, data, TELEGRAM_PACING="true", DAKS_LOG_LEVEL="WARNING", **extra)


async def test_a_newsletter_reaches_2000_subscribers_once_each_within_telegrams_limits(
    limited: FakeBotAPI, database_url: str, tmp_path: Path, content
) -> None:
    api = limited
    blocked, gone = await seed(database_url, api, 2000, content.consent.version)
    late = api.users[FIRST + 1990]  # unsubscribes while the broadcast runs, before their turn
    bot = BotProcess(api, paced_env(api, database_url, tmp_path), tmp_path / "bot.log")
    await bot.start()
    try:
        broadcast_id = await queue(database_url)
        await api.wait_for(lambda: sum(copies(api).values()) >= 100, timeout=60)
        await api.send_text(late, "/abbestellen")
        await api.wait_for(lambda: any("/newsletter" in m.text for m in api.sent(late.id)), timeout=30)
        await finished(database_url, broadcast_id, timeout=240)
    finally:
        assert await bot.stop() == 0, bot.output()

    refused = [c for c in api.calls if c.status == 429]
    assert refused == []
    got = copies(api)
    rows = await deliveries(database_url)
    expected = {FIRST + i for i in range(2000)} - blocked - gone - {late.id}
    assert set(got) == expected and set(got.values()) == {1}
    assert {uid for uid, (state, _) in rows.items() if state == "sent"} == expected
    assert rows[late.id] == ("skipped", "unsubscribed")
    assert {rows[u] for u in blocked} == {("skipped", "blocked")}
    assert {rows[u] for u in gone} == {("skipped", "chat_not_found")}
    assert await inactive(database_url) == {u: "blocked" for u in blocked} | {u: "chat_not_found" for u in gone}
    assert api.busiest() <= 30  # the token's 30 in any sliding second, as the server counted them


async def broadcast(api: FakeBotAPI, url: str, data: Path, recipients: int, version: str) -> set[int]:
    """A newsletter to ``recipients`` subscribers through one `daks serve` at the default pace; who should get it."""
    blocked, gone = await seed(url, api, recipients, version)
    bot = BotProcess(api, paced_env(api, url, data, TELEGRAM_BROADCAST_RATE="30"), data / "bot.log")
    await bot.start()
    try:
        await finished(url, await queue(url), timeout=120)
    finally:
        assert await bot.stop() == 0, bot.output()
    return {FIRST + i for i in range(recipients)} - blocked - gone


def refused_in_a_row(api: FakeBotAPI) -> dict[int, int]:
    """Per chat, the most 429s its messages got one after another."""
    most: Counter[int] = Counter()
    run: Counter[int] = Counter()
    for call in api.called("sendMessage"):
        chat = int(call.params["chat_id"])
        run[chat] = run[chat] + 1 if call.status == 429 else 0
        most[chat] = max(most[chat], run[chat])
    return {chat: n for chat, n in most.items() if n}


def fresh_before_retries(api: FakeBotAPI) -> list[int]:
    """Chats whose message was taken while a refused message still waited for its retry."""
    waiting: set[int] = set()
    early = []
    for call in api.called("sendMessage"):
        chat = int(call.params["chat_id"])
        if call.status == 429:
            waiting.add(chat)
        elif call.status == 200:
            if waiting and chat not in waiting:
                early.append(chat)
            waiting.discard(chat)
    return early


async def test_at_the_default_rate_telegram_refuses_nothing_in_any_sliding_second(
    limited: FakeBotAPI, database_url: str, tmp_path: Path, content
) -> None:
    api = limited  # 30 messages in any sliding second, as Telegram counts them
    expected = await broadcast(api, database_url, tmp_path, 400, content.consent.version)

    assert [c for c in api.calls if c.status == 429] == []
    assert api.busiest() <= 30
    got = copies(api)
    assert set(got) == expected and set(got.values()) == {1}


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_when_telegram_refuses_the_token_every_send_waits_and_the_refused_message_goes_first(
    database_url: str, tmp_path: Path, content
) -> None:
    async with FakeBotAPI(overall=20) as api:  # a Telegram stricter than the configured 30/s: it will refuse
        expected = await broadcast(api, database_url, tmp_path, 150, content.consent.version)

    refusals = [c for c in api.called("sendMessage") if c.status == 429]
    assert refusals, "the server's lower limit was reached"
    assert set(refused_in_a_row(api).values()) == {1}, "no chat is refused twice in a row"
    assert fresh_before_retries(api) == [], "a refused message goes before fresh ones"
    assert api.ignored_floods <= len(refusals) // 2, "only what was already on its way came during a wait"
    got = copies(api)
    assert set(got) == expected and set(got.values()) == {1}


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_killed_five_times_nobody_gets_it_twice_and_nobody_is_silently_skipped(
    limited: FakeBotAPI, database_url: str, tmp_path: Path, content
) -> None:
    api = limited
    blocked, gone = await seed(database_url, api, 2000, content.consent.version)
    env = paced_env(api, database_url, tmp_path)
    broadcast_id = await queue(database_url)
    rng = random.Random(7)
    for _ in range(5):
        bot = BotProcess(api, env, tmp_path / "bot.log")
        await bot.start()
        before = sum(copies(api).values())
        await api.wait_for(lambda b=before: sum(copies(api).values()) >= b + rng.randint(20, 250), timeout=60)
        await bot.stop(signal.SIGKILL)
    bot = BotProcess(api, env, tmp_path / "bot.log")
    await bot.start()
    try:
        await finished(database_url, broadcast_id, timeout=300)
    finally:
        assert await bot.stop() == 0, bot.output()

    assert [c for c in api.calls if c.status == 429] == []
    got = copies(api)
    rows = await deliveries(database_url)
    assert max(got.values()) == 1, "somebody got the newsletter twice"
    states = Counter(state for state, _ in rows.values())
    assert set(states) <= {"sent", "skipped", "unknown"} and len(rows) == 2000
    for uid, (state, reason) in rows.items():
        if state == "sent":
            assert got[uid] == 1
        elif state == "skipped":
            assert (uid in blocked and reason == "blocked") or (uid in gone and reason == "chat_not_found")
        else:
            assert reason == "in_flight_at_crash" and got[uid] <= 1
    assert states["unknown"] <= 5 * 6 * 2, states  # at most two groups in flight per kill
    print(f"after five kills: {dict(states)}")


async def test_two_processes_on_postgresql_share_one_broadcast_and_one_pace(
    limited: FakeBotAPI, postgres_url: str, tmp_path: Path, content
) -> None:
    from tests.conftest import free_port

    api = limited
    blocked, gone = await seed(postgres_url, api, 600, content.consent.version)
    bots = []
    for n in range(2):
        port = free_port()
        env = paced_env(
            api,
            postgres_url,
            tmp_path / f"p{n}",
            TELEGRAM_WEBHOOK_URL=f"http://127.0.0.1:{port}/hook",
            TELEGRAM_WEBHOOK_LISTEN=f"127.0.0.1:{port}",
            TELEGRAM_WEBHOOK_SECRET="secret",
        )
        bot = BotProcess(api, env, tmp_path / f"bot{n}.log")
        await bot.start(ready="setwebhook")
        bots.append(bot)
    try:
        broadcast_id = await queue(postgres_url)
        await finished(postgres_url, broadcast_id, timeout=120)
    finally:
        for bot in bots:
            assert await bot.stop() == 0, bot.output()

    assert [c for c in api.calls if c.status == 429] == []
    got = copies(api)
    assert set(got) == {FIRST + i for i in range(600)} - blocked - gone and set(got.values()) == {1}
    store = await Store.open(postgres_url)
    try:
        workers = await store.run(lambda unit: unit.conn.execute(select(Delivery.worker, Delivery.state)).all())
    finally:
        await store.close()
    by_worker = Counter(w for w, state in workers if state == "sent")
    assert len(by_worker) == 2 and min(by_worker.values()) > 50, by_worker


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_the_admin_watches_one_progress_message_and_cancels_with_its_button(
    limited: FakeBotAPI, database_url: str, tmp_path: Path, content
) -> None:
    api = limited
    await seed(database_url, api, 400, content.consent.version)
    admin = api.user(4242, "Ada")
    bot = BotProcess(api, paced_env(api, database_url, tmp_path, DAKS_ADMINS="telegram:4242"), tmp_path / "bot.log")
    await bot.start()
    try:
        await api.send_text(admin, "/start")
        await api.wait_for(lambda: bool(api.sent(admin.id)), timeout=20)
        spec = NewsletterSpec(title={"de": TITLE}, body={"de": "Text"})
        store = await Store.open(database_url)
        try:
            broadcast_id = await store.run(lambda unit: queue_newsletter(unit, spec, "telegram:4242", utcnow()))
        finally:
            await store.close()

        def progress():  # type: ignore[no-untyped-def]
            return [m for m in api.sent(admin.id) if f"#{broadcast_id}" in m.text]

        await api.wait_for(lambda: any(m.edits >= 2 for m in progress()), timeout=60)
        shown = progress()
        assert len(shown) == 1, "progress is edited in place, not sent again"
        _, cancel = shown[0].button("")
        assert cancel == f"c:admin cancel {broadcast_id}"
        await api.press(admin, shown[0], cancel)
        await finished_or_cancelled(database_url, broadcast_id)
        await api.wait_for(lambda: "/admin cancel" not in progress()[0].text, timeout=20)
    finally:
        assert await bot.stop() == 0, bot.output()
    rows = await deliveries(database_url)
    states = Counter(rows.values())
    assert states[("skipped", "cancelled")] > 100, states
    assert sum(copies(api).values()) == states[("sent", None)]


async def finished_or_cancelled(url: str, broadcast_id: int) -> None:
    store = await Store.open(url)
    try:
        for _ in range(60):
            row = await store.run(lambda unit: unit.broadcast(broadcast_id))
            if row is not None and row.status in ("done", "cancelled"):
                return
            await asyncio.sleep(0.5)
        raise AssertionError("not cancelled")
    finally:
        await store.close()
