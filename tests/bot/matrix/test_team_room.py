"""A team's Matrix room, bound by its coordinator, hears when a teammate completes a stage."""

from __future__ import annotations

import asyncio

from sqlalchemy import select

from storage.models import Conversation, Identity
from storage.store import Store
from tests.bot.matrix.test_channel import matrix  # noqa: F401  (the fixture)
from tests.flows.conversation.test_team import KICKOFF, ONBOARDING


async def join(url: str, ben: str, anna: str) -> None:
    """Ben joins the workspace of Anna (Matrix user ids) as an editor."""

    def work(unit):  # type: ignore[no-untyped-def]
        users = {r: u for r, u in unit.conn.execute(select(Identity.ref, Identity.user_id))}
        wid = unit.conn.execute(
            select(Conversation.workspace_id).where(Conversation.user_id == users[anna])
        ).scalar_one()
        unit.join(users[ben], wid, "editor", "Ben")

    store = await Store.open(url)
    try:
        await store.run(work)
    finally:
        await store.close()


async def test_the_coordinator_binds_the_team_room_and_it_hears_of_a_completed_stage(matrix, database_url):  # noqa: F811
    bot_id, _bot, member = matrix
    anna, ben = await member("anna"), await member("ben")
    anna_dm, ben_dm = await anna.dm(bot_id, False), await ben.dm(bot_id, False)
    for line in ONBOARDING[1:]:
        await anna.says(anna_dm, line)
    await join(database_url, ben.client.user_id, anna.client.user_id)
    created = await anna.client.room_create(name="Team Musterstadt", invite=[bot_id, ben.client.user_id])
    room = created.room_id  # type: ignore[union-attr]
    await ben.client.join(room)
    since = len(anna.notices)
    for _ in range(60):  # the bot joins on the invite, without a greeting in a group room
        await asyncio.sleep(0.5)
        said = await anna.client.joined_members(room)
        if bot_id in [m.user_id for m in getattr(said, "members", [])]:
            break
    await anna.says(room, "/teamraum", "Diese Gruppe erfährt jetzt")
    assert not any("DAKS-Begleiter" in t for t in anna.texts(room)[since:])  # no greeting in the team room
    for line in KICKOFF:
        await ben.says(ben_dm, line)
    await anna.wait_for(room, "hat die Phase „Kick-Off“ abgeschlossen (Musterstadt).", since, timeout=30)
    await anna.wait_for(anna_dm, "hat die Phase „Kick-Off“ abgeschlossen (Musterstadt).", 0, timeout=30)
