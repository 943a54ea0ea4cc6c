"""Answers the official directory gives, from places as the real readers make them (tests/fixtures/statistics)."""

from __future__ import annotations

import pytest

from flows.content.content import Content
from flows.conversation.derived import answers_from
from flows.statistics.directory import read_cog, read_gv100ad
from flows.statistics.model import Place
from tests.conftest import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "statistics"


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
