"""How a profile reads in chat, in a document table, in charts and in the Kommunalprofil's indicator rows, in
German, French and English; the values are the hand-computed ones of test_indicators.py."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from flows.conversation.documents.series import number, year
from flows.messages import Bullets, Heading, Paragraph
from flows.reading import read_number
from flows.statistics.indicators import Profile, compute
from flows.statistics.model import Place
from flows.statistics.presenting import (
    ALT_LIMIT,
    blocks,
    charts,
    definitions,
    latest,
    notes,
    records,
    region_name,
    table,
    tables_of,
    unit,
)
from tests.flows.statistics.grabow import (
    GRABOW,
    KREIS,
    LAND,
    MEN,
    WOMEN,
    bands,
    figure,
    grabow,
    kreis,
    land,
    single_years,
)

NBSP, NNBSP, MINUS = "\u00a0", "\u202f", "\u2212"


def profile_of_grabow() -> Profile:
    found = compute(GRABOW, grabow() + kreis() + land(), kreis=KREIS, land=LAND)
    assert found is not None
    return found


def texts(t, profile: Profile) -> list[str]:
    """Every text a reader sees: chat blocks, the table, charts, records, definitions and notes."""
    found = [b.text for b in blocks(t, profile) if isinstance(b, Heading | Paragraph | Bullets)]
    document = table(t, profile)
    found += [*document.header, document.caption, *(str(c) for row in document.rows for c in row)]
    found += [text for c in charts(t, profile) for text in (c.title, c.alt, c.unit, *c.legend)]
    found += [value for row in records(t, profile) for value in row.values()]
    return found + definitions(t, profile) + notes(t, profile)


def test_the_chat_shows_each_indicator_in_a_few_short_lines_with_the_comparison(content):
    t = content.catalogues.translator("de")
    found = blocks(t, profile_of_grabow())
    assert found[0] == Heading("Kennzahlen: Grabow (amtliche Statistik)")
    paragraphs = [b.text for b in found if isinstance(b, Paragraph)]
    # (5122 / 5300 − 1) × 100 = −3.36; Kreis (211500 / 212000 − 1) × 100 = −0.24; Land (1577000 / 1608138 − 1) = −1.94
    assert (
        f"Bevölkerungsentwicklung 2019–2023: {MINUS}3,4{NBSP}%\n"
        f"Landkreis Ludwigslust-Parchim: {MINUS}0,2{NBSP}%\n"
        f"Mecklenburg-Vorpommern: {MINUS}1,9{NBSP}%"
    ) in paragraphs
    # (30 − 80) / 5122 × 1000 = −9.76; Kreis (1500 − 2600) / 211500 × 1000 = −5.20; the Land has no births
    assert (
        f"Natürlicher Saldo 2023: {MINUS}9,8 je 1.000 Einw.\nLandkreis Ludwigslust-Parchim: {MINUS}5,2 je 1.000 Einw."
    ) in paragraphs
    assert "Altenquotient 31.12.2023: 42,6 je 100\nLandkreis Ludwigslust-Parchim: 50,4 je 100" in paragraphs
    assert (
        "Bevölkerung 31.12.2023: 5.122\nLandkreis Ludwigslust-Parchim: 211.500\nMecklenburg-Vorpommern: 1.577.000"
        in (paragraphs)
    )
    # a phone: one line per region, none wider than a phone's message bubble comfortably holds
    assert all(len(p.split("\n")) <= 3 and max(map(len, p.split("\n"))) <= 60 for p in paragraphs)
    bullets = [item for b in found if isinstance(b, Bullets) for item in b.items]
    assert "Altenquotient: Personen ab 65 je 100 Personen von 20 bis 64 Jahren." in bullets
    assert "Jugendquotient: Personen unter 20 je 100 Personen von 20 bis 64 Jahren." in bullets


def test_the_document_table_has_a_column_per_region_and_the_numbers_right(content):
    t = content.catalogues.translator("de")
    document = table(t, profile_of_grabow())
    assert document.header == ("Kennzahl", "Grabow", "Landkreis Ludwigslust-Parchim", "Mecklenburg-Vorpommern", "Stand")
    assert document.numeric == (1, 2, 3)
    rows = {row[0]: row[1:] for row in document.rows}
    assert rows["Altenquotient (je 100 Personen von 20–64)"] == ("42,6", "50,4", "–", "31.12.2023")
    assert rows["Bevölkerungsentwicklung (in %)"] == (f"{MINUS}3,4", f"{MINUS}0,2", f"{MINUS}1,9", "2019–2023")
    assert rows["Wanderungssaldo (je 1.000 Einw.)"] == ("+6,2", "–", "–", "2023")
    # the cells read back as numbers: youth ratio 872 / 2980 × 100 = 29.26; Kreis 34000 / 118000 × 100 = 28.81
    youth = rows["Jugendquotient (je 100 Personen von 20–64)"]
    assert float(read_number(youth[0]) or 0) == pytest.approx(29.26, abs=0.05)
    assert float(read_number(youth[1]) or 0) == pytest.approx(28.81, abs=0.05)
    assert not any("80" in label for label in rows)  # 80+ is not available from these groups


def test_a_comparison_of_another_year_says_its_date(content):
    t = content.catalogues.translator("de")
    older = [figure(LAND.key, "population", 2022, n, ages=a) for a, n in {(0, 20): 270000, (20, 65): 900000}.items()]
    older.append(figure(LAND.key, "population", 2022, 420000, ages=(65, None)))
    found = compute(GRABOW, grabow() + older, kreis=KREIS, land=LAND)
    assert found is not None
    # Land 2022: 420000 / 900000 × 100 = 46.67
    rows = {row[0]: row[1:] for row in table(t, found).rows}
    assert rows["Altenquotient (je 100 Personen von 20–64)"] == ("42,6", "46,7 (31.12.2022)", "31.12.2023")
    [row] = [r for r in records(t, found) if r["indicator"] == "old_age_ratio"]
    assert row["comparison"] == "Mecklenburg-Vorpommern (31.12.2022): 46,7"


def test_the_charts_are_the_population_series_and_the_pyramid_with_every_value_in_their_text(content):
    t = content.catalogues.translator("de")
    series, pyramid = charts(t, profile_of_grabow())
    assert series.kind == "series" and series.title == "Bevölkerung Grabow 2019–2023"
    assert series.points == (("2019", 5300.0), ("2020", 5251.0), ("2021", 5200.0), ("2022", 5160.0), ("2023", 5122.0))
    assert series.alt == "Bevölkerung Grabow 2019–2023: 2019: 5.300; 2020: 5.251; 2021: 5.200; 2022: 5.160; 2023: 5.122"
    assert pyramid.kind == "pyramid" and pyramid.legend == ("Männer", "Frauen")
    assert pyramid.title == "Altersaufbau Grabow, 31.12.2023"
    assert [label for label, _ in pyramid.points] == [label for label, _ in pyramid.second]
    assert pyramid.points[0] == ("0–2", 60.0) and pyramid.second[-1] == ("75+", 320.0)
    assert [v for _, v in pyramid.points] == [float(n) for n in MEN]
    assert [v for _, v in pyramid.second] == [float(n) for n in WOMEN]
    for label, men, women in zip(("0–2", "20–24", "75+"), (60, 110, 200), (57, 100, 320), strict=True):
        assert f"{label}: {men} Männer, {women} Frauen" in pyramid.alt
    assert all(len(c.alt) <= ALT_LIMIT for c in (series, pyramid))


def test_a_long_series_keeps_its_text_within_a_caption(content):
    t = content.catalogues.translator("fr")
    found = compute(GRABOW, [figure(GRABOW.key, "population", y, 1_000_000 + y) for y in range(1950, 2024)])
    assert found is not None
    [series] = charts(t, found)
    assert len(series.points) == 74 and len(series.alt) <= ALT_LIMIT and series.alt.endswith("…")
    assert f"1950{NBSP}: 1{NNBSP}001{NNBSP}950" in series.alt


def test_records_fill_the_indicator_step_with_option_ids_values_and_comparisons(content):
    t = content.catalogues.translator("de")
    options = {o.id for f in content.step("kp_indicators").fields if f.id == "indicator" for o in f.options}
    rows = records(t, profile_of_grabow())
    assert {r["indicator"] for r in rows} <= options and all(r["source"] == "official" for r in rows)
    by_id = {r["indicator"]: r for r in rows}
    assert by_id["change"] == {
        "indicator": "change",
        "value": f"{MINUS}3,4{NBSP}%",
        "year": "2019–2023",
        "comparison": f"Landkreis Ludwigslust-Parchim: {MINUS}0,2; Mecklenburg-Vorpommern: {MINUS}1,9",
        "source": "official",
    }
    assert by_id["population"]["value"] == "5.122" and by_id["population"]["year"] == "31.12.2023"
    # 520 / 5122 × 100 = 10.15; no 80+ row from a table whose top group is 75+, no median without single years
    assert by_id["old_share_75"]["value"] == f"10,2{NBSP}%"
    assert "very_old_share" not in by_id and "median_age" not in by_id
    assert "comparison" not in by_id["migration_balance"]  # neither Kreis nor Land has moves
    # the step's own chart reading takes the numbers and years back as written
    assert number(by_id["natural_balance"]["value"]) == pytest.approx(-9.8) and year(by_id["change"]["year"]) == 2023


def test_an_indicators_latest_value_is_dated_as_a_date_answer_with_its_unit_and_tables(content):
    t = content.catalogues.translator("de")
    profile = profile_of_grabow()
    assert latest(profile, "population") == (5122.0, "2023-12-31")  # the Stichtag
    value, dated = latest(profile, "natural_balance") or (None, None)
    assert value == pytest.approx(-9.76, abs=0.01) and dated == "2023"  # the year's births and deaths
    assert latest(profile, "change") == (pytest.approx(-3.36, abs=0.01), "2023")
    assert latest(profile, "share_80") is None  # not available: no value to start from
    assert (unit(t, "population"), unit(t, "share_75")) == ("Einwohner", "in %")
    assert tables_of(profile, "population") == ("12411-02-03-5", "12411-03-03-4")
    assert tables_of(profile, "natural_balance") == tuple(c for c in profile.tables if c[:5] in ("12612", "12613"))
    assert tables_of(replace(profile, tables=("RP-2021",)), "population") == ("RP-2021",)  # codes that do not tell


def test_records_with_single_years_carry_80_plus_and_the_median_age(content):
    t = content.catalogues.translator("en")
    place = Place("de", "13076999", "gemeinde", "Einzeljahr")
    found = compute(place, single_years(place.key, 2023))
    assert found is not None
    by_id = {r["indicator"]: r for r in records(t, found)}
    # 206 / 1006 × 100 = 20.48; median 55 + (503 − 500) / 12 = 55.25
    assert by_id["very_old_share"]["value"] == "20.5%" and by_id["median_age"]["value"] == "55.2 years"
    assert "Median age: half the population is younger, half older." in definitions(t, found)[-1]


def test_notes_name_the_census_break_what_is_missing_the_source_and_the_licence(content):
    t = content.catalogues.translator("de")
    found = notes(t, profile_of_grabow())
    assert found[0].startswith("Die Reihe reicht über den Zensus 2022: ")
    assert any(
        n.startswith("Anteil 80 Jahre und älter: Die oberste Altersgruppe der Daten ist „75 Jahre") for n in found
    )
    assert (
        "Quelle: Statistische Ämter des Bundes und der Länder, Regionaldatenbank Deutschland, Tabellen 12411-02-03-5, "
        "12411-03-03-4, 12612-01-01-4, 12612-01-01-5, 12613-01-01-4, 12613-01-01-5, 12711-01-01-5, Stichtag 31.12.2023."
    ) in found
    assert found[-1] == "Lizenz: Datenlizenz Deutschland – Namensnennung – Version 2.0 (dl-de/by-2-0)."
    early = compute(GRABOW, [figure(GRABOW.key, "population", y, 5000 - y) for y in (2010, 2011, 2012)])
    assert early is not None and notes(t, early)[0].startswith("Die Reihe reicht über den Zensus 2011: ")


def test_register_notes_name_the_register_and_no_licence(content):
    t = content.catalogues.translator("de")
    register = [figure(GRABOW.key, "population", 2023, 5230, source="register", table="register")]
    found = compute(GRABOW, grabow() + register, source="register", kreis=KREIS)
    assert found is not None
    written = notes(t, found)
    assert "Quelle: Melderegister der Gemeinde, Stichtag 31.12.2023." in written
    assert not any("Datenlizenz" in n for n in written)
    assert any("amtlichen Zahlen werden getrennt geführt" in n for n in written)
    assert any(n.startswith("Für Landkreis Ludwigslust-Parchim enthalten die Daten keine Zahlen") for n in written)
    assert blocks(t, found)[0] == Heading("Kennzahlen: Grabow (Melderegister der Gemeinde)")


def test_a_french_commune_reads_without_a_german_category(content):
    commune = Place("fr", "01004", "commune", "Ambérieu-en-Bugey", kreis="01", land="84", kind="COM")
    departement = Place("fr", "01", "departement", "Ain", land="84")
    region = Place("fr", "84", "region", "Auvergne-Rhône-Alpes")
    figures = [
        figure(departement.key, "population", y, n, country="fr", table="") for y, n in ((2018, 650000), (2023, 660000))
    ]
    # the commune: 5050 in 2018, the 17 groups (5122 together) in 2023: (5122 / 5050 − 1) × 100 = +1.43 %
    figures.append(figure(commune.key, "population", 2018, 5050, country="fr", table=""))
    figures += [replace(f, country="fr") for f in bands(commune.key, 2023, MEN, WOMEN)]
    found = compute(commune, figures, kreis=departement, land=region)
    assert found is not None
    t = content.catalogues.translator("fr")
    written = texts(t, found)
    assert all(written)
    german = re.compile(r"Kreis|Landkreis|\bLand\b|Länder|Gemeinde|Zensus")
    assert [text for text in written if german.search(text)] == []
    assert table(t, found).header == ("Indicateur", "Ambérieu-en-Bugey", "Ain", "Date de référence")
    assert f"Évolution de la population 2018–2023{NBSP}: +1,4{NNBSP}%\nAin{NBSP}: +1,5{NNBSP}%" in written
    assert f"Population 31 déc. 2023{NBSP}: 5{NNBSP}122\nAin{NBSP}: 660{NNBSP}000" in written


@pytest.mark.parametrize("part", [blocks, table, charts, records, definitions, notes])
def test_the_texts_are_in_german_french_and_english(content, part):
    rendered = {
        lang: repr(part(content.catalogues.translator(lang), profile_of_grabow())) for lang in ("de", "fr", "en")
    }
    assert all(len(text) > 20 for text in rendered.values())
    assert len(set(rendered.values())) == 3


def test_each_language_writes_a_percentage_its_way(content):
    written = {
        lang: records(content.catalogues.translator(lang), profile_of_grabow())[1]["value"]
        for lang in "de fr en".split()
    }
    assert written == {"de": f"{MINUS}3,4{NBSP}%", "fr": f"{MINUS}3,4{NNBSP}%", "en": f"{MINUS}3.4%"}


@pytest.mark.parametrize(
    ("place", "name"),
    [
        (KREIS, "Landkreis Ludwigslust-Parchim"),
        (Place("de", "13003", "kreis", "Rostock, Kreisfreie Stadt", kind="41"), "Kreisfreie Stadt Rostock"),
        (Place("de", "01051", "kreis", "Dithmarschen", kind="43"), "Kreis Dithmarschen"),
        (
            Place("de", "13071", "kreis", "Landkreis Mecklenburgische Seenplatte", kind="44"),
            "Landkreis Mecklenburgische Seenplatte",
        ),
        (GRABOW, "Grabow"),
        (LAND, "Mecklenburg-Vorpommern"),
        (Place("fr", "2A", "departement", "Corse-du-Sud"), "Corse-du-Sud"),
    ],
)
def test_regions_are_named_as_their_directory_writes_them(place: Place, name: str):
    assert region_name(place) == name
