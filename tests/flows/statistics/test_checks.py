"""A statistics file's regions against the municipality directory."""

from __future__ import annotations

from datetime import date

from flows.statistics.checks import NOT_IN_DIRECTORY, NOT_IN_DIRECTORY_UNNAMED, unknown_regions
from flows.statistics.model import Figure, Sheet

DIRECTORY = {"13", "130", "13076", "13076052", "13076001"}
"""Keys at their level: Land, (a Regierungsbezirk), Kreis, two Gemeinden."""


def sheet(regions: dict[str, str], unnamed: tuple[str, ...] = ()) -> Sheet:
    figures = tuple(
        Figure(region=key, measure="population", stichtag=date(2023, 12, 31), value=100, table="12411-02-03-5")
        for key in [*regions, *unnamed]
    )
    return Sheet(figures, "12411-02-03-5", "official", "long", "utf-8", regions)


def test_every_region_in_the_directory_and_deutschland_pass() -> None:
    asked: list[str] = []

    def known(key: str) -> bool:
        asked.append(key)
        return key in DIRECTORY

    regions = {"DG": "Deutschland", "13": "Mecklenburg-Vorpommern", "13076": "Ludwigslust-Parchim"}
    regions |= {"13076052": "Grabow, Stadt", "130": "Regierungsbezirk"}
    assert unknown_regions(sheet(regions), known) == []
    assert sorted(asked) == sorted(set(regions) - {"DG"}), "each region asked once, Deutschland never"


def test_a_region_not_in_the_directory_is_named_with_its_key_and_name() -> None:
    regions = {"13076052": "Grabow, Stadt", "13076999": "Nirgendwo", "13077": "Kreis Nirgendwo"}
    problems = unknown_regions(sheet(regions, unnamed=("13076998",)), DIRECTORY.__contains__)

    assert [(p.message, dict(p.params)) for p in problems] == [
        (NOT_IN_DIRECTORY, {"key": "13076999", "name": "Nirgendwo"}),
        (NOT_IN_DIRECTORY, {"key": "13077", "name": "Kreis Nirgendwo"}),
        (NOT_IN_DIRECTORY_UNNAMED, {"key": "13076998"}),
    ]
    assert problems[0].message.format(**dict(problems[0].params)) == (
        'Region 13076999 "Nirgendwo" is not in the municipality directory.'
    )
    assert all(p.line is None for p in problems), "a Sheet keeps no line numbers: the region is named instead"


def test_a_key_is_found_at_its_own_level_only() -> None:
    """A Kreis key is not a Gemeinde and a Gemeinde's prefix is no Kreis: only the exact key counts."""
    problems = unknown_regions(
        sheet({"13076052": "Grabow", "1307605": "seven digits", "13075": "Kreis"}), DIRECTORY.__contains__
    )
    assert [dict(p.params)["key"] for p in problems] == ["1307605", "13075"]
