"""Saying which municipality, through the shell: the directory imported as `daks data import` does (the fixtures
in tests/fixtures/statistics, fictional populations), looked up on SQLite and PostgreSQL, and what is stored."""

from __future__ import annotations

from typing import Any

import pytest

from bot.app.companion import Companion
from bot.app.directory import store_places
from flows.statistics.directory import read_cog, read_gv100ad
from storage.models import AuditEntry, Municipality, Workspace
from storage.store import Store
from tests.bot.talk import Person, rows
from tests.conftest import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "statistics"
COG = ("v_region_2024.csv", "v_departement_2024.csv", "v_commune_2024.csv")


@pytest.fixture
async def directory(store: Store) -> None:
    """Both directories, as `daks data import gv100ad` and `daks data import cog` store them."""
    places = read_gv100ad((FIXTURES / "gv100ad.txt").read_bytes())
    places += [p for name in COG for p in read_cog((FIXTURES / name).read_bytes())]
    await store.run(lambda unit: store_places(unit, places))


async def profile(store: Store) -> dict[str, Any]:
    [row] = await rows(store, Municipality)
    return {k: row[k] for k in ("name", "kind", "land", "size")}


@pytest.mark.usefixtures("directory")
async def test_a_name_in_two_lander_is_picked_by_kreis_and_land_and_answers_the_rest(
    companion: Companion, store: Store
):
    anna = Person(companion, "1001")
    await anna.says("/start")
    reply = await anna.says("Grabow")
    assert "Mehrere Kommunen passen zu „Grabow“. Für welche arbeiten Sie?" in reply
    assert anna.offered == ["p:de:13076052", "p:de:12070999", "_typed"]
    labels = [c.label for c in anna.question.choices]
    assert labels[:2] == ["Grabow (Ludwigslust-Parchim, Mecklenburg-Vorpommern)", "Grabow (Prignitz, Brandenburg)"]
    assert all(len(c.button) <= 24 for c in anna.question.choices)
    reply = await anna.presses("p:de:13076052")
    assert (
        "Im amtlichen Gemeindeverzeichnis gefunden: Grabow, Stadt — Landkreis Ludwigslust-Parchim, "
        "Mecklenburg-Vorpommern (Gemeindeschlüssel 13076052)"
    ) in reply
    assert "Welche Handlungsfelder sind für Grabow gerade besonders wichtig?" in reply
    assert await profile(store) == {"name": "Grabow", "kind": "stadt", "land": "mv", "size": "s"}
    assert [w["name"] for w in await rows(store, Workspace)] == ["Grabow"]
    audited = {r["step_id"]: r["new"] for r in await rows(store, AuditEntry)}
    assert audited["ob_name"] == {"name": "Grabow", "key": "13076052", "country": "de"}
    assert (audited["ob_land"], audited["ob_size"], audited["ob_kind"]) == ("mv", "s", "stadt")
    reply = await anna.says("/meinedaten")
    assert "Kommune: Grabow" in reply and "Land: Mecklenburg-Vorpommern" in reply


@pytest.mark.usefixtures("directory")
async def test_kommune_changes_the_municipality_and_goes_back(companion: Companion, store: Store):
    anna = Person(companion, "1001")
    await anna.says("/start")
    await anna.says("19300")  # Grabow's postcode
    await anna.says("2, 5")
    await anna.says("/phase 4")
    reply = await anna.says("/kommune")
    assert "Für welche Kommune arbeiten Sie?" in reply and "Aktuelle Antwort: Grabow" in reply
    reply = await anna.says("Rostock")
    assert "Rostock, Hanse- und Universitätsstadt — Mecklenburg-Vorpommern (Gemeindeschlüssel 13003000)" in reply
    assert "Werkstattplan · Frage 1" in reply, "back where she was"
    assert await profile(store) == {"name": "Rostock", "kind": "stadt", "land": "mv", "size": "l"}
    assert [w["name"] for w in await rows(store, Workspace)] == ["Rostock"]


@pytest.mark.usefixtures("directory")
async def test_a_commune_picked_by_its_insee_code_in_french(companion: Companion, store: Store):
    camille = Person(companion, "2002", lang="fr")
    await camille.says("/demarrer")
    reply = await camille.says("2A004")
    assert (
        "Trouvée dans le répertoire officiel des communes\u202f: Ajaccio — Corse-du-Sud, Corse (code INSEE 2A004)"
        in reply
    )
    assert "Combien d'habitants compte à peu près Ajaccio\u202f?" in reply, "the COG has no population: asked"
    for word in ("Gemeinde", "Kreis", "Land", "Stadt", "schlüssel"):
        assert word not in reply, word
    await camille.says("3")
    assert await profile(store) == {"name": "Ajaccio", "kind": "commune", "land": None, "size": "m"}


@pytest.mark.usefixtures("directory")
async def test_saint_denis_twice_is_told_apart_by_departement_and_region(companion: Companion):
    camille = Person(companion, "2002", lang="fr")
    await camille.says("/demarrer")
    await camille.says("Saint-Denis")
    labels = [c.label for c in camille.question.choices]
    assert labels[:2] == ["Saint-Denis (Seine-Saint-Denis, Île-de-France)", "Saint-Denis (La Réunion)"]


async def test_without_a_directory_the_name_is_kept_as_typed(companion: Companion, store: Store):
    anna = Person(companion, "1001")
    await anna.says("/start")
    reply = await anna.says("Musterstadt")
    assert "Was für eine Kommune ist Musterstadt?" in reply
    assert (await profile(store))["name"] == "Musterstadt"
