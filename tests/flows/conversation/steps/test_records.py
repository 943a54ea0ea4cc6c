"""Records (the action plan's measures) as a user reads them: the introduction once, each measure as short
labelled lines."""

from __future__ import annotations

from flows.content.content import Content
from flows.practice.model import Report
from tests.conftest import EngineChat
from tests.flows.conversation.test_engine import onboard
from tests.flows.conversation.test_review import MARCH_15, MITFAHRBANK, at_the_review

INTRO = "Der Werkstattplan verbindet die einzelnen Maßnahmen zu einer Gesamtstrategie."
HOW = "Jetzt wird es konkret"


def record_measure(chat: EngineChat, title: str, owner: str = "Wirtschaftsförderung") -> list[str]:
    """Answers the eleven fields of a measure (three skipped); returns every reply on the way."""
    replies = [chat.says("1")]  # field of action
    for line in ("Mehr Ärztinnen gewinnen", title, owner):
        replies.append(chat.says(line))
    replies.append(chat.presses("Überspringen"))  # partners
    replies.append(chat.presses("Überspringen"))  # target group
    replies.append(chat.says("03/2027"))
    replies.append(chat.says("12/2028"))
    replies.append(chat.presses("Überspringen"))  # budget
    replies.append(chat.says("Zahl neu besetzter Praxen"))
    replies.append(chat.says("2 bis 2029"))
    return replies


def test_the_plan_is_introduced_once_and_a_second_measure_gets_a_one_line_header(chat: EngineChat):
    onboard(chat)
    first = chat.says("/phase 4")
    assert first.count(INTRO) == 1 and HOW in first
    assert "Maßnahme 1 · Handlungsfeld (1/11)" in first
    replies = record_measure(chat, "Praxisbörse aufbauen")
    assert not any(INTRO in r or HOW in r for r in replies), "the introduction came again within the measure"
    assert "Maßnahme 1 · Ziel (2/11)" in replies[0]
    second = chat.presses("hinzufügen")
    assert "Maßnahme 2 · Handlungsfeld (1/11)" in second and INTRO not in second and HOW not in second
    replies = record_measure(chat, "Bürgerbus einrichten", owner="Ordnungsamt")
    assert not any(INTRO in r or HOW in r for r in replies)
    assert len(chat.answers["wp_measures"]) == 2


def test_a_saved_measure_is_shown_as_short_labelled_lines(chat: EngineChat):
    onboard(chat)
    chat.says("/phase 4")
    saved = record_measure(chat, "Praxisbörse aufbauen")[-1]
    lines = saved.split("\n")
    start = lines.index("Gespeichert: Praxisbörse aufbauen")
    assert lines[start + 1 : start + 8] == [
        "Handlungsfeld: Daseinsvorsorge und Nahversorgung",
        "Ziel: Mehr Ärztinnen gewinnen",
        "Verantwortlich: Wirtschaftsförderung",
        "Beginn: März 2027",
        "Ende: Dezember 2028",
        "Indikator: Zahl neu besetzter Praxen",
        "Zielwert: 2 bis 2029",
    ]
    assert "Partner:" not in saved and "Budget" not in saved  # skipped fields leave no empty line
    assert "Bisher erfasst (1):" in saved and "1. Praxisbörse aufbauen" in saved
    assert saved.count("Mehr Ärztinnen gewinnen") == 1, "the list under the confirmation repeats the details"


def test_lists_of_measures_and_the_summary_use_the_labelled_lines(chat: EngineChat):
    onboard(chat)
    chat.says("/phase 4")
    record_measure(chat, "Praxisbörse aufbauen")
    chat.presses("hinzufügen")
    record_measure(chat, "Bürgerbus einrichten", owner="Ordnungsamt")
    chat.presses("Fertig")
    listed = chat.says("/zurueck")  # back at the measures: the full list, each measure as lines
    assert listed.count(HOW) == 1
    assert "1. Praxisbörse aufbauen\nHandlungsfeld: Daseinsvorsorge" in listed
    assert "2. Bürgerbus einrichten\nHandlungsfeld: Daseinsvorsorge" in listed
    assert "Verantwortlich: Ordnungsamt" in listed
    assert " — " not in listed and "; Ziel" not in listed
    chat.presses("Fertig")
    for line in ("fertig", "1", "/ueberspringen", "alle"):
        reply = chat.says(line)
    assert "Zusammenfassung: Werkstattplan" in reply
    assert "Maßnahmen:\n\n1. Praxisbörse aufbauen\nHandlungsfeld:" in reply
    assert "Verantwortlich: Wirtschaftsförderung\nBeginn: März 2027" in reply
    measures = reply[reply.index("Maßnahmen:") : reply.index("Beschluss:")]
    assert measures.count("\n") > 15 and max(len(line) for line in measures.split("\n")) < 70


def test_french_labels_take_a_no_break_space_before_the_colon(content: Content):
    chat = EngineChat(content, lang="fr")
    chat.says("Ville-Test"), chat.says("2"), chat.says("13"), chat.says("3"), chat.says("2, 5")
    chat.says("/etape 4")
    chat.says("1")
    for line in ("Attirer des médecins", "Bourse aux cabinets", "Développement économique"):
        chat.says(line)
    chat.presses("Passer"), chat.presses("Passer")
    chat.says("03/2027"), chat.presses("Passer"), chat.presses("Passer")
    chat.says("Cabinets repris")
    saved = chat.says("2 d'ici 2029")
    assert "Objectif\u00a0: Attirer des médecins" in saved
    assert "Pilote\u00a0: Développement économique" in saved
    assert "Objectif: " not in saved


def keep_the_rest(chat: EngineChat) -> str:
    """Keeps the answer a field has, skips an optional empty one, and types one where it must have one."""
    offered = [c.label for c in chat.replies[-1].choices]
    for button in ("Antwort beibehalten", "Überspringen"):
        if button in offered:
            return chat.presses(button)
    return chat.says("40 Nutzer")


def test_adapting_a_measure_in_the_review_reopens_it_in_the_plan_and_comes_back_to_the_review(content: Content):
    chat, _ = at_the_review(content, [Report("r1", "delayed", 12.0, MARCH_15, author="Anna")])
    for answer in ("Antwort beibehalten", "Antwort beibehalten", "Überspringen", "Überspringen"):
        chat.presses(answer)
    reopened = chat.presses("anpassen")
    assert chat.answers["zb_review"][0]["decision"] == "adapt"  # the review is saved first
    assert "Jetzt passen wir „Dorfladen“ an (Phase „Werkstattplan“)" in reopened
    assert "Werkstattplan · Frage 1 von" in reopened and "Maßnahme „Dorfladen“ · Handlungsfeld (1/" in reopened
    assert chat.state is not None and (chat.state.stage, chat.state.step) == ("werkstattplan", "wp_measures")
    while "Ende (" not in chat.text:  # every field before the end kept as it is
        keep_the_rest(chat)
    chat.says("06/2029")
    while chat.state.step == "wp_measures":
        back = keep_the_rest(chat)
    assert "Gespeichert: Dorfladen" in back and "Ende: Juni 2029" in back
    assert "Zwischenbilanz · Frage 2 von" in back and "Maßnahme „Mitfahrbank“ · Stand (1/5)" in back
    assert [r.get("end") for r in chat.answers["wp_measures"]] == ["2029-06", None]
    assert [r["uid"] for r in chat.answers["zb_review"]] == ["r1"]


def test_a_review_that_keeps_the_measure_goes_on_to_the_next_one(content: Content):
    chat, _ = at_the_review(content, [])
    for answer in ("läuft", "/ueberspringen", "/ueberspringen", "/ueberspringen"):
        chat.says(answer)
    assert "Maßnahme „Mitfahrbank“ · Stand (1/5)" in chat.presses("fortführen")
    assert chat.state is not None and chat.state.step == "zb_review"


def test_a_measure_deleted_while_it_was_reviewed_is_not_reopened(content: Content):
    chat, _ = at_the_review(content, [])
    for answer in ("läuft", "/ueberspringen", "/ueberspringen", "/ueberspringen"):
        chat.says(answer)
    assert chat.state is not None
    chat.state.answers["wp_measures"] = [MITFAHRBANK]  # a teammate removed the Dorfladen meanwhile
    assert "Maßnahme „Mitfahrbank“ · Stand (1/5)" in chat.presses("anpassen")
    assert chat.state.step == "zb_review" and chat.answers["zb_review"][0]["decision"] == "adapt"


def test_back_from_the_reopened_measure_returns_to_the_review(content: Content):
    chat, _ = at_the_review(content, [])
    for answer in ("läuft", "/ueberspringen", "/ueberspringen", "/ueberspringen"):
        chat.says(answer)
    chat.presses("anpassen")
    chat.presses("Antwort beibehalten")
    assert "Maßnahme „Dorfladen“ · Handlungsfeld (1/" in chat.says("/zurueck")  # one field back
    assert "Maßnahme „Mitfahrbank“ · Stand (1/5)" in chat.says("/zurueck")  # out of the plan: the review goes on
    assert chat.state is not None and chat.state.step == "zb_review"
