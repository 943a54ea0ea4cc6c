"""The directory's table: bulk upsert by (country, key), lookup on the folded-name index, postcode and key."""

from __future__ import annotations

import time
from dataclasses import replace

from sqlalchemy import text

from bot.app.directory import store_places
from flows.statistics.directory import read_cog, read_gv100ad
from storage.models import Place
from storage.places import _finding
from storage.store import Store, Unit
from tests.bot.talk import rows
from tests.conftest import ROOT
from tests.fixtures.statistics.gv100ad import directory
from tests.fixtures.statistics.gv100ad import text as gv100ad_text

FIXTURES = ROOT / "tests" / "fixtures" / "statistics"
GERMANY = read_gv100ad((FIXTURES / "gv100ad.txt").read_bytes())
FRANCE = [p for name in ("v_region_2024.csv", "v_departement_2024.csv", "v_commune_2024.csv")
          for p in read_cog((FIXTURES / name).read_bytes())]  # fmt: skip


async def stored(store: Store) -> None:
    await store.run(lambda unit: store_places(unit, GERMANY + FRANCE))


async def found(store: Store, folded: str, country: str | None = "de", limit: int = 10) -> list[str]:
    return [p.key for p in await store.run(lambda unit: unit.find_places(folded, country, limit))]


async def test_importing_again_leaves_the_table_as_it_was_and_a_changed_place_is_updated(store: Store):
    await stored(store)
    first = await rows(store, Place)
    assert len(first) == len(GERMANY) + len(FRANCE)

    assert await store.run(lambda unit: store_places(unit, GERMANY + FRANCE)) == len(first)
    assert await rows(store, Place) == first

    grabow = next(p for p in GERMANY if p.key == "13076052")
    await store.run(lambda unit: store_places(unit, [replace(grabow, population=5_600, postcode="19301")]))
    changed = [r for r, before in zip(await rows(store, Place), first, strict=True) if r != before]
    assert [(r["key"], r["population"], r["postcode"], r["name"]) for r in changed] == [
        ("13076052", 5_600, "19301", "Grabow, Stadt")
    ]


async def test_whether_any_directory_was_imported(store: Store):
    assert await store.run(lambda unit: unit.has_places()) is False
    await store.run(lambda unit: store_places(unit, FRANCE[:1]))
    assert await store.run(lambda unit: unit.has_places()) is True


async def test_a_name_prefix_finds_exactly_the_names_that_start_with_it(store: Store):
    await stored(store)

    # Gemeinden first; a name that is the query itself before longer ones; then the most populous.
    assert await found(store, "grabow") == ["13076052", "12070999", "13071999"]
    assert await found(store, "grab") == ["13076052", "12070999", "13071999"]
    assert await found(store, "grabowh") == ["13071999"]
    assert await found(store, "grabox") == [] and await found(store, "graboz") == []
    assert await found(store, "grab", limit=2) == ["13076052", "12070999"]
    # The Gemeinde before the Kreis of the same name.
    assert await found(store, "munchen") == ["09162000", "09162"]
    assert await found(store, "") == [] and await found(store, "grabow", limit=0) == []


async def test_a_postcode_or_an_official_key_is_matched_whole(store: Store):
    await stored(store)

    assert await found(store, "19300") == ["13076052"]
    assert await found(store, "1930") == []
    assert await found(store, "13076052") == ["13076052"]
    assert await found(store, "13076") == ["13076"]
    assert await found(store, "2a004", "fr") == ["2A004"]  # the query arrives folded, the key is in capitals


async def test_without_a_country_every_directory_is_searched(store: Store):
    await stored(store)

    assert await found(store, "saint denis", None) == ["93066", "97411"]
    assert await found(store, "saint denis", "de") == []
    assert await found(store, "paris", None) == ["75056", "75101", "75"]
    assert await found(store, "paris", "fr", limit=1) == ["75056"]


async def test_a_place_by_its_key_at_any_level(store: Store):
    await stored(store)

    def names(unit: Unit) -> list[str | None]:
        keys = [("de", "13076"), ("de", "13"), ("fr", "84"), ("fr", "REG-84"), ("de", "99999999"), ("fr", "13")]
        return [getattr(unit.place_of(country, key), "name", None) for country, key in keys]

    assert await store.run(names) == ["Ludwigslust-Parchim", "Mecklenburg-Vorpommern", "Vaucluse",
                                      "Auvergne-Rhône-Alpes", None, None]  # fmt: skip


async def test_a_whole_directory_imports_quickly_and_the_lookup_reads_the_indexes(store: Store):
    places = read_gv100ad(gv100ad_text(directory(11_000)).encode())
    started = time.perf_counter()
    await store.run(lambda unit: store_places(unit, places))
    seconds = time.perf_counter() - started
    assert seconds < 10, f"{len(places)} places took {seconds:.1f} s"
    if store.dialect == "postgresql":
        await store.run(lambda unit: unit.conn.execute(text("ANALYZE place")))

    plan = await store.run(lambda unit: _plan(unit, "muhl"))

    assert "ix_place_folded" in plan and "ix_place_postcode" in plan
    assert "SCAN place" not in plan and "Seq Scan" not in plan, plan
    assert len(await found(store, "muhl")) == 10


def _plan(unit: Unit, folded: str) -> str:
    """How the database runs the lookup (EXPLAIN), with the values written into the statement."""
    above = folded[:-1] + chr(ord(folded[-1]) + 1)
    statement = _finding(unit.dialect).params(countries=["de"], q=folded, above=above, key=folded.upper(), limit=8)
    sql = str(statement.compile(dialect=unit.conn.dialect, compile_kwargs={"literal_binds": True}))
    explain = "EXPLAIN QUERY PLAN " if unit.dialect == "sqlite" else "EXPLAIN "
    return "\n".join(" ".join(str(v) for v in row) for row in unit.conn.execute(text(explain + sql)))
