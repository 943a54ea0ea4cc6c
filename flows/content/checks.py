"""Cross-checks of the content set: references between files, translations, templates, reachable stages."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from jinja2 import Environment, TemplateSyntaxError, meta, nodes
from pydantic import BaseModel

from flows.content.content import Content
from flows.content.model import (
    ChecklistStep,
    Command,
    Handlungsfeld,
    LocalText,
    Option,
    RecordsStep,
    Step,
    ToolboxItem,
)
from flows.content.problems import ContentProblem, YamlTree, line_of, locate
from flows.messages import BUTTON


def missing_translations(content: Content) -> list[ContentProblem]:
    """Every text node that lacks one of the content set's languages, with file and location."""
    languages = content.manifest.languages
    problems: list[ContentProblem] = []

    def walk(value: Any, rel: str, path: tuple[Any, ...], lazy: YamlTree | None) -> None:
        if isinstance(value, LocalText):
            absent = [lang for lang in languages if not value.root.get(lang, "").strip()]
            if absent:
                where, line = locate(lazy, path)
                problems.append(ContentProblem(rel, where, line, f"no text in {', '.join(absent)}"))
        elif isinstance(value, BaseModel):
            for name in type(value).model_fields:
                walk(getattr(value, name), rel, (*path, name), lazy)
        elif isinstance(value, list):
            for i, element in enumerate(value):
                walk(element, rel, (*path, i), lazy)

    for stage in content.stages:
        rel = f"stages/{stage.id}.yaml"
        walk(stage, rel, (), _tree(content, rel))
    for rel, items in (
        ("handlungsfelder.yaml", list(content.handlungsfelder.values())),
        ("commands.yaml", content.commands),
        ("toolbox.yaml", list(content.toolbox.values())),
    ):
        walk(items, rel, (), _tree(content, rel))
    return problems


def short_labels(content: Content) -> list[ContentProblem]:
    """Options whose label does not fit on a button (over ``BUTTON`` characters) without a short label that does."""
    problems: list[ContentProblem] = []

    def check(option: Option | Handlungsfeld, rel: str, path: tuple[Any, ...], lazy: YamlTree | None) -> None:
        if option.short is None:
            long = [lang for lang, text in option.label.root.items() if len(text) > BUTTON]
            if long:
                where, line = locate(lazy, (*path, "label"))
                message = f"label longer than {BUTTON} characters in {', '.join(long)}: give it a short label (short:)"
                problems.append(ContentProblem(rel, where, line, message))
            return
        over = [lang for lang, text in option.short.root.items() if len(text) > BUTTON]
        if over:
            where, line = locate(lazy, (*path, "short"))
            message = f"short label longer than {BUTTON} characters in {', '.join(over)}"
            problems.append(ContentProblem(rel, where, line, message))

    def walk(value: Any, rel: str, path: tuple[Any, ...], lazy: YamlTree | None) -> None:
        if isinstance(value, Option | Handlungsfeld):
            check(value, rel, path, lazy)
        elif isinstance(value, BaseModel):
            for name in type(value).model_fields:
                walk(getattr(value, name), rel, (*path, name), lazy)
        elif isinstance(value, list):
            for i, element in enumerate(value):
                walk(element, rel, (*path, i), lazy)

    for stage in content.stages:
        rel = f"stages/{stage.id}.yaml"
        walk(stage, rel, (), _tree(content, rel))
    walk(list(content.handlungsfelder.values()), "handlungsfelder.yaml", (), _tree(content, "handlungsfelder.yaml"))
    return problems


def _tree(content: Content, rel: str) -> YamlTree | None:
    """The YAML node tree of a content file, for line numbers."""
    path = content.root / rel
    return YamlTree(path.read_text(encoding="utf-8")) if path.exists() else None


TEMPLATE_VARIABLES = {"municipality": {"name", "kind", "land", "size", "fields"}}
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


def unique_ids(
    items: Sequence[Handlungsfeld | Command | ToolboxItem],
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
                if step.for_each and (
                    step.for_each not in known or not isinstance(_step_in(content, step.for_each), RecordsStep)
                ):
                    problem(
                        rel,
                        node,
                        (*where, "for_each"),
                        f"for_each names {step.for_each!r}, which is no earlier records step",
                    )
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
