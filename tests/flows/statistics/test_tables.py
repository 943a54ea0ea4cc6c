"""Reading Regionaldatenbank / GENESIS-Online files: every layout gives the same figures, bad files are rejected
with every problem named where it is."""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from pathlib import Path

import pytest

from flows.statistics import cells, draft, tables
from flows.statistics.model import Figure, Rejected, Sheet
from flows.statistics.tables import looks_like_statistics, read_table
from tests.fixtures.statistics import regionalstatistik as rs

FIXTURES = Path(rs.__file__).parent
GRABOW, KREIS, LAND = rs.GRABOW, rs.KREIS, rs.LAND
POPULATION_FILES = (
    "12411-02-03-5-long.csv",
    "12411-02-03-5-wide.csv",
    "12411-02-03-5_flat.csv",
    "12411-02-03-5_flat2020.csv",
)


def read(name: str) -> Sheet:
    return read_table((FIXTURES / name).read_bytes(), name)


def rejected(data: bytes, file_name: str = "") -> list[tuple[str, dict[str, str], int | None, int | None]]:
    with pytest.raises(Rejected) as caught:
        read_table(data, file_name)
    return [(p.message, dict(p.params), p.line, p.column) for p in caught.value.problems]


def value(
    sheet: Sheet, region: str, year: int, sex: str = "", band: tuple[int, int | None] | None = None
) -> int | None:
    start, end = band or (None, None)
    (found,) = [
        f.value
        for f in sheet.figures
        if (f.region, f.stichtag, f.sex, f.age_from, f.age_to) == (region, date(year, 12, 31), sex, start, end)
        and f.measure == "population"
    ]
    return found


def expected_tables() -> dict[str, dict[int, list[int]]]:
    """The group totals and events EXPECTED.md states per region and year (its first table per region)."""
    found: dict[str, dict[int, list[int]]] = {}
    region = ""
    for line in (FIXTURES / "EXPECTED.md").read_text(encoding="utf-8").splitlines():
        if heading := re.match(r"## (\d+) ", line):
            region = heading[1]
        elif (
            region
            and (row := re.match(r"\| (\d{4}) \| ([\d,]+) \|", line))
            and int(row[1]) not in found.get(region, {})
        ):
            numbers = [int(cell.replace(",", "")) for cell in line.strip("| ").split(" | ")[1:]]
            found.setdefault(region, {})[int(row[1])] = numbers
    return found


# --- one set of figures, whatever the layout ----------------------------------------------------------------


def test_every_layout_gives_the_same_figures() -> None:
    sheets = {name: read(name) for name in POPULATION_FILES}
    first = set(sheets[POPULATION_FILES[0]].figures)
    assert len(first) == 3 * 5 * 18 * 3  # regions × years × (17 bands + all ages) × (both, men, women)
    for name, sheet in sheets.items():
        assert set(sheet.figures) == first, name
        assert sheet.table == "12411-02-03-5" and sheet.source == "official"
        assert sheet.regions == {
            LAND: "Mecklenburg-Vorpommern",
            KREIS: "Ludwigslust-Parchim, Landkreis",
            GRABOW: "Grabow, Stadt",
        }
    assert {name: sheet.layout for name, sheet in sheets.items()} == dict(
        zip(POPULATION_FILES, ("long", "wide", "flat", "flat"), strict=True)
    )
    assert {f.table for f in first} == {"12411-02-03-5"} and {f.source for f in first} == {"official"}


def test_the_figures_are_those_expected_md_computes_with() -> None:
    sheet = read("12411-02-03-5-long.csv")
    for region, years in expected_tables().items():
        for year, (young, working, older, oldest, population, *_) in years.items():
            bands = {
                (f.age_from, f.age_to): f.value
                for f in sheet.figures
                if f.region == region and f.sex == "" and f.stichtag.year == year
            }
            assert bands[(None, None)] == population == young + working + older + oldest
            assert (
                sum(v for (start, end), v in bands.items() if start is not None and end is not None and end <= 20)
                == young
            )
            assert sum(v for (start, end), v in bands.items() if start is not None and 20 <= start < 65) == working
            assert bands[(65, 75)] == older and bands[(75, None)] == oldest
            men, women = value(sheet, region, year, "m"), value(sheet, region, year, "f")
            assert men is not None and women is not None and men + women == population


@pytest.mark.parametrize(
    ("name", "measures", "column"),
    [
        ("12612-01-01-5-births.csv", ("births",), 6),
        ("12613-01-01-5-deaths.csv", ("deaths",), 7),
        ("12711-01-03-5-moves.csv", ("moves_in", "moves_out"), 8),
    ],
)
def test_births_deaths_and_moves_are_the_years_events(name: str, measures: tuple[str, ...], column: int) -> None:
    sheet = read(name)
    assert sheet.table == name[:13] and sheet.layout == "wide"
    assert sheet.stichtage == tuple(date(year, 12, 31) for year in rs.YEARS)
    for region, years in expected_tables().items():
        for year, numbers in years.items():
            for i, measure in enumerate(measures):
                got = {
                    f.sex: f.value
                    for f in sheet.figures
                    if (f.region, f.measure, f.stichtag.year) == (region, measure, year)
                }
                assert got[""] == numbers[column - 1 + i] == got["m"] + got["f"]


def test_reading_twice_gives_equal_sheets() -> None:
    data = (FIXTURES / "12411-02-03-5-long.csv").read_bytes()
    assert read_table(data, "a.csv") == read_table(data, "a.csv")


# --- encodings, header, footer ---------------------------------------------------------------------------------

UMLAUTS = {**rs.REGIONS, GRABOW: "Grabow, Stadt „Übungsgemeinde“ – Süd"}


@pytest.mark.parametrize(
    ("encoding", "named"),
    [("iso-8859-1", "iso-8859-1"), ("windows-1252", "windows-1252"), ("utf-8", "utf-8"), ("utf-8-sig", "utf-8")],
)
def test_the_encoding_is_found_by_the_bytes(encoding: str, named: str) -> None:
    regions = UMLAUTS if encoding != "iso-8859-1" else {**rs.REGIONS, GRABOW: "Grabow, Übungsstadt"}
    sheet = read_table(rs.long_csv(rs.population(regions=regions), encoding))
    assert sheet.encoding == named
    assert sheet.regions[GRABOW] == regions[GRABOW]
    assert value(sheet, GRABOW, 2023, "f") == rs.people(rs.GROUPS[GRABOW][2023], "f", None)  # "weiblich" read


def test_an_iso_file_read_as_it_is_keeps_its_umlauts() -> None:
    data = (FIXTURES / "12411-02-03-5-long.csv").read_bytes()
    assert "männlich".encode("iso-8859-1") in data and "männlich".encode() not in data
    sheet = read_table(data)
    assert sheet.encoding == "iso-8859-1" and {f.sex for f in sheet.figures} == {"", "m", "f"}


@pytest.mark.parametrize("lines", [5, 10])
def test_the_header_is_found_after_any_number_of_title_lines(lines: int) -> None:
    title = [*rs.POPULATION_TITLE[:4], *(f"Anmerkung {n}" for n in range(lines - 4))][:lines]
    data = rs.long_csv(rs.population(title=title))
    header = [i for i, row in enumerate(data.decode("iso-8859-1").splitlines()) if row.startswith(";;;;")]
    assert header[0] == lines  # the header's first line follows the title lines
    assert read_table(data) == read("12411-02-03-5-long.csv")


def test_nothing_after_the_footer_line_is_read() -> None:
    footer = ["__________", "31.12.2023;13076052;Grabow, Stadt;Insgesamt;1;1;1", '"Fußnote; offen', "(C)opyright ..."]
    assert read_table(rs.long_csv(rs.population(footer=footer))) == read("12411-02-03-5-long.csv")


def test_the_table_code_comes_from_the_title_or_else_the_file_name() -> None:
    title = ["Bevölkerung nach Geschlecht und Altersgruppen (17)", "Bevölkerungsstand (Anzahl)"]
    data = rs.long_csv(rs.population(title=title))
    assert read_table(data, "12411-02-03-5_2023.csv").table == "12411-02-03-5"
    assert (tables.NO_CODE, {}, None, None) in rejected(data, "Bevoelkerung.csv")
    genesis = rs.long_csv(rs.population(title=["GENESIS-Tabelle: 12411-02-03-5", *title]))
    assert read_table(genesis, "download.csv").table == "12411-02-03-5"


# --- special values ---------------------------------------------------------------------------------------------


def test_a_region_of_only_dashes_has_no_data_never_zero() -> None:
    sheet = read("12411-02-03-5-no-data.csv")
    grabow = [f for f in sheet.figures if f.region == GRABOW]
    assert len(grabow) == 5 * 18 * 3 and {f.value for f in grabow} == {None}
    assert value(sheet, KREIS, 2023) == 211200
    assert (FIXTURES / "12411-02-03-5-no-data.csv").read_bytes().count(b";-;-;-") == 5 * 18


def test_a_single_dash_among_numbers_is_zero() -> None:
    table = rs.population()
    table.value = lambda key, year, m, sex, band: (
        "-" if (key, year, sex, band) == (GRABOW, 2023, "f", (0, 3)) else rs.people(rs.GROUPS[key][year], sex, band)
    )
    sheet = read_table(rs.long_csv(table))
    assert value(sheet, GRABOW, 2023, "f", (0, 3)) == 0
    assert value(sheet, GRABOW, 2023, "m", (0, 3)) == 69


@pytest.mark.parametrize("special", [".", "...", "x", "/", ""])
def test_unknown_locked_and_unreliable_values_are_none(special: str) -> None:
    table = rs.population()
    table.value = lambda key, year, m, sex, band: (
        special if (key, band) == (GRABOW, (75, None)) else rs.people(rs.GROUPS[key][year], sex, band)
    )
    sheet = read_table(rs.wide_csv(table))
    assert {value(sheet, GRABOW, y, s, (75, None)) for y in rs.YEARS for s in rs.SEXES} == {None}
    assert value(sheet, GRABOW, 2023, "", (65, 75)) == 1000


def test_thousands_separators_are_read() -> None:
    table = rs.population()
    table.value = lambda key, year, m, sex, band: f"{rs.people(rs.GROUPS[key][year], sex, band):,}".replace(",", ".")
    assert set(read_table(rs.long_csv(table)).figures) == set(read("12411-02-03-5-long.csv").figures)


# --- what is wrong, and where -------------------------------------------------------------------------------------


def where(data: bytes, text: str, encoding: str = "iso-8859-1") -> tuple[int, int]:
    """Line and column of ``text`` in a CSV file, as the csv module (not our reader) finds them."""
    reader = csv.reader(io.StringIO(data.decode(encoding), newline=""), delimiter=";")
    for row in reader:
        if text in row:
            return reader.line_num, row.index(text) + 1
    raise AssertionError(text)


def test_a_broken_number_is_named_with_its_line_and_column() -> None:
    table = rs.population()
    table.value = lambda key, year, m, sex, band: (
        "12a4" if (key, year, sex, band) == (KREIS, 2021, "m", (40, 45)) else rs.people(rs.GROUPS[key][year], sex, band)
    )
    data = rs.long_csv(table)
    line, column = where(data, "12a4")
    assert column == 6  # Stichtag, key, name, age group, Insgesamt, männlich
    assert rejected(data) == [(cells.NOT_A_NUMBER, {"value": "12a4"}, line, column)]


def test_a_count_with_decimals_or_a_sign_is_not_a_count() -> None:
    table = rs.population()
    broken = {(GRABOW, 2020, "", (3, 6)): "4,5", (GRABOW, 2020, "m", (3, 6)): "-3"}
    table.value = lambda key, year, m, sex, band: (
        broken.get((key, year, sex, band)) or rs.people(rs.GROUPS[key][year], sex, band)
    )
    problems = rejected(rs.long_csv(table))
    assert [(p[0], p[1]) for p in problems] == [
        (cells.NOT_A_COUNT, {"value": "4,5"}),
        (cells.NOT_A_COUNT, {"value": "-3"}),
    ]


def test_a_missing_age_group_is_named() -> None:
    assert rejected((FIXTURES / "12411-02-03-5-age-missing.csv").read_bytes()) == [
        (
            draft.AGE_MISSING,
            {"group": "40 bis unter 45 Jahre", "region": GRABOW, "name": "Grabow, Stadt", "stichtag": "31.12.2023"},
            None,
            None,
        )
    ]


def test_the_top_age_group_missing_everywhere_is_named() -> None:
    data = rs.wide_csv(rs.population(bands=rs.BANDS[:-1]))
    assert rejected(data) == [(draft.AGE_GAP, {"group": "75 Jahre und mehr"}, None, None)]


def test_overlapping_age_groups_are_rejected() -> None:
    table = rs.population(bands=(*rs.BANDS, (0, 18)))
    table.value = lambda key, year, m, sex, band: 1
    assert (draft.AGE_OVERLAP, {"first": "unter 3 Jahre", "second": "unter 18 Jahre"}, None, None) in rejected(
        rs.long_csv(table)
    )


def test_a_row_given_twice_is_rejected() -> None:
    text = (FIXTURES / "12411-02-03-5-long.csv").read_bytes().decode("iso-8859-1")
    row = next(line for line in text.splitlines() if line.startswith("31.12.2022;13076052;"))
    doubled = text.replace(row, f"{row}\r\n{row}")
    second = [n for n, line in enumerate(doubled.split("\r\n"), start=1) if line == row][1]
    problems = rejected(doubled.encode("iso-8859-1"))
    assert {p[0] for p in problems} == {draft.TWICE}
    assert [(p[2], p[3]) for p in problems] == [(second, column) for column in (5, 6, 7)]
    assert problems[0][1] == {"region": GRABOW, "name": "Grabow, Stadt", "stichtag": "31.12.2022"}


@pytest.mark.parametrize(
    ("bad", "message", "column"),
    [
        ("31.13.2023;13076052;Grabow, Stadt;Insgesamt;1;1;1", cells.NOT_A_DAY, 1),
        ("31.12.2023;1307605;Grabow, Stadt;Insgesamt;1;1;1", cells.NOT_A_KEY, 2),
        ("Anmerkung: vorläufige Werte;;;;;;", tables.NOT_A_ROW, 1),
        ("31.12.2023;13076052;Grabow, Stadt;Insgesamt;1", tables.SHORT_ROW, 6),
    ],
)
def test_a_line_that_is_no_row_is_named(bad: str, message: str, column: int) -> None:
    text = (FIXTURES / "12411-02-03-5-long.csv").read_bytes().decode("iso-8859-1")
    lines = text.split("\r\n")
    lines.insert(20, bad)
    problems = rejected("\r\n".join(lines).encode("iso-8859-1"))
    assert [(p[0], p[2], p[3]) for p in problems] == [(message, 21, column)]


def test_values_we_do_not_read_are_left_out_quietly() -> None:
    average = rs.Measure("Durchschnittsalter der Bevölkerung (Jahre)", "", "")
    table = rs.population(measures=[rs.POPULATION, average])
    table.value = lambda key, year, m, sex, band: "45,3" if m else rs.people(rs.GROUPS[key][year], sex, band)
    assert read_table(rs.long_csv(table)).figures == read("12411-02-03-5-long.csv").figures


def test_a_file_without_any_figure_we_read_is_rejected() -> None:
    table = rs.population(measures=[rs.Measure("Durchschnittsalter (Jahre)", "", "")])
    table.value = lambda key, year, m, sex, band: "45,3"
    assert rejected(rs.wide_csv(table)) == [(draft.NO_FIGURES, {}, None, None)]


def test_moves_across_a_kreis_border_give_way_to_moves_across_a_gemeinde_border() -> None:
    table = rs.events("moves")
    by_kreis = [
        rs.Measure("Zuzüge über die Kreisgrenzen", "", ""),
        rs.Measure("Fortzüge über die Kreisgrenzen", "", ""),
    ]
    table.measures = [*by_kreis, *table.measures]
    inner = table.value
    table.value = lambda key, year, m, sex, band: 1 if m < 2 else inner(key, year, m - 2, sex, band)
    assert set(read_table(rs.wide_csv(table)).figures) == set(read("12711-01-03-5-moves.csv").figures)
    table.measures, table.value = by_kreis, lambda key, year, m, sex, band: 7
    assert {f.value for f in read_table(rs.wide_csv(table)).figures} == {7}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", tables.EMPTY),
        (b"  \r\n", tables.EMPTY),
        (b"\x89PNG\r\n\x1a\n\x00\x00", tables.NOT_TEXT),
        (b"PK\x03\x04 an office file", tables.NOT_TEXT),
        (b"Liebe Kolleginnen,\nanbei die Zahlen.\n", tables.NOT_A_TABLE),
        ((FIXTURES / "register-grabow.csv").read_bytes(), tables.A_REGISTER),
    ],
)
def test_what_is_no_statistics_table_is_told_so(data: bytes, message: str) -> None:
    assert [p[0] for p in rejected(data)] == [message]


def test_too_many_problems_stop_the_reading() -> None:
    table = rs.population()
    table.value = lambda key, year, m, sex, band: "zwölf"
    problems = rejected(rs.long_csv(table))
    assert len(problems) == Rejected.MAX_PROBLEMS


# --- the sniff ----------------------------------------------------------------------------------------------------


DIRECTORY = ("v_commune_", "v_departement_", "v_region_")
"""The municipality directory's fixtures beside them (INSEE COG): not statistics."""


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.glob("*.csv") if not p.name.startswith(DIRECTORY)))
def test_every_fixture_looks_like_statistics(name: str) -> None:
    assert looks_like_statistics((FIXTURES / name).read_bytes(), name, "text/csv")


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.glob("*.csv") if p.name.startswith(DIRECTORY)))
def test_the_directorys_files_do_not_look_like_statistics(name: str) -> None:
    assert not looks_like_statistics((FIXTURES / name).read_bytes(), name, "text/csv")


@pytest.mark.parametrize(
    ("data", "media_type"),
    [
        (b"", "text/csv"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "image/png"),
        (b"%PDF-1.7 ...", "application/pdf"),
        ("Protokoll der Sitzung vom 12.03.2024\nTOP 1: Begrüßung\n".encode(), "text/plain"),
        (b"name,amount\nGrabow,12\n", "text/csv"),
        ((FIXTURES / "12411-02-03-5-long.csv").read_bytes(), "image/jpeg"),
    ],
)
def test_other_files_do_not_look_like_statistics(data: bytes, media_type: str) -> None:
    assert not looks_like_statistics(data, "x", media_type)


def test_a_spreadsheet_download_does_not_look_like_statistics_whatever_it_holds() -> None:
    data = (FIXTURES / "12411-02-03-5-long.csv").read_bytes()
    assert not looks_like_statistics(data, "12411-02-03-5.xlsx", "application/octet-stream")
    assert looks_like_statistics(data, "12411-02-03-5.csv", "application/octet-stream")


def test_the_stichtage_may_stand_in_the_header() -> None:
    lines = ["12411-01-01-5: Bevölkerung - Stichtag 31.12. - regionale Tiefe: Gemeinden", ";;31.12.2022;31.12.2023"]
    lines += [
        f"{key};{name};{sum(rs.GROUPS[key][2022])};{sum(rs.GROUPS[key][2023])}" for key, name in rs.REGIONS.items()
    ]
    sheet = read_table("\n".join(lines).encode(), "")
    assert (sheet.table, sheet.layout, sheet.stichtage) == (
        "12411-01-01-5",
        "wide",
        (date(2022, 12, 31), date(2023, 12, 31)),
    )
    assert value(sheet, GRABOW, 2022) == 5850 and value(sheet, LAND, 2023) == 1602000


def test_a_whole_land_reads() -> None:
    sheet = read_table(rs.land(gemeinden=120, years=(2022, 2023)))
    assert len(sheet.regions) == 1 + 2 + 120
    assert len(sheet.figures) == len(sheet.regions) * 2 * 18 * 3
    assert all(isinstance(f, Figure) and f.value is not None for f in sheet.figures)


# --- the fixtures themselves ----------------------------------------------------------------------------------------


def test_the_fixtures_are_what_their_generator_writes() -> None:
    for name, data in rs.fixtures().items():
        assert (FIXTURES / name).read_bytes() == data, (
            f"{name}: run python -m tests.fixtures.statistics.regionalstatistik"
        )


def test_the_fixtures_have_the_documented_shapes() -> None:
    """Checked with the csv module, not with our reader."""

    def parsed(name: str, encoding: str) -> list[list[str]]:
        return list(csv.reader(io.StringIO((FIXTURES / name).read_bytes().decode(encoding), newline=""), delimiter=";"))

    long = parsed("12411-02-03-5-long.csv", "iso-8859-1")
    footer = next(i for i, row in enumerate(long) if row[0].startswith("__________"))
    data = [row for row in long[:footer] if re.fullmatch(r"31\.12\.20\d\d", row[0])]
    assert len(data) == 5 * 3 * 18 and {len(row) for row in data} == {7}
    assert long[footer + 2][0].startswith("(C)opyright Statistische Ämter des Bundes und der Länder")
    wide = parsed("12411-02-03-5-wide.csv", "utf-8-sig")
    assert {len(row) for row in wide if row[0].startswith("31.12.")} == {3 + 3 * 18}
    flat2020 = list(
        csv.DictReader(io.StringIO((FIXTURES / "12411-02-03-5_flat2020.csv").read_text("utf-8")), delimiter=";")
    )
    assert len(flat2020) == 5 * 3 * 3 * 18
    assert {row["value_variable_code"] for row in flat2020} == {"BEVSTD"}
    assert {row["3_variable_attribute_code"] for row in flat2020} >= {"ALT000B03", "ALT075UM", ""}
