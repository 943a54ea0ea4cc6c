"""What Grabow's statistics look like in every channel, from the fixtures in tests/fixtures/statistics (FICTIONAL
values in the Regionaldatenbank's layouts; the arithmetic is in EXPECTED.md there): the lines of the reply, the
charts' text alternatives and the ODT's indicator table, all in German number format."""

from __future__ import annotations

import io

from odfdo import Document as Odt

from bot.app.directory import store_places
from flows.statistics.directory import read_gv100ad
from storage.store import Store
from tests.conftest import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "statistics"
DIRECTORY = FIXTURES / "gv100ad.txt"
POPULATION = "12411-02-03-5-long.csv"
"""Population by sex and 17 age groups of Grabow, its Kreis and its Land, 31.12.2019–2023 (ISO-8859-1, long)."""
EVENTS = ("12612-01-01-5-births.csv", "12613-01-01-5-deaths.csv", "12711-01-03-5-moves.csv")
"""Births, deaths and moves of the same regions and years: the natural and the migration balance."""
FILES = (POPULATION, *EVENTS)

KREIS = "Landkreis Ludwigslust-Parchim"
LAND = "Mecklenburg-Vorpommern"
REPLY = (
    "Bevölkerung 31.12.2023: 5.800",  # 920 + 3,000 + 1,000 + 880
    f"{KREIS}: 211.200",
    f"{LAND}: 1.602.000",
    "Bevölkerungsentwicklung 2019–2023: −3,3 %",  # (5,800 − 6,000) / 6,000 × 100 = −3.33
    "Jugendquotient 31.12.2023: 30,7 je 100",  # 920 / 3,000 × 100 = 30.67
    "Altenquotient 31.12.2023: 62,7 je 100",  # (1,000 + 880) / 3,000 × 100 = 62.67
    "Anteil 75 Jahre und älter 31.12.2023: 15,2 %",  # 880 / 5,800 × 100 = 15.17
)
"""Lines of the reply to the population file (spaces made plain: see ``plain``)."""
BALANCES = (
    "Natürlicher Saldo 2023: −10,3 je 1.000 Einw.",  # (35 − 95) / 5,800 × 1,000 = −10.34
    "Wanderungssaldo 2023: +1,7 je 1.000 Einw.",  # (330 − 320) / 5,800 × 1,000 = 1.72
)
"""Lines the reply adds once births, deaths and moves are in."""

POPULATION_ALT = "Bevölkerung Grabow 2019–2023: 2019: 6.000; 2020: 5.950; 2021: 5.900; 2022: 5.850; 2023: 5.800"
PYRAMID = (
    ("0–2", 69, 69),
    ("3–5", 69, 69),
    ("6–9", 92, 92),
    ("10–14", 115, 115),
    ("15–17", 69, 69),
    ("18–19", 46, 46),
    ("20–24", 120, 120),
    ("25–29", 135, 135),
    ("30–34", 150, 150),
    ("35–39", 165, 165),
    ("40–44", 180, 180),
    ("45–49", 195, 195),
    ("50–54", 195, 195),
    ("55–59", 180, 180),
    ("60–64", 180, 180),
    ("65–74", 450, 550),
    ("75+", 308, 572),
)
"""Grabow's age pyramid on 31.12.2023: (age group, men, women), as in EXPECTED.md."""
PYRAMID_ALT = "Altersaufbau Grabow, 31.12.2023: " + "; ".join(f"{g}: {m} Männer, {w} Frauen" for g, m, w in PYRAMID)

TABLE = [
    ["Kennzahl", "Grabow", KREIS, LAND, "Stand"],
    ["Bevölkerung", "5.800", "211.200", "1.602.000", "31.12.2023"],
    # (last − first) / first × 100: Grabow −200 / 6,000; Kreis −800 / 212,000; Land −8,000 / 1,610,000
    ["Bevölkerungsentwicklung (in %)", "−3,3", "−0,4", "−0,5", "2019–2023"],
    # (births − deaths) / population × 1,000: −60 / 5,800; −1,300 / 211,200; −11,500 / 1,602,000
    ["Natürlicher Saldo (je 1.000 Einw.)", "−10,3", "−6,2", "−7,2", "2023"],
    # (in − out) / population × 1,000: 10 / 5,800; 1,100 / 211,200; 9,500 / 1,602,000
    ["Wanderungssaldo (je 1.000 Einw.)", "+1,7", "+5,2", "+5,9", "2023"],
    # under 20 / 20–64 × 100: 920 / 3,000; 35,200 / 116,000; 272,000 / 928,000
    ["Jugendquotient (je 100 Personen von 20–64)", "30,7", "30,3", "29,3", "31.12.2023"],
    # 65+ / 20–64 × 100: 1,880 / 3,000; 60,000 / 116,000; 402,000 / 928,000
    ["Altenquotient (je 100 Personen von 20–64)", "62,7", "51,7", "43,3", "31.12.2023"],
    # 75+ / population × 100: 880 / 5,800; 27,600 / 211,200; 186,000 / 1,602,000
    ["Anteil 75 Jahre und älter (in %)", "15,2", "13,1", "11,6", "31.12.2023"],
]
"""The official indicator table of the strategy document: Grabow beside its Kreis and its Land."""


def plain(text: str) -> str:
    """The text with its no-break spaces (before % and units, in French punctuation) as plain spaces."""
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def indicator_table(odt: bytes) -> list[list[str]]:
    """The table of the ODT (parsed with odfdo) whose header row starts with "Kennzahl" and names Grabow."""
    tables = [t.get_values() for t in Odt(io.BytesIO(odt)).body.get_tables()]
    found = [rows for rows in tables if rows and rows[0][:2] == ["Kennzahl", "Grabow"]]
    assert len(found) == 1, f"{len(found)} indicator tables in {[rows[0] for rows in tables if rows]}"
    return [[str(cell) for cell in row] for row in found[0]]


async def import_directory(database_url: str) -> None:
    """The municipality directory (gv100ad.txt) in the bot's database, as `daks data import gv100ad` stores it."""
    store = await Store.open(database_url)
    try:
        places = read_gv100ad(DIRECTORY.read_bytes())
        await store.run(lambda unit: store_places(unit, places))
    finally:
        await store.close()
