"""Checklist items the answers decide: what counts as filled per field kind, where, answers among options, what is
ticked now, and the line that explains it in German, French and English."""

from __future__ import annotations

from typing import Any

import pytest

from flows.content.content import Content
from flows.content.model import ChecklistStep, RecordsStep, Rule
from flows.conversation import rules
from flows.conversation.context import Ctx
from flows.conversation.state import State
from tests.flows.conversation.plan import indicator, measure

NNBSP = "\u202f"


def ctx_of(content: Content, lang: str = "de", **answers: Any) -> Ctx:
    return Ctx(content, State(version=content.version, lang=lang, answers=answers))


def rule_of(content: Content, checklist: str, item: str) -> Rule:
    step = content.step(checklist)
    assert isinstance(step, ChecklistStep)
    found = next(i.rule for i in step.items if i.id == item)
    assert found is not None
    return found


def verdict(content: Content, checklist: str, item: str, **answers: Any) -> rules.Verdict:
    return rules.decide(ctx_of(content, **answers), rule_of(content, checklist, item))


# -- every record has the fields ----------------------------------------------------------------------


def test_a_field_left_empty_in_one_record_names_that_record(content: Content):
    plan = [measure("r1", "Dorfladen"), measure("r2", "Mitfahrbank", end=None), measure("r3", "Bürgerbus", end="")]
    found = verdict(content, "wp_done", "timeline", wp_measures=plan)
    assert not found.met
    assert found.missing == ["Mitfahrbank", "Bürgerbus"] and found.total == 3


def test_no_records_is_not_met_and_all_filled_is(content: Content):
    assert not verdict(content, "wp_done", "timeline").met
    assert not verdict(content, "wp_done", "timeline", wp_measures=[]).met
    assert verdict(content, "wp_done", "timeline", wp_measures=[measure("r1", "Dorfladen")]).met


@pytest.mark.parametrize(
    ("owner", "filled"),
    [
        ({"member": 12, "name": "Anna"}, True),
        ({"name": "Bauamt"}, True),
        ("Wirtschaftsförderung", True),  # an older plan's text
        ("  ", False),
        ({"member": 12}, False),
        (None, False),
    ],
)
def test_an_owner_is_a_member_or_a_name(planned: Content, owner: Any, filled: bool):
    plan = [measure("r1", "Dorfladen", owner=owner)]
    assert verdict(planned, "wp_done", "owners", wp_measures=plan).met is filled


@pytest.mark.parametrize(
    ("budget", "filled"),
    [
        ({"text": "25.500 € LEADER", "amount": "25500", "source": "LEADER", "funding": "grant", "years": []}, True),
        ({"text": "noch offen", "amount": None, "source": "", "funding": None, "years": []}, False),
        ({"text": "to be decided", "amount": None, "source": "", "funding": None, "years": []}, False),
        ({"text": "LEADER-Förderung beantragen", "amount": None, "source": "", "funding": None, "years": []}, True),
        ("12.000 € aus dem Haushalt", True),  # stored before budgets were structured
        ("noch offen", False),
        ("", False),
    ],
)
def test_a_budget_is_an_amount_or_a_funding_source_not_a_note_that_it_is_open(
    content: Content, budget: Any, filled: bool
):
    plan = [measure("r1", "Dorfladen", budget=budget)]
    assert verdict(content, "wp_done", "budget", wp_measures=plan).met is filled


@pytest.mark.parametrize(
    ("record", "filled"),
    [
        ({"indicators": [indicator("Kundinnen je Woche", 300)]}, True),
        ({"indicators": [indicator("Kundinnen je Woche", "mehr als heute")]}, True),
        ({"indicators": [indicator("Kundinnen je Woche")]}, False),  # no target
        ({"indicators": [indicator("Umsatz"), indicator("Kundinnen je Woche", 300)]}, True),
        ({"indicators": []}, False),
        ({"indicators": None, "indicator": "Fahrgäste", "target": "40 bis 2028"}, True),  # an older record
        ({"indicators": None, "indicator": "Fahrgäste", "target": ""}, False),
    ],
)
def test_indicators_need_one_with_a_target(planned: Content, record: dict[str, Any], filled: bool):
    plan = [measure("r1", "Dorfladen", **record)]
    assert verdict(planned, "wp_done", "indicators", wp_measures=plan).met is filled


def test_where_looks_only_at_the_records_it_picks(content: Content):
    ideas = [
        {"uid": "z1", "idea": "Mitfahrbank", "priority": "low"},
        {"uid": "z2", "idea": "Dorfladen", "champion": "Frau Jensen", "priority": "high"},
    ]
    assert verdict(content, "zw_done", "owners", zw_ideas=ideas).met
    ideas.append({"uid": "z3", "idea": "Jugendtreff", "champion": "", "priority": "high"})
    found = verdict(content, "zw_done", "owners", zw_ideas=ideas)
    assert not found.met and found.missing == ["Jugendtreff"] and found.total == 2
    only_low = verdict(content, "zw_done", "owners", zw_ideas=ideas[:1])
    assert only_low.met and only_low.total == 0  # nothing of high priority: nothing lacks an owner


# -- answers -------------------------------------------------------------------------------------------


def test_an_answer_decides_when_given_and_among_the_options_named(content: Content):
    assert not verdict(content, "wp_done", "adopted").met
    assert not verdict(content, "wp_done", "adopted", wp_adoption="planned").met
    assert verdict(content, "wp_done", "adopted", wp_adoption="steering").met
    assert not verdict(content, "wp_done", "monitoring", wp_monitoring=None).met  # skipped
    assert verdict(content, "wp_done", "monitoring", wp_monitoring="2027-09-30").met


def test_several_answers_must_all_be_given(content: Content):
    assert not verdict(content, "ko_done", "steering", ko_coordinator="Hauptamt", ko_steering=[]).met
    assert verdict(content, "ko_done", "steering", ko_coordinator="Hauptamt", ko_steering=["Sozialamt"]).met


# -- what is done now ------------------------------------------------------------------------------------


def test_ticked_keeps_the_ticks_of_people_and_asks_the_answers_for_the_rest(content: Content, planned: Content):
    kickoff = content.step("ko_done")
    assert isinstance(kickoff, ChecklistStep)
    stored = ["event_held", "steering"]  # "steering" was met when the list was answered; the coordinator is gone since
    assert rules.ticked(ctx_of(content, ko_steering=["Sozialamt"]), kickoff, stored) == ["event_held"]
    named = ctx_of(content, ko_coordinator="Hauptamt", ko_steering=["Sozialamt"])
    assert rules.ticked(named, kickoff, []) == ["steering"]
    assert rules.ticked(named, kickoff, None) == ["steering"]
    plan = planned.step("wp_done")
    assert isinstance(plan, ChecklistStep)
    ctx = ctx_of(planned, wp_measures=[measure("r1", "Dorfladen", end=None)], wp_adoption="council")
    assert rules.ticked(ctx, plan, ["owners", "timeline", "indicators"]) == ["owners", "budget", "adopted"]


# -- the explanation -------------------------------------------------------------------------------------


def test_the_explanation_names_what_is_missing_and_where_in_each_language(planned: Content):
    plan = [
        measure("r1", "Dorfladen"),
        measure("r2", "Mitfahrbank", indicators=[indicator("Fahrten")]),
        measure("r3", "Bürgerbus", indicators=[indicator("Fahrgäste", 40)]),
    ]
    rule = rule_of(planned, "wp_done", "indicators")
    lines = {}
    for lang in ("de", "fr", "en"):
        ctx = ctx_of(planned, lang, wp_measures=plan)
        lines[lang] = rules.explain(ctx, rule, rules.decide(ctx, rule))
    step = planned.step("wp_measures")
    assert isinstance(step, RecordsStep)
    field = next(f for f in step.fields if f.id == "indicators")
    label = {lang: field.label.get(lang) for lang in ("de", "fr", "en")}
    assert lines["de"] == f"2 von 3 Maßnahmen ohne „{label['de']}“ oder „Zielwert“: Dorfladen, Mitfahrbank"
    assert lines["fr"] == (
        f"Sur 3 actions, 2 sans «{NNBSP}{label['fr']}{NNBSP}» ou «{NNBSP}valeur cible{NNBSP}»{NNBSP}: "
        "Dorfladen, Mitfahrbank"
    )
    assert lines["en"] == f"2 of 3 measures without “{label['en']}” or “target value”: Dorfladen, Mitfahrbank"


def test_the_explanation_of_a_rule_that_is_met_and_of_one_without_records(content: Content):
    rule = rule_of(content, "wp_done", "timeline")
    one = ctx_of(content, wp_measures=[measure("r1", "Dorfladen")])
    assert rules.explain(one, rule, rules.decide(one, rule)) == "1 von 1 Maßnahme mit „Beginn“ und „Ende“"
    two = ctx_of(content, "fr", wp_measures=[measure("r1", "Dorfladen"), measure("r2", "Bürgerbus")])
    assert rules.explain(two, rule, rules.decide(two, rule)) == (
        f"2 actions sur 2 avec «{NNBSP}Début{NNBSP}» et «{NNBSP}Fin{NNBSP}»"
    )
    none = ctx_of(content, "en")
    assert rules.explain(none, rule, rules.decide(none, rule)) == "Nothing has been entered under “Measures” yet"


def test_the_explanation_of_an_answer_is_the_answer(content: Content):
    rule = rule_of(content, "wp_done", "adopted")
    ctx = ctx_of(content, "en", wp_adoption="planned")
    assert rules.explain(ctx, rule, rules.decide(ctx, rule)) == "Adoption: adoption planned"
    rule = rule_of(content, "kp_done", "source_stated")
    ctx = ctx_of(content, "fr", kp_sources="insee")
    assert rules.explain(ctx, rule, rules.decide(ctx, rule)).endswith(
        f"Date de référence des données{NNBSP}: pas encore de réponse"
    )
