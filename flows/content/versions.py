"""Published content versions and the migrations that carry conversations from one to the next."""

from __future__ import annotations

from pathlib import Path

from pydantic import TypeAdapter

from flows.content.content import Content
from flows.content.model import Migration
from flows.content.problems import ContentProblem, read_yaml, validate


def read_versions(root: Path, problems: list[ContentProblem]) -> tuple[list[Migration], dict[str, list[str]]]:
    """``migrations.yaml`` (optional) and the step ids of every published version (``versions/<version>.yaml``)."""
    migrations: list[Migration] = []
    if (root / "migrations.yaml").exists():
        data, migrations_node = read_yaml(root / "migrations.yaml", root, problems)
        migrations = (
            validate(TypeAdapter(list[Migration]), data or [], migrations_node, "migrations.yaml", problems) or []
        )
    published: dict[str, list[str]] = {}
    for path in sorted((root / "versions").glob("*.yaml")):
        data, node = read_yaml(path, root, problems)
        ids = validate(TypeAdapter(list[str]), (data or {}).get("steps"), node, f"versions/{path.name}", problems)
        published[path.stem] = ids or []
    return migrations, published


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
            problems.append(
                ContentProblem(
                    "migrations.yaml", "", None, f"no migration leads from version {version} to {content.version}"
                )
            )
            continue
        for step_id in ids:
            moved = _home(step_id, chain)
            if moved is not None and moved not in current:
                problems.append(
                    ContentProblem(
                        "migrations.yaml",
                        "",
                        None,
                        f"step {step_id!r} of version {version} "
                        f"has no home in version {content.version}: rename or drop it",
                    )
                )
    return problems


def _home(step_id: str, chain: list[Migration]) -> str | None:
    """The id a step has after a chain of migrations; None when one of them drops it."""
    for migration in chain:
        if step_id in migration.dropped:
            return None
        step_id = migration.steps.get(step_id, step_id)
    return step_id
