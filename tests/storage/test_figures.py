"""Statistics files and their figures on SQLite and PostgreSQL: stored once, replaced by a newer file, a
workspace's own figures before everybody's, gone with their workspace, and a Land's worth stored in one go."""

from __future__ import annotations

import time
from datetime import date
from typing import Any

from storage import figures as stored_figures
from storage.models import Dataset, Figure
from storage.store import Store, Unit
from tests.storage.test_store import count, put, rows

AGES = ("0-3", "3-6", "6-10", "10-15", "15-18", "18-20", "20-25", "25-30", "30-35", "35-40", "40-45", "45-50")
AGES += ("50-55", "55-60", "60-65", "65-75", "75-")


def dataset(sha: str, scope: int = 0, workspace_id: int | None = None, table: str = "12411-02-03-5") -> dict[str, Any]:
    return {
        "scope": scope,
        "workspace_id": workspace_id,
        "sha256": sha * 64,
        "source": "official",
        "table_code": table,
        "layout": "long",
        "file_name": f"{sha}.csv",
        "imported_by": "cli",
    }


def figure(region: str, year: int, value: int | None, age: str = "", sex: str = "", **more: Any) -> dict[str, Any]:
    return {
        "country": "de",
        "region": region,
        "source": "official",
        "measure": "population",
        "stichtag": date(year, 12, 31),
        "sex": sex,
        "age": age,
        "ortsteil": "",
        "value": value,
        "table_code": "12411-02-03-5",
    } | more


def land(gemeinden: int, years: range = range(2019, 2024)) -> list[dict[str, Any]]:
    """A Land's file: each Gemeinde × year × sex × 17 age groups (values distinct: a mix-up shows)."""
    return [
        figure(f"13{g:06d}", year, g * 1000 + year + len(AGES) * s + a, age, sex)
        for g in range(1, gemeinden + 1)
        for year in years
        for s, sex in enumerate(("", "m", "f"))
        for a, age in enumerate(AGES)
    ]


async def table(store: Store) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Every dataset and figure row, all columns."""
    return await rows(store, Dataset, "id"), await rows(store, Figure, "id")


def grabow() -> list[dict[str, Any]]:
    return [figure("13076052", year, 5800 - 10 * (year - 2019)) for year in range(2019, 2024)] + [
        figure("13076", 2023, 209_000),
        figure("13076052", 2023, 40, age="75-", sex="f"),
        figure("13076052", 2023, None, age="0-3", sex="m"),
    ]


def total(year: int) -> int | None:
    """Grabow's population in ``grabow()``."""
    (value,) = [f["value"] for f in grabow() if (f["region"], f["stichtag"].year, f["age"]) == ("13076052", year, "")]
    return value


async def test_a_file_imported_twice_gives_the_same_database(store: Store) -> None:
    first = await store.run(lambda unit: unit.put_figures(dataset("a"), grabow()))
    before = await table(store)
    again = await store.run(lambda unit: unit.put_figures(dataset("a"), grabow()))
    assert first == (before[0][0]["id"], True)
    assert again == (first[0], False)
    assert await table(store) == before
    assert len(before[1]) == len(grabow()) and before[0][0]["figures"] == len(grabow())
    found = await store.run(lambda unit: unit.dataset_of(0, "a" * 64))
    assert found is not None and (found.id, found.table_code, found.imported_by) == (first[0], "12411-02-03-5", "cli")
    assert await store.run(lambda unit: unit.dataset_of(7, "a" * 64)) is None


async def test_a_newer_file_replaces_value_table_code_and_dataset_but_no_data_erases_nothing(store: Store) -> None:
    old, _ = await store.run(lambda unit: unit.put_figures(dataset("a"), grabow()))
    newer = [
        figure("13076052", 2023, 5757, table_code="12411-01-01-5"),  # revised
        figure("13076052", 2024, 5740, table_code="12411-01-01-5"),  # new year
        figure("13076052", 2022, None, table_code="12411-01-01-5"),  # "no data" where the old file had a value
        figure("13076052", 2023, 12, age="0-3", sex="m", table_code="12411-01-01-5"),  # a value where it had none
    ]
    new, fresh = await store.run(lambda unit: unit.put_figures(dataset("b", table="12411-01-01-5"), newer))
    assert fresh and new != old
    by_key = {(r["stichtag"].year, r["age"], r["sex"], r["region"]): r for r in (await table(store))[1]}
    assert len(by_key) == len(grabow()) + 1
    revised = by_key[(2023, "", "", "13076052")]
    assert (revised["value"], revised["table_code"], revised["dataset_id"]) == (5757, "12411-01-01-5", new)
    assert (by_key[(2024, "", "", "13076052")]["value"], by_key[(2024, "", "", "13076052")]["dataset_id"]) == (
        5740,
        new,
    )
    kept = by_key[(2022, "", "", "13076052")]
    assert (kept["value"], kept["table_code"], kept["dataset_id"]) == (total(2022), "12411-02-03-5", old)
    filled = by_key[(2023, "0-3", "m", "13076052")]
    assert (filled["value"], filled["dataset_id"]) == (12, new)
    untouched = by_key[(2019, "", "", "13076052")]
    assert (untouched["value"], untouched["dataset_id"]) == (total(2019), old)
    listed = dict((d.id, n) for d, n in await store.run(lambda unit: unit.datasets()))
    assert listed == {old: len(grabow()) - 2, new: 3}, "how many figures of each file are still current"


async def test_a_figure_named_twice_in_a_file_keeps_its_last_value(store: Store, monkeypatch) -> None:
    monkeypatch.setattr(stored_figures, "CHUNK", 3)  # one duplicate inside a chunk, one across two
    twice = [figure("13076052", 2023, 1), figure("13076052", 2023, 2), figure("13076", 2023, 3)]
    twice += [figure("13", 2023, 4), figure("13076", 2023, 5)]
    await store.run(lambda unit: unit.put_figures(dataset("a"), twice))
    values = {r["region"]: r["value"] for r in (await table(store))[1]}
    assert values == {"13076052": 2, "13076": 5, "13": 4}


async def workspaces(store: Store) -> tuple[int, int, int]:
    """Two people's workspaces (ids) and the first person's user id."""
    anna, _, _ = await put(store, {"ob_name": "Grabow"}, ref="anna")
    await put(store, {"ob_name": "Ludwigslust"}, ref="ben")

    def ids(unit: Unit) -> tuple[int, int]:
        return unit.memberships(anna.user_id)[0][0], unit.memberships(anna.user_id + 1)[0][0]

    mine, theirs = await store.run(ids)
    return mine, theirs, anna.user_id


async def test_a_workspace_sees_its_own_figures_before_everybodys(store: Store) -> None:
    mine, theirs, _ = await workspaces(store)
    await store.run(lambda unit: unit.put_figures(dataset("a"), grabow()))
    own = [figure("13076052", 2023, 5812, source="official"), figure("13076052", 2024, 5799)]
    register = [figure("13076052", 2023, 5901, source="register", table_code="register", ortsteil="Heidehof")]
    await store.run(lambda unit: unit.put_figures(dataset("a", scope=mine, workspace_id=mine), own + register))

    seen_by_me = await store.run(lambda unit: unit.figures_of("de", ["13076052", "13076"], mine))
    seen_by_them = await store.run(lambda unit: unit.figures_of("de", ["13076052", "13076"], theirs))
    seen_by_all = await store.run(lambda unit: unit.figures_of("de", ["13076052", "13076"], 0))
    mine_by_key = {key(f): f for f in seen_by_me}
    assert len(mine_by_key) == len(seen_by_me) == len(grabow()) + 2
    ours = mine_by_key[("13076052", "official", 2023, "", "", "")]
    assert (ours.value, ours.scope) == (5812, mine)
    assert mine_by_key[("13076052", "official", 2024, "", "", "")].value == 5799
    assert mine_by_key[("13076052", "register", 2023, "", "", "Heidehof")].value == 5901
    assert mine_by_key[("13076052", "official", 2022, "", "", "")].scope == 0
    assert sorted(map(key, seen_by_them)) == sorted(map(key, seen_by_all))
    assert {f.scope for f in seen_by_them} == {0}
    assert {key(f): f.value for f in seen_by_all}[("13076052", "official", 2023, "", "", "")] == total(2023)
    assert isinstance(seen_by_all[0].stichtag, date)
    assert await store.run(lambda unit: unit.figures_of("de", [], mine)) == []
    assert await store.run(lambda unit: unit.figures_of("fr", ["13076052"], mine)) == []


def key(row: Figure) -> tuple[Any, ...]:
    return (row.region, row.source, row.stichtag.year, row.sex, row.age, row.ortsteil)


async def test_deleting_a_workspace_deletes_its_files_and_figures(store: Store) -> None:
    mine, theirs, anna = await workspaces(store)
    await store.run(lambda unit: unit.put_figures(dataset("a"), grabow()))
    await store.run(lambda unit: unit.put_figures(dataset("a", scope=mine, workspace_id=mine), grabow()[:3]))
    await store.run(lambda unit: unit.put_figures(dataset("b", scope=theirs, workspace_id=theirs), grabow()[:2]))
    assert await count(store, Figure) == len(grabow()) + 5

    await store.run(lambda unit: unit.delete_workspace(mine, anna))

    assert [d["scope"] for d in await rows(store, Dataset, "id")] == [0, theirs]
    assert await count(store, Figure, scope=mine) == 0
    assert await count(store, Figure, scope=0) == len(grabow())
    assert await count(store, Figure, scope=theirs) == 2


async def test_a_lands_file_stores_in_one_go(store: Store) -> None:
    many = land(200)  # 200 Gemeinden × 5 years × 3 sexes × 17 age groups = 51,000 figures (a Land's: about 0.5 M)
    assert len(many) > 2 * stored_figures.CHUNK, "several chunks"
    started = time.perf_counter()
    dataset_id, new = await store.run(lambda unit: unit.put_figures(dataset("a"), many))
    took = time.perf_counter() - started
    print(f"{len(many):,} figures stored in {took:.1f} s on {store.dialect}")  # shown with -s; not asserted
    assert new and await count(store, Figure, dataset_id=dataset_id) == len(many)
    sample = await store.run(lambda unit: unit.figures_of("de", ["13000007", "13000200"], 0))
    wanted = {
        (f["region"], f["stichtag"], f["sex"], f["age"]): f["value"]
        for f in many
        if f["region"] in {"13000007", "13000200"}
    }
    assert len(wanted) == 2 * 5 * 3 * len(AGES)
    assert {(f.region, f.stichtag, f.sex, f.age): f.value for f in sample} == wanted


async def test_any_text_is_stored_as_it_is(store: Store) -> None:
    odd = "Heide\x1fhof; „Süd“, \\N, 'x'"  # a separator, quotes, a backslash: nothing is split or read as NULL
    await store.run(lambda unit: unit.put_figures(dataset("a"), [figure("13076052", 2023, 7, ortsteil=odd)]))
    stored = await store.run(lambda unit: unit.figures_of("de", ["13076052"], 0))
    assert [(f.ortsteil, f.value) for f in stored] == [(odd, 7)]
