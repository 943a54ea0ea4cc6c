"""The directory of model municipalities (content/model_municipalities.yaml): it loads with the programmes' members,
public facts only, and a broken copy is refused with file, place and line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from flows.content.content import Content
from flows.content.loader import load_content
from flows.content.model_municipalities import FILE, ModelDirectory, ModelMunicipality
from flows.content.problems import ContentInvalid
from tests.conftest import CONTENT
from tests.flows.content.test_loader import edit, line_of

DFZW = {
    "dfzw1": ["Marburg", "Nebelschütz", "Burgenlandkreis", "Dunkerque", "Loos-en-Gohelle", "Mouans-Sartoux"],
    "dfzw3": [
        *("Göttingen", "Greifswald", "Hagenow-Land", "München", "Chemnitz", "Ludwigsburg", "Landkreis Ludwigsburg"),
        *("Landkreis Lörrach", "Brest", "Lyon", "Metz", "Pau"),
    ],
}
FRENCH = {"Dunkerque": "hdf", "Loos-en-Gohelle": "hdf", "Mouans-Sartoux": "pac", "Brest": "bre", "Lyon": "ara"}


@pytest.fixture(scope="module")
def directory(content: Content) -> ModelDirectory:
    assert content.model_municipalities is not None
    return content.model_municipalities


def entry(directory: ModelDirectory, name: str) -> ModelMunicipality:
    return next(m for m in directory.municipalities if m.name == name)


def test_the_directory_holds_the_members_of_the_three_programmes(directory: ModelDirectory):
    members = {p: [m.name for m in directory.municipalities if p in m.programmes] for p in ("dwk", "zwk")}
    assert len(members["zwk"]) == 37 and len(members["dwk"]) == 11  # 37 entries found for the 40 ZWK members
    for cycle, names in DFZW.items():
        assert sorted(m.name for m in directory.municipalities if cycle in m.programmes) == sorted(names)
    years = {p.id: p.years for p in directory.programmes}
    assert years == {
        "dwk": "2016–2020",
        "zwk": "2021–2024",
        "dfzw1": "2020/21",
        "dfzw2": "2022/23",
        "dfzw3": "2023–2024",
    }


def test_french_members_lie_in_their_region_and_the_cycle_names_the_field(directory: ModelDirectory):
    for name, region in FRENCH.items():
        assert entry(directory, name).regions == [region]
    assert all(m.fields == ["climate"] for m in directory.municipalities if "dfzw3" in m.programmes)
    assert entry(directory, "Grabow").fields == ["housing"]
    assert "participation" in entry(directory, "Barleben").fields


def test_facts_the_sources_do_not_state_are_marked_or_left_out(directory: ModelDirectory):
    assert entry(directory, "Geestland").assumed == ["kind"]  # "Stadt*" in the sources
    assert entry(directory, "Samtgemeinde Oldendorf-Himmelpforten").assumed == ["programmes"]  # [Annahme]
    assert entry(directory, "Brest").kinds == []  # ville or métropole: the sources do not say
    assert entry(directory, "Lyon").assumed == ["region"]
    assert entry(directory, "Landkreis Rostock").fields == [] and entry(directory, "Landkreis Rostock").note is None


def test_every_note_is_written_in_three_languages(directory: ModelDirectory):
    for m in directory.municipalities:
        assert m.note is None or m.note.missing() == [], m.name


@pytest.fixture
def root(tmp_path: Path) -> Path:
    copy = tmp_path / "content"
    shutil.copytree(CONTENT, copy)
    return copy


def refused(root: Path) -> list[str]:
    with pytest.raises(ContentInvalid) as caught:
        load_content(root)
    return [str(p) for p in caught.value.problems]


def test_an_entry_without_its_programmes_is_refused_with_file_place_and_line(root: Path):
    edit(
        root,
        FILE,
        '    regions: [st]\n    programmes: [zwk]\n    note:\n      de: "Startete',
        '    regions: [st]\n    note:\n      de: "Startete',
    )
    line = line_of(root, FILE, 'name: "Sangerhausen"')
    assert refused(root) == [f"{FILE}:{line} [municipalities.8.programmes]: Field required"]


def test_an_unknown_land_and_a_one_way_neighbour_are_refused(root: Path):
    edit(
        root,
        FILE,
        '  - name: "Grabow"\n    kinds: [stadt]\n    regions: [mv]',
        '  - name: "Grabow"\n    kinds: [stadt]\n    regions: [mecklenburg]',
    )
    edit(root, FILE, "  hb: [ni]\n", "  hb: [ni, sh]\n")
    problems = refused(root)
    assert any("municipalities.4.regions.0" in p and "unknown Land or région 'mecklenburg'" in p for p in problems)
    assert any("neighbours.hb.1" in p and "'sh' does not name 'hb' as its neighbour" in p for p in problems)
    assert len(problems) == 2


def test_a_name_given_twice_is_refused(root: Path):
    edit(root, FILE, '  - name: "Bremerhaven"', '  - name: "Grabow"')
    assert any("names appear twice: ['Grabow']" in p for p in refused(root))
