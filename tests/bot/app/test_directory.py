"""Finding a municipality in the stored directory as a person types it: name, umlaut-free spelling, postcode, key."""

from __future__ import annotations

from bot.app.directory import find, place, store_places
from flows.statistics.directory import read_cog, read_gv100ad
from flows.statistics.model import Place
from storage.store import Store
from tests.conftest import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "statistics"


async def directory(store: Store) -> None:
    places = read_gv100ad((FIXTURES / "gv100ad-latin1.txt").read_bytes())
    for name in ("v_region_2024.csv", "v_departement_2024.csv", "v_commune_2024.csv"):
        places += read_cog((FIXTURES / name).read_bytes())
    await store.run(lambda unit: store_places(unit, places))


async def names(store: Store, query: str, country=None, limit: int = 8) -> list[str]:  # type: ignore[no-untyped-def]
    return [p.name for p in await store.run(lambda unit: find(unit, query, country, limit))]


async def test_a_name_is_found_by_its_start_in_any_spelling(store: Store):
    await directory(store)

    for typed in ("München", "Muenchen", "munchen", "MÜNCH", "münchen, landeshauptstadt"):
        assert await names(store, typed, "de") == ["München, Landeshauptstadt"] * 2, typed  # the Gemeinde, the Kreis
    assert await names(store, "nurnb") == ["Nürnberg", "Nürnberg"]
    assert await names(store, "Evian") == ["Évian-les-Bains"]
    assert await names(store, "l'abergement") == ["L'Abergement-Clémenciat"]
    assert await names(store, "Grabow, Stadt") == ["Grabow, Stadt", "Grabow", "Grabowhöfe"]
    assert await names(store, "  ") == [] and await names(store, "Atlantis") == []


async def test_the_two_grabows_come_with_their_kreis_and_land(store: Store):
    await directory(store)

    def grabows(unit) -> list[tuple[str, str, str, str]]:  # type: ignore[no-untyped-def]
        found = [p for p in find(unit, "grabow", "de") if p.name.startswith("Grabow,") or p.name == "Grabow"]
        return [(p.key, p.name, place(unit, p.kreis).name, place(unit, p.land).name) for p in found]  # type: ignore[union-attr]

    assert await store.run(grabows) == [
        ("13076052", "Grabow, Stadt", "Ludwigslust-Parchim", "Mecklenburg-Vorpommern"),
        ("12070999", "Grabow", "Prignitz", "Brandenburg"),
    ]


async def test_a_postcode_or_an_official_key_finds_the_place(store: Store):
    await directory(store)

    (by_postcode,) = await store.run(lambda unit: find(unit, "19300"))
    assert (by_postcode.key, by_postcode.name, by_postcode.population) == ("13076052", "Grabow, Stadt", 5_500)
    assert [p.key for p in await store.run(lambda unit: find(unit, " 13076052 "))] == ["13076052"]
    (ajaccio,) = await store.run(lambda unit: find(unit, "2a004", "fr"))
    assert ajaccio == Place("fr", "2A004", "commune", "Ajaccio", kreis="2A", land="REG-94", kind="COM")


async def test_a_commune_names_its_departement_and_region(store: Store):
    await directory(store)

    def around(unit, key: str) -> tuple[str, str, str]:  # type: ignore[no-untyped-def]
        commune = place(unit, key, "fr")
        assert commune is not None
        return commune.name, place(unit, commune.kreis, "fr").name, place(unit, commune.land, "fr").name  # type: ignore[union-attr]

    assert await store.run(lambda unit: around(unit, "2a004")) == ("Ajaccio", "Corse-du-Sud", "Corse")
    assert await store.run(lambda unit: around(unit, "97411")) == ("Saint-Denis", "La Réunion", "La Réunion")
    assert await store.run(lambda unit: place(unit, "13076052", "fr")) is None
