"""Records (the action plan's measures) as a user reads them: the introduction once, each measure as short
labelled lines."""

from __future__ import annotations

from flows.content.content import Content
from flows.practice.model import Report
from tests.conftest import EngineChat
from tests.flows.conversation.steps.test_indicators import indicator
from tests.flows.conversation.test_engine import onboard
from tests.flows.conversation.test_review import MARCH_15, MITFAHRBANK, at_the_review
from tests.flows.team.chat import CARLA, TeamChat

INTRO = "Der Werkstattplan verbindet die einzelnen Maßnahmen zu einer Gesamtstrategie."
HOW = "Jetzt wird es konkret"
NNBSP = "\u202f"


def record_measure(chat: EngineChat, title: str, owner: str = "Wirtschaftsförderung") -> list[str]:
    """Answers the ten fields of a measure (three skipped), one indicator with its parts; returns every reply on
    the way."""
    replies = [chat.says("1")]  # field of action
    for line in ("Mehr Ärztinnen gewinnen", title, owner):
        replies.append(chat.says(line))
    replies.append(chat.presses("Überspringen"))  # partners
    replies.append(chat.presses("Überspringen"))  # target group
    replies.append(chat.says("03/2027"))
    replies.append(chat.says("12/2028"))
    replies.append(chat.presses("Überspringen"))  # budget
    replies.append(indicator(chat, "Neue Praxen", "Praxen", "0", "2", "2029"))
    replies.append(chat.presses("Fertig"))  # no other indicator
    return replies


def test_the_plan_is_introduced_once_and_a_second_measure_gets_a_one_line_header(chat: EngineChat):
    onboard(chat)
    first = chat.says("/phase 4")
    assert first.count(INTRO) == 1 and HOW in first
    assert "Maßnahme 1 · Handlungsfeld (1/10)" in first
    replies = record_measure(chat, "Praxisbörse aufbauen")
    assert not any(INTRO in r or HOW in r for r in replies), "the introduction came again within the measure"
    assert "Maßnahme 1 · Ziel (2/10)" in replies[0]
    second = chat.presses("hinzufügen")
    assert "Maßnahme 2 · Handlungsfeld (1/10)" in second and INTRO not in second and HOW not in second
    replies = record_measure(chat, "Bürgerbus einrichten", owner="Ordnungsamt")
    assert not any(INTRO in r or HOW in r for r in replies)
    assert len(chat.answers["wp_measures"]) == 2


def test_a_saved_measure_is_shown_as_short_labelled_lines(chat: EngineChat):
    onboard(chat)
    chat.says("/phase 4")
    saved = record_measure(chat, "Praxisbörse aufbauen")[-1]
    lines = saved.split("\n")
    start = lines.index("Gespeichert: Praxisbörse aufbauen")
    assert lines[start + 1 : start + 7] == [
        "Handlungsfeld: Daseinsvorsorge und Nahversorgung",
        "Ziel: Mehr Ärztinnen gewinnen",
        "Verantwortlich: Wirtschaftsförderung",
        "Beginn: März 2027",
        "Ende: Dezember 2028",
        "Indikatoren: Neue Praxen (Praxen): Basis 0 → Ziel 2 bis 2029",
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
    chat.says("03/2027"), chat.says("12/2028"), chat.presses("Passer")
    saved = chat.presses("Passer")  # no indicator yet
    assert "Objectif\u00a0: Attirer des médecins" in saved
    assert "Pilote\u00a0: Développement économique" in saved
    assert "Objectif: " not in saved


# -- commitments: an optional records step at the end of the Zukunftswerkstatt --------------------------------

ZW_BEFORE_COMMITMENTS = ("1", "15.03.2027", "1, 2", "Aushang im Rathaus", "1, 2", "Dorfladen", "1")
"""The Zukunftswerkstatt's answers up to its ideas: format, date, target groups, reach, priorities, one idea."""


def to_commitments(chat: EngineChat) -> str:
    """Onboards, answers the Zukunftswerkstatt up to the commitments; returns their question."""
    onboard(chat)
    chat.says("/phase 3")
    for line in (*ZW_BEFORE_COMMITMENTS, "/ueberspringen", "1", "fertig"):  # the idea: no champion, high priority
        chat.says(line)
    return chat.says("/ueberspringen")  # no feedback planned yet


def test_commitments_record_who_promised_what(content: Content):
    ben = TeamChat(content)
    asked = to_commitments(ben)
    assert "Zukunftswerkstatt · Frage 8 von 9" in asked and "Versprechen 1 · Wer (1/2)" in asked
    assert "Halten wir fest, wer was zugesagt hat. In sechs Monaten frage ich nach" in asked
    assert "1) Anna\n2) Ben (Sie)\n3) Carla\n4) Jemand anderes\n5) Überspringen" in asked
    ben.presses("Carla")
    saved = ben.says("Fragt beim Bäcker nach einem Lieferdienst")
    assert "Gespeichert: Fragt beim Bäcker nach einem Lieferdienst\nWer: Carla" in saved
    ben.presses("hinzufügen")
    ben.says("Herr Krüger vom Heimatverein"), ben.says("Organisiert die erste Mitfahrbank")
    ben.presses("Fertig")
    assert ben.answers["zw_commitments"] == [
        {"who": {"member": CARLA, "name": "Carla"}, "what": "Fragt beim Bäcker nach einem Lieferdienst", "uid": "r2"},
        {"who": {"name": "Herr Krüger vom Heimatverein"}, "what": "Organisiert die erste Mitfahrbank", "uid": "r3"},
    ]
    assert ben.state.step == "zw_done"


def test_commitments_can_be_skipped_at_once(chat: EngineChat):
    to_commitments(chat)
    assert "1) Überspringen" in chat.text  # alone: the name is typed, or the question skipped
    chat.presses("Überspringen")
    assert chat.state.step == "zw_done" and chat.answers["zw_commitments"] is None


def test_keine_skips_the_commitments_and_a_started_one_needs_its_who(chat: EngineChat):
    to_commitments(chat)
    assert "Übersprungen." in chat.says("keine")
    assert chat.state.step == "zw_done"
    chat.says("/zurueck")
    assert "Versprechen 1 · Wer (1/2)" in chat.text
    chat.says("Frau Beispiel")
    assert "Dieses Feld wird benötigt" in chat.says("/ueberspringen")  # the what, once the who is given


def test_commitments_in_french(content: Content):
    chat = EngineChat(content, lang="fr")
    chat.says("Ville-Test"), chat.says("2"), chat.says("13"), chat.says("3"), chat.says("2, 5")
    chat.says("/etape 3")
    for line in (*ZW_BEFORE_COMMITMENTS, "/passer", "1", "terminé"):
        chat.says(line)
    asked = chat.says("/passer")
    assert "engagement 1 · Qui (1/2)" in asked
    assert f"Qui a pris cet engagement{NNBSP}?" in asked
    assert f"«{NNBSP}je demande au boulanger s'il peut livrer{NNBSP}»{NNBSP}?" in asked


def keep_the_rest(chat: EngineChat) -> str:
    """Keeps the answer a field has (the indicators as they are: "Fertig"), skips an optional empty one, and types one
    where it must have one."""
    offered = [c.label for c in chat.replies[-1].choices]
    for button in ("Antwort beibehalten", "Überspringen", "Fertig"):
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
