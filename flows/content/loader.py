"""Load the content directory and validate it, reporting file, location and line for every error."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from pydantic import TypeAdapter

from flows.content.checks import (
    command_names,
    country_problems,
    cross_check,
    glossary_aliases,
    place_problems,
    template_problems,
    toolbox_references,
    unique_ids,
)
from flows.content.consent import load_consent, load_event_kinds
from flows.content.content import Content
from flows.content.exchange import load_exchange
from flows.content.forms import load_forms
from flows.content.i18n import load_catalogues
from flows.content.model import (
    Command,
    Funding,
    FundingCategory,
    GlossaryTerm,
    Handlungsfeld,
    Manifest,
    Stage,
    ToolboxItem,
)
from flows.content.model_municipalities import load_model_directory
from flows.content.problems import ContentInvalid, ContentProblem, YamlTree, line_of, read_yaml, validate
from flows.content.versions import read_versions

T = TypeVar("T")


def load_content(root: Path | str) -> Content:
    """Read and validate a content directory; raise ContentInvalid listing every problem."""
    root = Path(root).resolve()
    problems: list[ContentProblem] = []
    data, node = read_yaml(root / "content.yaml", root, problems)
    manifest = validate(Manifest, data, node, "content.yaml", problems) if data is not None else None

    data, fields_node = read_yaml(root / "handlungsfelder.yaml", root, problems)
    fields = validate(TypeAdapter(list[Handlungsfeld]), data, fields_node, "handlungsfelder.yaml", problems) or []
    data, commands_node = read_yaml(root / "commands.yaml", root, problems)
    commands = validate(TypeAdapter(list[Command]), data, commands_node, "commands.yaml", problems) or []
    migrations, published = read_versions(root, problems)
    data, toolbox_node = read_yaml(root / "toolbox.yaml", root, problems)
    toolbox = validate(TypeAdapter(list[ToolboxItem]), data, toolbox_node, "toolbox.yaml", problems) or []
    unique_ids(toolbox, toolbox_node, "toolbox.yaml", problems)
    unique_ids(fields, fields_node, "handlungsfelder.yaml", problems)
    unique_ids(commands, commands_node, "commands.yaml", problems)

    stages: list[Stage] = []
    stage_nodes: dict[str, tuple[str, YamlTree | None]] = {}
    for stage_id in manifest.stages if manifest else []:
        rel = f"stages/{stage_id}.yaml"
        data, node = read_yaml(root / rel, root, problems)
        stage = validate(Stage, data, node, rel, problems) if data is not None else None
        if stage is not None:
            if stage.id != stage_id:
                problems.append(ContentProblem(rel, "id", line_of(node, ("id",)), f"id must be {stage_id!r}"))
            stages.append(stage)
            stage_nodes[stage.id] = (rel, node)

    content = Content(
        root=root,
        manifest=manifest,  # type: ignore[arg-type]  # None only with problems: ContentInvalid is raised below
        stages=stages,
        handlungsfelder={h.id: h for h in fields},
        commands=commands,
        catalogues=load_catalogues(root / "locale", manifest.languages if manifest else ["de"], problems),
    )
    cross_check(content, stage_nodes, problems)
    command_names(content, commands_node, problems)
    problems += template_problems(content) + country_problems(content) + place_problems(content)
    toolbox_references(content, toolbox, toolbox_node, problems)
    content.migrations = migrations
    content.published = published
    _broadcast_content(content, root, problems)
    content.glossary = _glossary(root, problems)
    content.funding = _funding(root, problems)
    steps = [step for stage in stages for step in stage.steps]
    content.model_municipalities = load_model_directory(root, steps, set(content.handlungsfelder), problems)
    if problems:
        raise ContentInvalid(problems)
    return content


def _broadcast_content(content: Content, root: Path, problems: list[ContentProblem]) -> None:
    """Consent texts, event kinds and admin forms: optional files, checked when present."""
    if (root / "consent.yaml").exists():
        content.consent = _optional("consent.yaml", lambda: load_consent(root), problems)
    if (root / "event_kinds.yaml").exists():
        content.event_kinds = _optional("event_kinds.yaml", lambda: load_event_kinds(root), problems) or {}
    if (root / "exchange.yaml").exists():
        content.exchange = _optional("exchange.yaml", lambda: load_exchange(root), problems)
    if (root / "forms").is_dir():
        content.forms = _optional("forms", lambda: load_forms(root), problems) or {}


def _glossary(root: Path, problems: list[ContentProblem]) -> list[GlossaryTerm]:
    """The terms a typed question is answered from; an optional file, checked when present."""
    if not (root / "glossary.yaml").exists():
        return []
    data, node = read_yaml(root / "glossary.yaml", root, problems)
    terms = validate(TypeAdapter(list[GlossaryTerm]), data, node, "glossary.yaml", problems) or []
    unique_ids(terms, node, "glossary.yaml", problems)
    glossary_aliases(terms, node, problems)
    return terms


def _funding(root: Path, problems: list[ContentProblem]) -> list[FundingCategory]:
    """The funding categories budgets are totalled by; an optional file, checked when present."""
    if not (root / "funding.yaml").exists():
        return []
    data, node = read_yaml(root / "funding.yaml", root, problems)
    funding = validate(Funding, data, node, "funding.yaml", problems)
    return funding.root if funding is not None else []


def _optional(name: str, load: Callable[[], T], problems: list[ContentProblem]) -> T | None:
    """What ``load`` reads, or None with its error as a problem of the file ``name``."""
    try:
        return load()
    except ValueError as exc:
        problems.append(ContentProblem(name, "", None, str(exc)))
        return None
