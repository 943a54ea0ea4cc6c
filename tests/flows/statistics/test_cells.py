"""The cells of statistics files: counts as German statistics write them, Stichtage, region keys, encodings and
what a label says about a value."""

from __future__ import annotations

from datetime import date

import pytest

from flows.statistics.cells import (
    NOT_A_COUNT,
    NOT_A_NUMBER,
    NOT_USED,
    NOTHING_SAID,
    Meaning,
    Unreadable,
    combined,
    count,
    encoding_of,
    meaning,
    region_key,
    stichtag,
)


@pytest.mark.parametrize(
    ("text", "number"),
    [("18432", 18432), ("18.432", 18432), ("1.234.567", 1234567), ("1 234 567", 1234567), ("18\u00a0432", 18432),
     ("1.234,0", 1234), ("0", 0), ("007", 7)],
)  # fmt: skip
def test_counts(text: str, number: int) -> None:
    assert count(text) == number


@pytest.mark.parametrize(
    ("text", "message"),
    [("12a4", NOT_A_NUMBER), ("1.2.3", NOT_A_NUMBER), ("１２", NOT_A_NUMBER), ("4,5", NOT_A_COUNT),
     ("1.234,56", NOT_A_COUNT), ("-3", NOT_A_COUNT), ("+12", NOT_A_COUNT)],
)  # fmt: skip
def test_what_is_no_count(text: str, message: str) -> None:
    with pytest.raises(Unreadable) as caught:
        count(text)
    assert caught.value.message == message


@pytest.mark.parametrize(
    ("text", "day"),
    [("31.12.2023", date(2023, 12, 31)), ("2023-12-31", date(2023, 12, 31)), ("2023", date(2023, 12, 31)),
     (" 30.6.2022 ", date(2022, 6, 30)), ("31.13.2023", None), ("1700", None), ("Stichtag", None), ("", None)],
)  # fmt: skip
def test_stichtage(text: str, day: date | None) -> None:
    assert stichtag(text) == day


@pytest.mark.parametrize(
    ("text", "key"),
    [("DG", "DG"), ("13", "13"), ("131", "131"), (" 13076 ", "13076"), ("13076052", "13076052"),
     ("130765425", "130765425"), ("130769999052", "13076052"), ("1307605", None), ("DE", None), ("13a76", None)],
)  # fmt: skip
def test_region_keys(text: str, key: str | None) -> None:
    assert region_key(text) == key


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (b"Grabow;Gemeinde", "utf-8"),
        ("Müritz;Gemeinde".encode(), "utf-8"),
        ("\ufeffMüritz;Gemeinde".encode(), "utf-8-sig"),
        ("Müritz;Gemeinde".encode("iso-8859-1"), "iso-8859-1"),
        ("„Müritz“ – Gemeinde".encode("windows-1252"), "windows-1252"),
        (bytes([0x4D, 0xFC, 0x81, 0x3B]), "iso-8859-1"),  # 0x81 is no Windows-1252 character
    ],
)
def test_the_encoding_is_the_one_that_reads(data: bytes, encoding: str) -> None:
    assert encoding_of(data) == encoding
    assert "�" not in data.decode(encoding)


@pytest.mark.parametrize(
    ("label", "said"),
    [
        ("Insgesamt", NOTHING_SAID),
        ("Anzahl", NOTHING_SAID),
        ("männlich", Meaning(sex="m")),
        ("weiblich", Meaning(sex="f")),
        ("unter 3 Jahre", Meaning(band=(0, 3))),
        ("31.12.2023", Meaning(stichtag=date(2023, 12, 31))),
        ("Bevölkerungsstand", Meaning(measure="population")),
        ("Bevoelkerungsstand", Meaning(measure="population")),
        ("Lebendgeborene", Meaning(measure="births")),
        ("Gestorbene", Meaning(measure="deaths")),
        ("Zuzüge über die Gemeindegrenzen", Meaning(measure="moves_in")),
        ("Fortzuege_ueber_die_Kreisgrenzen", Meaning(measure="moves_out", rank=1)),
        ("Zu- und Fortzüge", NOTHING_SAID),
        ("Wanderungssaldo", NOT_USED),
        ("Zuzüge aus dem Ausland", NOT_USED),
        ("Durchschnittsalter der Bevölkerung", NOT_USED),
        ("Gestorbene je 1000 Einwohner", NOT_USED),
        ("Deutsche", NOT_USED),
        ("Ausländer", NOT_USED),
    ],
)
def test_what_a_label_says(label: str, said: Meaning) -> None:
    assert meaning(label) == said


def test_labels_say_more_together_unless_they_disagree() -> None:
    assert combined([meaning("Bevölkerungsstand"), meaning("weiblich"), meaning("unter 3 Jahre")]) == Meaning(
        measure="population", sex="f", band=(0, 3)
    )
    assert combined([meaning("männlich"), meaning("weiblich")]) == NOT_USED
    assert combined([meaning("unter 3 Jahre"), meaning("Deutsche")]) == NOT_USED
    assert combined([]) == NOTHING_SAID
