"""The draft council resolution: German Beschlussvorlage, French délibération, English council report."""

from __future__ import annotations

from datetime import date

from flows.conversation.documents import build
from flows.documents.model import Items, Table, Text
from tests.flows.conversation.documents.workspace import OWNERS, workspace

DAY = date(2026, 12, 7)


def test_the_beschlussvorlage_has_its_parts_the_totals_and_the_plan_as_annex(content):
    document = build(workspace(content), "resolution", DAY)
    assert [s.title for s in document.sections] == [
        "Betreff", "Beschlussvorschlag", "Sachverhalt", "Finanzielle Auswirkungen", "Anlage: Werkstattplan",
    ]  # fmt: skip
    assert document.title == "Beschlussvorlage" and document.fields["kind"] == "Beschlussvorlage"
    decision = document.sections[1].blocks
    assert isinstance(decision[1], Items) and decision[1].numbered
    assert "Werkstattplan von Amt Süderbrarup" in decision[1].items[0]
    money = document.sections[3]
    per_year, per_source = [b for b in money.blocks if isinstance(b, Table)]
    assert per_year.total == per_source.total == ("Summe", "285.500\u00a0€")
    [annex] = document.sections[4].blocks
    assert isinstance(annex, Table) and tuple(r[3] for r in annex.rows) == OWNERS
    background = " ".join(b.text for b in document.sections[2].blocks if isinstance(b, Text))
    assert "Hauptamt" in background and "Stärken: aktives Vereinsleben; gute Schulen." in background


def test_measures_without_an_amount_are_named(content):
    measures = [dict(m) for m in workspace(content).state.answers["wp_measures"]]
    measures[0]["budget"] = "noch offen"  # an old free-text budget
    document = build(workspace(content, wp_measures=measures), "resolution", DAY)
    blocks = document.sections[3].blocks
    assert Text("Maßnahmen ohne bezifferten Betrag:") in blocks
    assert Items(("Landarztpraxis fördern",)) in blocks
    assert [b.total for b in blocks if isinstance(b, Table)][0] == ("Summe", "275.500\u00a0€")


def test_the_french_deliberation(content):
    document = build(workspace(content, "fr"), "resolution", DAY)
    assert [s.title for s in document.sections] == [
        "Objet", "Exposé des motifs", "Incidences financières", "Délibération", "Annexe\u00a0: plan d’action",
    ]  # fmt: skip
    assert document.title == "Projet de délibération"
    decision = [b.text for b in document.sections[3].blocks if isinstance(b, Text)]
    assert decision[0] == "Le conseil municipal, après en avoir délibéré, décide\u00a0:"
    assert decision[1].startswith("Article 1\u00a0: ")
    per_year = next(b for b in document.sections[2].blocks if isinstance(b, Table))
    assert per_year.total[1] == "285\u202f500\u00a0€"


def test_the_english_council_report(content):
    document = build(workspace(content, "en"), "resolution", DAY)
    assert [s.title for s in document.sections] == [
        "Subject", "Recommendation", "Background", "Financial implications", "Appendix: action plan",
    ]  # fmt: skip
    per_year = next(b for b in document.sections[3].blocks if isinstance(b, Table))
    assert per_year.total == ("Total", "€285,500")
