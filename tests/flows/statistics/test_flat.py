"""The GENESIS flat file (ffcsv) in both dialects: regions, sexes and ages from the variables, values we do not
read left out, a file without its columns rejected."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.statistics import flat
from flows.statistics.model import Rejected
from flows.statistics.tables import read_table
from tests.fixtures.statistics import regionalstatistik as rs

FIXTURES = Path(rs.__file__).parent
OLD, NEW = "12411-02-03-5_flat.csv", "12411-02-03-5_flat2020.csv"


def text(name: str) -> str:
    return (FIXTURES / name).read_bytes().decode("iso-8859-1" if name == OLD else "utf-8")


def test_a_regionalschluessel_of_twelve_digits_is_read_as_the_municipality_key() -> None:
    data = text(NEW).replace("GEMEIN;Gemeinden;13076052;", "GEOGM4;Gemeinden;130769999052;").encode()
    sheet = read_table(data, NEW)
    assert sheet == read_table((FIXTURES / NEW).read_bytes(), NEW)


def test_an_attribute_of_another_variable_makes_a_value_we_do_not_read() -> None:
    """A nationality as the third variable: empty (everybody) in the fixture's rows, "Ausländer" in three more."""
    lines = text(NEW).splitlines()
    nationality = "3_variable_code;3_variable_label;3_variable_attribute_code;3_variable_attribute_label;"
    header = (
        lines[0].replace("3_variable", "4_variable").replace("4_variable_code;", nationality + "4_variable_code;", 1)
    )
    everybody = [line.replace("ALTX20;", "NAT;Staatsangehörigkeit;;Insgesamt;ALTX20;", 1) for line in lines[1:]]
    foreigners = [line.replace("ALTX20;", "NAT;Staatsangehörigkeit;NATA;Ausländer;ALTX20;", 1) for line in lines[1:4]]
    data = "\n".join([header, *everybody, *foreigners]).encode()
    assert read_table(data, NEW).figures == read_table((FIXTURES / NEW).read_bytes(), NEW).figures


def test_the_year_of_an_older_flat_file_is_its_last_day() -> None:
    data = text(OLD).replace("STAG;Stichtag;31.12.", "JAHR;Jahr;").encode("iso-8859-1")
    assert read_table(data, OLD).figures == read_table((FIXTURES / OLD).read_bytes(), OLD).figures


@pytest.mark.parametrize(("name", "column"), [(OLD, "Zeit"), (NEW, "value"), (NEW, "1_variable_attribute_code")])
def test_a_flat_file_without_a_column_it_needs_is_rejected(name: str, column: str) -> None:
    lines = text(name).splitlines()
    lines[0] = lines[0].replace(f";{column};", ";Spalte;")
    with pytest.raises(Rejected) as caught:
        read_table("\n".join(lines).encode("utf-8"), name)
    assert [(p.message, dict(p.params), p.line) for p in caught.value.problems] == [
        (flat.MISSING_COLUMN, {"column": column}, 1)
    ]


def test_a_line_without_a_region_is_named() -> None:
    lines = text(NEW).splitlines()
    lines[5] = (
        lines[5].replace("GEMEIN;", "GEMEINDEN;") if "GEMEIN;" in lines[5] else lines[5].replace("DLAND;", "LAND;")
    )
    with pytest.raises(Rejected) as caught:
        read_table("\n".join(lines).encode(), NEW)
    assert [(p.message, p.line, p.column) for p in caught.value.problems] == [(flat.NO_REGION, 6, 1)]


def test_the_table_code_comes_from_the_file_name_where_it_names_the_statistic() -> None:
    data = (FIXTURES / NEW).read_bytes()
    assert read_table(data, "12411-02-03-5_flat.csv").table == "12411-02-03-5"
    assert read_table(data, "download.csv").table == "12411"
    assert read_table(data, "12613-01-01-5.csv").table == "12411"
