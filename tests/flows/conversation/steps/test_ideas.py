"""Ideas carry over: the Werkstattplan offers the Zukunftswerkstatt's high- and medium-priority ideas as draft
measures, one at a time (take over, merge, drop, later), and measures show the idea they came from."""

from __future__ import annotations

import pytest

from flows.content.content import Content
from flows.content.model import RecordsStep
from flows.conversation.context import Ctx
from flows.conversation.documents import plan
from flows.conversation.state import State
from flows.conversation.steps.ideas import dropped_key
from flows.messages import Inbound
from tests.conftest import EngineChat
from tests.flows.conversation.test_engine import onboard

IDEAS = [  # idea, field of action (1: Daseinsvorsorge …, 2: Arbeit …), champion, priority (1 high, 2 medium, 3 low)
    ("Dorfladen", "1", "Frau Meier", "1"),
    ("Mitfahrbank", "1", None, "2"),
    ("Repair-Café", "2", None, "3"),
]


def workshop(chat: EngineChat, ideas: list[tuple[str, str, str | None, str | None]] = IDEAS) -> None:
    """The Zukunftswerkstatt up to its ideas, each typed as a user would."""
    chat.says("/phase 3")
    for line in ("2", "/ueberspringen", "1, 3", "/ueberspringen", "1, 2"):  # format … priorities
        chat.says(line)
    for number, (idea, field, champion, priority) in enumerate(ideas):
        if number:
            chat.presses("hinzufügen")
        chat.says(idea)
        chat.says(field)
        chat.says(champion) if champion else chat.presses("Überspringen")
        chat.says(priority) if priority else chat.presses("Überspringen")
    assert [i["idea"] for i in chat.answers["zw_ideas"]] == [i[0] for i in ideas]


def finish_measure(chat: EngineChat) -> str:
    """The fields after the owner of a measure taken over from an idea: partners … target value."""
    chat.presses("Überspringen")  # partners
    chat.presses("Überspringen")  # target group
    chat.says("03/2027")
    chat.says("12/2028")
    chat.presses("Überspringen")  # budget
    chat.says("Umsatz des Ladens")
    return chat.says("40.000 € im Jahr 2028")


@pytest.fixture
def planned(chat: EngineChat) -> EngineChat:
    onboard(chat)
    workshop(chat)
    return chat


def test_high_and_medium_ideas_are_offered_one_at_a_time_and_taken_over_prefilled(planned: EngineChat):
    chat = planned
    opened = chat.says("/phase 4")
    assert "Aus der Zukunftswerkstatt warten 2 Ideen mit hoher oder mittlerer Priorität." in opened
    assert "1 Idee mit niedriger oder ohne Priorität biete ich nicht an" in opened
    assert (
        "Idee 1 von 2: „Dorfladen“ (Handlungsfeld: Daseinsvorsorge und Nahversorgung, Ansprechperson: Frau Meier, "
        "Priorität: hoch)" in opened
    )
    assert "Repair-Café" not in opened
    assert "Einer Maßnahme zuordnen" not in opened  # no measure yet to merge into
    first = chat.presses("Als Maßnahme übernehmen")
    assert "Maßnahme 1 · Handlungsfeld (1/11)" in first
    assert "Aktuelle Antwort: Daseinsvorsorge und Nahversorgung" in first
    chat.presses("Antwort beibehalten")
    chat.says("Nahversorgung im Ortskern sichern")  # the goal: the idea has none
    assert "Aktuelle Antwort: Dorfladen" in chat.text  # the measure: the idea's text
    chat.presses("Antwort beibehalten")
    assert "Aktuelle Antwort: Frau Meier" in chat.text  # the owner: the champion
    chat.presses("Antwort beibehalten")
    saved = finish_measure(chat)
    assert "Gespeichert: Dorfladen" in saved and "Aus der Zukunftswerkstatt: Dorfladen" in saved
    [measure] = chat.answers["wp_measures"]
    dorfladen = chat.answers["zw_ideas"][0]
    assert measure["ideas"] == [dorfladen["uid"]]
    assert (measure["field"], measure["measure"], measure["owner"]) == ("daseinsvorsorge", "Dorfladen", "Frau Meier")

    second = chat.text
    assert "Idee 2 von 2: „Mitfahrbank“ (Handlungsfeld: Daseinsvorsorge und Nahversorgung, Priorität: mittel)" in second
    chat.presses("Einer Maßnahme zuordnen")
    assert "Welcher Maßnahme soll die Idee „Mitfahrbank“ zugeordnet werden?" in chat.text
    merged = chat.presses("Dorfladen")
    assert "Die Idee „Mitfahrbank“ gehört jetzt zur Maßnahme „Dorfladen“." in merged
    [measure] = chat.answers["wp_measures"]
    assert measure["ideas"] == [dorfladen["uid"], chat.answers["zw_ideas"][1]["uid"]]
    assert measure["goal"] == "Nahversorgung im Ortskern sichern"  # merging changes no field

    chat.presses("Fertig")
    overview = chat.says("/zurueck")  # the measures again, in full
    assert "1. Dorfladen\nHandlungsfeld: Daseinsvorsorge" in overview
    assert "Aus der Zukunftswerkstatt: Dorfladen; Mitfahrbank" in overview
    assert "Idee " not in overview and "Werkstatt-Ideen" not in overview  # every idea is decided


def test_a_dropped_idea_is_not_offered_again_and_later_leaves_the_rest(planned: EngineChat):
    chat = planned
    chat.says("/phase 4")
    dropped = chat.presses("Verwerfen")
    assert "Verworfen: „Dorfladen“. Ich biete sie nicht wieder an." in dropped
    assert chat.answers[dropped_key(wp_measures(chat))] == [chat.answers["zw_ideas"][0]["uid"]]
    assert "wp_measures" not in chat.answers  # nothing recorded for the plan itself
    assert "Idee 2 von 2: „Mitfahrbank“" in dropped
    later = chat.presses("Später")
    assert "Gut, 1 Idee bleibt für später offen." in later
    assert "Maßnahme 1 · Handlungsfeld (1/11)" in later  # on to a measure of one's own
    assert "Jetzt wird es konkret" not in later  # the introduction was said with the first idea

    chat.says("/phase 1")
    again = chat.says("/phase 4")  # a new visit: what is open is offered again, the dropped idea is not
    assert "Idee 1 von 1: „Mitfahrbank“" in again and "Dorfladen" not in again


def test_the_overview_brings_back_the_ideas_left_for_later(planned: EngineChat):
    chat = planned
    chat.says("/phase 4")
    chat.presses("Verwerfen")
    chat.presses("Später")
    chat.says("1")
    for line in ("Mehr Ärztinnen gewinnen", "Praxisbörse aufbauen", "Wirtschaftsförderung"):
        chat.says(line)
    saved = finish_measure(chat)
    assert "Aus der Zukunftswerkstatt" not in saved  # a measure of one's own has no idea behind it
    assert "Werkstatt-Ideen (1)" in saved
    offered = chat.presses("Werkstatt-Ideen")
    assert "Idee 1 von 1: „Mitfahrbank“" in offered
    chat.presses("Einer Maßnahme zuordnen")
    chat.presses("Praxisbörse")
    assert "Werkstatt-Ideen" not in chat.text


def test_an_old_button_of_an_earlier_idea_is_stale(planned: EngineChat):
    chat = planned
    chat.says("/phase 4")
    first = chat.replies[-1]
    chat.presses("Verwerfen")  # Dorfladen dropped, Mitfahrbank on screen
    drop = next(c for c in first.choices if c.label == "Verwerfen")
    chat._send(Inbound(choice=drop.id, turn=first.turn))
    assert "Diese Schaltfläche gehört zu einer früheren Nachricht" in chat.text
    assert chat.answers[dropped_key(wp_measures(chat))] == [chat.answers["zw_ideas"][0]["uid"]]  # Mitfahrbank stays


def test_typed_answers_and_back(planned: EngineChat):
    chat = planned
    chat.says("/phase 4")
    assert "Bitte wählen Sie eine der Optionen" in chat.says("Dorfladen bitte")  # nothing taken, nothing lost
    chat.says("1")  # take over, by its number
    assert "Maßnahme 1 · Handlungsfeld (1/11)" in chat.text
    back = chat.says("/zurueck")
    assert "Idee 1 von 2: „Dorfladen“" in back  # the idea again, nothing stored
    assert "wp_measures" not in chat.answers


def test_ideas_with_no_priority_are_left_out_and_none_offered_means_no_question(chat: EngineChat):
    onboard(chat)
    workshop(chat, [("Repair-Café", "1", None, "3"), ("Bücherzelle", "2", None, None)])
    opened = chat.says("/phase 4")
    assert "Idee 1" not in opened and "Maßnahme 1 · Handlungsfeld (1/11)" in opened


def test_a_teammate_enters_later_and_is_offered_only_what_is_undecided(planned: EngineChat, content: Content):
    chat = planned
    chat.says("/phase 4")
    chat.presses("Verwerfen")  # Dorfladen
    teammate = EngineChat(content)
    teammate.state = State(version=content.version, mode="stage_end", stage="onboarding", answers=dict(chat.answers))
    offered = teammate.says("/phase 4")
    assert "Idee 1 von 1: „Mitfahrbank“" in offered and "Dorfladen" not in offered


def test_the_link_names_a_deleted_idea_as_removed_and_the_plan_document_shows_it(planned: EngineChat):
    chat = planned
    chat.says("/phase 4")
    chat.presses("Als Maßnahme übernehmen")
    for _ in range(4):
        chat.presses("Antwort beibehalten") if "Antwort beibehalten" in chat.text else chat.says("Ziel")
    finish_measure(chat)
    table = plan.table(Ctx(chat.engine.content, chat.state))
    assert table.rows[0][2] == "Dorfladen\nAus der Zukunftswerkstatt: Dorfladen"
    chat.state.answers["zw_ideas"] = chat.answers["zw_ideas"][1:]  # the idea deleted in the Zukunftswerkstatt
    table = plan.table(Ctx(chat.engine.content, chat.state))
    assert table.rows[0][2] == "Dorfladen\nAus der Zukunftswerkstatt: (entfernt)"


@pytest.mark.parametrize(
    ("lang", "offer", "take"),
    [
        ("fr", "Idée 1 sur 2\u00a0: «\u202fDorfladen\u202f»", "Reprendre comme action"),
        ("en", "Idea 1 of 2: “Dorfladen”", "Take over as a measure"),
    ],
)
def test_ideas_are_offered_in_french_and_english(planned: EngineChat, lang: str, offer: str, take: str):
    chat = planned
    chat.says({"fr": "/langue", "en": "/language"}.get(lang, "/sprache"))
    chat.presses({"fr": "Français", "en": "English"}[lang])
    opened = chat.says("/phase 4" if lang == "en" else "/etape 4")
    assert offer in opened
    assert take in [c.label for c in chat.replies[-1].choices]


def wp_measures(chat: EngineChat) -> RecordsStep:
    step = chat.engine.content.step("wp_measures")
    assert isinstance(step, RecordsStep)
    return step
