"""Follow-up reminders through the real `daks serve` and the fake Bot API, on a test clock (DAKS_CLOCK): sent once
to the measure's owner when the monitoring date comes, also when the process is killed just before and after;
never to someone who stopped them; inside quiet hours only at 08:00 in the municipality."""

from __future__ import annotations

import signal
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.app import clock, followup
from flows.content.content import Content
from flows.conversation.state import State
from storage.conversations import Change
from storage.models import Reminder
from storage.store import Store, Unit
from tests.bot.rounds import looked
from tests.bot.telegram.conftest import BotProcess, bot_env
from tests.fakes.bot_api import FakeBotAPI, FakeUser, Sent

MONDAY = datetime(2027, 9, 27, 7, tzinfo=UTC)
"""The monitoring date 27.09.2027 at 09:00 in Berlin (summer time): when the reminder is due."""
LABELS = ["läuft", "erledigt", "verzögert", "gestoppt"]


def plan(content: Content, ref: str, setting: str | None = None) -> Callable[[Unit], None]:
    """The person behind Telegram ``ref`` coordinates Musterstadt and owns its Dorfladen, first monitored on
    27.09.2027 (``setting``: what they chose for their reminders)."""

    def work(unit: Unit) -> None:
        account, saved = unit.open_conversation("telegram", ref, "de")
        measure = {
            "uid": "r1",
            "measure": "Dorfladen",
            "owner": {"member": account.user_id, "name": "Anna"},
            "indicators": [{"name": "Nutzer", "unit": "Personen", "target": 40, "target_date": "2028-12"}],
        }
        answers = {"ob_name": "Musterstadt", "wp_measures": [measure], "wp_monitoring": "2027-09-27"}
        where = State(version=content.version, mode="step", stage="werkstattplan", step="wp_done")
        changes = [Change(step, "answer", None, value) for step, value in answers.items()]
        unit.save(account.user_id, saved, content.version, where.position(), changes, "de")
        assert unit.workspace is not None
        followup.replan(unit, unit.workspace, MONDAY - timedelta(days=30), answers)
        if setting is not None:
            unit.set_reminder_setting(account.user_id, setting)

    return work


class Served:
    """`daks serve` on the test clock, started and stopped (or killed) as a test says, and its database."""

    def __init__(self, api: FakeBotAPI, store: Store, database_url: str, tmp_path: Path):
        self.api, self.store, self.clock = api, store, tmp_path / "clock"
        self.env = bot_env(api, database_url, tmp_path, DAKS_CLOCK=str(self.clock))
        self.log = tmp_path / "bot.log"
        self.process: BotProcess | None = None

    def at(self, when: datetime) -> None:
        clock.set_to(self.clock, when)

    async def start(self) -> None:
        self.process = BotProcess(self.api, self.env, self.log)
        await self.process.start()

    async def kill(self) -> None:
        assert self.process is not None
        await self.process.stop(signal.SIGKILL)

    async def stop(self) -> None:
        assert self.process is not None
        assert await self.process.stop() == 0, self.process.output()
        assert "Traceback" not in self.process.output(), self.process.output()

    async def looked(self, beats: int = 3) -> None:
        """Until the sender has looked at the clock as it is now (:func:`tests.bot.rounds.looked`)."""
        await looked(self.store, beats, lambda: self.process.output() if self.process else "")

    async def reminder(self) -> Reminder:
        """The Dorfladen's monitoring reminder."""
        [row] = [r for r in await self.store.run(lambda unit: unit.reminders_of(1)) if r.kind == "monitoring"]
        return row


@pytest.fixture
async def served(api: FakeBotAPI, database_url: str, tmp_path: Path) -> AsyncIterator[Served]:
    store = await Store.open(database_url, busy_timeout=10)  # reads beside a running sender: wait for its writes
    served = Served(api, store, database_url, tmp_path)
    yield served
    if served.process is not None and served.process.proc is not None:  # a test that failed left it running
        await served.process.stop(signal.SIGKILL)
    await store.close()


def reminders(api: FakeBotAPI, person: FakeUser) -> list[Sent]:
    return [m for m in api.sent(person.id) if "Dorfladen" in m.text]


async def test_the_owner_gets_one_reminder_with_four_buttons_even_when_killed_before_and_after_it_is_due(
    api: FakeBotAPI, served: Served, content: Content
):
    anna = api.user(1001, "Anna")
    bot = served
    await bot.store.run(plan(content, "1001"))
    bot.at(MONDAY - timedelta(seconds=1))
    await bot.start()
    await bot.looked()
    assert reminders(api, anna) == []
    await bot.kill()  # one second before it is due

    bot.at(MONDAY + timedelta(seconds=1))
    await bot.start()
    await api.wait_for(lambda: bool(reminders(api, anna)), timeout=30)
    [sent] = reminders(api, anna)
    assert sent.text.startswith("Wie steht es um „Dorfladen“?")
    assert [text for row in sent.buttons() for text, _ in row] == LABELS
    assert sent.button("läuft")[1] == "c:status r1 running"
    await bot.kill()  # right after sending

    await bot.start()
    await bot.looked()
    await bot.stop()
    assert len(reminders(api, anna)) == 1
    assert (await bot.reminder()).state == "sent"


async def test_someone_who_stopped_their_reminders_gets_none(api: FakeBotAPI, served: Served, content: Content):
    anna = api.user(1001, "Anna")
    bot = served
    await bot.store.run(plan(content, "1001", setting="off"))
    bot.at(MONDAY + timedelta(minutes=5))
    await bot.start()
    await bot.looked()
    await bot.stop()
    row = await bot.reminder()
    assert (row.state, row.reason) == ("skipped", "off")
    assert reminders(api, anna) == []


async def test_a_reminder_due_in_the_evening_comes_at_eight_the_next_morning(
    api: FakeBotAPI, served: Served, content: Content
):
    anna = api.user(1001, "Anna")
    bot = served
    await bot.store.run(plan(content, "1001"))
    bot.at(MONDAY + timedelta(hours=12))  # 21:00 in Berlin: the sender was down all day
    morning = datetime(2027, 9, 28, 6, tzinfo=UTC)  # 08:00 in Berlin
    await bot.start()
    await bot.looked()
    assert (await bot.reminder()).due_at.replace(tzinfo=UTC) == morning
    bot.at(morning - timedelta(seconds=1))
    await bot.looked()
    assert reminders(api, anna) == []

    bot.at(morning)
    await api.wait_for(lambda: bool(reminders(api, anna)), timeout=30)
    await bot.looked()
    await bot.stop()
    assert len(reminders(api, anna)) == 1
