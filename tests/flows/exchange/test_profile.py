"""A workspace's exchange facts, derived from its answers and from the place picked in the official directory."""

from __future__ import annotations

from flows.content.content import Content
from flows.exchange.model import Facts
from flows.exchange.profile import derive
from flows.statistics.model import Place

GRIMMA = Place("de", "14729160", "gemeinde", "Grimma, Stadt", kreis="14729", land="14", kind="63", population=28_000)
COLMAR = Place("fr", "68066", "commune", "Colmar", kreis="68", land="REG-44", kind="COM")


def test_typed_answers_give_the_facts(content: Content):
    answers = {
        "ob_name": "Musterstadt",
        "ob_kind": "stadt",
        "ob_land": "sn",
        "ob_size": "s",
        "ob_fields": ["health", "housing"],
        "ko_sponsor": "Bürgermeisterin",
    }
    assert derive(content, answers, None) == Facts(
        name="Musterstadt",
        country="de",
        kind="stadt",
        size="s",
        region="sn",
        fields=("health", "housing"),
        stage="kickoff",
    )


def test_the_priorities_of_a_later_stage_win_and_the_furthest_stage_with_an_answer_counts(content: Content):
    answers = {
        "ob_fields": ["health"],
        "kp_candidates": ["mobility", "housing"],
        "zw_priorities": ["engagement", "mobility"],
        "wp_measures": [{"uid": "r1", "measure": "Dorfladen"}],
    }
    facts = derive(content, answers, None)
    assert facts.fields == ("engagement", "mobility") and facts.stage == "werkstattplan" and facts.has_plan
    facts = derive(content, {"ob_fields": ["health"], "kp_candidates": ["mobility"], "zw_priorities": []}, None)
    assert facts.fields == ("mobility",) and facts.stage == "kommunalprofil" and not facts.has_plan


def test_a_place_picked_in_the_directory_gives_kind_size_region_key_and_kreis(content: Content):
    answers = {"ob_name": {"name": "Grimma, Stadt", "key": "14729160", "country": "de"}}
    assert derive(content, answers, GRIMMA) == Facts(
        name="Grimma, Stadt", country="de", kind="stadt", size="m", region="sn", key="14729160", kreis="14729"
    )
    assert derive(content, {**answers, "ob_size": "s"}, GRIMMA).size == "s"  # an answer given wins


def test_a_french_commune_from_the_directory(content: Content):
    answers = {"ob_name": {"name": "Colmar", "key": "68066", "country": "fr"}, "ob_size": "m"}
    facts = derive(content, answers, COLMAR)
    assert (facts.country, facts.kind, facts.region, facts.size, facts.kreis) == ("fr", "commune", "ges", "m", "68")


def test_outside_germany_the_region_comes_from_the_french_question(content: Content):
    answers = {"ob_name": "Sarreguemines", "ob_kind": "commune", "ob_land": "other", "ob_region": "ges"}
    facts = derive(content, answers, None)
    assert (facts.country, facts.region) == ("fr", "ges")
    assert derive(content, {"ob_name": "Irgendwo", "ob_land": "other"}, None).region == ""
