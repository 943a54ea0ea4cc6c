"""Figures for one Gemeinde (Grabow), its Kreis and its Land over 2019–2023, written out by hand.

The expected indicators are worked out in the tests beside them, from the numbers below.
"""

from __future__ import annotations

from datetime import date

from flows.statistics.model import Figure, Measure, Place, Sex, Source

GRABOW = Place("de", "13076052", "gemeinde", "Grabow, Stadt", kreis="13076", land="13", kind="63")
KREIS = Place("de", "13076", "kreis", "Ludwigslust-Parchim", land="13", kind="44")
LAND = Place("de", "13", "land", "Mecklenburg-Vorpommern")
OTHER = Place("de", "13076051", "gemeinde", "Goldberg, Stadt", kreis="13076", land="13")

# The 17 age groups of table 12411-02-03-5 (top group 75 and over), men and women in Grabow on 31.12.2023.
GROUPS = (
    (0, 3),
    (3, 6),
    (6, 10),
    (10, 15),
    (15, 18),
    (18, 20),
    (20, 25),
    (25, 30),
    (30, 35),
    (35, 40),
    (40, 45),
    (45, 50),
    (50, 55),
    (55, 60),
    (60, 65),
    (65, 75),
    (75, None),
)
MEN = (60, 62, 90, 120, 75, 45, 110, 120, 140, 150, 160, 180, 210, 230, 220, 350, 200)
WOMEN = (57, 58, 85, 110, 70, 40, 100, 115, 130, 140, 150, 170, 200, 225, 230, 400, 320)
# men:   under 20: 60+62+90+120+75+45 = 452; 20–64: 110+120+140+150+160+180+210+230+220 = 1520;
#        65+: 350+200 = 550; all: 452+1520+550 = 2522
# women: under 20: 57+58+85+110+70+40 = 420; 20–64: 100+115+130+140+150+170+200+225+230 = 1460;
#        65+: 400+320 = 720; all: 420+1460+720 = 2600
# both:  under 20: 872; 20–64: 2980; 65+: 1270; 75+: 200+320 = 520; all: 5122

GEMEINDE_TABLE = "12411-02-03-5"
KREIS_TABLE = "12411-03-03-4"


def day(year: int) -> date:
    return date(year, 12, 31)


def figure(
    region: str,
    measure: Measure,
    year: int,
    value: int | None,
    sex: Sex = "",
    ages: tuple[int, int | None] | None = None,
    source: Source = "official",
    table: str = GEMEINDE_TABLE,
    country: str = "de",
    ortsteil: str = "",
) -> Figure:
    return Figure(
        region=region,
        measure=measure,
        stichtag=day(year),
        value=value,
        sex=sex,
        age_from=ages[0] if ages else None,
        age_to=ages[1] if ages else None,
        source=source,
        table=table,
        country=country,  # type: ignore[arg-type]
        ortsteil=ortsteil,
    )


def bands(region: str, year: int, men: tuple[int | None, ...], women: tuple[int | None, ...]) -> list[Figure]:
    """The 17 groups of men and women (no total: the population is their sum)."""
    return [
        figure(region, "population", year, value, sex, ages)
        for sex, values in (("m", men), ("f", women))
        for ages, value in zip(GROUPS, values, strict=True)
    ]


def grabow() -> list[Figure]:
    """Grabow 2019–2023: totals 2019–2022, the 17 groups by sex in 2023; births, deaths and moves."""
    population = {2019: 5300, 2020: 5251, 2021: 5200, 2022: 5160}
    return [
        *(figure(GRABOW.key, "population", y, n) for y, n in population.items()),
        *bands(GRABOW.key, 2023, MEN, WOMEN),
        # 2021's births are "-" in the file: no data, never 0.
        *(
            figure(GRABOW.key, "births", y, n, table="12612-01-01-5")
            for y, n in {2021: None, 2022: 35, 2023: 30}.items()
        ),
        *(figure(GRABOW.key, "deaths", y, n, table="12613-01-01-5") for y, n in {2021: 70, 2022: 75, 2023: 80}.items()),
        figure(GRABOW.key, "moves_in", 2023, 260, table="12711-01-01-5"),
        figure(GRABOW.key, "moves_out", 2023, 228, table="12711-01-01-5"),
    ]


KREIS_BANDS = {(0, 6): 9000, (6, 20): 25000, (20, 65): 118000, (65, 75): 30000, (75, None): 29500}
# 9000 + 25000 + 118000 + 30000 + 29500 = 211500; under 20: 34000; 65+: 59500


def kreis() -> list[Figure]:
    """Ludwigslust-Parchim: totals 2019–2022, five age groups of both sexes in 2023, births and deaths 2023."""
    population = {2019: 212000, 2020: 211900, 2021: 211800, 2022: 211600}
    return [
        *(figure(KREIS.key, "population", y, n, table=KREIS_TABLE) for y, n in population.items()),
        *(figure(KREIS.key, "population", 2023, n, ages=a, table=KREIS_TABLE) for a, n in KREIS_BANDS.items()),
        figure(KREIS.key, "births", 2023, 1500, table="12612-01-01-4"),
        figure(KREIS.key, "deaths", 2023, 2600, table="12613-01-01-4"),
    ]


def land() -> list[Figure]:
    """Mecklenburg-Vorpommern: totals 2019 and 2023 only."""
    return [
        figure(LAND.key, "population", 2019, 1608138, table=KREIS_TABLE),
        figure(LAND.key, "population", 2023, 1577000, table=KREIS_TABLE),
    ]


def single_years(region: str, year: int, sex: Sex = "", country: str = "de") -> list[Figure]:
    """Single years of age: 8 people of each age 0–39, 12 of each age 40–89, and 86 aged 90 and over."""
    ages = [((a, a + 1), 8 if a < 40 else 12) for a in range(90)] + [((90, None), 86)]
    return [figure(region, "population", year, n, sex, band, table="single-years", country=country) for band, n in ages]
