"""An indicator on one line, as the chat and the documents show it, in German, French and English."""

from __future__ import annotations

import pytest

from flows.practice.measures import indicators_of
from flows.practice.model import Baseline, Indicator
from flows.practice.shown import indicator_text, indicators_text

NNBSP, NBSP = "\u202f", "\u00a0"
SHOP = Indicator(
    "Kunden des Dorfladens",
    unit="pro Woche",
    baseline=Baseline(1234.5, "2025-03", "Zählung des Vereins"),
    target=1500.0,
    target_date="2028-12",
)


@pytest.mark.parametrize(
    ("lang", "line"),
    [
        (
            "de",
            "Kunden des Dorfladens (pro Woche): Basis 1.234,5 (03/2025, Zählung des Vereins) → Ziel 1.500 bis 12/2028",
        ),
        (
            "fr",
            f"Kunden des Dorfladens (pro Woche){NBSP}: référence 1{NNBSP}234,5 (03/2025, Zählung des Vereins) "
            f"→ cible 1{NNBSP}500 d’ici 12/2028",
        ),
        (
            "en",
            "Kunden des Dorfladens (pro Woche): baseline 1,234.5 (03/2025, Zählung des Vereins) "
            "→ target 1,500 by 12/2028",
        ),
    ],
)
def test_an_indicator_reads_name_unit_baseline_and_target(content, lang: str, line: str):
    assert indicator_text(content.catalogues.translator(lang), SHOP) == line


def test_what_is_missing_is_left_out(content):
    t = content.catalogues.translator("de")
    assert indicator_text(t, Indicator("Wartezeit")) == "Wartezeit"
    assert indicator_text(t, Indicator("Wartezeit", target=14.0)) == "Wartezeit: Ziel 14"
    assert indicator_text(t, Indicator("Wartezeit", baseline=Baseline(30.0, "2026-02-01"))) == (
        "Wartezeit: Basis 30 (01.02.2026)"
    )
    assert indicator_text(t, Indicator("Wartezeit", baseline=Baseline(None, "2026"), target_date="2027")) == "Wartezeit"


def test_an_older_measures_texts_and_several_indicators(content):
    t = content.catalogues.translator("de")
    older = indicators_of({"indicator": "Zahl neu besetzter Praxen", "target": "2 bis 2029"})
    assert indicators_text(t, older) == "Zahl neu besetzter Praxen: Ziel 2 bis 2029"
    assert indicators_text(t, [SHOP, Indicator("Wartezeit", target=14.0)]).endswith("; Wartezeit: Ziel 14")


def test_a_date_stored_otherwise_is_shown_as_it_is(content):
    t = content.catalogues.translator("de")
    odd = Indicator("Wartezeit", target=14.0, target_date="Ende 2028")
    assert indicator_text(t, odd) == "Wartezeit: Ziel 14 bis Ende 2028"
    assert [t.short_date(v) for v in ("2028-13", "2028-02-30", "2028", "2028-02")] == [
        "2028-13",
        "2028-02-30",
        "2028",
        "02/2028",
    ]
