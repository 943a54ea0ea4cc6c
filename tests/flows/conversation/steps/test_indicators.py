"""A measure's indicators as a person enters them: name, unit, baseline, target and target date one after the other;
official figures offered by button with their baseline only confirmed; several indicators; /back one part back;
bad numbers answered kindly; older records with an indicator text carried over."""

from __future__ import annotations

import pytest

from flows.content.content import Content
from flows.conversation.steps.indicators import read_baseline
from tests.conftest import EngineChat
from tests.flows.conversation.registry import MemoryRegistry
from tests.flows.conversation.test_engine import onboard
from tests.flows.conversation.test_indicators_screen import PICKED, FigureChat, official

NNBSP, NBSP = "\u202f", "\u00a0"
OLD_MEASURE = {
    "uid": "r1",
    "field": "daseinsvorsorge",
    "goal": "Mehr Ärztinnen gewinnen",
    "measure": "Praxisbörse aufbauen",
    "owner": "Wirtschaftsförderung",
    "start": "2027-03",
    "end": "2028-12",
    "indicator": "Zahl neu besetzter Praxen",
    "target": "2 bis 2029",
}
"""A measure as stored before indicators had parts: indicator and target as typed."""


def to_indicators(chat: EngineChat, title: str = "Praxisbörse aufbauen", owner: str = "Wirtschaftsförderung") -> str:
    """Answers a measure's fields up to its indicators (partners, target group and budget skipped); returns the
    question of the first indicator."""
    chat.says("1")
    for line in ("Mehr Ärztinnen gewinnen", title, owner):
        chat.says(line)
    chat.presses("Überspringen"), chat.presses("Überspringen")
    chat.says("03/2027"), chat.says("12/2028")
    return chat.presses("Überspringen")


def indicator(chat: EngineChat, name: str, unit: str, baseline: str, target: str, when: str) -> str:
    """Types one indicator's five parts; returns the reply to the last (the indicators so far)."""
    for line in (name, unit, baseline, target):
        chat.says(line)
    return chat.says(when)


def in_plan(chat: EngineChat) -> EngineChat:
    onboard(chat)
    chat.says("/phase 4")
    return chat


def test_a_typed_indicator_is_asked_part_by_part_and_stored_with_its_parts(chat: EngineChat):
    asked = to_indicators(in_plan(chat))
    assert "Indikatoren (10/10)" in asked and "Woran erkennen Sie, dass die Maßnahme wirkt?" in asked
    assert "amtliche Zahlen" not in asked  # no municipality picked in the directory: nothing official on offer
    assert "In welcher Einheit wird „Neu besetzte Praxen“ gezählt?" in chat.says("Neu besetzte Praxen")
    assert "Welchen Wert hat „Neu besetzte Praxen“ heute (Ausgangswert)?" in chat.says("Praxen")
    assert "Welchen Wert soll „Neu besetzte Praxen“ erreichen (Zielwert)?" in chat.says("0, 2026, KV Sachsen")
    assert "Bis wann soll der Zielwert erreicht sein?" in chat.says("2")
    listed = chat.says("12/2029")
    assert "Notiert: Dezember 2029." in listed
    assert "1. Neu besetzte Praxen (Praxen): Basis 0 (2026, KV Sachsen) → Ziel 2 bis 12/2029" in listed
    saved = chat.presses("Fertig")
    assert "Indikatoren: Neu besetzte Praxen (Praxen): Basis 0 (2026, KV Sachsen) → Ziel 2 bis 12/2029" in saved
    [measure] = chat.answers["wp_measures"]
    assert measure["indicators"] == [
        {
            "name": "Neu besetzte Praxen",
            "unit": "Praxen",
            "statistic": None,
            "baseline": {"value": 0.0, "date": "2026", "source": "KV Sachsen"},
            "target": 2.0,
            "target_date": "2029-12",
        }
    ]
    assert "indicator" not in measure and "target" not in measure


def test_an_official_indicator_takes_its_unit_and_baseline_from_the_statistics(content: Content):
    chat = FigureChat(content, MemoryRegistry(common=official()), role="editor")
    onboard(chat)
    chat.state.answers["ob_name"] = PICKED  # Grabow, picked in the directory
    chat.says("/phase 4")
    asked = to_indicators(chat)
    assert "Für diese gibt es amtliche Zahlen" in asked
    assert "1) Bevölkerung" in asked and "Altenquotient" in asked
    offered = chat.presses("Bevölkerung")  # its unit is known: the baseline comes next
    assert "Aus der amtlichen Statistik: Basis 5.122 (31.12.2023, Regionaldatenbank, Tabellen 12411-02-03-5" in offered
    assert "Einheit" not in offered
    chat.presses("Als Ausgangswert übernehmen")
    chat.says("5.000")
    listed = chat.presses("Zum Ende der Maßnahme (12/2028)")
    assert "1. Bevölkerung (Einwohner): Basis 5.122 (31.12.2023, Regionaldatenbank" in listed
    assert "→ Ziel 5.000 bis 12/2028" in listed
    chat.presses("Fertig")
    [stored] = chat.answers["wp_measures"][0]["indicators"]
    assert stored["statistic"] == "population" and stored["unit"] == "Einwohner"
    assert stored["baseline"] == {
        "value": 5122.0,
        "date": "2023-12-31",
        "source": "Regionaldatenbank, Tabellen 12411-02-03-5, 12411-03-03-4",
    }
    assert stored["target"] == 5000.0 and stored["target_date"] == "2028-12"


def test_two_indicators_and_an_official_one_is_not_offered_twice(content: Content):
    chat = FigureChat(content, MemoryRegistry(common=official()), role="editor")
    onboard(chat)
    chat.state.answers["ob_name"] = PICKED
    chat.says("/phase 4")
    to_indicators(chat)
    chat.says("bevölkerung")  # typed, the official one is meant
    chat.presses("übernehmen"), chat.says("5000"), chat.presses("Überspringen")
    again = chat.presses("Weiteren Indikator hinzufügen")
    assert "Indikator 2: Wie heißt er?" in again
    assert "1) Bevölkerungsentwicklung" in again and "1) Bevölkerung\n" not in again
    listed = indicator(chat, "Nutzer der Mitfahrbank", "Personen pro Woche", "3", "20", "2028")
    assert "2. Nutzer der Mitfahrbank (Personen pro Woche): Basis 3 → Ziel 20 bis 2028" in listed
    saved = chat.presses("Fertig")
    line = next(line for line in saved.split("\n") if line.startswith("Indikatoren: "))
    assert "Bevölkerung (Einwohner): Basis 5.122" in line and "; Nutzer der Mitfahrbank (Personen pro Woche)" in line
    names = [i["name"] for i in chat.answers["wp_measures"][0]["indicators"]]
    assert names == ["Bevölkerung", "Nutzer der Mitfahrbank"]


def test_back_goes_one_part_back_and_keeps_what_was_typed(chat: EngineChat):
    to_indicators(in_plan(chat))
    chat.says("Neu besetzte Praxen"), chat.says("Praxen"), chat.says("0, 2026, KV Sachsen")
    back = chat.says("/zurueck")  # from the target to the baseline
    assert "Welchen Wert hat „Neu besetzte Praxen“ heute" in back
    assert "Aktuelle Antwort: Basis 0 (2026, KV Sachsen)" in back
    chat.presses("Antwort beibehalten"), chat.says("2"), chat.says("2029")
    reopened = chat.says("/zurueck")  # from "another one?" to the target date of the last one
    assert "Bis wann soll der Zielwert erreicht sein?" in reopened and "Aktuelle Antwort: 2029" in reopened
    chat.says("2030")
    assert chat.state.draft["ind"]["done"][0]["target_date"] == "2030"
    assert len(chat.state.draft["ind"]["done"]) == 1, "the indicator changed was added a second time"
    chat.presses("Weiteren Indikator hinzufügen")
    assert "Indikatoren dieser Maßnahme" in chat.says("/zurueck")  # a second name not begun: back to the list
    chat.presses("Fertig")
    assert chat.answers["wp_measures"][0]["indicators"][0]["target_date"] == "2030"


def test_back_at_the_first_indicator_goes_to_the_budget(chat: EngineChat):
    to_indicators(in_plan(chat))
    assert "Budget und Finanzierung (9/10)" in chat.says("/zurueck")


def test_a_bad_number_is_answered_kindly_and_loses_nothing(chat: EngineChat):
    to_indicators(in_plan(chat))
    chat.says("Neu besetzte Praxen"), chat.presses("Überspringen")
    told = chat.says("ungefähr null")
    assert "Ich konnte am Anfang keine Zahl lesen." in told and "12, 2025, Zählung des Vereins" in told
    chat.says("0")
    told = chat.says("zwei bis 2029")
    assert "Bitte geben Sie den Zielwert als eine Zahl ein, zum Beispiel 40." in told
    assert "Bitte geben Sie den Zielwert" in chat.says("2 bis 2029")  # two numbers: which one is the target?
    assert "Bis wann soll der Zielwert erreicht sein?" in chat.says("2")
    assert "Das konnte ich nicht als Datum lesen." in chat.says("irgendwann")
    chat.says("2029")
    draft = chat.state.draft["ind"]["done"][0]
    assert draft["name"] == "Neu besetzte Praxen" and draft["baseline"]["value"] == 0.0 and draft["target"] == 2.0
    assert draft["unit"] is None and draft["baseline"]["date"] is None


def test_the_indicators_can_be_skipped_and_fertig_skips_them(chat: EngineChat):
    to_indicators(in_plan(chat))
    saved = chat.says("fertig")
    assert "Übersprungen." in saved and "Gespeichert: Praxisbörse aufbauen" in saved
    assert chat.answers["wp_measures"][0]["indicators"] is None


def test_a_changed_or_removed_indicator(chat: EngineChat):
    to_indicators(in_plan(chat))
    indicator(chat, "Neu besetzte Praxen", "Praxen", "0", "2", "2029")
    chat.presses("Weiteren Indikator hinzufügen")
    indicator(chat, "Wartezeit", "Tage", "30", "14", "2029")
    assert "1) Neu besetzte Praxen\n2) Wartezeit" in chat.presses("Indikator ändern")
    kept = chat.presses("Wartezeit")
    assert "Aktuelle Antwort: Wartezeit" in kept
    chat.presses("Antwort beibehalten"), chat.presses("Antwort beibehalten"), chat.presses("Antwort beibehalten")
    chat.says("10"), chat.presses("Antwort beibehalten")
    chat.presses("Indikator entfernen")
    assert "Gelöscht: Neu besetzte Praxen" in chat.presses("Neu besetzte Praxen")
    chat.presses("Fertig")
    [left] = chat.answers["wp_measures"][0]["indicators"]
    assert left["name"] == "Wartezeit" and left["target"] == 10.0 and left["baseline"]["value"] == 30.0


def test_an_older_record_shows_its_indicator_and_is_carried_over_when_changed(chat: EngineChat):
    onboard(chat)
    chat.state.answers["wp_measures"] = [dict(OLD_MEASURE)]
    chat.says("/phase 4")  # at the question after the measures
    chat.says("/ändern")
    listed = chat.presses("Maßnahmen")
    assert "Indikatoren: Zahl neu besetzter Praxen: Ziel 2 bis 2029" in listed
    chat.presses("Eintrag ändern")
    for _ in range(9):  # field, goal, measure, owner, partners, target group, start, end, budget
        chat.presses("Antwort beibehalten") if "Antwort beibehalten" in chat.text else chat.presses("Überspringen")
    assert "Aktuelle Antwort: Zahl neu besetzter Praxen" in chat.text
    chat.presses("Antwort beibehalten"), chat.says("Praxen"), chat.presses("Überspringen")
    assert "Aktuelle Antwort: 2 bis 2029" in chat.text  # the target as typed back then
    chat.presses("Antwort beibehalten"), chat.presses("Überspringen")
    chat.presses("Fertig")
    [measure] = chat.answers["wp_measures"]
    assert "indicator" not in measure and "target" not in measure
    assert measure["indicators"] == [
        {"name": "Zahl neu besetzter Praxen", "unit": "Praxen", "statistic": None, "baseline": None}
        | {"target": "2 bis 2029", "target_date": None}
    ]
    assert "Indikatoren: Zahl neu besetzter Praxen (Praxen): Ziel 2 bis 2029" in chat.text


def test_no_more_than_the_allowed_indicators(chat: EngineChat):
    onboard(chat)
    five = [{"name": f"Indikator {n}", "target": n} for n in range(1, 6)]
    chat.state.answers["wp_measures"] = [{**OLD_MEASURE, "indicator": None, "target": None, "indicators": five}]
    chat.says("/phase 4"), chat.says("/ändern"), chat.presses("Maßnahmen")
    chat.presses("Eintrag ändern")
    for _ in range(9):
        chat.presses("Antwort beibehalten") if "Antwort beibehalten" in chat.text else chat.presses("Überspringen")
    assert "5. Indikator 5: Ziel 5" in chat.text
    assert "Weiteren Indikator" not in chat.text and "Gibt es einen weiteren" not in chat.text


def test_french_indicator_with_french_numbers_and_spaces(content: Content):
    chat = EngineChat(content, lang="fr")
    chat.says("Ville-Test"), chat.says("2"), chat.says("13"), chat.says("3"), chat.says("2, 5")
    chat.says("/etape 4")
    chat.says("1")
    for line in ("Attirer des médecins", "Bourse aux cabinets", "Développement économique"):
        chat.says(line)
    chat.presses("Passer"), chat.presses("Passer"), chat.says("03/2027"), chat.says("12/2028")
    asked = chat.presses("Passer")
    assert f"À quoi verrez-vous que l'action porte ses fruits{NNBSP}?" in asked
    assert f"En quelle unité compte-t-on «{NNBSP}Patients suivis{NNBSP}»" in chat.says("Patients suivis")
    chat.says("personnes"), chat.says("1 234,5 ; 2025 ; ARS")
    chat.says("1 500")
    listed = chat.says("fin 2028")
    expected = (
        f"Patients suivis (personnes){NBSP}: référence 1{NNBSP}234,5 (2025, ARS) → cible 1{NNBSP}500 d’ici 12/2028"
    )
    assert expected in listed
    chat.presses("Terminé")
    assert chat.answers["wp_measures"][0]["indicators"][0]["baseline"] == {
        "value": 1234.5,
        "date": "2025",
        "source": "ARS",
    }


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("12, 2025, Zählung des Vereins", {"value": 12.0, "date": "2025", "source": "Zählung des Vereins"}),
        ("1.234 (31.12.2024; Melderegister)", {"value": 1234.0, "date": "2024-12-31", "source": "Melderegister"}),
        ("12,5, 03/2026", {"value": 12.5, "date": "2026-03", "source": None}),
        ("40 %", {"value": 40.0, "date": None, "source": None}),
        ("7, Umfrage im Ortsteil, Frühjahr", {"value": 7.0, "date": None, "source": "Umfrage im Ortsteil, Frühjahr"}),
    ],
)
def test_a_typed_baseline_is_value_date_and_source(typed: str, read: dict):
    assert read_baseline(typed) == read


@pytest.mark.parametrize("typed", ["", "ungefähr zwölf", "2025 bis 2027, Zählung", "; 2025"])
def test_a_baseline_without_a_value_first_is_not_read(typed: str):
    assert read_baseline(typed) is None
