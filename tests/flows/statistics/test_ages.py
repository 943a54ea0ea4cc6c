"""Age bands from the labels and codes of statistics files, back to labels, and whether they cover every age."""

from __future__ import annotations

import pytest

from flows.statistics.ages import band_of, gaps, label_of
from tests.fixtures.statistics.regionalstatistik import BANDS


@pytest.mark.parametrize(
    ("label", "band"),
    [
        ("unter 3 Jahre", (0, 3)),
        ("3 bis unter 6 Jahre", (3, 6)),
        ("75 Jahre und mehr", (75, None)),
        ("unter 1 Jahr", (0, 1)),
        ("1 Jahr", (1, 2)),
        ("42 Jahre", (42, 43)),
        ("90 Jahre und mehr", (90, None)),
        ("90 Jahre und älter", (90, None)),
        ("75 und mehr Jahre", (75, None)),
        ("von 6 bis unter 10 Jahren", (6, 10)),
        ("  65 bis unter 75 Jahre ", (65, 75)),
        ("ALT000B03", (0, 3)),
        ("ALT065B75", (65, 75)),
        ("ALT075UM", (75, None)),
        ("Insgesamt", None),
        ("männlich", None),
        ("10 bis unter 5 Jahre", None),
        ("2023", None),
    ],
)
def test_a_label_names_its_band(label: str, band: tuple[int, int | None] | None) -> None:
    assert band_of(label) == band


def test_labels_read_back_as_their_bands() -> None:
    assert [band_of(label_of(band)) for band in BANDS] == list(BANDS)
    assert label_of((40, 45)) == "40 bis unter 45 Jahre" and label_of((0, 1)) == "unter 1 Jahr"


def test_the_17_groups_cover_every_age_once() -> None:
    assert gaps(BANDS) == ([], [])
    assert gaps([(a, a + 1) for a in range(90)] + [(90, None)]) == ([], [])


@pytest.mark.parametrize(
    ("left_out", "missing"),
    [((40, 45), [(40, 45)]), ((0, 3), [(0, 3)]), ((75, None), [(75, None)])],
)
def test_a_band_left_out_is_missing(left_out: tuple[int, int | None], missing: list[tuple[int, int | None]]) -> None:
    assert gaps(b for b in BANDS if b != left_out) == (missing, [])


def test_bands_that_overlap_are_named() -> None:
    assert gaps([*BANDS, (15, 20)]) == ([], [((15, 18), (15, 20)), ((15, 20), (18, 20))])
    assert gaps([(0, 65), (60, None)]) == ([], [((0, 65), (60, None))])
