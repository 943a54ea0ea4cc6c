"""The documented similarity of flows/exchange/similarity.py: A ranks B above C by the weights, with the reasons
best first; the filter by country; no shared language, no match; a partner town first; a list of 3 to 5 with both
countries; a Pool finds the same lists as scoring every candidate alone."""

from __future__ import annotations

import random

import pytest

from flows.content.content import Content
from flows.exchange.model import Facts, Profile, Reason
from flows.exchange.similarity import WEIGHTS, Pool, Yardstick, match, matches, parts, score

A = Profile(
    1,
    Facts("Musterstadt", "de", "stadt", "s", "sn", kreis="14522", fields=("health", "housing"), stage="kommunalprofil"),
    offers=("mobility",),
    seeks=("housing", "engagement"),
    languages=("de", "fr"),
)
B = Profile(
    2,
    Facts("Grimma", "de", "stadt", "s", "sn", kreis="14729", fields=("health", "housing"), stage="kommunalprofil"),
    offers=("housing",),
    seeks=("mobility",),
    languages=("de",),
    contact="Rathaus Grimma",
)
C = Profile(
    3,
    Facts("Bautzen", "de", "stadt", "m", "sn", kreis="14522", fields=("education",), stage="werkstattplan"),
    languages=("de",),
)


@pytest.fixture(scope="module")
def y(content: Content) -> Yardstick:
    return Yardstick.of(content)


def test_the_weights_are_those_documented_and_sum_to_one():
    assert WEIGHTS == {"size": 0.20, "fields": 0.25, "stage": 0.10, "fit": 0.25, "distance": 0.15, "kind": 0.05}
    assert sum(WEIGHTS.values()) == pytest.approx(1.0)


def test_a_ranks_b_above_c_by_the_documented_parts(y: Yardstick):
    b, c = parts(A, B, y), parts(A, C, y)
    assert b == {"size": 1.0, "fields": 1.0, "stage": 1.0, "fit": 0.75, "distance": 0.7, "kind": 1.0}
    assert c == {"size": 0.5, "fields": 0.0, "stage": 0.0, "fit": 0.0, "distance": 1.0, "kind": 1.0}
    # 0.20 + 0.25 + 0.10 + 0.25 × 0.75 + 0.15 × 0.7 + 0.05 = 0.8925; 0.20 × 0.5 + 0.15 + 0.05 = 0.30
    assert match(A, B, y).score == pytest.approx(0.8925)  # type: ignore[union-attr]
    assert match(A, C, y).score == pytest.approx(0.30)  # type: ignore[union-attr]
    assert [m.profile.workspace_id for m in matches(A, [C, B], y)] == [2, 3]


def test_the_reasons_come_best_first_and_a_plan_last(y: Yardstick):
    planned = Profile(2, Facts(**{**B.facts.__dict__, "has_plan": True}), B.offers, B.seeks, B.languages)
    found = match(A, planned, y)
    assert found is not None
    assert found.reasons == (  # by what each adds to the score:
        Reason("fields", ("health", "housing")),  # 0.25
        Reason("size", ("s",)),  # 0.20
        Reason("seeks", ("mobility",)),  # 0.25 × ½ × (all B seeks, A offers)
        Reason("near", ("region",)),  # 0.15 × 0.7
        Reason("stage", ("kommunalprofil",)),  # 0.10
        Reason("offers", ("housing",)),  # 0.25 × ½ × (half of what A seeks, B offers)
        Reason("kind", ("stadt",)),  # 0.05
        Reason("plan"),
    )


def test_the_same_kreis_is_nearer_than_the_same_land_and_a_neighbour_across_the_border_counts(y: Yardstick):
    saar = Profile(1, Facts("Saarlouis", "de", "stadt", region="sl"), languages=("de", "fr"))
    alsace = Profile(4, Facts("Colmar", "fr", "commune", region="ges"), languages=("fr",))
    lyon = Profile(5, Facts("Lyon", "fr", "commune", region="ara"), languages=("fr",))
    assert parts(saar, alsace, y)["distance"] == 0.4
    assert parts(saar, lyon, y)["distance"] == 0.0
    assert parts(A, C, y)["distance"] == 1.0 and parts(A, B, y)["distance"] == 0.7
    assert Reason("near", ("neighbour",)) in match(saar, alsace, y).reasons  # type: ignore[union-attr]
    assert Reason("language", ("fr",)) in match(saar, alsace, y).reasons  # type: ignore[union-attr]


def test_without_a_shared_language_there_is_no_match(y: Yardstick):
    french_only = Profile(4, Facts("Colmar", "fr", "commune", "s", "ges", fields=("health",)), languages=("fr",))
    assert match(B, french_only, y) is None
    assert match(A, french_only, y) is not None  # A speaks French too
    assert [m.profile.workspace_id for m in matches(B, [french_only, C], y)] == [3]


def test_a_partner_town_comes_first_whoever_named_it_and_only_the_namer_reads_why(y: Yardstick):
    twin = Profile(4, Facts("Mâcon", "fr", "commune", region="bfc"), languages=("fr", "de"))
    named = Profile(1, A.facts, A.offers, A.seeks, A.languages, twin_town="Macon")
    found = matches(named, [B, C, twin], y)
    assert [m.profile.workspace_id for m in found] == [4, 2, 3]
    assert found[0].reasons[0] == Reason("twin")
    naming = Profile(4, twin.facts, languages=("fr", "de"), twin_town="musterstadt")
    first = matches(A, [B, C, naming], y)[0]
    assert first.profile.workspace_id == 4
    assert Reason("twin") not in first.reasons  # that Mâcon named Musterstadt would tell Musterstadt who it is


def test_the_filter_keeps_one_country_and_the_list_holds_both_countries(y: Yardstick):
    germans = [
        Profile(10 + i, Facts(f"Stadt {i}", "de", "stadt", "s", "sn", fields=("health",)), languages=("de",))
        for i in range(6)
    ]
    french = Profile(30, Facts("Colmar", "fr", "commune", "xs", "ges"), languages=("fr",))
    found = matches(A, [*germans, french], y)
    assert len(found) == 5 and 30 in [m.profile.workspace_id for m in found]  # the best French one, last
    assert [m.profile.workspace_id for m in matches(A, [*germans, french], y, "fr")] == [30]
    assert all(m.profile.facts.country == "de" for m in matches(A, [*germans, french], y, "de"))
    assert len(matches(A, [*germans, french], y, "de")) == 5


def test_three_are_shown_however_weak_a_fourth_only_when_it_is_similar_enough(y: Yardstick):
    weak = [Profile(40 + i, Facts(f"Fern {i}", "de", "landkreis", "xl", "sh"), languages=("de",)) for i in range(4)]
    assert len(matches(A, weak, y)) == 3
    assert len(matches(A, [B, *weak[:1]], y)) == 2  # fewer only when fewer exist
    assert matches(A, [A, B], y)[0].profile.workspace_id == 2  # never itself


def towns(rng: random.Random, n: int, y: Yardstick) -> list[Profile]:
    """``n`` made-up profiles from few values (many equal scores), some fields empty, some naming a partner town."""
    regions = {"de": ["sn", "sl", "rp", "bw", ""], "fr": ["ges", "ara", "bfc", ""]}
    fields = ["health", "housing", "mobility", "education", "engagement"]
    found = []
    for i in range(n):
        country = rng.choice(("de", "fr"))
        facts = Facts(
            f"Ort {i % 40}" if rng.random() < 0.9 else "",
            country,
            rng.choice(("stadt", "gemeinde", "commune", "")),
            rng.choice([*y.sizes[:3], ""]),
            rng.choice(regions[country]),
            kreis=rng.choice(("1", "2", "")),
            fields=tuple(rng.sample(fields, rng.randint(0, 3))),
            stage=rng.choice([*y.stages[:3], ""]),
            has_plan=rng.random() < 0.3,
        )
        twin = rng.choice(("", "", "", "  ort 3 ", "ORT 7", "Nirgendwo"))
        languages = tuple(rng.sample(("de", "fr", "en"), rng.randint(1, 2)))
        offers, seeks = tuple(rng.sample(fields, rng.randint(0, 2))), tuple(rng.sample(fields, rng.randint(0, 2)))
        found.append(Profile(100 + i, facts, offers, seeks, languages, "", twin))
    return found


@pytest.mark.parametrize("seed", range(6))
def test_a_pool_finds_the_same_list_as_scoring_every_candidate_alone(y: Yardstick, seed: int):
    rng = random.Random(seed)
    candidates = towns(rng, rng.choice((3, 8, 60, 400)), y)
    pool = Pool(candidates)
    assert list(pool) == candidates and pool[0] == candidates[0] and len(pool) == len(candidates)
    for me in [*rng.sample(candidates, min(25, len(candidates))), *towns(rng, 5, y)]:
        expected = [score(me, c, y) for c in candidates]
        assert list(pool.estimates(me, y)) == pytest.approx([-1.0 if e is None else e for e in expected], abs=1e-6)
        for country in (None, "de", "fr"):
            assert matches(me, pool, y, country) == matches(me, candidates, y, country)
        assert len(pool.contenders(me, y)) <= (len(candidates) if len(candidates) < 60 else len(candidates) // 4)
