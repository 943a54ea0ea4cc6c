"""What a place picked in the directory answers of the onboarding, by the options' codes and size classes."""

from __future__ import annotations

import pytest

from flows.content.content import Content
from flows.conversation.derived import answer_from, answers_from
from flows.statistics.directory import read_cog, read_gv100ad
from flows.statistics.model import Place
from tests.conftest import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "statistics"

GRABOW = Place("de", "13076052", "gemeinde", "Grabow, Stadt", "13076", "13", "63", "19300", 5_500)
AJACCIO = Place("fr", "2A004", "commune", "Ajaccio", "2A", "REG-94", "COM")


@pytest.mark.parametrize(
    ("population", "size"),
    [(1, "xs"), (4_999, "xs"), (5_000, "s"), (19_999, "s"), (20_000, "m"), (499_999, "l"), (500_000, "xl")],
)
def test_the_size_class_is_read_from_the_population(content: Content, population: int, size: str):
    place = Place("de", "09162000", "gemeinde", "München", "09162", "09", "61", population=population)
    assert answer_from(content.step("ob_size"), place) == size


@pytest.mark.parametrize(
    ("kind", "option"),
    [("60", "gemeinde"), ("61", "stadt"), ("62", "stadt"), ("63", "stadt"), ("64", "gemeinde"), ("67", "stadt")],
)
def test_the_textkennzeichen_tells_a_town_from_a_gemeinde(content: Content, kind: str, option: str):
    place = Place("de", "08111000", "gemeinde", "Stuttgart", "08111", "08", kind)
    assert answer_from(content.step("ob_kind"), place) == option
    assert answer_from(content.step("ob_land"), place) == "bw"


def test_a_commune_gives_its_region_by_the_cog_code_and_nothing_of_germany(content: Content):
    assert answer_from(content.step("ob_region"), AJACCIO) == "cor"
    assert answer_from(content.step("ob_kind"), AJACCIO) == "commune"
    assert answer_from(content.step("ob_land"), AJACCIO) is None, "a German question is not answered for France"
    assert answer_from(content.step("ob_size"), AJACCIO) is None, "the COG has no population"
    # Île-de-France is région 11, like the Land Berlin: each question reads only its own country's codes.
    paris = Place("fr", "75056", "commune", "Paris", "75", "REG-11", "COM")
    assert (
        answer_from(content.step("ob_region"), paris) == "idf" and answer_from(content.step("ob_land"), paris) is None
    )
    arrondissement = Place("fr", "75101", "commune", "Paris 1er Arrondissement", "75", "REG-11", "ARM")
    assert answer_from(content.step("ob_kind"), arrondissement) is None, "no option stands for ARM: it is asked"


def test_another_place_takes_back_only_what_the_first_one_gave(content: Content):
    onboarding = content.stage("onboarding")
    given = answers_from(onboarding, GRABOW, None, {})
    assert given == {"ob_kind": "stadt", "ob_land": "mv", "ob_size": "s"}
    # Ajaccio has no population and lies in no Land: what Grabow gave there goes (the size is asked again); an
    # answer typed by hand stays.
    assert answers_from(onboarding, AJACCIO, GRABOW, given) == {
        "ob_kind": "commune",
        "ob_region": "cor",
        "ob_land": None,
        "ob_size": None,
    }
    assert "ob_size" not in answers_from(onboarding, AJACCIO, GRABOW, {**given, "ob_size": "m"})


# -- places as the real readers make them (tests/fixtures/statistics) --------------------------------------
def place(places: list[Place], key: str) -> Place:
    return next(p for p in places if p.key == key)


def test_a_commune_of_the_cog_answers_its_region_and_kind_not_its_size(content: Content):
    places = read_cog((FIXTURES / "v_commune_2024.csv").read_bytes())
    ajaccio = place(places, "2A004")
    assert ajaccio.land == "REG-94", "the directory keys a région apart from the département of the same code"
    found = answers_from(content.stage_of("ob_name"), ajaccio, None, {})
    assert found == {"ob_kind": "commune", "ob_region": "cor"}  # the COG has no population: the size is asked


@pytest.mark.parametrize(("key", "region"), [("75056", "idf"), ("74119", "ara"), ("97411", "outre_mer")])
def test_every_region_code_of_the_cog_finds_its_option(content: Content, key: str, region: str):
    commune = place(read_cog((FIXTURES / "v_commune_2024.csv").read_bytes()), key)
    assert answers_from(content.stage_of("ob_name"), commune, None, {})["ob_region"] == region


def test_a_gemeinde_of_the_gv100ad_answers_its_land_kind_and_size(content: Content):
    grabow = place(read_gv100ad((FIXTURES / "gv100ad.txt").read_bytes()), "13076052")
    found = answers_from(content.stage_of("ob_name"), grabow, None, {})
    assert found == {"ob_kind": "stadt", "ob_land": "mv", "ob_size": "s"}
