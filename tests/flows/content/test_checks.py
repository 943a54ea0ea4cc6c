"""The content set's cross-checks that `daks content check` reports (beyond loading)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from flows.content.checks import short_labels
from flows.content.loader import load_content
from flows.content.problems import ContentInvalid
from tests.conftest import ROOT

CONTENT = ROOT / "content"


def edited(tmp_path: Path, rel: str, old: str, new: str) -> tuple[Path, int]:
    """A copy of the content with one edit, and the line the edit is on."""
    copy = tmp_path / "content"
    shutil.copytree(CONTENT, copy, dirs_exist_ok=True)
    path = copy / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    line = next(i for i, row in enumerate(text.splitlines(), 1) if new.strip() and new.strip() in row)
    return copy, line


def test_every_option_of_the_shipped_content_fits_a_button():
    assert short_labels(load_content(CONTENT)) == []


def test_a_long_label_without_a_short_one_is_reported_with_file_and_line(tmp_path: Path):
    short = 'short: {de: "Rückhalt der Spitze", fr: "Soutien de l\'exécutif", en: "Leadership backing"}}'
    copy, _ = edited(tmp_path, "stages/kickoff.yaml", ",\n         " + short, "}")
    [problem] = short_labels(load_content(copy))
    text = (copy / "stages/kickoff.yaml").read_text(encoding="utf-8").splitlines()
    line = next(i for i, row in enumerate(text, 1) if "{id: leadership" in row)
    assert problem.file == "stages/kickoff.yaml" and problem.line == line
    assert "label longer than 24 characters in de, fr, en" in problem.message and "short" in problem.message


def test_a_short_label_too_long_for_a_button_is_reported(tmp_path: Path):
    copy, line = edited(
        tmp_path, "handlungsfelder.yaml", 'fr: "Services au public"', 'fr: "Services au public et proximité"'
    )
    [problem] = short_labels(load_content(copy))
    assert str(problem) == (f"handlungsfelder.yaml:{line} [1.short]: short label longer than 24 characters in fr")


def problems_of(tmp_path: Path, *edits: tuple[str, str]) -> list[str]:
    """The problems of a copy of the content with the onboarding edited."""
    copy = tmp_path / "content"
    shutil.copytree(CONTENT, copy, dirs_exist_ok=True)
    path = copy / "stages/onboarding.yaml"
    text = path.read_text(encoding="utf-8")
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ContentInvalid) as info:
        load_content(copy)
    return [str(p) for p in info.value.problems]


def onboarding_line(needle: str) -> int:
    rows = (CONTENT / "stages/onboarding.yaml").read_text(encoding="utf-8").splitlines()
    return next(i for i, row in enumerate(rows, 1) if needle in row)


def test_a_code_on_two_options_is_reported_where_it_is_second(tmp_path: Path):
    found = problems_of(tmp_path, ('{id: bb, codes: ["12"]', '{id: bb, codes: ["13"]'))
    line = onboarding_line("{id: mv,")
    assert found == [f"stages/onboarding.yaml:{line} [steps.3.options.7.codes]: code '13' is also on 'bb'"]


def test_size_classes_must_grow(tmp_path: Path):
    [problem] = problems_of(tmp_path, ("{id: s, population_below: 20000", "{id: s, population_below: 2000"))
    assert problem.startswith(f"stages/onboarding.yaml:{onboarding_line('{id: xs,')} [steps.5.options.0]")
    assert problem.endswith("population_below must grow from option to option")


def test_codes_without_from_place_and_from_place_without_a_place_step_are_reported(tmp_path: Path):
    found = problems_of(tmp_path, ("    from_place: region\n", ""))
    assert len(found) == 14 and all(p.endswith("codes need from_place land, region or kind") for p in found)
    found = problems_of(tmp_path, ("    kind: place\n", "    kind: text\n"))
    assert len(found) == 4 and all(p.endswith("from_place needs a step of kind place in the same stage") for p in found)


@pytest.mark.parametrize(
    ("source", "why"),
    [("zw_priorities", "no earlier records step"), ("wp_nothing", "no earlier records step")],
)
def test_from_ideas_must_name_an_earlier_records_step_with_a_priority(tmp_path: Path, source: str, why: str):
    copy, line = edited(tmp_path, "stages/werkstattplan.yaml", "from_ideas: zw_ideas", f"from_ideas: {source}")
    with pytest.raises(ContentInvalid) as info:
        load_content(copy)
    [problem] = [str(p) for p in info.value.problems]
    assert problem == (
        f"stages/werkstattplan.yaml:{line} [steps.0.from_ideas]: from_ideas names {source!r}, which is {why} "
        "with a 'priority' field"
    )


def test_from_ideas_and_for_each_exclude_each_other(tmp_path: Path):
    copy, _ = edited(tmp_path, "stages/werkstattplan.yaml", "title_field: measure", "for_each: zw_ideas")
    with pytest.raises(ContentInvalid) as info:
        load_content(copy)
    assert any("cannot take ideas (from_ideas)" in str(p) for p in info.value.problems)


# -- checklist rules --------------------------------------------------------------------------------------


def rule_problems(tmp_path: Path, rel: str, old: str, new: str) -> list[str]:
    """The problems of a copy of the content with one rule edited, without the file and line."""
    copy, line = edited(tmp_path, rel, old, new)
    with pytest.raises(ContentInvalid) as info:
        load_content(copy)
    found = [str(p) for p in info.value.problems if p.file == rel]  # a stage that does not load leaves gaps later
    assert all(p.startswith(f"{rel}:{line} [") for p in found), found
    return [p.split("]: ", 1)[1].removeprefix("Value error, ") for p in found]


OWNERS = "rule: {every: wp_measures, has: [owner]}"
ADOPTED = "rule: {answer: wp_adoption, among: [council, steering]}"
PRIORITY = "rule: {every: zw_ideas, where: {priority: [high]}, has: [champion]}"
WP, ZW = "stages/werkstattplan.yaml", "stages/zukunftswerkstatt.yaml"


def test_the_shipped_rules_name_steps_fields_and_options_that_exist():
    content = load_content(CONTENT)
    ruled = [i.id for s in content.stages for st in s.steps for i in getattr(st, "items", []) if i.rule]
    assert {"owners", "timeline", "budget", "adopted", "monitoring", "permanence", "steering"} <= set(ruled)


def test_every_must_name_a_records_step_of_this_or_an_earlier_stage(tmp_path: Path):
    assert rule_problems(tmp_path, WP, OWNERS, "rule: {every: wp_adoption, has: [owner]}") == [
        "every names 'wp_adoption', which is no records step of this or an earlier stage"
    ]
    later = "rule: {every: wp_measures, has: [owner]}"
    assert rule_problems(tmp_path / "later", ZW, PRIORITY, later) == [
        "every names 'wp_measures', which is no records step of this or an earlier stage"
    ]


def test_where_needs_a_single_choice_field_and_its_options(tmp_path: Path):
    assert rule_problems(tmp_path, ZW, PRIORITY, "rule: {every: zw_ideas, where: {champion: [x]}, has: [idea]}") == [
        "where names 'champion', which is no single-choice field of 'zw_ideas'"
    ]
    urgent = "rule: {every: zw_ideas, where: {priority: [high, urgent]}, has: [champion]}"
    assert rule_problems(tmp_path / "option", ZW, PRIORITY, urgent) == [
        "where priority: 'urgent' is no option of that field"
    ]


def test_has_names_fields_of_the_records_step(tmp_path: Path):
    assert rule_problems(tmp_path, WP, OWNERS, "rule: {every: wp_measures, has: [owner, sponsor]}") == [
        "has names 'sponsor', which is no field of 'wp_measures'"
    ]


def test_answer_names_a_step_and_among_its_options(tmp_path: Path):
    assert rule_problems(tmp_path, WP, ADOPTED, "rule: {answer: [wp_adoption, zb_date]}") == [
        "answer names 'zb_date', which is no step of this or an earlier stage"
    ]
    assert rule_problems(tmp_path / "among", WP, ADOPTED, "rule: {answer: wp_adoption, among: [council, mayor]}") == [
        "among: 'mayor' is no option of 'wp_adoption'"
    ]
    assert rule_problems(tmp_path / "date", WP, ADOPTED, "rule: {answer: wp_monitoring, among: [council]}") == [
        "among needs a step with options; 'wp_monitoring' has none"
    ]


def test_a_rule_says_what_it_is_about_in_one_way(tmp_path: Path):
    assert rule_problems(tmp_path, WP, ADOPTED, "rule: {answer: wp_adoption, every: wp_measures, has: [owner]}") == [
        "a rule names exactly one of 'every' (a records step) or 'answer' (a step)"
    ]
    assert rule_problems(tmp_path / "has", WP, OWNERS, "rule: {every: wp_measures}") == [
        "a rule with 'every' needs 'has': the fields each record must have"
    ]
    assert rule_problems(tmp_path / "where", WP, ADOPTED, "rule: {answer: wp_adoption, has: [owner]}") == [
        "'has' and 'where' go with 'every'"
    ]
    two = "rule: {answer: [wp_adoption, wp_monitoring], among: [council]}"
    assert rule_problems(tmp_path / "among", WP, ADOPTED, two) == ["'among' goes with 'answer' naming one step"]
    assert rule_problems(tmp_path / "key", WP, ADOPTED, "rule: {answer: wp_adoption, when: soon}") == [
        "Extra inputs are not permitted"
    ]
