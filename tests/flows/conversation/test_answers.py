"""Answers that are what the user meant: questions, bare control words, numbers in lists, dates in words."""

from __future__ import annotations

import pytest

from flows.conversation.actions import Facts
from flows.conversation.engine import Engine
from flows.messages import Inbound
from tests.conftest import EngineChat
from tests.flows.conversation.test_engine import onboard


def to_measure_start(chat: EngineChat) -> None:
    """Onboard, open the Werkstattplan and fill a measure up to its start date."""
    onboard(chat)
    chat.says("/phase 4")
    chat.says("1")  # Handlungsfeld
    for line in ("Mehr Ärztinnen gewinnen", "Praxisbörse aufbauen", "Wirtschaftsförderung"):
        chat.says(line)
    chat.presses("Überspringen")  # partners
    chat.presses("Überspringen")  # target group


# -- 1. a question typed where an answer is expected ------------------------------------------------


def test_a_question_is_answered_from_the_glossary_and_asked_again_nothing_stored(chat):
    onboard(chat)
    reply = chat.says("Was ist eine Verwaltungsspitze?")
    assert "Verwaltungsspitze: Die Verwaltungsspitze ist die politische und fachliche Leitung" in reply
    assert "Wer aus der Verwaltungsspitze steht hinter der Demografiestrategie" in reply  # asked again
    assert "ko_sponsor" not in chat.answers and chat.state.step == "ko_sponsor"
    chat.says("Bürgermeisterin Beispiel")
    assert chat.answers["ko_sponsor"] == "Bürgermeisterin Beispiel"


def test_questions_without_a_question_mark_and_in_french_and_english(content):
    fr = EngineChat(content, lang="fr")
    fr.says("Beispielstadt")
    reply = fr.says("c'est quoi l'AFOM")
    assert "AFOM\u00a0: L'analyse AFOM (atouts, faiblesses, opportunités, menaces)" in reply
    assert "ob_kind" not in fr.answers
    en = EngineChat(content, lang="en")
    en.says("Exampletown")
    assert "SMART: SMART means specific, measurable" in en.says("What is a SMART goal")
    assert "ob_kind" not in en.answers


def test_a_question_the_glossary_does_not_know_gets_the_step_help_or_a_pointer_to_help(chat):
    onboard(chat)
    reply = chat.says("Wie genau soll ich das formulieren?")
    assert "Sichtbare Rückendeckung der Spitze ist der wichtigste Erfolgsfaktor" in reply  # the step's help
    assert "ko_sponsor" not in chat.answers
    chat.says("Bürgermeisterin")
    reply = chat.says("Warum muss ich das wissen?")  # ko_coordinator has no help
    assert "Diese Frage kann ich hier nicht beantworten" in reply and "/hilfe" in reply
    assert "ko_coordinator" not in chat.answers and chat.state.step == "ko_coordinator"


def test_an_answer_phrased_as_a_question_can_still_be_saved(chat):
    onboard(chat)
    chat.says("Bürgermeisterin"), chat.says("Hauptamt"), chat.says("Sozialamt"), chat.says("fertig")
    assert chat.state.step == "ko_actors"
    reply = chat.says("Wer übernimmt die Moderation?")
    assert "ko_actors" not in chat.answers
    chat.presses("Als Antwort speichern")
    assert chat.answers["ko_actors"] == ["Wer übernimmt die Moderation?"]
    assert "Denken Sie auch an die, die oft fehlen" in reply  # the step's help answered it


def test_a_question_on_a_choice_step_is_answered_without_picking_anything(chat):
    chat.says("Musterstadt"), chat.says("2"), chat.says("Sachsen"), chat.says("3")
    reply = chat.says("Was ist ein Handlungsfeld?")
    assert "Handlungsfeld: Ein Handlungsfeld ist ein Themenbereich" in reply
    assert "ob_fields" not in chat.answers
    assert all(c.id != "_take" for c in chat.replies[-1].choices)  # a question is no choice to save


# -- 2. bare control words typed into a free-text question ------------------------------------------


def test_fertig_on_a_required_text_question_is_confirmed_not_stored(chat):
    onboard(chat)
    reply = chat.says("Fertig")
    assert "„Fertig“ klingt nach einer Anweisung" in reply and "ko_sponsor" not in chat.answers
    chat.presses("Nein, ich tippe neu")
    assert "Bitte tippen Sie Ihre Antwort" in chat.text and "ko_sponsor" not in chat.answers
    chat.says("ja")
    assert "„ja“ klingt nach einer Anweisung" in chat.text
    chat.presses("Ja, speichern")
    assert chat.answers["ko_sponsor"] == "ja"


def test_typing_ja_confirms_the_held_control_word(chat):
    onboard(chat)
    chat.says("alle")
    chat.says("ja")
    assert chat.answers["ko_sponsor"] == "alle"
    assert chat.state.step == "ko_coordinator"


def test_keine_ends_an_empty_optional_list_and_fertig_skips_an_optional_text(chat):
    onboard(chat)
    for line in ("Bürgermeisterin", "Hauptamt", "Sozialamt", "fertig", "Vereine", "fertig"):
        chat.says(line)
    assert chat.state.step == "ko_existing"
    chat.says("keine")
    assert chat.answers["ko_existing"] == [] and chat.state.step == "ko_date"
    chat.presses("Überspringen"), chat.says("1"), chat.says("Ziele klären"), chat.says("fertig")
    assert chat.state.step == "ko_resources"
    reply = chat.says("Fertig")
    assert chat.answers["ko_resources"] is None  # skipped, not the answer "Fertig"
    assert "Übersprungen." in reply and chat.state.step == "ko_done"


def test_a_control_word_in_a_record_text_field_is_not_the_value(chat):
    to_measure_start(chat)
    chat.says("03/2027")
    chat.says("12/2028")
    chat.says("fertig")  # the optional budget: skipped
    assert chat.state.draft["values"]["budget"] is None
    chat.says("Neue Praxen"), chat.says("Praxen"), chat.says("0")
    reply = chat.says("fertig")  # the indicator's target: a number is needed, "fertig" is none
    assert "Bitte geben Sie den Zielwert als eine Zahl ein" in reply
    assert chat.state.draft["ind"]["cur"].get("target") is None


def test_a_control_word_is_not_the_name_of_a_required_field(chat):
    onboard(chat)
    chat.says("/phase 4")
    chat.says("1")
    reply = chat.says("fertig")  # the goal is needed
    assert "„fertig“ klingt nach einer Anweisung" in reply
    assert chat.state.draft["values"].get("goal") is None


# -- 3. a number in a list is a point of the list ---------------------------------------------------


def test_typing_1_in_a_list_adds_the_point_1(chat):
    onboard(chat)
    chat.says("Bürgermeisterin"), chat.says("Hauptamt")
    assert chat.state.step == "ko_steering"
    assert "Notiert (1)" in chat.says("1")
    assert chat.answers["ko_steering"] == ["1"] and chat.state.step == "ko_steering"
    chat.presses("Fertig")
    assert chat.state.step == "ko_actors"


def test_a_number_in_a_text_field_is_the_value_not_a_button(chat):
    to_measure_start(chat)
    chat.says("2027")
    chat.says("2028")  # end
    chat.says("2")  # budget: "2" is the text, not button 2
    assert chat.state.draft["values"]["budget"]["text"] == "2"  # kept as written, not taken as a button


# -- 4. dates: an example up front, free answers read and told back ---------------------------------


def test_the_measure_start_shows_an_example_and_takes_free_answers(chat):
    to_measure_start(chat)
    assert "Wann beginnt die Maßnahme? Zum Beispiel 03/2027" in chat.text
    reply = chat.says("Frühjahr 2027")
    assert "Notiert: März 2027." in reply
    assert chat.state.draft["values"]["start"] == "2027-03"
    assert "Ende 2028" in reply  # the end question shows its example too
    chat.says("Ende 2028")
    assert chat.state.draft["values"]["end"] == "2028-12"


def test_an_unreadable_date_gets_the_example(chat):
    to_measure_start(chat)
    reply = chat.says("irgendwann bald")
    assert "15.03.2027, 03/2027, März 2027, Frühjahr 2027 oder 2027" in reply
    assert "start" not in chat.state.draft["values"]


@pytest.mark.parametrize(
    ("lang", "typed", "stored", "shown"),
    [
        ("de", "Q2 2027", "2027-04", "April 2027"),
        ("de", "Mitte 2027", "2027-06", "Juni 2027"),
        ("fr", "printemps 2027", "2027-03", "mars 2027"),
        ("fr", "mi-2027", "2027-06", "juin 2027"),
        ("en", "end of 2027", "2027-12", "December 2027"),
        ("en", "spring 2027", "2027-03", "March 2027"),
    ],
)
def test_dates_in_words_in_every_language(content, lang, typed, stored, shown):
    chat = EngineChat(content, lang=lang)
    onboard_in(chat)
    chat.says("/stage 4")
    chat.says("1")
    for line in ("Goal", "Measure", "Office"):
        chat.says(line)
    chat.presses("_skip"), chat.presses("_skip")
    reply = chat.says(typed)
    assert chat.state.draft["values"]["start"] == stored
    assert shown in reply


def onboard_in(chat: EngineChat) -> None:
    chat.says("Town"), chat.says("1"), chat.says("1"), chat.says("1"), chat.says("1, 2")


# -- 5. after /loeschen: no silent new user, no "welcome back" --------------------------------------


def test_after_deleting_everything_the_next_message_says_so_and_offers_a_fresh_start(content):
    engine = Engine(content)
    erased = Facts(erased=True)
    turn = engine.handle(None, Inbound(text="Hallo"), lang="de", facts=erased)
    text = "\n".join(r.text() for r in turn.replies)
    assert "Sie haben hier alle Ihre Daten gelöscht" in text and "/start" in text
    assert "Willkommen zurück" not in text and "Ich bin der DAKS-Begleiter" not in text
    assert turn.state.mode == "new" and turn.changes == []  # nothing to store: the shell creates nobody

    turn = engine.handle(None, Inbound(text="/start"), lang="de", facts=erased)
    text = "\n".join(r.text() for r in turn.replies)
    assert "Ein Neuanfang" in text and "Ich bin der DAKS-Begleiter" in text
    assert "Willkommen zurück" not in text and turn.state.step == "ob_name"

    fr = engine.handle(None, Inbound(text="/demarrer"), lang="fr", facts=erased)
    assert fr.state.mode == "step"  # the start command in every language


def test_the_deletion_itself_tells_how_to_start_again(chat):
    onboard(chat)
    chat.says("/loeschen")
    assert "senden Sie /start" in chat.presses("Ja")
