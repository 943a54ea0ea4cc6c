"""A full strategy document built by hand, for the renderers' tests (the builders have their own in tests/flows)."""

from __future__ import annotations

from flows.documents.model import Cell, Chart, Document, Items, Section, Table, Text

OWNERS = ("Amt für Soziales (Frau Öztürk)", "Bürgermeister & Jugendpflege", "Verein „Dorfladen eG“")
PLAN_HEADER = (
    "Handlungsfeld",
    "Ziel",
    "Maßnahme",
    "Verantwortlich",
    "Partner",
    "Zielgruppe",
    "Zeitraum",
    "Budget und Finanzierung",
    "Indikator → Zielwert",
    "Stand",
)


def measure_row(n: int) -> tuple[str, ...]:
    owner = OWNERS[n % len(OWNERS)] if n < len(OWNERS) else f"Stelle {n + 1}"
    return (
        "Gesundheit und Pflege",
        f"Ziel {n + 1}: ärztliche Versorgung sichern",
        f"Maßnahme {n + 1} <b>&amp; {{{{ body }}}}",
        owner,
        "Landkreis, KV",
        "Ältere Menschen",
        "03/2027 – 12/2028",
        "10.000 € (Fördermittel LEADER)",
        "Hausärzte je 10.000 EW: 4,1 → 5,0 (2028)",
        "geplant",
    )


AGE_BANDS = (
    "0–3", "3–6", "6–10", "10–15", "15–18", "18–20", "20–25", "25–30", "30–35",
    "35–40", "40–45", "45–50", "50–55", "55–60", "60–65", "65–75", "75+",
)  # fmt: skip
"""Seventeen age bands, youngest first, the top one 75+ (as issue 16 describes the Gemeinde table)."""
MEN = (412, 398, 560, 731, 455, 290, 702, 830, 901, 940, 880, 1020, 1310, 1402, 1298, 2104, 1650)
WOMEN = (390, 405, 540, 702, 430, 270, 655, 790, 880, 960, 900, 1050, 1290, 1380, 1350, 2300, 2610)


def age_pyramid(
    men: tuple[int, ...] = MEN, women: tuple[int, ...] = WOMEN, bands: tuple[str, ...] = AGE_BANDS
) -> Chart:
    """The age pyramid of a small town (youngest band first) with its values as the text alternative."""

    def de(n: int) -> str:
        return f"{n:,}".replace(",", ".")

    values = "; ".join(f"{b}: Männer {de(m)}, Frauen {de(w)}" for b, m, w in zip(bands, men, women, strict=True))
    return Chart(
        "Altersaufbau 2024",
        tuple(zip(bands, map(float, men), strict=True)),
        "Personen",
        f"Altersaufbau 2024: {values}",
        "altersaufbau",
        kind="pyramid",
        second=tuple(zip(bands, map(float, women), strict=True)),
        legend=("Männer", "Frauen"),
    )


def sample_document(lang: str = "de", measures: int = 3, charts: int = 2, pyramid: bool = False) -> Document:
    """A strategy document with every kind of block; user text holds markup characters that must stay text.

    ``pyramid`` adds :func:`age_pyramid` after the series charts.
    """
    plan = Table(
        header=PLAN_HEADER,
        rows=tuple(measure_row(n) for n in range(measures)),
        caption="Werkstattplan",
        numeric=(),
    )
    swot = Table(
        header=(),
        rows=(
            (Cell("Stärken", ("aktives Vereinsleben", "gute Schulen")), Cell("Schwächen", ("wenig Ärzte",))),
            (Cell("Chancen", ("Zuzug junger Familien",)), Cell("Risiken", ("Schließung der Praxis 2027",))),
        ),
        caption="SWOT-Analyse",
        grid=True,
    )
    series = [
        Chart(
            "Einwohnerinnen und Einwohner",
            (("2020", 18432.0), ("2022", 18300.0), ("2024", 18100.0)),
            "Personen",
            "Einwohnerinnen und Einwohner: 2020: 18.432; 2022: 18.300; 2024: 18.100",
            f"chart-{i + 1}",
        )
        for i in range(charts)
    ] + ([age_pyramid()] if pyramid else [])
    money = Table(
        header=("Jahr", "Betrag"),
        rows=(("2027", "135.500 €"), ("2028", "150.000 €")),
        caption="Budget je Jahr",
        total=("Summe", "285.500 €"),
        numeric=(1,),
    )
    return Document(
        kind="strategy",
        lang=lang,
        title="Demografiestrategie",
        subtitle="Amt Süderbrarup",
        cover=(("Stand", "7. Dezember 2026"), ("Beschlüsse", "Kick-Off beschlossen am 1. Dezember 2026")),
        sections=(
            Section(
                "1. Kick-Off",
                (
                    Text("Koordination: Frau Meier"),
                    Items(("Bürgermeister", "Seniorenbeirat")),
                    Text("Beschlossen von Anna am 1. Dezember 2026", "note"),
                ),
            ),
            Section("2. Kommunalprofil", (swot, *series), state="unvollständig"),
            Section("3. Zukunftswerkstatt", (), state="noch nicht begonnen"),
            Section("4. Werkstattplan", (plan, Text("Finanzielle Auswirkungen", "strong"), money)),
            Section("Mitwirkende", (Items(("Anna (Koordination)", "ehemaliges Mitglied")),), level=2),
        ),
        fields={
            "title": "Demografiestrategie",
            "subtitle": "Amt Süderbrarup",
            "municipality": "Amt Süderbrarup",
            "date": "7. Dezember 2026",
            "approval": "Kick-Off beschlossen",
            "version": "2026.12",
            "kind": "Strategiedokument",
        },
        labels={"contents": "Inhalt", "page": "Seite", "chart": "Diagramm"},
    )
