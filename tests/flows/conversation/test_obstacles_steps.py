"""The Zwischenbilanz asks which kinds of obstacle held the municipality back, what the Land and the Bund should
change, and whether these answers may go, anonymously, into the report to the programmes; changing that answer
withdraws."""

from __future__ import annotations

from datetime import date

from flows.content.content import Content
from flows.conversation.documents import build
from flows.documents.model import Items, Text
from flows.exchange.obstacles import opted_in
from tests.conftest import EngineChat
from tests.flows.conversation.documents.workspace import workspace


def test_a_municipality_names_its_obstacles_and_asks_and_opts_in_then_withdraws(chat: EngineChat):
    chat.says("/phase 5")
    chat.says("15.11.2029")
    chat.presses("Weiter")  # no measures to review
    chat.says("Austausch mit Nachbarn"), chat.presses("Fertig")
    chat.says("Die Stelle war lange unbesetzt"), chat.presses("Fertig")

    assert "Welche Arten von Hemmnissen haben Sie erlebt?" in chat.text
    assert "hoher Handlungsdruck, Krisen" in chat.text and "zu wenig Personal" in chat.text
    chat.says("1, 4")
    assert "Was sollten Land oder Bund ändern" in chat.text
    chat.says("Förderprogramme bündeln"), chat.presses("Fertig")
    assert "Gezeigt werden nur Gruppen ab 5 Kommunen" in chat.text and "Ihr Name erscheint nie." in chat.text
    chat.presses("ja")

    assert chat.answers["zb_obstacles"] == ["staff", "funding"]
    assert chat.answers["zb_asks"] == ["Förderprogramme bündeln"]
    assert opted_in(chat.answers) and chat.state is not None and chat.state.step == "zb_new_issues"

    chat.says("/aendern")
    chat.presses("Hemmnisse im Bericht")
    chat.presses("nein")

    assert chat.answers["zb_pool"] == "no" and not opted_in(chat.answers)


def test_the_steps_can_be_skipped(chat: EngineChat):
    chat.says("/phase 5"), chat.says("15.11.2029"), chat.presses("Weiter")
    chat.says("Austausch"), chat.presses("Fertig"), chat.says("Zeit"), chat.presses("Fertig")

    chat.presses("Überspringen"), chat.presses("Fertig"), chat.presses("Überspringen")

    assert chat.state is not None and chat.state.step == "zb_new_issues"
    assert not opted_in(chat.answers)


def test_the_strategy_document_shows_obstacles_and_asks_but_not_the_consent(content: Content):
    ctx = workspace(content, zb_obstacles=["staff", "data"], zb_asks=["Daten auf Gemeindeebene"], zb_pool="yes")

    made = build(ctx, "strategy", date(2027, 3, 1))

    review = next(s for s in made.sections if s.title.startswith("5."))
    said = [b.text for b in review.blocks if isinstance(b, Text)]
    listed = [i for b in review.blocks if isinstance(b, Items) for i in b.items]
    assert "Hemmnisse: zu wenig Personal; Daten fehlen" in said
    assert "Was Land und Bund ändern sollten" in said
    assert [i for i in listed if i.startswith("Daten auf Gemeindeebene")]
    assert not [t for t in said if "Bericht an die Programme" in t]
