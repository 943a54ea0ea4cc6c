"""Ideas carry over through the app shell, on SQLite and PostgreSQL: decisions on the workshop's ideas are stored
with the strategy, so a teammate and a restarted companion see them."""

from __future__ import annotations

import pytest

from bot.app.companion import Companion
from flows.messages import Inbound
from storage.store import Store
from tests.bot.app.test_companion_team import Team

WORKSHOP = (  # the Zukunftswerkstatt up to its ideas: Dorfladen (high), Mitfahrbank (medium)
    *("/phase 3", "2", "/ueberspringen", "1, 3", "/ueberspringen", "1, 2"),
    *("Dorfladen", "1", "Frau Meier", "1"),
    *("1", "Mitfahrbank", "1", "/ueberspringen", "2"),
)


@pytest.fixture
async def team(companion: Companion, store: Store) -> Team:
    """Anna coordinates Musterstadt's strategy and has recorded the workshop's two ideas."""
    team = Team(companion, store)
    await team.send("anna", Inbound(event="start", name="Anna"))
    for line in ("Musterstadt", "2", "13", "3", "2, 5, 9", *WORKSHOP):
        await team.says("anna", line)
    team.wid = await store.run(lambda unit: unit.open_conversation("test", "anna", "de")[1].shared.workspace_id)
    return team


async def test_a_teammate_is_offered_only_the_ideas_nobody_decided(team: Team):
    assert "Idee 1 von 2: „Dorfladen“" in await team.says("anna", "/phase 4")
    await team.presses("anna", "Verwerfen")
    assert (await team.answers())["wp_measures_dropped"] == ["r1"]
    await team.joins("ben", "editor")
    offered = await team.says("ben", "/phase 4")
    assert "Idee 1 von 1: „Mitfahrbank“" in offered and "Dorfladen" not in offered
    await team.presses("ben", "Als Maßnahme übernehmen")
    for line in ("Antwort beibehalten", "Mitfahren im Dorf", "Antwort beibehalten", "Bauamt"):
        await (team.presses if line == "Antwort beibehalten" else team.says)("ben", line)
    for line in ("/ueberspringen", "/ueberspringen", "05/2027", "/ueberspringen", "/ueberspringen", "Fahrten", "50"):
        reply = await team.says("ben", line)
    assert "Gespeichert: Mitfahrbank" in reply and "Aus der Zukunftswerkstatt: Mitfahrbank" in reply
    [measure] = (await team.answers())["wp_measures"]
    assert measure["ideas"] == ["r2"] and measure["owner"] == "Bauamt"

    again = await team.says("anna", "/phase 4")  # Anna comes back: nothing left to offer
    assert "Idee 1" not in again and "Werkstatt-Ideen" not in again


async def test_an_idea_on_screen_survives_a_restart(team: Team, content, store: Store):
    await team.says("anna", "/phase 4")
    await team.presses("anna", "Verwerfen")
    team.companion = Companion(content, store)  # a new process on the same database
    reply = await team.presses("anna", "Später")  # the button of the message before the restart still works
    assert "Gut, 1 Idee bleibt für später offen." in reply
    assert (await team.answers())["wp_measures_dropped"] == ["r1"]
