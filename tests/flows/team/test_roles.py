"""What each role may change: the rules, and a viewer's and a measure owner's transcripts."""

from __future__ import annotations

import pytest

from flows.conversation.context import Ctx
from flows.conversation.state import State
from flows.conversation.steps import kind_of
from flows.team.roles import may_change, may_edit
from flows.team.view import Mate, Role, Team
from tests.flows.team.chat import ANNA, BEN, TeamChat

MEASURE = {"uid": "r1", "field": "labour", "goal": "Mehr Fachkräfte", "owner": " ben  ", "measure": "Messe"}
OTHERS = {"uid": "r2", "field": "labour", "goal": "Wohnraum", "owner": "Wirtschaftsförderung", "measure": "Börse"}


def team(role: Role, name: str | None = "Ben") -> Team:
    return Team(7, BEN, role, members=(Mate(ANNA, "coordinator", "Anna"), Mate(BEN, role, name)))


@pytest.mark.parametrize("role", ["coordinator", "editor"])
def test_coordinators_and_editors_change_everything(role):
    assert may_change(team(role), "ko_sponsor", "A", "B") and may_edit(team(role), "ko_sponsor")


def test_without_a_workspace_everything_is_ones_own():
    assert may_change(None, "ko_sponsor", None, "B")


def test_a_viewer_changes_nothing():
    viewer = team("viewer")
    assert not may_change(viewer, "ko_sponsor", "A", "B")
    assert not may_change(viewer, "wp_measures", [], [MEASURE])
    assert may_change(viewer, "ko_sponsor", "A", "A")  # no change is no change
    assert not may_edit(viewer, "wp_measures")


def test_an_owner_changes_only_their_own_measures():
    owner = team("owner")
    assert may_edit(owner, "wp_measures") and not may_edit(owner, "ko_sponsor")
    assert not may_change(owner, "ko_sponsor", "A", "B")
    assert may_change(owner, "wp_measures", [OTHERS], [OTHERS, MEASURE])  # adds one of theirs ("Ben", trimmed)
    assert may_change(owner, "wp_measures", [OTHERS, MEASURE], [OTHERS, {**MEASURE, "goal": "Mehr"}])
    assert may_change(owner, "wp_measures", [OTHERS, MEASURE], [OTHERS])  # deletes theirs
    assert not may_change(owner, "wp_measures", [OTHERS], [])  # deletes another's
    assert not may_change(owner, "wp_measures", [OTHERS], [{**OTHERS, "goal": "Mehr"}])
    assert not may_change(owner, "wp_measures", [MEASURE], [{**MEASURE, "owner": "Anna"}])  # gives it away
    assert not may_change(owner, "wp_measures", [], [OTHERS])
    assert not may_change(team("owner", name=None), "wp_measures", [], [{**MEASURE, "owner": ""}])


def test_an_owner_named_as_a_member_owns_the_measure_by_their_id_not_their_name():
    mine = {**MEASURE, "owner": {"member": BEN, "name": "Mitglied 2"}}  # named by their place in the team
    theirs = {**OTHERS, "owner": {"member": ANNA, "name": "Ben"}}  # another member called Ben
    assert may_change(team("owner", name=None), "wp_measures", [], [mine])
    assert may_change(team("owner"), "wp_measures", [mine], [{**mine, "goal": "Mehr"}])
    assert not may_change(team("owner"), "wp_measures", [theirs], [{**theirs, "goal": "Mehr"}])
    assert not may_change(team("owner"), "wp_measures", [mine], [{**mine, "owner": {"member": ANNA, "name": "A"}}])
    assert may_change(team("owner"), "wp_measures", [], [{**MEASURE, "owner": {"name": "ben"}}])  # an outsider's name


def test_a_viewer_reads_and_is_told_whom_to_ask_and_nothing_is_stored(content):
    viewer = TeamChat(content, role="viewer")
    assert viewer.changes == [] and "ob_welcome" not in viewer.answers  # passing the welcome marks nothing read
    viewer.says("Musterstadt")
    assert "Sie können lesen und exportieren; Änderungen macht Anna." in viewer.text
    assert viewer.changes == [] and "ob_name" not in viewer.answers
    viewer.wrote(ANNA, "ob_name", "Musterstadt")
    viewer.says("/phase 1")
    viewer.says("Bürgermeisterin")
    assert "Änderungen macht Anna" in viewer.text and viewer.changes == []
    viewer.says("/überspringen")
    assert viewer.changes == []
    reply = viewer.says("Was ist eine Steuerungsgruppe?")  # asking is reading: answered, nothing refused
    assert "Änderungen macht" not in reply and "Antwort speichern" not in reply and viewer.changes == []
    viewer.says("/export md")
    assert any(r.documents for r in viewer.replies)  # reading and exporting work
    viewer.says("/menü")
    offered = [c.id for r in viewer.replies for c in r.choices]
    assert "_export" in offered and "_edit" not in offered  # no "Change an answer" that would only be refused


def test_a_viewer_in_french_asks_the_coordinators(content):
    viewer = TeamChat(content, role="viewer", lang="fr")
    viewer.says("Lyon")
    assert "Vous pouvez lire et exporter\u202f; les modifications sont faites par Anna." in viewer.text


def measure(chat: TeamChat, owner: str) -> str:
    """Record one measure, field by field (None: skipped, as are its indicators); the reply to the last field."""
    values = ["1", "Mehr Ärztinnen gewinnen", "Praxisbörse", owner, None, None, "03/2027", "12/2028", "20.000 €"]
    for value in values:
        chat.says(value) if value is not None else chat.presses("Überspringen")
    return chat.presses("Überspringen")


def test_an_owner_records_their_own_measure_and_nothing_else(content):
    owner = TeamChat(content, role="owner")
    owner.wrote(ANNA, "ob_name", "Musterstadt")
    owner.says("/phase 4")
    assert owner.state.step == "wp_measures", owner.text
    assert "Gespeichert" in measure(owner, " BEN ")  # their own name, as they happen to type it
    assert [c.step_id for c in owner.changes] == ["wp_measures"]
    owner.presses("hinzufügen")
    reply = measure(owner, "Bauamt")
    assert "Als verantwortliche Person einer Maßnahme können Sie nur" in reply and "an Anna" in reply
    assert owner.changes == [] and len(owner.answers["wp_measures"]) == 1
    owner.says("/phase 1")
    owner.says("Bürgermeisterin")
    assert owner.changes == [] and "Als verantwortliche Person" in owner.text


@pytest.mark.parametrize(("role", "offered"), [("viewer", False), ("editor", True)])
def test_at_a_teams_list_only_who_may_change_it_is_offered_to_remove_a_point(content, role, offered):
    chat = TeamChat(content, role=role)
    step = content.step("ko_steering")
    state = State(version=content.version, mode="step", stage="kickoff", step=step.id, answers={step.id: ["Sozialamt"]})
    labels = [c.label for c in kind_of(step).choices(Ctx(content, state, chat.team), step)]
    assert "Fertig" in labels and ("Letzten Punkt entfernen" in labels) == offered
