"""Good practice through the app shell, on SQLite and PostgreSQL: Anna shares Musterstadt's Praxisbörse; /suche does
not find it until Eva (an admin) approves it (audited), then finds it in German and /chercher in French (marked as not
yet translated); Bernd takes it over into Beispieldorf's plan as a draft measure with the backlink, stored; the
adoption is counted once and Eva sees it."""

from __future__ import annotations

import pytest

from bot.app.companion import Companion
from flows.content.content import Content
from flows.messages import Inbound
from storage.models import AdminLog, Adoption, SharedPractice
from storage.store import Store
from tests.bot.app.test_companion_team import Team, measure
from tests.bot.talk import rows

EVA = "eva"
"""An admin (DAKS_ADMINS=test:eva)."""


@pytest.fixture
def companion(content: Content, store: Store) -> Companion:
    return Companion(content, store, admins=frozenset({f"test:{EVA}"}))


@pytest.fixture
async def team(companion: Companion, store: Store) -> Team:
    """Anna coordinates Musterstadt, whose plan has the Praxisbörse; Bernd has started Beispieldorf's strategy."""
    team = Team(companion, store)
    for who, town in (("anna", "Musterstadt"), ("bernd", "Beispieldorf")):
        await team.send(who, Inbound(event="start", name=who.capitalize()))
        for line in (town, "2", "13", "3", "2, 5, 9"):
            await team.says(who, line)
    await team.says("anna", "/phase 4")
    assert "Gespeichert" in await measure(team, "anna", "Dora")
    await team.send(EVA, Inbound(event="start", name="Eva"))
    team.wid = await store.run(lambda unit: unit.open_conversation("test", "anna", "de")[1].shared.workspace_id)
    return team


def found(team: Team) -> list[str]:
    """The labels of the buttons under the last reply (a search's results)."""
    return [c.label for c in team.replies[-1].choices]


async def answers(store: Store, who: str) -> dict:
    return await store.run(lambda unit: unit.open_conversation("test", who, "de")[1].answers)


async def test_a_practice_is_found_only_once_approved_and_taken_over_with_its_backlink(team: Team, store: Store):
    await team.says("anna", "/praxis")
    await team.presses("anna", "Praxisbörse")
    await team.presses("anna", "Beibehalten")  # the title
    await team.presses("anna", "Beibehalten")  # what was done: the measure's goal
    await team.says("anna", "Ärztinnen und Ärzte, die eine Praxis auf dem Land suchen")
    await team.presses("anna", "Beibehalten")  # the cost: the budget
    await team.presses("anna", "Überspringen")
    await team.presses("anna", "Überspringen")
    assert "Danke! „Praxisbörse“ ist eingereicht." in await team.presses("anna", "Teilen")
    [stored] = await rows(store, SharedPractice)
    assert (stored["municipality"], stored["status"], stored["lang"], stored["measure"]) == (
        "Musterstadt",
        "submitted",
        "de",
        "r1",
    )
    assert stored["texts"]["de"]["what"] == "Mehr Ärztinnen gewinnen"
    assert stored["texts"]["de"]["cost"] == "20.000\xa0€"  # the budget as the plan shows it

    await team.says("bernd", "/suche Praxisbörse Ärztinnen")
    assert "Praxisbörse" not in found(team)  # not before approval

    reply = await team.says(EVA, "/praxis")
    assert "• Praxisbörse (Musterstadt)" in reply
    await team.presses(EVA, "Prüfen: Praxisbörse")
    assert "Andere Kommunen finden es jetzt im Werkzeugkoffer." in await team.presses(EVA, "Freigeben")
    [stored] = await rows(store, SharedPractice)
    assert (stored["status"], stored["reviewed_by"]) == ("approved", f"test:{EVA}")
    [log] = await rows(store, AdminLog, AdminLog.action == "approve_practice")
    assert (log["actor"], log["target"]) == (f"test:{EVA}", f"practice:{stored['id']}")

    await team.says("bernd", "/suche Praxisbörse Ärztinnen")
    assert "Praxisbörse" in found(team)
    response = await team.companion.handle("test", "claire", Inbound(text="/chercher Praxisbörse médecins"), lang="fr")
    assert "Praxisbörse" in [c.label for c in response.replies[-1].choices]

    reply = await team.presses("bernd", "Praxisbörse")
    assert "Praxisbeispiel · eingereicht von Musterstadt" in reply
    reply = await team.presses("bernd", "Übernehmen")
    assert "Als Entwurf in Ihren Werkstattplan übernommen: „Praxisbörse“." in reply
    [draft] = (await answers(store, "bernd"))["wp_measures"]
    item = f"gp-{stored['id']}"
    assert (draft["measure"], draft["goal"], draft["practice"]) == ("Praxisbörse", "Mehr Ärztinnen gewinnen", item)
    assert [(a["item"], a["measure"]) for a in await rows(store, Adoption)] == [(item, draft["uid"])]
    reply = await team.presses("bernd", "Werkstattplan öffnen")
    assert "Übernommen aus: Praxisbörse (eingereicht von Musterstadt)" in reply
    await team.says("bernd", "/export md")
    [file] = [a for r in team.replies for a in r.attachments]
    assert "Praxisbörse<br>Übernommen aus: Praxisbörse (eingereicht von Musterstadt)" in file.data.decode()

    reply = await team.says(EVA, "/praxis")
    assert "• Praxisbörse (Musterstadt): Von 1 Kommune übernommen." in reply
    assert "• Praxisbörse: freigegeben · Von 1 Kommune übernommen." in await team.says("anna", "/praxis")


async def test_a_member_of_a_team_is_no_editor_and_a_viewer_shares_nothing(team: Team, store: Store):
    await team.joins("carla", "viewer")
    reply = await team.says("carla", "/praxis")
    assert "Maßnahmen des Werkstattplans teilen die Koordination" in reply
    assert "Wartet auf Prüfung" not in await team.says("anna", "/praxis")
    assert await rows(store, SharedPractice) == []
