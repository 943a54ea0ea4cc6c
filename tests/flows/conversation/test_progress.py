"""The Zwischenbilanz goes through the plan's measures: over each one the target entered in the Werkstattplan and
the latest status report; the review starts from that report; "anpassen" reopens the measure in the plan."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flows.content.content import Content
from flows.conversation.actions import Facts
from flows.practice.model import Report
from tests.conftest import EngineChat
from tests.flows.conversation.practice import MemoryPractice
from tests.flows.conversation.test_engine import onboard

MARCH_15 = datetime(2027, 3, 15, 10, 0, tzinfo=UTC)


def dorfladen(**changes: Any) -> dict[str, Any]:
    """A measure as the Werkstattplan stores it: an owner who is a member, one indicator with baseline and target."""
    return {
        "uid": "r1",
        "field": "daseinsvorsorge",
        "goal": "Nahversorgung im Ortskern sichern",
        "measure": "Dorfladen",
        "owner": {"member": 12, "name": "Anna"},
        "start": "2027-01",
        "end": "2028-12",
        "indicators": [
            {
                "name": "Nutzer",
                "unit": "Personen",
                "statistic": None,
                "baseline": {"value": 0, "date": "2027-01", "source": "Zählung"},
                "target": 40,
                "target_date": "2028-12",
            }
        ],
        **changes,
    }


MITFAHRBANK = {
    "uid": "r2",
    "field": "mobility",
    "goal": "mobil ohne Auto",
    "measure": "Mitfahrbank",
    "owner": "Ordnungsamt",
    "start": "2027-03",
    "indicator": "Fahrten pro Monat",
    "target": "30 bis Ende 2028",
}
"""An older measure: owner, indicator and target as typed text."""


def at_the_review(content: Content, reports: list[Report], lang: str = "de") -> tuple[EngineChat, str]:
    chat = EngineChat(content, lang=lang, facts=Facts(practice=MemoryPractice(reports)))
    onboard(chat)
    assert chat.state is not None
    chat.state.answers.update({"wp_measures": [dorfladen(), MITFAHRBANK]})
    chat.says("/phase 5")
    return chat, chat.says("15.11.2028")  # the review's date; then the first measure


def test_the_review_shows_the_target_from_the_plan_and_the_latest_reported_value(content: Content):
    anna = Report("r1", "running", 12.0, MARCH_15, author_id=12, author="Anna")
    chat, first = at_the_review(content, [anna])
    assert "Maßnahme „Dorfladen“ · Stand (1/5)" in first
    assert "Indikator Nutzer: Basis 0 Personen (Januar 2027) → Ziel 40 Personen bis Dezember 2028" in first
    assert "Letzte Meldung (15.03.2027, Anna): 12 Personen; Stand: läuft" in first
    assert "Bisherige Antwort: läuft" in first  # prefilled from the report: one tap keeps it
    chat.presses("Antwort behalten")
    assert chat.says("x") or True


def test_an_older_measure_shows_its_typed_target_and_no_report_yet(content: Content):
    chat, _ = at_the_review(content, [])
    chat.presses("Antwort behalten") if "behalten" in chat.text else None
