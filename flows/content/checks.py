"""Cross-checks of the content set: references between files, translations, templates, reachable stages."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, get_args

import yaml
from babel.messages.pofile import read_po
from jinja2 import Environment, TemplateSyntaxError, meta, nodes
from pydantic import BaseModel

from flows.content.content import Content
from flows.content.model import (
    ChecklistStep,
    Command,
    Country,
    FieldSingle,
    GlossaryTerm,
    Handlungsfeld,
    LocalText,
    Option,
    RecordsStep,
    Rule,
    Stage,
    Step,
    ToolboxItem,
)
from flows.content.problems import ContentProblem, YamlTree, line_of, locate
from flows.content.typography import spacing_faults
from flows.messages import BUTTON


def _nodes(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, tuple[Any, ...]]]:
    """Every value of a content model tree with its path (field names and list indexes), the tree first."""
    yield value, path
    if isinstance(value, BaseModel) and not isinstance(value, LocalText):
        for name in type(value).model_fields:
            yield from _nodes(getattr(value, name), (*path, name))
    elif isinstance(value, list):
        for i, element in enumerate(value):
            yield from _nodes(element, (*path, i))


def _files(content: Content, *extra: tuple[str, Any]) -> Iterator[tuple[str, Any, YamlTree | None]]:
    """The stage files and ``extra`` files: name, model tree and YAML tree (for line numbers)."""
    for rel, tree in [*((f"stages/{s.id}.yaml", s) for s in content.stages), *extra]:
        yield rel, tree, _tree(content, rel)


def missing_translations(content: Content) -> list[ContentProblem]:
    """Every text node that lacks one of the content set's languages, with file and location."""
    languages = content.manifest.languages
    problems: list[ContentProblem] = []
    files = _files(
        content,
        ("handlungsfelder.yaml", list(content.handlungsfelder.values())),
        ("commands.yaml", content.commands),
        ("toolbox.yaml", list(content.toolbox.values())),
        ("glossary.yaml", content.glossary),
        ("funding.yaml", content.funding),
        ("model_municipalities.yaml", content.model_municipalities),
    )
    for rel, tree, lazy in files:
        for value, path in _nodes(tree):
            absent = [
                lang for lang in languages if isinstance(value, LocalText) and not value.root.get(lang, "").strip()
            ]
            if absent:
                where, line = locate(lazy, path)
                problems.append(ContentProblem(rel, where, line, f"no text in {', '.join(absent)}"))
    return problems


def short_labels(content: Content) -> list[ContentProblem]:
    """Options whose label does not fit on a button (over ``BUTTON`` characters) without a short label that does."""
    problems: list[ContentProblem] = []
    for rel, tree, lazy in _files(content, ("handlungsfelder.yaml", list(content.handlungsfelder.values()))):
        for option, path in _nodes(tree):
            if not isinstance(option, Option | Handlungsfeld):
                continue
            texts, field = (option.label, "label") if option.short is None else (option.short, "short")
            over = [lang for lang, text in texts.root.items() if len(text) > BUTTON]
            if over:
                where, line = locate(lazy, (*path, field))
                message = (
                    f"label longer than {BUTTON} characters in {', '.join(over)}: give it a short label (short:)"
                    if field == "label"
                    else f"short label longer than {BUTTON} characters in {', '.join(over)}"
                )
                problems.append(ContentProblem(rel, where, line, message))
    return problems


def _tree(content: Content, rel: str) -> YamlTree | None:
    """The YAML node tree of a content file, for line numbers."""
    path = content.root / rel
    return YamlTree(path.read_text(encoding="utf-8")) if path.exists() else None


TEMPLATE_VARIABLES = {"municipality": {"name", "kind", "land", "size", "fields", "country"}}
_jinja = Environment()


def template_problems(content: Content) -> list[ContentProblem]:
    """Texts that use a template variable the engine does not provide (or do not parse)."""
    problems: list[ContentProblem] = []

    def check(text: LocalText, rel: str, path: tuple[Any, ...]) -> None:
        for lang, source in text.root.items():
            if "{" not in source:
                continue
            where = ".".join(str(p) for p in (*path, lang))
            try:
                tree = _jinja.parse(source)
            except TemplateSyntaxError as exc:
                problems.append(ContentProblem(rel, where, None, f"template does not parse: {exc.message}"))
                continue
            for name in meta.find_undeclared_variables(tree) - set(TEMPLATE_VARIABLES):
                problems.append(ContentProblem(rel, where, None, f"unknown template variable {name!r}"))
            for node in tree.find_all(nodes.Getattr):
                if isinstance(node.node, nodes.Name) and node.attr not in TEMPLATE_VARIABLES.get(node.node.name, set()):
                    problems.append(
                        ContentProblem(rel, where, None, f"unknown template variable '{node.node.name}.{node.attr}'")
                    )

    def walk(value: Any, rel: str, path: tuple[Any, ...]) -> None:
        if isinstance(value, LocalText):
            check(value, rel, path)
        elif isinstance(value, BaseModel):
            for name in type(value).model_fields:
                walk(getattr(value, name), rel, (*path, name))
        elif isinstance(value, list):
            for i, element in enumerate(value):
                walk(element, rel, (*path, i))

    for stage in content.stages:
        walk(stage, f"stages/{stage.id}.yaml", ())
    return problems


def unreachable_stages(content: Content) -> list[ContentProblem]:
    """Stage files the conversation never reaches because content.yaml does not list them."""
    listed = set(content.manifest.stages)
    return [
        ContentProblem(
            f"stages/{path.name}", "", None, f"stage {path.stem!r} is unreachable: content.yaml does not list it"
        )
        for path in sorted((content.root / "stages").glob("*.yaml"))
        if path.stem not in listed
    ]


def country_problems(content: Content) -> list[ContentProblem]:
    """Steps that would offer a municipality of some country no option at all."""
    problems: list[ContentProblem] = []
    for stage in content.stages:
        for i, step in enumerate(stage.steps):
            options = getattr(step, "options", None) or getattr(step, "items", None) or []
            if not any(o.countries for o in options):
                continue
            for country in step.countries or list(get_args(Country)):
                if not any(not o.countries or country in o.countries for o in options):
                    problems.append(
                        ContentProblem(
                            f"stages/{stage.id}.yaml", f"steps.{i}", None, f"offers no option in country {country!r}"
                        )
                    )
    return problems


def place_problems(content: Content) -> list[ContentProblem]:
    """Steps answered from the place picked in the directory (``from_place``) whose options cannot say which
    answer a place gives: no codes or size classes, a code on two options, size classes out of order; codes
    or size classes on a step that takes nothing from the place; no step of kind place in the stage."""
    problems: list[ContentProblem] = []
    for stage in content.stages:
        rel = f"stages/{stage.id}.yaml"
        lazy = _tree(content, rel)
        placed = any(s.kind == "place" for s in stage.steps)
        for i, step in enumerate(stage.steps):
            for loc, message in _from_place(step, placed):
                where, line = locate(lazy, ("steps", i, *loc))
                problems.append(ContentProblem(rel, where, line, message))
    return problems


def _from_place(step: Step, placed: bool) -> list[tuple[tuple[Any, ...], str]]:
    """One step's ``from_place`` problems: where in the step, and what."""
    options: list[Option] = list(getattr(step, "options", None) or [])
    coded = [j for j, o in enumerate(options) if o.codes]
    sized = [j for j, o in enumerate(options) if o.population_below is not None]
    by_code = step.from_place in ("land", "region", "kind")
    found: list[tuple[tuple[Any, ...], str]] = []
    if step.from_place is not None and not placed:
        found.append((("from_place",), "from_place needs a step of kind place in the same stage"))
    if step.from_place is not None and not options:
        found.append((("from_place",), "from_place needs a step with options (kind single)"))
    found += [(("options", j, "codes"), "codes need from_place land, region or kind") for j in coded if not by_code]
    if step.from_place != "size":
        found += [(("options", j, "population_below"), "population_below needs from_place size") for j in sized]
    if by_code and options and not coded:
        found.append((("from_place",), f"from_place {step.from_place}: no option has codes"))
    seen: dict[str, str] = {}
    for j in coded if by_code else []:
        for code in options[j].codes:
            if seen.setdefault(code, options[j].id) != options[j].id:
                found.append((("options", j, "codes"), f"code {code!r} is also on {seen[code]!r}"))
    if step.from_place == "size" and options:
        limits = [options[j].population_below or 0 for j in sized]
        if not sized:
            found.append((("from_place",), "from_place size: no option has population_below"))
        elif limits != sorted(set(limits)):
            found.append((("options", sized[0]), "population_below must grow from option to option"))
        if len(options) - len(sized) > 1:
            found.append((("options",), "only one option may be without population_below (the largest)"))
    return found


def unique_ids(
    items: Sequence[Handlungsfeld | Command | ToolboxItem | GlossaryTerm],
    node: YamlTree | None,
    rel: str,
    problems: list[ContentProblem],
) -> None:
    """Each id once in a list file."""
    seen: set[str] = set()
    for i, item in enumerate(items):
        if item.id in seen:
            problems.append(ContentProblem(rel, f"{i}.id", line_of(node, (i, "id")), f"id {item.id!r} appears twice"))
        seen.add(item.id)


def glossary_aliases(terms: list[GlossaryTerm], node: YamlTree | None, problems: list[ContentProblem]) -> None:
    """An alias names one term only, so a question about it has one answer."""
    owner: dict[str, str] = {}
    for i, term in enumerate(terms):
        for lang, aliases in term.aliases.items():
            for j, alias in enumerate(aliases):
                key = " ".join(alias.casefold().split())
                if owner.setdefault(key, term.id) != term.id:
                    path, line = locate(node, (i, "aliases", lang, j))
                    problems.append(
                        ContentProblem("glossary.yaml", path, line, f"alias {alias!r} also names {owner[key]!r}")
                    )


def cross_check(
    content: Content, nodes: dict[str, tuple[str, YamlTree | None]], problems: list[ContentProblem]
) -> None:
    """References between files: unique ids, option sources and inputs that exist earlier."""
    earlier_stages: set[str] = set()

    def problem(rel: str, node: YamlTree | None, loc: tuple[Any, ...], message: str) -> None:
        path, line = locate(node, loc)
        problems.append(ContentProblem(rel, path, line, message))

    for stage in content.stages:
        rel, node = nodes[stage.id]
        seen_here: set[str] = set()
        for i, step in enumerate(stage.steps):
            where = ("steps", i)
            if step.id in content.steps:
                problem(rel, node, (*where, "id"), f"step id {step.id!r} is already used in another stage")
            content.steps[step.id] = (stage, step)
            if step.saves_to:
                content.profile_steps[step.saves_to] = step.id
            known = earlier_stages | seen_here
            sources: list[tuple[tuple[Any, ...], str]] = [
                ((*where, "options_from"), s) for s in getattr(step, "options_from", [])
            ]
            if isinstance(step, RecordsStep):
                for j, f in enumerate(step.fields):
                    sources += [((*where, "fields", j, "options_from"), s) for s in getattr(f, "options_from", [])]
                for loc, message in _records_problems(content, step, known):
                    problem(rel, node, (*where, *loc), message)
            for loc, source in sources:
                if source.startswith("answer:") and source.removeprefix("answer:") not in known:
                    problem(rel, node, loc, f"option source {source!r} names no earlier step")
            seen_here.add(step.id)
        if stage.number > 0 and not isinstance(stage.steps[-1], ChecklistStep):
            problem(
                rel,
                node,
                ("steps", len(stage.steps) - 1, "kind"),
                "the last step of a DAKS stage must be its 'done when' checklist",
            )
        for j, need in enumerate(stage.needs):
            if need not in earlier_stages:
                problem(rel, node, ("needs", j), f"needs {need!r}, which is no step of an earlier stage")
        earlier_stages |= seen_here
        for loc, message in stage_rule_problems(content, stage, earlier_stages):
            problem(rel, node, loc, message)


def _records_problems(content: Content, step: RecordsStep, known: set[str]) -> list[tuple[tuple[Any, ...], str]]:
    """A records step's references to earlier records steps: ``for_each`` and ``from_ideas``."""
    found: list[tuple[tuple[Any, ...], str]] = []
    if step.for_each and (step.for_each not in known or not isinstance(_step_in(content, step.for_each), RecordsStep)):
        found.append((("for_each",), f"for_each names {step.for_each!r}, which is no earlier records step"))
    ideas = _step_in(content, step.from_ideas) if step.from_ideas in known else None
    if step.from_ideas and not (isinstance(ideas, RecordsStep) and any(f.id == "priority" for f in ideas.fields)):
        found.append(
            (
                ("from_ideas",),
                f"from_ideas names {step.from_ideas!r}, which is no earlier records step with a 'priority' field",
            )
        )
    return found


def stage_rule_problems(content: Content, stage: Stage, known: set[str]) -> list[tuple[tuple[Any, ...], str]]:
    """The problems of the rules of a stage's checklist items, where in the stage file."""
    found: list[tuple[tuple[Any, ...], str]] = []
    for i, step in enumerate(stage.steps):
        for j, item in enumerate(step.items if isinstance(step, ChecklistStep) else []):
            if item.rule is not None:
                found += [
                    (("steps", i, "items", j, "rule", *loc), message)
                    for loc, message in rule_problems(content, item.rule, known)
                ]
    return found


def rule_problems(content: Content, rule: Rule, known: set[str]) -> list[tuple[tuple[Any, ...], str]]:
    """A checklist rule's references (see ``Rule``): steps of this or an earlier stage (``known``), the records
    step's fields, and option ids; where in the rule, and what."""
    found: list[tuple[tuple[Any, ...], str]] = []
    if rule.every is not None:
        records = _step_in(content, rule.every) if rule.every in known else None
        if not isinstance(records, RecordsStep):
            return [(("every",), f"every names {rule.every!r}, which is no records step of this or an earlier stage")]
        fields = {f.id: f for f in records.fields}
        for key, wanted in rule.where.items():
            single = fields.get(key)
            if not isinstance(single, FieldSingle):
                message = f"where names {key!r}, which is no single-choice field of {rule.every!r}"
                found.append((("where", key), message))
                continue
            found += [
                (("where", key, k), f"where {key}: {option!r} is no option of that field")
                for k, option in enumerate(wanted)
                if option not in _option_ids(content, single)
            ]
        found += [
            (("has", k), f"has names {name!r}, which is no field of {rule.every!r}")
            for k, name in enumerate(rule.has)
            if name not in fields
        ]
    for k, step_id in enumerate(rule.answer):
        step = _step_in(content, step_id) if step_id in known else None
        if step is None:
            found.append((("answer", k), f"answer names {step_id!r}, which is no step of this or an earlier stage"))
        elif rule.among and not _option_ids(content, step):
            found.append((("among",), f"among needs a step with options; {step_id!r} has none"))
        else:
            found += [
                (("among", m), f"among: {option!r} is no option of {step_id!r}")
                for m, option in enumerate(rule.among)
                if option not in _option_ids(content, step)
            ]
    return found


def _option_ids(content: Content, step: Step | FieldSingle) -> set[str]:
    """The option ids a step or field can hold: its options, or the Handlungsfelder it offers."""
    listed = getattr(step, "options", None) or getattr(step, "items", None) or []
    if listed:
        return {o.id for o in listed}
    return set(content.handlungsfelder) if getattr(step, "options_from", None) else set()


def toolbox_references(
    content: Content, items: list[ToolboxItem], node: YamlTree | None, problems: list[ContentProblem]
) -> None:
    # Check against the manifest, so that one broken stage file does not cascade into the toolbox.
    listed = set(content.manifest.stages) if content.manifest else set()
    stages = listed - {s.id for s in content.stages if s.number == 0}
    for i, item in enumerate(items):
        for j, field_id in enumerate(item.fields):
            if field_id not in content.handlungsfelder:
                path, line = locate(node, (i, "fields", j))
                problems.append(ContentProblem("toolbox.yaml", path, line, f"unknown Handlungsfeld {field_id!r}"))
        for j, stage_id in enumerate(item.stages):
            if stage_id not in stages:
                path, line = locate(node, (i, "stages", j))
                problems.append(ContentProblem("toolbox.yaml", path, line, f"unknown stage {stage_id!r}"))
    content.toolbox = {item.id: item for item in items}


def _step_in(content: Content, step_id: str) -> Step | None:
    return content.steps[step_id][1] if step_id in content.steps else None


def command_names(content: Content, node: YamlTree | None, problems: list[ContentProblem]) -> None:
    names: dict[str, str] = {}
    for i, command in enumerate(content.commands):
        for lang, lang_names in command.names.items():
            for name in lang_names:
                key = name.casefold()
                if names.get(key, command.id) != command.id:
                    path, line = locate(node, (i, "names", lang))
                    problems.append(
                        ContentProblem(
                            "commands.yaml", path, line, f"command name /{name} is used by {names[key]!r} too"
                        )
                    )
                names[key] = command.id
    content.command_names = names


def french_spacing_problems(content: Content) -> list[ContentProblem]:
    """French texts in the content files and the fr catalogue without the no-break space before : ; ! ? or in « »."""
    problems: list[ContentProblem] = []
    for path in sorted(content.root.rglob("*.yaml")):
        rel = str(path.relative_to(content.root))
        node = YamlTree(path.read_text(encoding="utf-8")).node
        for scalar in _french_scalars(node):
            for fault in spacing_faults(scalar.value):
                problems.append(ContentProblem(rel, "fr", scalar.start_mark.line + 1, f"French spacing: {fault!r}"))
    po = content.root / "locale" / "fr" / "LC_MESSAGES" / "daks.po"
    if po.exists():
        with po.open("rb") as fh:
            catalogue = read_po(fh, locale="fr")
        for message in catalogue:
            texts = [message.string] if isinstance(message.string, str) else list(message.string or ())
            for fault in (f for text in texts if message.id and text for f in spacing_faults(text)):
                rel = str(po.relative_to(content.root))
                problems.append(ContentProblem(rel, "", message.lineno, f"French spacing: {fault!r}"))
    return problems


def _french_scalars(node: yaml.Node | None) -> Iterator[yaml.ScalarNode]:
    """The values of every ``fr:`` key of a YAML tree that are single texts."""
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(value, yaml.ScalarNode) and key.value == "fr":
                yield value
            else:
                yield from _french_scalars(value)
    elif isinstance(node, yaml.SequenceNode):
        for value in node.value:
            yield from _french_scalars(value)
