"""Scheduled newsletters and event reminders live in the database: they survive restarts and fire once."""

from __future__ import annotations

import asyncio
import signal
from datetime import timedelta
from pathlib import Path

from bot.app.effects import publish_event, queue_newsletter
from flows.news.broadcasting import event_of
from flows.news.newsletters import NewsletterSpec
from storage.models import utcnow
from storage.store import Store
from tests.bot.telegram.conftest import BotProcess, bot_env
from tests.fakes.bot_api import FakeBotAPI


async def in_unit(url: str, work):  # type: ignore[no-untyped-def]
    store = await Store.open(url)
    try:
        return await store.run(work)
    finally:
        await store.close()


async def test_a_scheduled_newsletter_and_a_reminder_fire_once_across_restarts(
    api: FakeBotAPI, database_url: str, tmp_path: Path, content
) -> None:
    anna, ben = api.user(31, "Anna"), api.user(32, "Ben")

    def prepare(unit):  # type: ignore[no-untyped-def]
        for person in (anna, ben):
            account, _ = unit.open_conversation("telegram", str(person.id), "de")
            unit.confirm_subscription(account.user_id, "telegram", str(person.id), "de", [], content.consent.version)
        event = event_of(
            {
                "kind": "online_seminar",
                "title": {"de": "Testseminar Kommunalprofil"},
                "starts": utcnow() + timedelta(days=3),
                "online_url": "https://example.org/s",
            }
        )
        # published "in 30 days": its announcement is not due yet, and it is too late for an automatic reminder
        event_id = publish_event(unit, event, "cli:test", utcnow() + timedelta(days=30))
        unit.rsvp(event_id, unit.open_conversation("telegram", str(anna.id), "de")[0].user_id, True)
        due = utcnow() + timedelta(seconds=4)
        unit.add_broadcast("reminder", due, "cli:test", event_id=event_id)
        spec = NewsletterSpec(title={"de": "Geplanter Newsletter"}, body={"de": "Text"})
        return queue_newsletter(unit, spec, "cli:test", due)

    await in_unit(database_url, prepare)

    env = bot_env(api, database_url, tmp_path)
    bot = BotProcess(api, env, tmp_path / "bot.log")
    await bot.start()
    assert await bot.stop() == 0  # stopped before anything was due
    await asyncio.sleep(4)
    for _ in range(2):  # due now: started, and started again after a crash
        bot = BotProcess(api, env, tmp_path / "bot.log")
        await bot.start()
        await api.wait_for(lambda: any("Geplanter Newsletter" in m.text for m in api.sent(ben.id)), timeout=30)
        await asyncio.sleep(2)
        await bot.stop(signal.SIGKILL)

    def texts(person) -> list[str]:  # type: ignore[no-untyped-def]
        return [m.text for m in api.sent(person.id)]

    assert sum("Geplanter Newsletter" in t for t in texts(anna)) == 1
    assert sum("Geplanter Newsletter" in t for t in texts(ben)) == 1
    assert sum("Testseminar Kommunalprofil" in t for t in texts(anna)) == 1  # the reminder: Anna attends
    assert not any("Testseminar Kommunalprofil" in t for t in texts(ben))
    statuses = await in_unit(database_url, lambda unit: sorted((b.kind, b.status) for b in unit.broadcasts()))
    assert statuses == [("event", "scheduled"), ("newsletter", "done"), ("reminder", "done")]
