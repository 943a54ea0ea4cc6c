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
    earlier = Report("r1", "running", 5.0, datetime(2027, 2, 1, tzinfo=UTC), author="Ben")
    latest = Report("r1", "delayed", 12.0, MARCH_15, author_id=12, author="Anna")
    chat, first = at_the_review(content, [earlier, latest])
    assert "Maßnahme „Dorfladen“ · Stand (1/5)" in first
    indicator = "Indikator: Nutzer (Personen) · Basis 0 (01/2027, Zählung) · Ziel 40 bis 12/2028"
    assert f"{indicator} · zuletzt 12 (15.03.2027, Anna)" in first  # as the owner's reminders say it
    assert "Letzte Meldung: verzögert (15.03.2027, Anna)" in first
    assert "Aktuelle Antwort: verzögert" in first  # the review starts from the report: one tap keeps it
    assert "Aktuelle Antwort: 12" in chat.presses("Antwort beibehalten")
    chat.presses("Antwort beibehalten")
    assert chat.state is not None and chat.state.draft["values"] == {"status": "delayed", "indicator_now": "12"}


def test_a_measure_without_a_report_is_asked_from_scratch_and_an_older_one_shows_its_typed_target(content: Content):
    chat, first = at_the_review(content, [])
    assert "Noch keine Statusmeldung." in first and "Aktuelle Antwort" not in first
    assert "Antwort beibehalten" not in chat.text
    for answer in ("läuft", "/ueberspringen", "/ueberspringen", "/ueberspringen", "fortführen"):
        second = chat.says(answer)
    assert "Maßnahme „Mitfahrbank“ · Stand (1/5)" in second
    assert "Indikator: Fahrten pro Monat · Ziel 30 bis Ende 2028" in second  # the target as it was typed
    assert chat.answers["zb_review"] == [{"uid": "r1", "status": "running", "indicator_now": None, "helped": None,
                                          "blocked": None, "decision": "continue"}]  # fmt: skip


def test_a_measure_without_an_indicator_says_so(content: Content):
    chat = EngineChat(content, facts=Facts(practice=MemoryPractice([])))
    onboard(chat)
    assert chat.state is not None
    chat.state.answers["wp_measures"] = [dorfladen(indicators=[])]
    chat.says("/phase 5")
    assert "Für diese Maßnahme ist noch kein Indikator festgelegt." in chat.says("15.11.2028")


def test_in_french_and_english_the_lines_read_as_each_language_writes_them(content: Content):
    report = Report("r1", "running", 1234.5, MARCH_15, author="Anna")
    _, french = at_the_review(content, [report], lang="fr")
    assert (
        "Indicateur\u00a0: Nutzer (Personen) · référence 0 (01/2027, Zählung) · cible 40 d’ici 12/2028"
        " · dernière valeur 1\u202f234,5 (15 mars 2027, Anna)"
    ) in french
    assert "Dernier point\u00a0: en cours (15 mars 2027, Anna)" in french
    _, english = at_the_review(content, [report], lang="en")
    assert "Indicator: Nutzer (Personen) · baseline 0 (01/2027, Zählung) · target 40 by 12/2028" in english
    assert "Last report: running (Mar 15, 2027, Anna)" in english
