"""'Done when' checklists whose items the answers decide: shown decided with the reason, no button, a polite word
when typed, "alle" ticks only the rest, and what is stored follows the data."""

from __future__ import annotations

from typing import Any

from flows.content.content import Content
from flows.content.model import RecordsStep
from tests.conftest import EngineChat
from tests.flows.conversation.plan import indicator, measure
from tests.flows.conversation.test_engine import onboard

NNBSP = "\u202f"
STAGE = {"de": "/phase", "fr": "/etape", "en": "/stage"}


def at_the_plan_checklist(content: Content, lang: str = "de", **answers: Any) -> EngineChat:
    """A person whose Werkstattplan is answered but for its checklist, there now: Dorfladen has no indicator yet."""
    chat = EngineChat(content, lang=lang)
    chat.state.answers.update(  # type: ignore[union-attr]
        ob_name="Musterstadt",
        ob_kind="stadt",
        ob_land="sn",
        ob_size="m",
        ob_fields=["daseinsvorsorge"],
        wp_measures=[measure("r1", "Dorfladen"), measure("r2", "Mitfahrbank", indicator("Fahrten je Woche", 40))],
        wp_quick_wins=[],
        wp_adoption="steering",
        wp_monitoring="2027-09-30",
        **answers,
    )
    chat.says(f"{STAGE[lang]} 4")
    assert chat.state is not None and chat.state.step == "wp_done"
    return chat


def indicators(content: Content, lang: str) -> str:
    """The label of the measures' indicators field."""
    step = content.step("wp_measures")
    assert isinstance(step, RecordsStep)
    return next(f.label.get(lang) for f in step.fields if f.id == "indicators")


def test_a_measure_without_an_indicator_keeps_the_item_open_and_is_named_until_the_indicator_is_added(
    planned: Content,
):
    chat, label = at_the_plan_checklist(planned), indicators(planned, "de")
    assert "Diese Punkte ergeben sich aus Ihren Antworten:" in chat.text
    assert f"✗ Indikatoren mit Zielwert — 1 von 2 Maßnahmen ohne „{label}“: Dorfladen" in chat.text
    assert "✓ Zeitpläne stehen — 2 von 2 Maßnahmen mit „Beginn“ und „Ende“" in chat.text
    assert "✓ Plan beschlossen — Beschluss: von der Steuerungsgruppe beschlossen" in chat.text
    assert [c.id for c in chat.replies[-1].choices] == ["_done"]  # nothing to tick: no button but "Fertig"
    assert "Von Hand ist hier nichts abzuhaken." in chat.text
    assert chat.replies[-1].typing_hint is None  # no "type the numbers, or all" where there is nothing to tick

    reply = chat.says("Indikatoren mit Zielwert")
    assert reply.startswith(
        "„Indikatoren mit Zielwert“ ergibt sich aus Ihren Antworten und wird nicht von Hand abgehakt "
        f"(1 von 2 Maßnahmen ohne „{label}“: Dorfladen). Um das zu ändern, ändern Sie Ihre Antwort zu "
        "„Maßnahmen“: Am Ende der Phase führt „Antwort ändern“ dorthin."
    )
    assert "wp_done" not in chat.answers and chat.state is not None and chat.state.step == "wp_done"

    reply = chat.says("alle")
    assert chat.answers["wp_done"] == ["owners", "timeline", "budget", "adopted", "monitoring"]
    assert "5 von 6 erledigt" in reply and "Jede Maßnahme hat einen Indikator mit Zielwert." in reply

    # A teammate adds Dorfladen's indicator; the answers are read afresh at the next message.
    chat.answers["wp_measures"][0]["indicators"] = [indicator("Kundinnen je Woche", 300)]
    reply = chat.says("/fortschritt")
    assert "Checkliste 6/6" in reply  # read from the data now, not from the ticks stored before
    chat.says(f"{STAGE['de']} 4")
    chat.presses("Antwort ändern")
    reply = chat.presses("Checkliste Werkstattplan")
    assert f"✓ Indikatoren mit Zielwert — 2 von 2 Maßnahmen mit „{label}“" in reply
    chat.presses("Fertig")
    assert chat.answers["wp_done"] == ["owners", "timeline", "budget", "indicators", "adopted", "monitoring"]


def test_the_decided_items_read_in_french_and_english(planned: Content):
    fr = at_the_plan_checklist(planned, "fr")
    assert "Ces points découlent de vos réponses\u202f:" in fr.text
    assert (
        f"✗ Indicateurs et cibles — Sur 2 actions, 1 sans «{NNBSP}{indicators(planned, 'fr')}{NNBSP}»{NNBSP}: Dorfladen"
        in fr.text
    )
    reply = fr.says("indicateurs et cibles")
    assert reply.startswith(f"«{NNBSP}Indicateurs et cibles{NNBSP}» découle de vos réponses")
    assert f"changez votre réponse à «{NNBSP}Actions{NNBSP}»" in reply
    en = at_the_plan_checklist(planned, "en")
    assert "Your answers decide these:" in en.text
    assert f"✗ Indicators and targets — 1 of 2 measures without “{indicators(planned, 'en')}”: Dorfladen" in en.text
    assert "✓ Plan adopted — Adoption: adopted by the steering group" in en.text


def test_people_tick_the_rest_and_all_ticks_only_those(chat: EngineChat):
    onboard(chat)
    chat.answers.update(
        kp_sources="landesamt",
        kp_reference_date=None,  # skipped: the source is stated, its date is not
        kp_indicators=[{"uid": "i1", "indicator": "population", "value": "18.432", "year": "2024"}],
        kp_inventory=["Kita"],
        kp_interviews=None,
        kp_strengths=["Vereine"],
        kp_weaknesses=["wenig Ärzte"],
        kp_opportunities=["Zuzug"],
        kp_threats=["Praxis schließt"],
        kp_candidates=["health"],
    )
    reply = chat.says("/phase 2")
    assert [c.id for c in chat.replies[-1].choices] == ["swot_agreed", "published", "interviews", "_done"]
    assert "✓ Handlungsfelder benannt — Mögliche Handlungsfelder: Gesundheit, Pflege und gut alt werden" in reply
    assert (
        "✗ Quelle und Stichtag — Datenquelle: Statistisches Landesamt; Stichtag der Daten: noch nicht beantwortet"
        in reply
    )
    chat.presses("SWOT")
    chat.says("Profil zugänglich, Quelle und Stichtag")
    assert "ergibt sich aus Ihren Antworten" in chat.text and "kp_done" not in chat.answers
    chat.says("alle")
    assert chat.answers["kp_done"] == ["swot_agreed", "published", "candidates", "interviews"]
