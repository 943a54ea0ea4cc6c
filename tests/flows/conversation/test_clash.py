"""Two members change one answer: nobody's change is overwritten unseen; the later one chooses."""

from __future__ import annotations

import pytest

from tests.flows.team.chat import ANNA, TeamChat, onboard


@pytest.fixture
def ben(content) -> TeamChat:
    """Ben looks at the question of the coordination; Anna answers it before he does."""
    chat = TeamChat(content)
    onboard(chat)
    chat.says("Bürgermeisterin")
    chat.wrote(ANNA, "ko_coordinator", "Hauptamt")
    return chat


def test_anna_changed_the_answer_ben_is_shown_hers_and_his_and_nothing_is_stored(ben):
    reply = ben.says("Stabsstelle Demografie")
    assert "Anna hat diese Antwort am 3. Dez. geändert, nachdem Sie sie gesehen hatten." in reply
    assert "Antwort von Anna: Hauptamt" in reply and "Ihre Antwort: Stabsstelle Demografie" in reply
    assert "1) Antwort von Anna behalten\n2) Durch meine ersetzen\n3) Beide behalten" in reply
    assert ben.changes == [] and ben.answers["ko_coordinator"] == "Hauptamt"


def test_keep_annas(ben):
    ben.says("Stabsstelle Demografie")
    reply = ben.presses("Antwort von Anna behalten")
    assert "Die Antwort von Anna bleibt." in reply and "Steuerungsgruppe" in reply
    assert ben.changes == [] and ben.answers["ko_coordinator"] == "Hauptamt"


def test_replace_with_mine(ben):
    ben.says("Stabsstelle Demografie")
    assert "Steuerungsgruppe" in ben.presses("Durch meine ersetzen")
    assert [(c.step_id, c.old, c.new) for c in ben.changes] == [
        ("ko_coordinator", "Hauptamt", "Stabsstelle Demografie")
    ]


def test_keep_both(ben):
    ben.says("Stabsstelle Demografie")
    ben.presses("Beide behalten")
    assert ben.answers["ko_coordinator"] == "Hauptamt\nStabsstelle Demografie"


def test_typing_again_on_the_choice_is_a_new_answer_and_anna_has_been_seen(ben):
    ben.says("Stabsstelle Demografie")
    ben.says("Hauptamt und Stabsstelle")
    assert ben.answers["ko_coordinator"] == "Hauptamt und Stabsstelle"


def test_a_change_made_after_the_choice_was_shown_is_shown_too(ben):
    ben.says("Stabsstelle Demografie")
    ben.wrote(ANNA, "ko_coordinator", "Hauptamt, Abteilung 1")
    reply = ben.presses("Durch meine ersetzen")
    assert "Antwort von Anna: Hauptamt, Abteilung 1" in reply
    assert ben.answers["ko_coordinator"] == "Hauptamt, Abteilung 1"


def test_the_choice_buttons_are_stale_once_the_question_moved_on(ben):
    ben.says("Stabsstelle Demografie")
    old = ben.replies[-1]
    ben.presses("Antwort von Anna behalten")
    ben.replies = [old]
    assert "gehört zu einer früheren Nachricht" in ben.presses("Durch meine ersetzen")
    assert ben.answers["ko_coordinator"] == "Hauptamt"


def test_a_question_shown_after_annas_change_is_no_conflict(content):
    ben = TeamChat(content)
    onboard(ben)
    ben.wrote(ANNA, "ko_sponsor", "Bürgermeisterin")
    reply = ben.sends_file("notizen.pdf")  # the question comes again, with Anna's answer on it
    assert "Aktuelle Antwort: Bürgermeisterin\nzuletzt geändert von Anna, 3. Dez." in reply
    ben.says("Landrat")
    assert ben.answers["ko_sponsor"] == "Landrat"


def test_a_choice_question_is_held_too_without_keeping_both(content):
    ben = TeamChat(content)
    onboard(ben)
    for line in ("Bürgermeisterin", "Hauptamt", "Sozialamt", "fertig", "Vereine", "fertig", "keine", "15.03.2027"):
        ben.says(line)
    assert ben.state.step == "ko_format", ben.text
    ben.wrote(ANNA, "ko_format", "presence")
    reply = ben.says("2")
    assert "Antwort von Anna" in reply and "Beide behalten" not in reply
    ben.presses("Durch meine ersetzen")
    assert ben.answers["ko_format"] == "hybrid"


MEASURE = {
    "uid": "r1",
    "field": "daseinsvorsorge",
    "goal": "Mehr Ärztinnen gewinnen",
    "measure": "Praxisbörse",
    "owner": "Wirtschaftsförderung",
    "partners": None,
    "target_group": None,
    "start": "2027-03",
    "end": "2028-12",
    "budget": "20.000 €",
    "indicator": "Zahl neu besetzter Praxen",
    "target": "2 bis 2029",
}


@pytest.mark.parametrize(("choice", "goal"), [("Antwort von Anna behalten", "Anna's"), ("ersetzen", "Ben's")])
def test_a_measure_anna_changed_while_ben_edited_it(content, choice, goal):
    ben = TeamChat(content)
    ben.wrote(ANNA, "ob_name", "Musterstadt")
    ben.wrote(ANNA, "wp_measures", [MEASURE])
    ben.says("/phase 4")
    ben.says("/ändern")
    ben.presses("Maßnahmen")
    ben.presses("Eintrag ändern")
    ben.presses("beibehalten")  # the field of action
    ben.says("Ben's")  # the goal
    for _ in range(12):  # the fields up to the indicators, and the parts of its older indicator and target
        ben.presses("beibehalten") if any(c.id == "_keep" for c in ben.replies[-1].choices) else ben.presses("Über")
    ben.wrote(ANNA, "wp_measures", [{**MEASURE, "goal": "Anna's"}])
    reply = ben.presses("Fertig")  # the last field: the measure is complete
    assert "Anna hat diesen Eintrag am 3. Dez. geändert, während Sie ihn bearbeitet haben." in reply, reply
    theirs, mine = reply.split("Antwort von Anna\n")[1].split("Ihre Antwort\n")
    assert "Ziel: Anna's" in theirs and "Ziel: Ben's" in mine
    assert ben.changes == [] and "Beide behalten" not in reply
    ben.presses(choice)
    assert [r["goal"] for r in ben.answers["wp_measures"]] == [goal]
