"""Progress and stage summaries as a user reads them: compact progress, the summary said once."""

from __future__ import annotations

from flows.content.content import Content
from tests.conftest import EngineChat
from tests.flows.conversation.test_engine import onboard

KICKOFF = (
    "Bürgermeisterin",
    "Hauptamt",
    "Sozialamt",
    "fertig",
    "Vereine",
    "fertig",
    "fertig",
    "/ueberspringen",
    "hybrid",
    "Familien halten",
    "fertig",
    "/ueberspringen",
    "alle",
)


def finish_kickoff(chat: EngineChat) -> str:
    onboard(chat)
    for line in KICKOFF:
        reply = chat.says(line)
    return reply


def test_progress_counts_answered_questions_per_stage_and_says_what_is_next(chat: EngineChat):
    onboard(chat)
    chat.says("Bürgermeisterin")
    reply = chat.says("/fortschritt")
    assert "◐ 1. Kick-Off: 1 von 10 Fragen beantwortet ← Sie sind hier" in reply
    assert "○ 2. Kommunalprofil: 0 von 11 Fragen beantwortet" in reply
    assert "0 von 5 Phasen abgeschlossen." in reply
    assert "Als Nächstes: „Koordination“ (Kick-Off, Frage 2 von 10)." in reply
    assert reply.rstrip().endswith(
        "Wer koordiniert den Prozess (zum Beispiel eine Demografiebeauftragte oder ein Stabsbereich)?"
    )


def test_progress_at_a_stage_end_does_not_repeat_the_summary(chat: EngineChat):
    end = finish_kickoff(chat)
    assert end.count("Zusammenfassung: Kick-Off") == 1 and "Sozialamt" in end
    reply = chat.says("/fortschritt")
    assert "✓ 1. Kick-Off: 10 von 10 Fragen beantwortet, Checkliste 5/5 ← Sie sind hier" in reply
    assert "1 von 5 Phasen abgeschlossen." in reply
    assert "Als Nächstes: Phase 2, Kommunalprofil." in reply
    assert "Zusammenfassung: Kick-Off" not in reply and "Sozialamt" not in reply
    progress, stage_end = (r.text() for r in chat.replies)
    assert len(progress) < 500 and stage_end == "Kick-Off: 10 von 10 Fragen beantwortet\n\nWas möchten Sie tun?"
    assert "Weiter zu Phase 2: Kommunalprofil" in chat.text  # the stage end's buttons stay at hand
    reply = chat.presses("Zusammenfassung anzeigen")
    assert "Zusammenfassung: Kick-Off" in reply and "Sozialamt" in reply  # everything, when asked for


def test_other_detours_at_a_stage_end_do_not_repeat_the_summary_either(chat: EngineChat):
    finish_kickoff(chat)
    for detour in ("/hilfe", "/menue"):
        reply = chat.says(detour)
        assert "Zusammenfassung: Kick-Off" not in reply
    reply = chat.presses("Zurück zur Frage")
    assert "Zusammenfassung: Kick-Off" not in reply
    assert "Kick-Off: 10 von 10 Fragen beantwortet" in reply
    chat.presses("Weiter zu Phase 2")
    assert chat.state.stage == "kommunalprofil"


def test_a_returning_user_at_a_stage_end_gets_the_summary_with_the_welcome(chat: EngineChat):
    finish_kickoff(chat)
    reply = chat._send(type(chat).__init__.__globals__["Inbound"](event="resume"))
    assert "Willkommen zurück" in reply and "Zusammenfassung: Kick-Off" in reply


def test_progress_in_french_uses_plurals_and_french_spacing(content: Content):
    chat = EngineChat(content, lang="fr")
    chat.says("Ville-Test"), chat.says("2"), chat.says("13"), chat.says("3"), chat.says("2, 5")
    for line in ("Maire", "Service", "Service social", "terminé", "Associations", "terminé", "terminé"):
        chat.says(line)
    chat.says("/passer"), chat.says("1"), chat.says("Garder les familles"), chat.says("terminé")
    chat.says("/passer")
    chat.says("tout")
    reply = chat.says("/progression")
    assert "Réunion de lancement\u00a0: 10 sur 10 questions traitées" in reply
    assert "1 étape sur 5 terminée." in reply  # not “1 étapes sur 5 terminées”
    assert "À suivre\u00a0: étape 2, Diagnostic territorial." in reply
