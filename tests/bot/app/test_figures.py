"""A read statistics file stored and read back through the shell, on SQLite and PostgreSQL: every figure as it
was (age bands, "no data", register Ortsteile), once per file and scope, the workspace's own first; its regions
checked against the directory."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import insert

from bot.app.figures import Stored, age_band, ages, check_regions, read, store_sheet
from flows.statistics.checks import NOT_IN_DIRECTORY
from flows.statistics.model import Figure, Sheet
from storage.models import Dataset, Place
from storage.store import Store, Unit
from tests.storage.test_figures import workspaces
from tests.storage.test_store import rows

TABLE = "12411-02-03-5"
FILE = b"12411-02-03-5: Bev\xf6lkerung nach Geschlecht und Altersgruppen (17)\n"
"""The bytes a sheet was read from (only their SHA-256 counts here)."""


def population(region: str, year: int, value: int | None, **more: Any) -> Figure:
    return Figure(region, "population", date(year, 12, 31), value, **({"table": TABLE} | more))


def grabow() -> Sheet:
    figures = (
        population("13076052", 2022, 5790),
        population("13076052", 2023, 5760),
        population("13076052", 2023, 150, sex="f", age_from=0, age_to=3),
        population("13076052", 2023, 610, sex="m", age_from=75, age_to=None),
        population("13076052", 2023, None, sex="m", age_from=3, age_to=6),
        population("13076", 2023, 209_000),
        Figure("13076052", "births", date(2023, 12, 31), 41, table="12612"),
    )
    regions = {"13076052": "Grabow, Stadt", "13076": "Ludwigslust-Parchim"}
    return Sheet(figures, TABLE, "official", "long", "iso-8859-1", regions)


def register() -> Sheet:
    figures = (
        population("13076052", 2023, 5801, source="register", table="register"),
        population("13076052", 2023, 120, source="register", table="register", ortsteil="Heidehof"),
    )
    return Sheet(figures, "register", "register", "register", "utf-8")


@pytest.mark.parametrize(("band", "limits"), [("", (None, None)), ("0-3", (0, 3)), ("75-", (75, None))])
def test_an_age_band_is_stored_as_one_text(band: str, limits: tuple[int | None, int | None]) -> None:
    assert age_band(*limits) == band
    assert ages(band) == limits


async def test_a_sheet_is_read_back_as_it_was_stored_once(store: Store) -> None:
    first = await store.run(lambda unit: store_sheet(unit, grabow(), FILE, "grabow.csv", "cli", None))
    again = await store.run(lambda unit: store_sheet(unit, grabow(), FILE, "grabow.csv", "cli", None))

    assert first == Stored(first.dataset_id, len(grabow().figures), True)
    assert again == Stored(first.dataset_id, len(grabow().figures), False)
    back = await store.run(lambda unit: read(unit, "de", ["13076052", "13076"], None))
    assert sorted(back, key=repr) == sorted(grabow().figures, key=repr)
    (dataset,) = await rows(store, Dataset)
    assert (dataset["table_code"], dataset["layout"], dataset["file_name"], dataset["imported_by"]) == (
        TABLE,
        "long",
        "grabow.csv",
        "cli",
    )
    assert (dataset["scope"], dataset["workspace_id"], len(dataset["sha256"])) == (0, None, 64)


async def test_a_workspaces_own_figures_come_first_and_stay_its_own(store: Store) -> None:
    mine, theirs, _ = await workspaces(store)
    await store.run(lambda unit: store_sheet(unit, grabow(), FILE, "grabow.csv", "cli", None))
    newer = Sheet((population("13076052", 2023, 5757),), TABLE, "official", "wide", "utf-8")
    stored = await store.run(lambda unit: store_sheet(unit, newer, FILE + b"2", "upload.csv", "17", mine))
    same_file = await store.run(lambda unit: store_sheet(unit, register(), FILE + b"2", "x.csv", "17", theirs))
    assert stored.new and same_file.new, "a file is stored once per scope, not once in all"
    await store.run(lambda unit: store_sheet(unit, register(), FILE + b"3", "melderegister.csv", "17", mine))

    async def totals(workspace_id: int | None) -> dict[tuple[str, str, int, str], int | None]:
        found = await store.run(lambda unit: read(unit, "de", ["13076052"], workspace_id))
        return {(f.source, f.ortsteil, f.stichtag.year, f.sex): f.value for f in found if f.age_from is None}

    seen = {w: await totals(w) for w in (mine, theirs, None)}
    assert seen[mine][("official", "", 2023, "")] == 5757
    assert seen[mine][("register", "Heidehof", 2023, "")] == 120
    assert seen[None][("official", "", 2023, "")] == 5760
    assert ("register", "", 2023, "") not in seen[None]
    assert seen[theirs][("register", "", 2023, "")] == 5801 and seen[theirs][("official", "", 2023, "")] == 5760


def places(unit: Unit, *keys: tuple[str, str]) -> None:
    for key, level in keys:
        unit.conn.execute(insert(Place).values(country="de", key=key, level=level, name=key, folded=key))


async def test_regions_are_checked_against_the_directory_once_there_is_one(store: Store) -> None:
    assert await store.run(lambda unit: check_regions(unit, grabow())) is None, "empty directory: not checked"

    await store.run(lambda unit: places(unit, ("13", "land"), ("13076", "kreis")))
    problems = await store.run(lambda unit: check_regions(unit, grabow()))
    assert [(p.message, dict(p.params)) for p in problems or []] == [
        (NOT_IN_DIRECTORY, {"key": "13076052", "name": "Grabow, Stadt"})
    ]

    await store.run(lambda unit: places(unit, ("13076052", "gemeinde")))
    assert await store.run(lambda unit: check_regions(unit, grabow())) == []
