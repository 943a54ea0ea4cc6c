"""Follow-up reminders on Matrix, through the real `daks serve` on a real Synapse and a test clock (DAKS_CLOCK), in
a plain and an encrypted direct chat: the owner of a measure gets one ``m.text`` reminder when its monitoring date
comes, answers it by typing ``/stand r1 erledigt``, and the report is stored; the measure being done, the reminder
before its end is cancelled, and nothing more comes when that date passes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from nio import RoomMessageText

from bot.app import clock, followup
from flows.content.content import Content
from flows.conversation.state import State
from storage.conversations import Change
from storage.store import Store, Unit
from tests.bot.matrix import test_channel
from tests.bot.matrix.test_channel import Member
from tests.bot.rounds import looked

matrix = test_channel.matrix
"""The fixture: the running bot on the test Synapse, and a factory for members with their own E2EE clients."""

MONDAY = datetime(2027, 9, 27, 7, tzinfo=UTC)
"""The monitoring date 27.09.2027 at 09:00 in Berlin (summer time): when the reminder is due."""
ENDING = datetime(2027, 12, 24, 8, tzinfo=UTC)
"""A week before the Dorfladen's end (December 2027), 09:00 in Berlin (winter time): the reminder before its end."""


@pytest.fixture
def test_clock(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The clock file the bot reads (DAKS_CLOCK), set to the day before the monitoring date (ask for it before
    ``matrix``, which starts the bot with this environment)."""
    path = tmp_path / "clock"
    clock.set_to(path, MONDAY - timedelta(days=1))
    monkeypatch.setenv(clock.VARIABLE, str(path))
    return path


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Store]:
    """The bot's database, opened by the test next to the running bot (waits for its write locks)."""
    store = await Store.open(database_url, busy_timeout=10.0)
    yield store
    await store.close()


def plan(content: Content, mxid: str, now: datetime):
    """The person behind ``mxid`` coordinates Musterstadt and owns its Dorfladen, monitored on 27.09.2027 and ending
    in December 2027; their reminders are planned as a saved answer plans them. Returns the workspace's id."""

    def work(unit: Unit) -> int:
        account, saved = unit.open_conversation("matrix", mxid, "de")
        measure = {
            "uid": "r1",
            "measure": "Dorfladen",
            "owner": {"member": account.user_id, "name": "Anna"},
            "end": "2027-12",
            "indicators": [{"name": "Nutzer", "unit": "Personen", "target": 40, "target_date": "2028-12"}],
        }
        answers = {"ob_name": "Musterstadt", "wp_measures": [measure], "wp_monitoring": "2027-09-27"}
        where = State(version=content.version, mode="step", stage="werkstattplan", step="wp_done")  # its checklist
        changes = [Change(step, "answer", None, value) for step, value in answers.items()]
        unit.save(account.user_id, saved, content.version, where.position(), changes, "de")
        assert unit.workspace is not None
        followup.replan(unit, unit.workspace, now, answers)
        return unit.workspace

    return work


def reminders(person: Member, room: str) -> list[str]:
    """What reached the room as ``m.text`` (broadcasts; the bot's replies are notices)."""
    return [e.body for r, e in person.notices if r == room and isinstance(e, RoomMessageText)]


async def states(db: Store, wid: int) -> dict[str, str]:
    """The Dorfladen's reminders by kind, and their state."""
    return dict(await db.run(lambda unit: [(r.kind, r.state) for r in unit.reminders_of(wid) if r.subject == "r1"]))


@pytest.mark.parametrize("encrypted", [False, True], ids=["plain", "encrypted"])
async def test_the_owner_gets_one_reminder_answers_it_by_typing_and_hears_no_more(
    test_clock: Path, matrix, db: Store, content: Content, encrypted: bool
):
    bot_id, bot, member = matrix
    anna = await member("anna")
    room = await anna.dm(bot_id, encrypted)
    wid = await db.run(plan(content, str(anna.client.user_id), MONDAY - timedelta(days=1)))
    assert await states(db, wid) == {"monitoring": "scheduled", "ending": "scheduled"}
    await looked(db, output=bot.output)
    assert reminders(anna, room) == [], "nothing before the monitoring date"

    clock.set_to(test_clock, MONDAY + timedelta(seconds=1))
    since = len(anna.notices)
    await anna.wait_for(room, "Dorfladen", since, timeout=30)
    [reminder] = reminders(anna, room)
    assert reminder.startswith("Wie steht es um „Dorfladen“?"), reminder
    assert "Per Nachricht antworten: /stand r1 läuft (oder erledigt, verzögert, gestoppt)" in reminder, reminder

    [saved] = [
        getattr(e, "body", "")
        for e in await anna.says(room, "/stand r1 erledigt", "Gespeichert: Dorfladen")
        if "Gespeichert" in getattr(e, "body", "")
    ]
    assert "erledigt" in saved, saved
    [report] = await db.run(lambda unit: unit.reports(wid))
    assert (report.measure, report.status, report.value) == ("r1", "done", None)
    account = await db.run(lambda unit: unit.open_conversation("matrix", str(anna.client.user_id), "de")[0])
    assert report.author_id == account.user_id
    assert await states(db, wid) == {"monitoring": "sent", "ending": "cancelled"}, "a done measure ends no more"

    clock.set_to(test_clock, ENDING + timedelta(seconds=1))
    await looked(db, output=bot.output)
    assert await states(db, wid) == {"monitoring": "sent", "ending": "cancelled"}
    assert len(reminders(anna, room)) == 1, reminders(anna, room)
    assert "Traceback" not in bot.output(), bot.output()
