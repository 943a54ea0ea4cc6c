"""Load the content directory and validate it, reporting file, location and line for every error."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml
from jinja2 import Environment, TemplateSyntaxError, meta, nodes
from pydantic import BaseModel, TypeAdapter, ValidationError

from flows.content.i18n import Catalogues, load_catalogues
from flows.content.model import (
    ChecklistStep,
    Command,
    Handlungsfeld,
    LocalText,
    Manifest,
    Migration,
    RecordsStep,
    Stage,
    Step,
    ToolboxItem,
)


@dataclass(frozen=True)
class ContentProblem:
    file: str
    location: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        loc = f" [{self.location}]" if self.location else ""
        return f"{where}{loc}: {self.message}"


class ContentInvalid(Exception):
    """Raised when the content directory does not validate; lists every problem."""

    def __init__(self, problems: list[ContentProblem]):
        self.problems = problems
        super().__init__("content is invalid:\n" + "\n".join(f"  {p}" for p in problems))


@dataclass
class Content:
    """The validated content set the engine runs on."""

    root: Path
    manifest: Manifest
    stages: list[Stage]
    handlungsfelder: dict[str, Handlungsfeld]
    commands: list[Command]
    catalogues: Catalogues
    steps: dict[str, tuple[Stage, Step]] = field(default_factory=dict)
    command_names: dict[str, str] = field(default_factory=dict)
    profile_steps: dict[str, str] = field(default_factory=dict)
    toolbox: dict[str, ToolboxItem] = field(default_factory=dict)
    synonyms: dict[str, dict[str, str]] = field(default_factory=dict)
    migrations: list[Migration] = field(default_factory=list)
    published: dict[str, list[str]] = field(default_factory=dict)
    """Step ids of every published version (content/versions/<version>.yaml)."""
    index: Any = None
    """The search index over the toolbox, built on first use."""
    event_kinds: dict[str, LocalText] = field(default_factory=dict)
    """Kinds of events, which subscribers can also pick as topics."""
    consent: Any = None
    """The newsletter consent text and its version (``flows.content.consent.Consent``)."""
    forms: dict[str, Any] = field(default_factory=dict)
    """Forms admins fill in chat (``flows.conversation.forms.Form``): events, newsletters."""

    @property
    def topics(self) -> list[str]:
        """What subscribers can choose: the fields of action, then the event kinds."""
        return [*self.handlungsfelder, *self.event_kinds]

    @property
    def version(self) -> str:
        return self.manifest.version

    @property
    def daks_stages(self) -> list[Stage]:
        """The five DAKS stages, without the onboarding."""
        return [s for s in self.stages if s.number > 0]

    def stage(self, stage_id: str) -> Stage:
        return next(s for s in self.stages if s.id == stage_id)

    def step(self, step_id: str) -> Step:
        return self.steps[step_id][1]

    def stage_of(self, step_id: str) -> Stage:
        return self.steps[step_id][0]


def _locate(lazy: _Lazy | None, loc: tuple[Any, ...]) -> tuple[str, int | None]:
    """Follow a pydantic error location through the YAML tree: readable path and line number.

    Parts that are not in the YAML (pydantic's union tags) are dropped from the path.
    """
    current, path = (lazy.node if lazy is not None else None), []
    line = current.start_mark.line + 1 if current is not None else None
    for i, part in enumerate(loc):
        nxt = None
        if isinstance(current, yaml.MappingNode):
            nxt = next((v for k, v in current.value if k.value == part), None)
        elif isinstance(current, yaml.SequenceNode) and isinstance(part, int) and part < len(current.value):
            nxt = current.value[part]
        if nxt is not None:
            current, line = nxt, nxt.start_mark.line + 1
            path.append(str(part))
        elif i == len(loc) - 1:
            path.append(str(part))
    return ".".join(path), line


def _line_of(node: _Lazy | None, loc: tuple[Any, ...]) -> int | None:
    return _locate(node, loc)[1]


_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Lazy:
    """The YAML node tree of a file, composed only when an error needs a line number."""

    def __init__(self, text: str):
        self.text = text
        self._node: yaml.Node | None = None

    @property
    def node(self) -> yaml.Node | None:
        if self._node is None:
            self._node = yaml.compose(self.text, Loader=_Loader)
        return self._node


def _read(path: Path, root: Path, problems: list[ContentProblem]) -> tuple[Any, _Lazy | None]:
    rel = str(path.relative_to(root)) if path.is_relative_to(root) else str(path)
    try:
        text = path.read_text(encoding="utf-8")
        return yaml.load(text, Loader=_Loader), _Lazy(text)
    except FileNotFoundError:
        problems.append(ContentProblem(rel, "", None, "file is missing"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problems.append(ContentProblem(rel, "", mark.line + 1 if mark else None, f"not valid YAML: {exc}"))
    return None, None


def _validate(model: Any, data: Any, node: _Lazy | None, rel: str, problems: list[ContentProblem]):
    try:
        if isinstance(model, type) and issubclass(model, BaseModel):
            return model.model_validate(data)
        return model.validate_python(data)
    except ValidationError as exc:
        for err in exc.errors():
            loc = tuple(err["loc"])
            if err["type"] == "union_tag_invalid":
                loc += ("kind",)
            path, line = _locate(node, loc)
            problems.append(ContentProblem(rel, path, line, err["msg"]))
    return None


def load_content(root: Path | str) -> Content:
    """Read and validate a content directory; raise ContentInvalid listing every problem."""
    root = Path(root).resolve()
    problems: list[ContentProblem] = []
    data, node = _read(root / "content.yaml", root, problems)
    manifest = _validate(Manifest, data, node, "content.yaml", problems) if data is not None else None

    data, fields_node = _read(root / "handlungsfelder.yaml", root, problems)
    fields = _validate(TypeAdapter(list[Handlungsfeld]), data, fields_node, "handlungsfelder.yaml", problems) or []
    data, commands_node = _read(root / "commands.yaml", root, problems)
    commands = _validate(TypeAdapter(list[Command]), data, commands_node, "commands.yaml", problems) or []
    migrations: list[Migration] = []
    if (root / "migrations.yaml").exists():
        data, migrations_node = _read(root / "migrations.yaml", root, problems)
        migrations = _validate(TypeAdapter(list[Migration]), data or [], migrations_node, "migrations.yaml",
                               problems) or []
    published: dict[str, list[str]] = {}
    for path in sorted((root / "versions").glob("*.yaml")):
        data, node = _read(path, root, problems)
        ids = _validate(TypeAdapter(list[str]), (data or {}).get("steps"), node, f"versions/{path.name}", problems)
        published[path.stem] = ids or []
    data, synonyms_node = _read(root / "search_synonyms.yaml", root, problems)
    synonyms = _validate(TypeAdapter(dict[Literal["de", "fr", "en"], dict[str, str]]), data, synonyms_node,
                         "search_synonyms.yaml", problems) or {}
    data, toolbox_node = _read(root / "toolbox.yaml", root, problems)
    toolbox = _validate(TypeAdapter(list[ToolboxItem]), data, toolbox_node, "toolbox.yaml", problems) or []
    _unique_ids(toolbox, toolbox_node, "toolbox.yaml", problems)
    _unique_ids(fields, fields_node, "handlungsfelder.yaml", problems)
    _unique_ids(commands, commands_node, "commands.yaml", problems)

    stages: list[Stage] = []
    stage_nodes: dict[str, tuple[str, _Lazy | None]] = {}
    for stage_id in manifest.stages if manifest else []:
        rel = f"stages/{stage_id}.yaml"
        data, node = _read(root / rel, root, problems)
        stage = _validate(Stage, data, node, rel, problems) if data is not None else None
        if stage is not None:
            if stage.id != stage_id:
                problems.append(ContentProblem(rel, "id", _line_of(node, ("id",)), f"id must be {stage_id!r}"))
            stages.append(stage)
            stage_nodes[stage.id] = (rel, node)

    content = Content(
        root=root,
        manifest=manifest,  # type: ignore[arg-type]
        stages=stages,
        handlungsfelder={h.id: h for h in fields},
        commands=commands,
        catalogues=load_catalogues(root / "locale", manifest.languages if manifest else ["de"], problems),
    )
    _cross_check(content, stage_nodes, problems)
    _command_names(content, commands_node, problems)
    problems += template_problems(content)
    _toolbox_references(content, toolbox, toolbox_node, problems)
    content.synonyms = synonyms
    content.migrations = migrations
    content.published = published
    _broadcast_content(content, root, problems)
    if problems:
        raise ContentInvalid(problems)
    return content


def _broadcast_content(content: Content, root: Path, problems: list[ContentProblem]) -> None:
    """Consent text, event kinds and admin forms: optional files, checked when present."""
    from flows.content.consent import load_consent, load_event_kinds
    from flows.conversation.forms import load_forms

    for name, load in (("consent.yaml", load_consent), ("event_kinds.yaml", load_event_kinds)):
        if (root / name).exists():
            try:
                value = load(root)
            except ValueError as exc:
                problems.append(ContentProblem(name, "", None, str(exc)))
                continue
            if name == "consent.yaml":
                content.consent = value
            else:
                content.event_kinds = value  # type: ignore[assignment]
    if (root / "forms").is_dir():
        try:
            content.forms = load_forms(root)
        except ValueError as exc:
            problems.append(ContentProblem("forms", "", None, str(exc)))


def missing_translations(content: Content) -> list[ContentProblem]:
    """Every text node that lacks one of the content set's languages, with file and location."""
    languages = content.manifest.languages
    problems: list[ContentProblem] = []

    def walk(value: Any, rel: str, path: tuple[Any, ...], lazy: _Lazy | None) -> None:
        if isinstance(value, LocalText):
            absent = [lang for lang in languages if not value.root.get(lang, "").strip()]
            if absent:
                where, line = _locate(lazy, path)
                problems.append(ContentProblem(rel, where, line, f"no text in {', '.join(absent)}"))
        elif isinstance(value, BaseModel):
            for name in type(value).model_fields:
                walk(getattr(value, name), rel, (*path, name), lazy)
        elif isinstance(value, list):
            for i, element in enumerate(value):
                walk(element, rel, (*path, i), lazy)

    def lazy(rel: str) -> _Lazy | None:
        path = content.root / rel
        return _Lazy(path.read_text(encoding="utf-8")) if path.exists() else None

    for stage in content.stages:
        rel = f"stages/{stage.id}.yaml"
        walk(stage, rel, (), lazy(rel))
    for rel, items in (("handlungsfelder.yaml", list(content.handlungsfelder.values())),
                       ("commands.yaml", content.commands), ("toolbox.yaml", list(content.toolbox.values()))):
        walk(items, rel, (), lazy(rel))
    return problems


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
                    problems.append(ContentProblem(rel, where, None,
                                                   f"unknown template variable '{node.node.name}.{node.attr}'"))

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
    return [ContentProblem(f"stages/{path.name}", "", None,
                           f"stage {path.stem!r} is unreachable: content.yaml does not list it")
            for path in sorted((content.root / "stages").glob("*.yaml")) if path.stem not in listed]


def migration_path(content: Content, version: str) -> list[Migration] | None:
    """The chain of migrations from a published version to the current one; None when there is none."""
    chain: list[Migration] = []
    while version != content.version:
        step = next((m for m in content.migrations if m.from_version == version), None)
        if step is None or len(chain) > len(content.migrations):
            return None
        chain.append(step)
        version = step.to_version
    return chain


def homeless_steps(content: Content) -> list[ContentProblem]:
    """Steps of an older published version that the current one neither keeps, renames nor drops."""
    problems = []
    current = set(content.steps)
    for version, ids in content.published.items():
        if version == content.version:
            continue
        chain = migration_path(content, version)
        if chain is None:
            problems.append(ContentProblem("migrations.yaml", "", None,
                                           f"no migration leads from version {version} to {content.version}"))
            continue
        for step_id in ids:
            moved = step_id
            for migration in chain:
                if moved in migration.dropped:
                    moved = None
                    break
                moved = migration.steps.get(moved, moved)
            if moved is not None and moved not in current:
                problems.append(ContentProblem("migrations.yaml", "", None, f"step {step_id!r} of version {version} "
                                               f"has no home in version {content.version}: rename or drop it"))
    return problems


def _unique_ids(items: list[Any], node: _Lazy | None, rel: str, problems: list[ContentProblem]) -> None:
    seen: set[str] = set()
    for i, item in enumerate(items):
        if item.id in seen:
            problems.append(ContentProblem(rel, f"{i}.id", _line_of(node, (i, "id")), f"id {item.id!r} appears twice"))
        seen.add(item.id)


def _cross_check(content: Content, nodes: dict[str, tuple[str, _Lazy | None]],
                 problems: list[ContentProblem]) -> None:
    """References between files: unique ids, option sources and inputs that exist earlier."""
    earlier_stages: set[str] = set()

    def problem(rel: str, node: _Lazy | None, loc: tuple[Any, ...], message: str) -> None:
        path, line = _locate(node, loc)
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
            sources = [((*where, "options_from"), s) for s in getattr(step, "options_from", [])]
            if isinstance(step, RecordsStep):
                for j, f in enumerate(step.fields):
                    sources += [((*where, "fields", j, "options_from"), s) for s in getattr(f, "options_from", [])]
                if step.for_each and (step.for_each not in known
                                      or not isinstance(_step_in(content, step.for_each), RecordsStep)):
                    problem(rel, node, (*where, "for_each"), f"for_each names {step.for_each!r}, "
                                                             "which is no earlier records step")
            for loc, source in sources:
                if source.startswith("answer:") and source.removeprefix("answer:") not in known:
                    problem(rel, node, loc, f"option source {source!r} names no earlier step")
            seen_here.add(step.id)
        if stage.number > 0 and not isinstance(stage.steps[-1], ChecklistStep):
            problem(rel, node, ("steps", len(stage.steps) - 1, "kind"),
                    "the last step of a DAKS stage must be its 'done when' checklist")
        for j, need in enumerate(stage.needs):
            if need not in earlier_stages:
                problem(rel, node, ("needs", j), f"needs {need!r}, which is no step of an earlier stage")
        earlier_stages |= seen_here


def _toolbox_references(content: Content, items: list[ToolboxItem], node: _Lazy | None,
                        problems: list[ContentProblem]) -> None:
    # Check against the manifest, so that one broken stage file does not cascade into the toolbox.
    listed = set(content.manifest.stages) if content.manifest else set()
    stages = listed - {s.id for s in content.stages if s.number == 0}
    for i, item in enumerate(items):
        for j, field_id in enumerate(item.fields):
            if field_id not in content.handlungsfelder:
                path, line = _locate(node, (i, "fields", j))
                problems.append(ContentProblem("toolbox.yaml", path, line, f"unknown Handlungsfeld {field_id!r}"))
        for j, stage_id in enumerate(item.stages):
            if stage_id not in stages:
                path, line = _locate(node, (i, "stages", j))
                problems.append(ContentProblem("toolbox.yaml", path, line, f"unknown stage {stage_id!r}"))
    content.toolbox = {item.id: item for item in items}


def _step_in(content: Content, step_id: str) -> Any:
    return content.steps[step_id][1] if step_id in content.steps else None


def _command_names(content: Content, node: _Lazy | None, problems: list[ContentProblem]) -> None:
    names: dict[str, str] = {}
    for i, command in enumerate(content.commands):
        for lang, lang_names in command.names.items():
            for name in lang_names:
                key = name.casefold()
                if names.get(key, command.id) != command.id:
                    path, line = _locate(node, (i, "names", lang))
                    problems.append(ContentProblem("commands.yaml", path, line,
                                                   f"command name /{name} is used by {names[key]!r} too"))
                names[key] = command.id
    content.command_names = names
