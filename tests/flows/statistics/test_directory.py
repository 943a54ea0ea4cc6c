"""Reading the municipality directories: GV100AD (Destatis) and COG (INSEE), whole or not at all."""

from __future__ import annotations

import io
from collections import Counter
from datetime import date

import pytest
from gv100ad import GV100ADReader

from flows.statistics.directory import folded_name, read_cog, read_gv100ad
from flows.statistics.model import Place, Problem, Rejected
from tests.conftest import ROOT
from tests.fixtures.statistics.gv100ad import fixture, record, text

FIXTURES = ROOT / "tests" / "fixtures" / "statistics"


def gv100ad(name: str = "gv100ad.txt") -> bytes:
    return (FIXTURES / name).read_bytes()


def rejected(read, data: bytes) -> list[Problem]:  # type: ignore[no-untyped-def]
    with pytest.raises(Rejected) as caught:
        read(data)
    return list(caught.value.problems)


def by_key(places: list[Place]) -> dict[str, Place]:
    return {p.key: p for p in places}


# --- GV100AD ----------------------------------------------------------------------------------------------------


def test_every_level_of_the_directory_is_read_with_its_official_key():
    places = read_gv100ad(gv100ad())

    assert Counter(p.level for p in places) == {
        "land": 3,
        "regierungsbezirk": 2,
        "kreis": 8,
        "gemeindeverband": 1,
        "gemeinde": 8,
    }
    assert {p.level: len(p.key) for p in places} == {
        "land": 2,
        "regierungsbezirk": 3,
        "kreis": 5,
        "gemeindeverband": 9,
        "gemeinde": 8,
    }
    grabow = by_key(places)["13076052"]
    assert grabow == Place(
        country="de",
        key="13076052",
        level="gemeinde",
        name="Grabow, Stadt",
        kreis="13076",
        land="13",
        kind="63",
        postcode="19300",
        population=5_500,
        stand=date(2024, 12, 31),
    )
    assert by_key(places)["13076"].name == "Ludwigslust-Parchim" and by_key(places)["13"].name.startswith("Meckl")
    amt = by_key(places)["130769999"]
    assert (amt.level, amt.kreis, amt.land, amt.kind) == ("gemeindeverband", "13076", "13", "51")


def test_the_fixture_is_a_directory_the_package_reads_on_its_own():
    """The builder's records are GV100AD as gv100ad-py reads it: the same keys, names and population."""
    records = list(GV100ADReader(io.StringIO(gv100ad().decode("utf-8"))).read())
    municipalities = {r.regional_code: (r.name, r.inhabitants) for r in records if hasattr(r, "inhabitants")}
    ours = {p.key: (p.name, p.population) for p in read_gv100ad(gv100ad()) if p.level == "gemeinde"}
    assert municipalities == ours and len(records) == len(fixture())


def test_an_iso_8859_1_file_reads_its_umlauts_right():
    latin1, utf8 = gv100ad("gv100ad-latin1.txt"), gv100ad()
    assert latin1 != utf8 and "ü".encode("iso-8859-1") in latin1

    places = read_gv100ad(latin1)

    assert places == read_gv100ad(utf8)
    names = {p.name for p in places}
    assert {"München, Landeshauptstadt", "Nürnberg", "Fürth", "Grabowhöfe"} <= names
    assert "Rostock, Hanse- und Universitätsstadt" in names


def test_a_region_record_and_a_file_with_a_byte_order_mark_and_plain_line_ends():
    records = [record(10, "08", "Baden-Württemberg"), record(30, "0811", "Region Beispiel")]
    places = read_gv100ad(b"\xef\xbb\xbf" + "\n".join(records).encode())
    assert [(p.key, p.level, p.land, p.name) for p in places] == [
        ("08", "land", "", "Baden-Württemberg"),
        ("0811", "region", "08", "Region Beispiel"),
    ]


def test_a_short_record_and_a_letter_in_the_population_reject_the_file_with_line_and_column():
    lines = fixture()
    lines[4] = lines[4][:150]  # line 5: cut short
    gemeinde = lines[3]  # line 4: München; the population is columns 140-150
    lines[3] = gemeinde[:144] + "O" + gemeinde[145:]

    problems = rejected(read_gv100ad, text(lines).encode())

    assert [(p.line, p.column, p.message.format(**dict(p.params))) for p in problems] == [
        (4, 145, "“00001O00000” is not a number (Bevölkerung)."),
        (5, 151, "The record has 150 characters; a GV100AD record has 220."),
    ]


@pytest.mark.parametrize(
    ("change", "column", "message"),
    [
        (lambda r: "70" + r[2:], 1, "“70” is not a Satzart of the GV100AD (10, 20, 30, 40, 50 or 60)."),
        (lambda r: r[:2] + "20241331" + r[10:], 3, "“20241331” is not a date (the Gebietsstand is written YYYYMMDD)."),
        (lambda r: r[:13] + "x" + r[14:], 14, "“130x6052” is not a number (Regionalschlüssel)."),
        (lambda r: r[:22] + " " * 50 + r[72:], 23, "The field Name is empty."),
        (lambda r: r[:122] + "99" + r[124:], 123, "“99” is not a Textkennzeichen of this Satzart."),
        (
            lambda r: r[:170] + "**   " + r[175:],
            171,
            "“**   ” is not a postcode mark (“*****” for a Gemeinde with several postcodes, or blank).",
        ),  # fmt: skip
        (lambda r: r + " ", 221, "The record has 221 characters; a GV100AD record has 220."),
    ],
)
def test_each_kind_of_bad_field_is_named_at_its_column(change, column, message):  # type: ignore[no-untyped-def]
    lines = fixture()
    last = len(lines)
    lines[-1] = change(lines[-1])  # Grabow, Stadt

    (problem,) = rejected(read_gv100ad, text(lines).encode())

    assert (problem.line, problem.column, problem.message.format(**dict(problem.params))) == (last, column, message)


def test_a_key_twice_and_files_that_are_no_directory_are_rejected():
    lines = fixture()
    (twice,) = rejected(read_gv100ad, text([*lines, lines[-1]]).encode())
    assert (twice.line, twice.column, dict(twice.params)) == (len(lines) + 1, 11, {"key": "13076052", "first": "22"})

    (other,) = rejected(read_gv100ad, (FIXTURES / "v_commune_2024.csv").read_bytes())
    assert (other.line, other.column) == (1, 1) and "not a GV100AD file" in other.message
    (empty,) = rejected(read_gv100ad, b"\r\n \r\n")
    assert empty.line is None and "no record" in empty.message


# --- COG ----------------------------------------------------------------------------------------------------------


def test_communes_with_arrondissements_but_without_delegated_communes():
    places = read_cog((FIXTURES / "v_commune_2024.csv").read_bytes(), stand=date(2024, 1, 1))

    assert [p.key for p in places] == ["01001", "01015", "2A004", "74119", "75056", "75101", "93066", "97411"]
    ajaccio = by_key(places)["2A004"]
    assert ajaccio == Place("fr", "2A004", "commune", "Ajaccio", "2A", "REG-94", "COM", stand=date(2024, 1, 1))
    assert by_key(places)["01015"].name == "Arboys en Bugey"  # the commune nouvelle, not its commune déléguée
    assert (by_key(places)["75101"].kind, by_key(places)["75101"].kreis) == ("ARM", "75")
    assert by_key(places)["01001"].name == "L'Abergement-Clémenciat"
    saint_denis = [(p.key, p.kreis, p.land) for p in places if p.name == "Saint-Denis"]
    assert saint_denis == [("93066", "93", "REG-11"), ("97411", "974", "REG-04")]


def test_departements_and_regions_are_told_apart_where_their_codes_overlap():
    departements = read_cog((FIXTURES / "v_departement_2024.csv").read_bytes())
    regions = read_cog((FIXTURES / "v_region_2024.csv").read_bytes())

    assert by_key(departements)["84"] == Place("fr", "84", "departement", "Vaucluse", land="REG-93")
    assert by_key(departements)["2A"].land == "REG-94"
    assert by_key(regions)["REG-84"] == Place("fr", "REG-84", "region", "Auvergne-Rhône-Alpes")
    assert {p.level for p in regions} == {"region"} and len(regions) == 5


def test_the_layout_before_2019_tab_separated_in_iso_8859_1():
    places = read_cog((FIXTURES / "comsimp2018.txt").read_bytes())
    assert [(p.key, p.name, p.kreis, p.land) for p in places] == [
        ("01001", "L'Abergement-Clémenciat", "01", "REG-84"),
        ("2A004", "Ajaccio", "2A", "REG-94"),
        ("97411", "Saint-Denis", "974", "REG-04"),
    ]


def test_a_bad_cog_row_rejects_the_file_with_line_and_column():
    good = (FIXTURES / "v_commune_2024.csv").read_text(encoding="utf-8").splitlines()
    bad = [*good[:4], good[4].replace("2A004", "2C004"), good[5] + ",extra", *good[6:]]

    problems = rejected(read_cog, "\n".join(bad).encode())

    assert [(p.line, p.column, p.message.format(**dict(p.params))) for p in problems] == [
        (5, 2, "“2C004” is not a valid code (commune)."),
        (6, None, "The row has 13 fields where the header has 12."),
    ]
    (header,) = rejected(read_cog, b"code;nom\n01001;X\n")
    assert header.line == 1 and "not a COG file" in header.message
    (lacking,) = rejected(read_cog, b"TYPECOM,COM,DEP,LIBELLE\nCOM,01001,01,X\n")
    assert dict(lacking.params) == {"column": "REG"}


# --- the lookup form ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "folded"),
    [
        ("Grabow, Stadt", "grabow"),
        ("München, Landeshauptstadt", "munchen"),
        ("Muenchen", "munchen"),
        ("munchen", "munchen"),
        ("  MÜNCHEN ", "munchen"),
        ("Hamburg, Freie und Hansestadt", "hamburg"),
        ("Halle (Saale), Stadt", "halle saale"),
        ("L'Abergement-Clémenciat", "l abergement clemenciat"),
        ("Évian-les-Bains", "evian les bains"),
        ("Straßkirchen", "strasskirchen"),
    ],
)
def test_a_name_is_looked_up_without_case_accents_umlauts_and_the_directorys_suffix(name: str, folded: str):
    assert folded_name(name) == folded
