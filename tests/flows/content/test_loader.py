"""The content loader: the real content set is complete, and broken copies are refused precisely.

Each broken case copies the real content directory, breaks one thing, and checks that
``load_content`` reports exactly one problem naming the file, the place in it and the line.
Line numbers are looked up in the broken file, so the tests follow edits to the content.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import BaseModel

from flows.content.content import Content
from flows.content.loader import load_content
from flows.content.model import LANGUAGES, ChecklistStep, LocalText, RecordsStep
from flows.content.problems import ContentInvalid, ContentProblem
from tests.conftest import CONTENT

DAKS_STAGES = ["kickoff", "kommunalprofil", "zukunftswerkstatt", "werkstattplan", "zwischenbilanz"]


# -- helpers ---------------------------------------------------------------------------------------


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A private copy of the real content directory, free to break."""
    copy = tmp_path / "content"
    shutil.copytree(CONTENT, copy)
    return copy


def edit(root: Path, rel: str, old: str, new: str) -> None:
    """Replace ``old`` (which must occur exactly once) by ``new`` in one content file."""
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {rel}; fix the test"
    path.write_text(text.replace(old, new), encoding="utf-8")


def line_of(root: Path, rel: str, needle: str) -> int:
    """1-based number of the one line of ``rel`` that contains ``needle``."""
    lines = (root / rel).read_text(encoding="utf-8").splitlines()
    found = [i for i, line in enumerate(lines, 1) if needle in line]
    assert len(found) == 1, f"{needle!r} is on lines {found} of {rel}; fix the test"
    return found[0]


def the_problem(root: Path) -> ContentProblem:
    """Load ``root``, expect ContentInvalid with exactly one problem, and return that problem."""
    with pytest.raises(ContentInvalid) as info:
        load_content(root)
    problems = info.value.problems
    assert len(problems) == 1, "expected exactly one problem, got:\n" + "\n".join(map(str, problems))
    # The exception text lists the problem, so the CLI shows it without extra formatting.
    assert str(problems[0]) in str(info.value)
    return problems[0]


def step_index(content: Content, stage_id: str, step_id: str) -> int:
    return [s.id for s in content.stage(stage_id).steps].index(step_id)


# -- broken content --------------------------------------------------------------------------------


def test_invalid_yaml_syntax(root: Path) -> None:
    rel = "stages/zwischenbilanz.yaml"
    edit(
        root, rel, "  - id: zb_permanence_note\n    kind: text\n", "  - id: zb_permanence_note\n    kind: text: oops\n"
    )
    problem = the_problem(root)
    assert problem.file == rel
    assert problem.line == line_of(root, rel, "kind: text: oops")
    # A syntax error has no path inside the document; the line (and the parser's column) is the location.
    assert problem.location == ""
    assert problem.message.startswith("not valid YAML")
    assert "mapping values are not allowed" in problem.message
    assert str(problem).startswith(f"{rel}:{problem.line}: ")


def test_unknown_step_kind(root: Path, content: Content) -> None:
    rel = "stages/kickoff.yaml"
    edit(root, rel, "  - id: ko_coordinator\n    kind: text\n", "  - id: ko_coordinator\n    kind: essay\n")
    problem = the_problem(root)
    index = step_index(content, "kickoff", "ko_coordinator")
    assert problem.file == rel
    assert problem.location in (f"steps.{index}", f"steps.{index}.kind")
    assert "essay" in problem.message
    # The line must be the one holding the unknown kind, not merely where the step begins.
    assert problem.line == line_of(root, rel, "kind: essay")


def test_step_without_german_text(root: Path, content: Content) -> None:
    rel = "stages/kickoff.yaml"
    edit(root, rel, 'label: {de: "Koordination", fr: "Coordination"', 'label: {fr: "Coordination"')
    problem = the_problem(root)
    index = step_index(content, "kickoff", "ko_coordinator")
    assert problem.file == rel
    assert problem.location == f"steps.{index}.label"
    assert problem.line == line_of(root, rel, 'label: {fr: "Coordination"')
    assert "'de' text is required" in problem.message


def test_duplicate_step_id_across_stages(root: Path, content: Content) -> None:
    rel = "stages/kommunalprofil.yaml"
    index = step_index(content, "kommunalprofil", "kp_inventory")  # a step no rule or option source names
    assert "ko_date" in content.steps and content.stage_of("ko_date").id == "kickoff"
    edit(root, rel, "  - id: kp_inventory\n", "  - id: ko_date\n")
    problem = the_problem(root)
    assert problem.file == rel  # reported where the id is used the second time
    assert problem.location == f"steps.{index}.id"
    assert problem.line == line_of(root, rel, "- id: ko_date")
    assert "'ko_date'" in problem.message
    assert "already used" in problem.message


@pytest.mark.parametrize(
    ("stage_id", "step_id", "original"),
    [
        # a choice step of its own
        (
            "zukunftswerkstatt",
            "zw_priorities",
            "options_from: [answer:kp_candidates, answer:ob_fields, handlungsfelder]",
        ),
        # a single-choice field inside a records step
        (
            "werkstattplan",
            "wp_measures",
            "options_from: [answer:zw_priorities, answer:kp_candidates, answer:ob_fields, handlungsfelder]",
        ),
    ],
    ids=["choice-step", "records-field"],
)
def test_options_from_unknown_answer(root: Path, content: Content, stage_id: str, step_id: str, original: str) -> None:
    rel = f"stages/{stage_id}.yaml"
    edit(root, rel, original, "options_from: [answer:does_not_exist]")
    problem = the_problem(root)
    assert problem.file == rel
    assert problem.location.startswith(f"steps.{step_index(content, stage_id, step_id)}")
    assert "'answer:does_not_exist'" in problem.message
    # The line must be the one naming the unknown source, not merely where the step begins.
    assert problem.line == line_of(root, rel, "options_from: [answer:does_not_exist]")


def test_stage_without_checklist(root: Path, content: Content) -> None:
    rel = "stages/zwischenbilanz.yaml"
    checklist = content.stage("zwischenbilanz").steps[-1]
    assert isinstance(checklist, ChecklistStep)
    path = root / rel
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.index(f"  - id: {checklist.id}\n")], encoding="utf-8")  # the last step goes
    problem = the_problem(root)
    assert problem.file == rel
    assert "checklist" in problem.message
    # Point at the kind of the step that stands last instead of the checklist.
    last = len(content.stage("zwischenbilanz").steps) - 2
    assert problem.location == f"steps.{last}.kind"
    text = path.read_text(encoding="utf-8").splitlines()
    assert text[problem.line - 1].strip().startswith("kind:")


@pytest.mark.parametrize(
    ("reopens", "said"),
    [
        ("{decision: [rethink]}", "reopens: ['rethink'] are not options of the field 'decision'"),
        ("{helped: [adapt]}", "reopens: 'helped' is not a single-choice field of the step"),
    ],
)
def test_a_review_reopens_only_on_an_option_of_one_of_its_single_choice_fields(
    root: Path, reopens: str, said: str
) -> None:
    rel = "stages/zwischenbilanz.yaml"
    edit(root, rel, "reopens: {decision: [adapt]}", f"reopens: {reopens}")
    problem = the_problem(root)
    assert problem.file == rel and said in problem.message


def test_needs_names_unknown_step(root: Path) -> None:
    rel = "stages/werkstattplan.yaml"
    edit(root, rel, "needs: [zw_priorities]", "needs: [no_such_step]")
    problem = the_problem(root)
    assert problem.file == rel
    assert problem.location == "needs.0"
    assert problem.line == line_of(root, rel, "needs: [no_such_step]")
    assert "'no_such_step'" in problem.message


def test_command_name_used_twice(root: Path) -> None:
    rel = "commands.yaml"
    # /hilfe already belongs to `help`; give it to `menu` as well.
    edit(root, rel, "names: {de: [menue, menü]", "names: {de: [menue, menü, hilfe]")
    problem = the_problem(root)
    assert problem.file == rel
    assert problem.location == "2.names.de"  # the third command, `menu`
    assert "/hilfe" in problem.message
    assert "'help'" in problem.message
    assert problem.line == line_of(root, rel, "[menue, menü, hilfe]")


def test_missing_stage_file(root: Path) -> None:
    rel = "stages/zwischenbilanz.yaml"
    (root / rel).unlink()
    problem = the_problem(root)
    assert problem.file == rel
    assert problem.message == "file is missing"
    assert problem.line is None  # a file that does not exist has no lines
    assert str(problem) == f"{rel}: file is missing"


def test_every_problem_is_reported_at_once(root: Path) -> None:
    """Two independent breaks in two files: both are listed, not just the first."""
    edit(root, "stages/werkstattplan.yaml", "needs: [zw_priorities]", "needs: [no_such_step]")
    edit(root, "stages/kickoff.yaml", 'label: {de: "Koordination", fr: "Coordination"', 'label: {fr: "Coordination"')
    with pytest.raises(ContentInvalid) as info:
        load_content(root)
    assert sorted((p.file, p.location) for p in info.value.problems) == [
        ("stages/kickoff.yaml", "steps.1.label"),
        ("stages/werkstattplan.yaml", "needs.0"),
    ]


# -- the real content ------------------------------------------------------------------------------


def test_real_content_loads() -> None:
    content = load_content(CONTENT)
    assert content.root == CONTENT.resolve()
    assert content.manifest.languages == list(LANGUAGES)
    assert len(content.stages) == 6
    assert len(content.steps) == sum(len(s.steps) for s in content.stages)
    assert content.command_names["hilfe"] == "help"
    assert content.command_names["help"] == "help"


def test_onboarding_then_five_daks_stages(content: Content) -> None:
    onboarding, *rest = content.stages
    assert (onboarding.id, onboarding.number) == ("onboarding", 0)
    assert [s.id for s in rest] == DAKS_STAGES
    assert [s.id for s in content.daks_stages] == DAKS_STAGES
    assert [s.number for s in content.daks_stages] == [1, 2, 3, 4, 5]


def test_every_daks_stage_ends_with_its_checklist(content: Content) -> None:
    # The onboarding (number 0) is no DAKS stage and has no "done when" checklist.
    assert not any(isinstance(s, ChecklistStep) for s in content.stage("onboarding").steps)
    for stage in content.daks_stages:
        kinds = [s.kind for s in stage.steps]
        assert kinds[-1] == "checklist", f"{stage.id} ends with {kinds[-1]}"
        assert kinds.count("checklist") == 1, f"{stage.id} has {kinds.count('checklist')} checklists"
        assert stage.steps[-1].items, f"{stage.id}: empty checklist"


def _texts(node: Any, path: str) -> list[tuple[str, LocalText]]:
    """Every LocalText reachable from ``node``, with a readable path."""
    if isinstance(node, LocalText):
        return [(path, node)]
    if isinstance(node, BaseModel):
        return [t for name in type(node).model_fields for t in _texts(getattr(node, name), f"{path}.{name}")]
    if isinstance(node, (list, tuple)):
        return [t for i, item in enumerate(node) for t in _texts(item, f"{path}.{i}")]
    if isinstance(node, dict):
        return [t for key, item in node.items() for t in _texts(item, f"{path}.{key}")]
    return []


def test_every_text_has_german_french_and_english(content: Content) -> None:
    texts = (
        _texts(content.manifest, "content")
        + _texts(content.stages, "stages")
        + _texts(content.commands, "commands")
        + _texts(list(content.handlungsfelder.values()), "handlungsfelder")
    )
    # The walk must really reach the texts: every step has at least a label and a prompt.
    assert len(texts) > 2 * len(content.steps) + len(content.commands) + len(content.handlungsfelder)
    assert any(path.endswith(".items.0.label") for path, _ in texts)  # checklist items
    assert any(".fields.0.label" in path for path, _ in texts)  # record fields
    gaps = {path: text.missing() for path, text in texts if text.missing()}
    assert gaps == {}
    for path, text in texts:
        assert set(text.root) == set(LANGUAGES), path


def test_ids_are_unique(content: Content) -> None:
    stage_ids = [s.id for s in content.stages]
    assert len(stage_ids) == len(set(stage_ids))
    step_ids = [step.id for stage in content.stages for step in stage.steps]
    assert len(step_ids) == len(set(step_ids))
    assert set(step_ids) == set(content.steps)
    for stage in content.stages:
        for step in stage.steps:
            for attr in ("options", "items", "fields"):
                ids = [x.id for x in getattr(step, attr, [])]
                assert len(ids) == len(set(ids)), f"{step.id}.{attr}: {ids}"
            if isinstance(step, RecordsStep):
                for field in step.fields:
                    ids = [o.id for o in getattr(field, "options", [])]
                    assert len(ids) == len(set(ids)), f"{step.id}.{field.id}: {ids}"
    command_ids = [c.id for c in content.commands]
    assert len(command_ids) == len(set(command_ids))
    # content.handlungsfelder is a dict, which would hide a duplicate: count in the file itself.
    raw = yaml.safe_load((CONTENT / "handlungsfelder.yaml").read_text(encoding="utf-8"))
    field_ids = [h["id"] for h in raw]
    assert len(field_ids) == len(set(field_ids)) == len(content.handlungsfelder)
    # A typed command name leads to one command only.
    owners: dict[str, set[str]] = {}
    for command in content.commands:
        for names in command.names.values():
            for name in names:
                owners.setdefault(name.lower(), set()).add(command.id)
    assert {n: ids for n, ids in owners.items() if len(ids) > 1} == {}


def test_a_glossary_alias_names_one_term_only(root: Path) -> None:
    edit(root, "glossary.yaml", 'de: ["Zielgruppe", "Zielgruppen"]', 'de: ["Zielgruppe", "Indikator"]')
    problem = the_problem(root)
    assert problem.file == "glossary.yaml" and "'Indikator'" in problem.message and "also names" in problem.message
    assert problem.line == line_of(root, "glossary.yaml", '"Zielgruppe", "Indikator"')


def test_a_glossary_term_needs_aliases_in_every_language(root: Path) -> None:
    edit(root, "glossary.yaml", '    en: ["SWOT analysis", "SWOT matrix"]\n', "")
    problem = the_problem(root)
    assert problem.file == "glossary.yaml" and "aliases are missing for ['en']" in problem.message
