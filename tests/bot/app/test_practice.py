"""The plan in practice through the app shell, on SQLite and PostgreSQL: what /stand and a reminder's button store
(with the test clock's date and the member's name), what /erinnerungen stores, and what is refused; the Werkstattplan
completed is version 1, the steering group's approval agrees it, "anpassen" in the Zwischenbilanz makes version 2 a
draft, and the exported ODT and DOCX show version 2 with the changed field marked and the list of changes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.app import clock
from bot.app.companion import Companion
from flows.messages import Inbound
from storage.models import Progress, ReminderSetting
from storage.store import Store
from tests.bot.app.test_companion_team import Team, measure
from tests.bot.app.test_documents import MEASURES, exported, plans
from tests.bot.app.test_team import Named, coordinator
from tests.bot.documents.reading import Para, docx_blocks, odt_blocks, table_headed
from tests.bot.documents.sample import PLAN_HEADER
from tests.bot.talk import aware, rows

NOW = datetime(2026, 12, 7, 10, 30, tzinfo=UTC)


@pytest.fixture
async def team(companion: Companion, store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Team:
    """Anna coordinates Musterstadt; its action plan has one measure, the Praxisbörse, whose owner is Dora (a member
    with the measure owner's role). The clock stands at ``NOW``."""
    monkeypatch.setenv(clock.VARIABLE, str(tmp_path / "clock"))
    clock.set_to(tmp_path / "clock", NOW)
    team = Team(companion, store)
    await team.send("anna", Inbound(event="start", name="Anna"))
    for line in ("Musterstadt", "2", "13", "3", "2, 5, 9", "/phase 4"):
        await team.says("anna", line)
    assert "Gespeichert" in await measure(team, "anna", "Dora")
    team.wid = await store.run(lambda unit: unit.open_conversation("test", "anna", "de")[1].shared.workspace_id)
    await team.joins("dora", "owner")
    return team


async def reports(store: Store) -> list[tuple]:
    return [
        (r["workspace_id"], r["measure"], r["status"], r["value"], r["author_id"], r["author"], aware(r["at"]))
        for r in await rows(store, Progress)
    ]


async def test_an_owner_reports_from_the_list_and_the_report_is_stored_with_date_and_author(team: Team, store: Store):
    dora = await team.user("dora")
    reply = await team.says("dora", "/stand")
    assert "• Praxisbörse: noch keine Meldung" in reply
    await team.presses("dora", "Praxisbörse")
    await team.presses("dora", "läuft")
    reply = await team.says("dora", "3")
    assert "Gespeichert: Praxisbörse – läuft, 3 (07.12.2026, Dora)" in reply
    assert await reports(store) == [(team.wid, "r1", "running", 3.0, dora, "Dora", NOW)]
    assert "• Praxisbörse: läuft, 3 (07.12.2026, Dora)" in await team.says("dora", "/stand")


async def test_a_reminders_button_stores_the_status_and_the_team_sees_it(team: Team, store: Store):
    dora = await team.user("dora")
    reply = await team.send("dora", Inbound(command="status r1 done", name="Dora"))
    assert "Gespeichert: Praxisbörse – erledigt (07.12.2026, Dora)" in reply
    assert await reports(store) == [(team.wid, "r1", "done", None, dora, "Dora", NOW)]
    await team.says("dora", "12,5")  # the value asked after the tap
    assert [r[2:4] for r in await reports(store)] == [("done", None), ("done", 12.5)]
    assert "Maßnahmen: 1 erledigt" in await team.says("anna", "/fortschritt")
    assert "• Praxisbörse: erledigt, 12,5 (07.12.2026, Dora)" in await team.says("anna", "/stand")


async def test_a_french_member_reports_with_the_french_command(team: Team, store: Store):
    response = await team.companion.handle("test", "dora", Inbound(text="/avancement r1 en retard 2"), lang="fr")
    assert "Enregistré\u202f: Praxisbörse – en retard, 2 (7 déc. 2026, Dora)" in response.replies[-1].text()
    assert [r[1:4] for r in await reports(store)] == [("r1", "delayed", 2.0)]


@pytest.mark.parametrize(
    ("who", "role", "typed", "said"),
    [
        ("carla", "viewer", "/stand r1 erledigt", "Sie können den Plan lesen"),
        ("dora", "owner", "/stand r7 läuft", "Eine Maßnahme „r7“ gibt es im Werkstattplan (nicht mehr)."),
        ("dora", "owner", "/stand r1 vielleicht", "„vielleicht“ kenne ich nicht als Stand."),
        ("dora", "owner", "/stand r1 läuft viele", "„viele“ kann ich nicht als Zahl lesen."),
    ],
)
async def test_refused_or_unreadable_reports_store_nothing(team: Team, store: Store, who, role, typed, said):
    if who != "dora":
        await team.joins(who, role)
    assert said in await team.says(who, typed)
    assert await reports(store) == []


async def test_reminders_are_paused_turned_back_on_and_stopped(team: Team, store: Store):
    dora = await team.user("dora")
    reply = await team.says("dora", "/erinnerungen pause")
    assert "Bis 04.01.2027 keine Erinnerungen." in reply
    assert [(r["user_id"], r["setting"], aware(r["until"])) for r in await rows(store, ReminderSetting)] == [
        (dora, "paused", NOW + timedelta(weeks=4))
    ]
    assert "Ihre Erinnerungen sind bis 04.01.2027 pausiert." in await team.says("dora", "/erinnerungen")
    await team.presses("dora", "Wieder einschalten")
    assert [(r["setting"], r["until"]) for r in await rows(store, ReminderSetting)] == [("on", None)]
    await team.says("dora", "/reminders off")
    assert [r["setting"] for r in await rows(store, ReminderSetting)] == ["off"]
    assert "Ihre Erinnerungen sind abbestellt." in await team.says("dora", "/rappels")
    await team.says("dora", "/erinnerungen vielleicht")
    assert [r["setting"] for r in await rows(store, ReminderSetting)] == ["off"]


# -- versions of the plan ---------------------------------------------------------------------
V2 = "Werkstattplan, Version 2 (Entwurf, Änderungen seit Version 1 vom 12.03.2027)"


async def versions(store: Store, anna: Named) -> list[tuple[int, str | None, list[str]]]:
    """The workspace's versions: number, the day agreed, each measure's end."""

    def read(unit) -> list[tuple[int, str | None, list[str]]]:
        [(wid, *_)] = unit.memberships(unit.working_on(anna.channel, anna.ref)[0])
        return [(v.number, v.agreed_on, [m["end"] for m in v.answers["wp_measures"]]) for v in unit.plan_versions(wid)]

    return await store.run(read)


async def monitoring(store: Store, anna: Named) -> str:
    """The first monitoring date of the last version."""

    def read(unit) -> str:
        [(wid, *_)] = unit.memberships(unit.working_on(anna.channel, anna.ref)[0])
        return unit.plan_versions(wid)[-1].answers["wp_monitoring"]

    return await store.run(read)


async def keeps(anna: Named) -> str:
    """Keeps a field's answer, skips an empty optional one, or types one where one is needed."""
    for choice in ("_keep", "_skip"):
        if choice in anna.offered:
            return await anna.presses(choice)
    return await anna.says("5 bis 2029")


async def adapts_the_first_measure(anna: Named) -> str:
    """The Zwischenbilanz: the first measure is running and adapted, its end moved to June 2029."""
    await anna.says("/phase 5")
    await anna.says("15.11.2028")  # the review's date
    for answer in ("läuft", "4", "/ueberspringen", "/ueberspringen"):
        await anna.says(answer)
    reply = await anna.says("anpassen")
    assert "Jetzt passen wir „Landarztpraxis fördern“ an (Phase „Werkstattplan“)" in reply
    while "· Ende (" not in anna.text:
        await keeps(anna)
    await anna.says("06/2029")
    while "Zwischenbilanz · Frage" not in anna.text:
        await keeps(anna)
    assert "Maßnahme „Jugendtreff“ · Stand (1/5)" in anna.text  # back in the review, at the next measure
    return anna.text


async def test_the_completed_plan_is_version_1_and_the_approval_agrees_it(companion: Companion, store: Store):
    anna = await coordinator(companion)
    await plans(anna, "/phase 4", MEASURES[:2])
    for answer in ("fertig", "2", "30.09.2027"):  # no quick wins, adopted by the steering group, monitoring
        await anna.says(answer)
    assert await versions(store, anna) == []
    await anna.says("alle")  # the checklist: the stage is complete
    assert await versions(store, anna) == [(1, None, ["2028-12", "2028-12"])]
    await anna.presses("_edit")
    await anna.presses("e:wp_monitoring")
    await anna.says("31.10.2027")  # changed and complete again: still version 1 until the steering group agrees
    assert await versions(store, anna) == [(1, None, ["2028-12", "2028-12"])]
    await anna.says("/beschliessen werkstattplan")
    await anna.says("12.03.2027")
    assert await versions(store, anna) == [(1, "2027-03-12", ["2028-12", "2028-12"])]  # the agreed plan: version 1
    assert await monitoring(store, anna) == "2027-10-31"

    await adapts_the_first_measure(anna)
    assert len(await versions(store, anna)) == 1, "adapting makes a draft, not a version"
    await anna.says("/beschliessen werkstattplan")
    await anna.says("20.11.2028")
    assert await versions(store, anna) == [
        (1, "2027-03-12", ["2028-12", "2028-12"]),
        (2, "2028-11-20", ["2029-06", "2028-12"]),
    ]


async def test_after_adapt_the_export_holds_version_2_with_the_changed_field_marked_and_the_changes(
    companion: Companion, store: Store
):
    anna = await coordinator(companion)
    await plans(anna, "/phase 4", MEASURES[:2])
    for answer in ("fertig", "2", "30.09.2027", "alle"):
        await anna.says(answer)
    await anna.says("/beschliessen werkstattplan")
    await anna.says("12.03.2027")
    await adapts_the_first_measure(anna)

    await anna.says("/export odt strategie")
    odt = odt_blocks(exported(anna, ".odt").data)
    await anna.says("/export docx strategie")
    word = docx_blocks(exported(anna, ".docx").data)
    for blocks in (odt, word):
        assert Para(V2) in blocks
        plan = table_headed(blocks, PLAN_HEADER)
        period = PLAN_HEADER.index("Zeitraum")
        assert [row[period] for row in plan.rows[1:]] == ["März 2027 – Juni 2029 ●", "März 2027 – Dezember 2028"]
        assert Para("● neu oder geändert seit Version 1") in blocks
        changes = blocks.index(Para("Änderungen seit dem letzten Beschluss"))
        assert blocks[changes + 1] == Para("Landarztpraxis fördern, Ende: Dezember 2028 → Juni 2029", item=True)
        assert not (isinstance(blocks[changes + 2], Para) and blocks[changes + 2].item)  # nothing else changed

    await anna.says("/export docx beschluss")
    council = docx_blocks(exported(anna, ".docx").data)
    assert Para(V2) in council and "März 2027 – Juni 2029 ●" in table_headed(council, PLAN_HEADER).rows[1]
