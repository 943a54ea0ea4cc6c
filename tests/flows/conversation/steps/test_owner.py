"""Who is responsible for a measure: a member of the team picked by button (or typed by name), someone outside typed
by name; alone, the name is typed."""

from __future__ import annotations

from flows.content.content import Content
from flows.team.view import Mate, Team
from tests.conftest import EngineChat
from tests.flows.conversation.test_engine import onboard
from tests.flows.team.chat import ANNA, BEN, CARLA, TeamChat


def to_owner(chat: EngineChat) -> str:
    """Onboards, opens the Werkstattplan and answers a measure up to its owner; returns the owner question."""
    onboard(chat)
    chat.says("/phase 4")
    chat.says("1")
    chat.says("Mehr Ärztinnen gewinnen")
    return chat.says("Praxisbörse aufbauen")


def finish(chat: EngineChat) -> str:
    """The fields after the owner (partners, target group, budget and indicators skipped); the saved measure."""
    chat.presses("Überspringen"), chat.presses("Überspringen"), chat.says("03/2027"), chat.says("12/2028")
    chat.presses("Überspringen")
    return chat.presses("Überspringen")


def test_a_member_is_picked_by_button_and_stored_as_a_member(content: Content):
    ben = TeamChat(content)
    asked = to_owner(ben)
    assert "Verantwortlich (4/10)" in asked
    assert "Wählen Sie ein Teammitglied oder schreiben Sie den Namen einer Person oder Stelle." in asked
    assert "1) Anna\n2) Ben (Sie)\n3) Carla\n4) Jemand anderes" in asked
    ben.presses("Carla")
    saved = finish(ben)
    assert "Verantwortlich: Carla" in saved.split("\n")
    assert ben.answers["wp_measures"][0]["owner"] == {"member": CARLA, "name": "Carla"}


def test_someone_else_is_typed_by_name(content: Content):
    ben = TeamChat(content)
    to_owner(ben)
    told = ben.presses("Jemand anderes")
    assert "Bitte schreiben Sie den Namen der verantwortlichen Person oder Stelle." in told
    assert ben.state.draft["field"] == 3, "the question moved on without an owner"
    ben.says("Bauamt")
    finish(ben)
    assert ben.answers["wp_measures"][0]["owner"] == {"name": "Bauamt"}


def test_a_members_name_typed_or_their_number_is_the_member(content: Content):
    ben = TeamChat(content)
    to_owner(ben)
    ben.says("  anna ")
    assert ben.state.draft["values"]["owner"] == {"member": ANNA, "name": "Anna"}
    ben.says("/zurueck")
    ben.says("2")
    assert ben.state.draft["values"]["owner"] == {"member": BEN, "name": "Ben"}


def test_a_member_without_a_name_is_offered_by_their_place_in_the_team(content: Content):
    ben = TeamChat(content)
    ben.team = Team(7, BEN, "editor", members=(Mate(ANNA, "coordinator", None), Mate(BEN, "editor", "Ben")))
    assert "1) Mitglied 1\n2) Ben (Sie)\n3) Jemand anderes" in to_owner(ben)
    ben.presses("Mitglied 1")
    assert ben.state.draft["values"]["owner"] == {"member": ANNA, "name": "Mitglied 1"}


def test_alone_the_owner_is_typed(chat: EngineChat):
    asked = to_owner(chat)
    assert "Wer ist verantwortlich (Stelle oder Person)?" in asked
    assert "Teammitglied" not in asked and chat.replies[-1].choices == []
    chat.says("1")  # a typed "1" is what was typed here: there are no buttons it could pick
    assert chat.state.draft["values"]["owner"] == {"name": "1"}
    chat.says("/zurueck")
    chat.says("Wirtschaftsförderung")
    saved = finish(chat)
    assert "Verantwortlich: Wirtschaftsförderung" in saved.split("\n")
    assert chat.answers["wp_measures"][0]["owner"] == {"name": "Wirtschaftsförderung"}


def test_a_control_word_is_not_taken_as_the_owner(chat: EngineChat):
    to_owner(chat)
    assert "„fertig“ klingt nach einer Anweisung" in chat.says("fertig")
    assert "owner" not in chat.state.draft["values"]


def test_a_measure_owner_may_save_the_measure_they_own_as_a_member(content: Content):
    ben = TeamChat(content, role="owner")
    ben.wrote(ANNA, "ob_name", "Musterstadt")
    to_owner(ben)
    ben.presses("Ben")
    finish(ben)
    assert ben.answers["wp_measures"][0]["owner"] == {"member": BEN, "name": "Ben"}
