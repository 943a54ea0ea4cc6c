"""A team at work: notices when a teammate completes a stage, notices off, the steering group's approval."""

from __future__ import annotations

from storage.models import AdminLog, Approval, Broadcast, Conversation, Delivery, Member, Room
from storage.store import Store
from tests.bot.talk import Person, rows, user_id
from tests.flows.conversation.test_team import KICKOFF, KOMMUNALPROFIL, ONBOARDING


async def says_all(person: Person, lines: tuple[str, ...]) -> str:
    for line in lines:
        await person.says(line)
    return person.text


async def team(companion, store: Store) -> tuple[Person, Person]:
    """Anna coordinates Musterstadt's strategy; Ben joins her workspace as an editor."""
    anna, ben = Person(companion, "1001"), Person(companion, "1002")
    await says_all(anna, ONBOARDING)
    await ben.says("/start")
    anna_id, ben_id = await user_id(store, anna), await user_id(store, ben)
    [conversation] = await rows(store, Conversation, Conversation.user_id == anna_id)
    wid = conversation["workspace_id"]
    await store.run(lambda unit: unit.join(ben_id, wid, "editor", "Ben"))
    return anna, ben


async def team_notices(store: Store) -> list[tuple[int, str, str, dict]]:
    """(recipient, channel, address, German body) of every team notice queued."""
    kinds = {b["id"]: b for b in await rows(store, Broadcast)}
    return [
        (d["user_id"], d["channel"], d["address"], kinds[d["broadcast_id"]]["body"])
        for d in await rows(store, Delivery)
        if kinds[d["broadcast_id"]]["kind"] == "team"
    ]


async def test_a_stage_completed_by_one_member_queues_one_notice_to_the_other(companion, store):
    anna, ben = await team(companion, store)
    await says_all(ben, KICKOFF[:-1])
    assert await team_notices(store) == []  # no notice per answer
    await ben.says("alle")
    assert "Zusammenfassung: Kick-Off" in ben.text
    [(to, channel, address, body)] = await team_notices(store)
    assert (to, channel, address) == (await user_id(store, anna), "telegram", "1001")
    assert body["de"] == (
        "Ben hat die Phase „Kick-Off“ abgeschlossen (Musterstadt). /hinweise aus schaltet diese Hinweise aus."
    )
    assert body["fr"].startswith("Ben a terminé l’étape «\u202fRéunion de lancement\u202f» (Musterstadt).")
    assert body["en"].endswith("/notices off turns these notices off.")
    await ben.presses("_edit")
    await ben.presses("e:ko_sponsor")
    await ben.says("Oberbürgermeisterin")
    assert "Zusammenfassung: Kick-Off" in ben.text
    assert len(await team_notices(store)) == 1  # a finished stage edited again is not news


async def test_with_notices_off_nobody_is_told_and_they_can_be_turned_on_again(companion, store):
    anna, ben = await team(companion, store)
    assert "Team-Hinweise sind aus. /hinweise an schaltet sie wieder ein." in await anna.says("/hinweise aus")
    await says_all(ben, KICKOFF)
    assert "Zusammenfassung: Kick-Off" in ben.text
    assert await team_notices(store) == []
    assert "Team-Hinweise sind an" in await anna.says("/avis")  # a bare command toggles; any language's name works
    [mine] = await rows(store, Member, Member.user_id == await user_id(store, anna))
    assert mine["notices"] is True
    assert "Bitte schreiben Sie /hinweise an oder /hinweise aus." in await anna.says("/notices vielleicht")


async def test_notices_before_anything_is_stored_are_explained(companion):
    new = Person(companion, "1003")
    assert "Sie sind noch in keinem Team" in await new.says("/hinweise")


async def test_the_coordinator_records_the_approval_and_later_changes_show_until_approved_again(companion, store):
    anna, ben = await team(companion, store)
    await says_all(anna, KICKOFF + KOMMUNALPROFIL)
    assert "Zusammenfassung: Kommunalprofil" in anna.text
    await anna.presses("_approve")
    assert "An welchem Tag hat der Steuerungskreis „Kommunalprofil“ beschlossen?" in anna.text
    assert "Bitte nennen Sie den Tag des Beschlusses" in await anna.says("Dezember 2026")  # a month is no day
    reply = await anna.says("3.12.2026")
    assert "Festgehalten: Der Steuerungskreis hat „Kommunalprofil“ am 3. Dezember 2026 beschlossen." in reply
    assert "Beschlossen vom Steuerungskreis am 3. Dezember 2026." in reply  # the summary, right away

    [approval] = await rows(store, Approval)
    assert approval["stage_id"] == "kommunalprofil" and approval["agreed_on"] == "2026-12-03"
    assert approval["answers"]["kp_strengths"] == ["Lage am Fluss"] and "ko_sponsor" not in approval["answers"]
    [logged] = [r for r in await rows(store, AdminLog) if r["action"] == "approve"]
    assert logged["actor"] == "telegram:1001" and logged["detail"] == {
        "stage": "kommunalprofil",
        "agreed_on": "2026-12-03",
    }
    told = [body["de"] for _, _, _, body in await team_notices(store)]
    assert any("hat festgehalten: Der Steuerungskreis hat „Kommunalprofil“ am 3. Dezember 2026" in t for t in told)

    assert "Nur die Koordination Ihres Teams kann festhalten" in await ben.says("/beschliessen")
    await ben.says("/phase 2")
    assert "Beschlossen vom Steuerungskreis am 3. Dezember 2026." in ben.text
    assert "_approve" not in ben.offered  # only the coordinator is offered the button
    await ben.presses("_edit")
    await ben.presses("e:kp_strengths")
    await ben.says("Vereinsleben")
    reply = await ben.says("fertig")
    assert "Beschlossen vom Steuerungskreis am 3. Dezember 2026; seitdem geändert: Stärken." in reply
    await ben.says("/export md")
    [document] = [a for r in ben.replies for a in r.attachments]
    text = document.data.decode()
    assert "*Beschlossen vom Steuerungskreis am 3. Dezember 2026; seitdem geändert: Stärken.*" in text

    await anna.says("/beschliessen 2")
    reply = await anna.says("17.12.2026")
    assert "Beschlossen vom Steuerungskreis am 17. Dezember 2026." in reply and "seitdem geändert" not in reply
    assert [r["agreed_on"] for r in await rows(store, Approval)] == ["2026-12-17"]


async def test_the_coordinator_binds_a_group_room_which_hears_the_notices_too(companion, store):
    anna, ben = await team(companion, store)
    refused = await companion.bind_room("telegram", "-1009", ben.ref)
    assert "Nur die Koordination eines Teams kann diese Gruppe" in refused.replies[0].text()
    assert await rows(store, Room) == []
    bound = await companion.bind_room("telegram", "-1009", anna.ref)
    assert "Diese Gruppe erfährt jetzt" in bound.replies[0].text() and "(Musterstadt)" in bound.replies[0].text()
    [room] = await rows(store, Room)
    assert room["bound_by"] == await user_id(store, anna)
    await says_all(ben, KICKOFF)
    in_room = [(a, body["de"]) for _, _, a, body in await team_notices(store) if a == "-1009"]
    assert in_room == [("-1009", "Ben hat die Phase „Kick-Off“ abgeschlossen (Musterstadt).")]  # no personal off hint
    assert [a for _, _, a, _ in await team_notices(store)].count("1001") == 1  # and Anna herself, as before
    assert "/teamraum" in await anna.says("/room")  # in a private chat: where to send it
