"""The municipality's own register extract: its template, its figures (kept apart from official statistics),
headers in three languages, and what is wrong in a file, where."""

from __future__ import annotations

import csv
import io
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from flows.statistics import cells, register
from flows.statistics.model import Rejected, Sheet
from flows.statistics.register import is_register, read_register, register_template
from tests.fixtures.statistics import regionalstatistik as rs

FIXTURE = Path(rs.__file__).parent / "register-grabow.csv"
GRABOW = rs.GRABOW


def figure(sheet: Sheet, year: int, ortsteil: str = "", sex: str = "", age: int | None = None) -> int | None:
    (found,) = [
        f.value
        for f in sheet.figures
        if (f.stichtag, f.ortsteil, f.sex, f.age_from) == (date(year, 12, 31), ortsteil, sex, age)
    ]
    return found


def rows_of(data: bytes) -> list[dict[str, str]]:
    """The extract as the csv module (not our reader) reads it."""
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))


def test_the_extract_gives_totals_per_year_ortsteil_sex_and_age() -> None:
    data = FIXTURE.read_bytes()
    sheet = read_register(data, GRABOW)
    assert (sheet.table, sheet.source, sheet.layout, sheet.encoding) == ("register", "register", "register", "utf-8")
    assert sheet.regions == {GRABOW: ""}
    assert {(f.region, f.measure, f.source, f.table, f.country) for f in sheet.figures} == {
        (GRABOW, "population", "register", "register", "de")
    }
    assert sheet.stichtage == (date(2022, 12, 31), date(2023, 12, 31))
    by_year, by_ortsteil = Counter[str](), Counter[tuple[str, str]]()
    for row in rows_of(data):
        by_year[row["Jahr"]] += int(row["Anzahl"])
        by_ortsteil[(row["Jahr"], row["Ortsteil"])] += int(row["Anzahl"])
    for year in (2022, 2023):
        assert figure(sheet, year) == by_year[str(year)]
        for ortsteil in ("Kernstadt", "Fresenbrügge"):
            assert figure(sheet, year, ortsteil) == by_ortsteil[(str(year), ortsteil)]
    assert (figure(sheet, 2022), figure(sheet, 2023)) == (6567, 6477)  # EXPECTED.md


def test_divers_counts_in_the_total_only() -> None:
    sheet = read_register(FIXTURE.read_bytes(), GRABOW)
    men, women = figure(sheet, 2022, "Kernstadt", "m", 30), figure(sheet, 2022, "Kernstadt", "f", 30)
    assert (men, women) == (30, 32)
    assert figure(sheet, 2022, "Kernstadt", "", 30) == 63 == figure(sheet, 2022, "", "", 30) - 10
    assert figure(sheet, 2022, "", "m") + figure(sheet, 2022, "", "f") + 1 == figure(sheet, 2022)  # type: ignore[operator]
    assert {f.age_to for f in sheet.figures if f.age_from == 90} == {None}


def test_reading_twice_gives_equal_sheets() -> None:
    data = FIXTURE.read_bytes()
    assert read_register(data, GRABOW) == read_register(data, GRABOW)


@pytest.mark.parametrize(
    ("header", "delimiter", "encoding"),
    [
        ("Jahr;Alter;Geschlecht;Ortsteil;Anzahl", ";", "utf-8-sig"),
        ("année;âge;sexe;quartier;nombre", ";", "utf-8"),
        ("year,age,sex,Ortsteil,count", ",", "utf-8"),
        ("Anzahl\tOrtsteil\tGeschlecht\tAlter\tJahr", "\t", "iso-8859-1"),
        ("nombre;quartier;sexe;âge;année", ";", "iso-8859-1"),
    ],
)
def test_headers_in_any_language_order_and_separator(header: str, delimiter: str, encoding: str) -> None:
    columns = [FIXTURE_COLUMN[name] for name in header.split(delimiter)]
    lines = [header, *(delimiter.join(row[column] for column in columns) for row in rows_of(FIXTURE.read_bytes()))]
    data = "\r\n".join(lines).encode(encoding)
    assert is_register(data)
    assert read_register(data, GRABOW).figures == read_register(FIXTURE.read_bytes(), GRABOW).figures


FIXTURE_COLUMN = {
    "Jahr": "Jahr",
    "Alter": "Alter",
    "Geschlecht": "Geschlecht",
    "Ortsteil": "Ortsteil",
    "Anzahl": "Anzahl",
}
FIXTURE_COLUMN |= {"année": "Jahr", "âge": "Alter", "sexe": "Geschlecht", "quartier": "Ortsteil", "nombre": "Anzahl"}
FIXTURE_COLUMN |= {"year": "Jahr", "age": "Alter", "sex": "Geschlecht", "count": "Anzahl"}


def test_french_and_english_sex_letters() -> None:
    data = "année;âge;sexe;nombre\n2023;0;h;3\n2023;0;f;4\n2023;1;m;5\n2023;1;d;1\n".encode()
    sheet = read_register(data, "2A004", "fr")
    assert figure(sheet, 2023, "", "m") == 8 and figure(sheet, 2023, "", "f") == 4 and figure(sheet, 2023) == 13
    assert {f.country for f in sheet.figures} == {"fr"}


def test_rows_that_repeat_are_added_up() -> None:
    data = b"Jahr;Alter;Geschlecht;Ortsteil;Anzahl\n2023;5;w;Kernstadt;2\n2023;5;w;Kernstadt;3\n"
    assert figure(read_register(data, GRABOW), 2023, "Kernstadt", "f", 5) == 5


@pytest.mark.parametrize("lang", ["de", "fr", "en", "nl"])
def test_the_template_is_the_header_in_the_language(lang: str) -> None:
    template = register_template(lang)
    assert template.startswith(b"\xef\xbb\xbf") and template.endswith(b"\r\n")
    (header,) = list(csv.reader(io.StringIO(template.decode("utf-8-sig")), delimiter=";"))
    assert header == list(register.HEADERS.get(lang, register.HEADERS["en"]))
    assert is_register(template)
    with pytest.raises(Rejected) as caught:
        read_register(template, GRABOW)
    assert [p.message for p in caught.value.problems] == [register.NO_ROWS]
    filled = template + b"2023;90+;w;;7\r\n"
    assert figure(read_register(filled, GRABOW), 2023, "", "f", 90) == 7


@pytest.mark.parametrize(
    ("row", "message", "column", "value"),
    [
        ("20x3;5;w;Kernstadt;2", register.NOT_A_YEAR, 1, "20x3"),
        ("2023;fünf;w;Kernstadt;2", register.NOT_AN_AGE, 2, "fünf"),
        ("2023;5;q;Kernstadt;2", register.NOT_A_SEX, 3, "q"),
        ("2023;5;w;Kernstadt;2,5", cells.NOT_A_COUNT, 5, "2,5"),
        ("2023;5;w;Kernstadt;", cells.NOT_A_NUMBER, 5, ""),
    ],
)
def test_what_is_wrong_is_named_with_line_and_column(row: str, message: str, column: int, value: str) -> None:
    data = f"Jahr;Alter;Geschlecht;Ortsteil;Anzahl\n2023;4;w;Kernstadt;2\n{row}\n".encode()
    with pytest.raises(Rejected) as caught:
        read_register(data, GRABOW)
    assert [(p.message, dict(p.params), p.line, p.column) for p in caught.value.problems] == [
        (message, {"value": value}, 3, column)
    ]


def test_one_top_age_group_a_year_with_no_single_year_inside_it() -> None:
    data = b"Jahr;Alter;Geschlecht;Anzahl\n2023;90+;w;2\n2023;95+;w;1\n2023;93;m;1\n2022;93;m;1\n"
    with pytest.raises(Rejected) as caught:
        read_register(data, GRABOW)
    assert [(p.message, dict(p.params), p.line) for p in caught.value.problems] == [
        (register.TWO_TOPS, {"year": "2023", "first": "90+", "second": "95+"}, 3),
        (register.IN_TOP, {"year": "2023", "age": "93", "top": "90+"}, 4),
    ]


def test_a_file_without_the_columns_is_rejected() -> None:
    with pytest.raises(Rejected) as caught:
        read_register(b"Name;Wert\nGrabow;12\n", GRABOW)
    assert [(p.message, p.line) for p in caught.value.problems] == [(register.NO_COLUMNS, 1)]
    assert not is_register(b"Name;Wert\nGrabow;12\n")
