"""A teammate's completed stage reaches the others through the outbox and the real `daks serve`."""

from __future__ import annotations

from sqlalchemy import select

from storage.models import Conversation, Identity
from storage.store import Store
from tests.bot.telegram.conftest import BotProcess, Person
from tests.fakes.bot_api import FakeBotAPI
from tests.flows.conversation.test_team import KICKOFF, ONBOARDING


async def join(url: str, ben: int, anna: int, name: str) -> None:
    """Ben (Telegram id) joins the workspace of Anna (Telegram id) as an editor."""

    def work(unit):  # type: ignore[no-untyped-def]
        users = {
            r: u
            for r, u in unit.conn.execute(select(Identity.ref, Identity.user_id).where(Identity.channel == "telegram"))
        }
        wid = unit.conn.execute(
            select(Conversation.workspace_id).where(Conversation.user_id == users[str(anna)])
        ).scalar_one()
        unit.join(users[str(ben)], wid, "editor", name)

    store = await Store.open(url)
    try:
        await store.run(work)
    finally:
        await store.close()


async def test_anna_is_told_in_her_chat_when_ben_completes_the_kickoff(
    api: FakeBotAPI, bot: BotProcess, database_url: str
):
    anna = Person(api, api.user(1001, "Anna", "de"))
    ben = Person(api, api.user(1002, "Ben", "de"))
    for line in ONBOARDING:
        await anna.says(line)
    await ben.says("/start")
    await join(database_url, 1002, 1001, "Ben")
    for line in KICKOFF:
        await ben.says(line)
    assert any("Zusammenfassung: Kick-Off" in m.text for m in ben.chat)
    notice = "Ben hat die Phase „Kick-Off“ abgeschlossen (Musterstadt). /hinweise aus schaltet diese Hinweise aus."
    await api.wait_for(lambda: any(notice in m.text for m in anna.chat), timeout=30)
    assert not any("abgeschlossen (Musterstadt)" in m.text for m in ben.chat)  # nobody is told of their own work
    assert sum(notice in m.text for m in anna.chat) == 1


async def test_a_group_bound_by_the_coordinator_hears_the_notices_too(
    api: FakeBotAPI, bot: BotProcess, database_url: str
):
    anna = Person(api, api.user(1001, "Anna", "de"))
    ben = Person(api, api.user(1002, "Ben", "de"))
    group = api.group(-1005, "Team Musterstadt")
    for line in ONBOARDING:
        await anna.says(line)
    await ben.says("/start")
    await join(database_url, 1002, 1001, "Ben")
    await api.send_text(ben.user, "/teamraum", group)
    await api.wait_for(lambda: any("Nur die Koordination" in m.text for m in api.sent(group.id)), timeout=15)
    await api.send_text(anna.user, "/einladen@" + api.username, group)  # inviting in a group binds it
    await api.wait_for(lambda: any("Diese Gruppe erfährt jetzt" in m.text for m in api.sent(group.id)), timeout=15)
    for line in KICKOFF:
        await ben.says(line)
    notice = "Ben hat die Phase „Kick-Off“ abgeschlossen (Musterstadt)."
    await api.wait_for(lambda: any(notice in m.text for m in api.sent(group.id)), timeout=30)
    await api.wait_for(lambda: any(notice in m.text for m in anna.chat), timeout=30)
    assert not any("/hinweise" in m.text for m in api.sent(group.id))  # how to stop notices is said in private
    assert not any("Kick-Off · Frage" in m.text for m in api.sent(group.id))  # the work stays in private chats
