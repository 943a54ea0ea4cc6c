"""Status reports and reminder settings through the app shell, on SQLite and PostgreSQL: what /stand and a reminder's
button store (with the test clock's date and the member's name), what /erinnerungen stores, and what is refused."""

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
