"""The `daks` command line: chat, serve, db, content, bench; admin and data (bot/cli/admin.py, bot/cli/data.py), the
obstacles report (bot/cli/report.py).
Failures end in one or two lines and an exit code (bot/app/failures.py)."""

from __future__ import annotations

import asyncio
import getpass
import os
import sys
from collections.abc import Coroutine
from importlib.metadata import version as installed_version
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from bot.app import failures
from bot.app.settings import Settings, load_settings
from flows.messages import clean_text

if TYPE_CHECKING:
    from bot.app.companion import Companion
    from flows.content.loader import Content
    from storage.store import Store

app = typer.Typer(
    help="DAKS-Begleiter: the companion for municipal demography strategies.",
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
db_app = typer.Typer(help="Database schema.")
content_app = typer.Typer(help="Content set.")
app.add_typer(db_app, name="db")
app.add_typer(content_app, name="content")

Lang = Annotated[str | None, typer.Option("--lang", help="Language: de, fr or en.")]
Db = Annotated[str | None, typer.Option("--db", help="Database URL (default: DAKS_DATABASE_URL or SQLite).")]


def _folders(settings: Settings, exports: bool = False, matrix: bool = False) -> None:
    for what, folder, variable in settings.folders(exports, matrix):
        failures.usable_folder(folder, what, variable)


async def _open_store(url: str, upgrade: bool, key: bytes | None = None) -> Store:
    """The store, trying again for a few seconds while the database cannot be reached."""
    from storage.database import DatabaseUnreachable
    from storage.store import Store

    return await failures.reach(
        lambda: Store.open(url, upgrade=upgrade, key=key),
        lambda exc: isinstance(exc, DatabaseUnreachable) and exc.transient,
        "the database",
    )


async def _companion(settings: Settings, workers: int | None = None) -> tuple[Companion, Store]:
    """The companion on its store; ``workers`` render documents (default: DAKS_RENDER_WORKERS; 0 = a thread)."""
    from bot.app.companion import Companion
    from bot.documents.press import Press
    from flows.content.loader import load_content

    content = load_content(settings.content_dir)
    content.vector_cache = settings.data_dir / "toolbox.vectors.npz"
    store = await _open_store(settings.database, settings.auto_migrate, _key(settings))
    press = Press(content.root / "templates", settings.render_workers if workers is None else workers)
    return Companion(content, store, settings.language, settings.admin_ids, press), store


def _key(settings: Settings) -> bytes:
    try:
        return settings.pseudonym_key()
    except OSError as exc:
        raise failures.Misconfigured(
            f"The secret key file in {settings.data_dir} cannot be created or read: "
            f"{exc.strerror or exc}; check DAKS_DATA_DIR or set DAKS_SECRET_KEY"
        ) from None
    except ValueError as exc:
        raise failures.Misconfigured(f"Secret key: {exc}") from None


async def _chat(settings: Settings, user: str, lang: str | None) -> int:
    from bot.console.channel import run_console
    from bot.console.render import ConsoleRenderer
    from storage.people import subject_of

    companion, store = await _companion(settings, workers=0)
    try:
        exports = settings.exports / subject_of(store.key, "console", user)[:32]
        renderer = ConsoleRenderer(sys.stdout, exports, interactive=sys.stdin.isatty())
        return await run_console(companion, user, lang, renderer)
    finally:
        companion.close()
        await store.close()


def _run(coro: Coroutine[Any, Any, int]) -> int:
    try:
        return asyncio.run(coro)
    except KeyboardInterrupt:
        return failures.INTERRUPTED


def _version(show: bool) -> None:
    if show:
        typer.echo(f"daks-begleiter {installed_version('daks-begleiter')}")
        raise typer.Exit()


@app.callback(invoke_without_command=True)
def default(
    context: typer.Context,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """Without a command: the terminal chat."""
    if context.invoked_subcommand is None:
        chat(user=None, lang=None, db=None)


@app.command()
def chat(
    user: Annotated[str | None, typer.Option("--user", help="Your user id (default: your login).")] = None,
    lang: Lang = None,
    db: Db = None,
) -> None:
    """Chat with the companion in the terminal (one message per line)."""
    if lang is not None and lang not in ("de", "fr", "en"):
        raise failures.Misconfigured("--lang must be de, fr or en")
    if user is not None and clean_text(user) != user:
        raise failures.Misconfigured("--user must be printable text, without control characters or undecodable bytes")
    settings = load_settings(db)
    _folders(settings, exports=True)
    raise typer.Exit(_run(_chat(settings, user or getpass.getuser(), lang)))


@app.command()
def serve(db: Db = None) -> None:
    """Start every configured channel; without a messenger, the terminal chat."""
    from bot.cli.serve import configured

    settings = load_settings(db)
    channels = configured(settings)
    if not channels and not sys.stdin.isatty():
        raise failures.Misconfigured(
            "daks serve: no channel is configured (set TELEGRAM_TOKEN or "
            "MATRIX_HOMESERVER); `daks chat` is the terminal chat."
        )
    _folders(settings, exports=not channels, matrix="matrix" in channels)
    if not channels:
        typer.echo(
            "No messenger is configured (set TELEGRAM_TOKEN or MATRIX_HOMESERVER); starting the terminal chat.",
            err=True,
        )
        raise typer.Exit(_run(_chat(settings, getpass.getuser(), None)))
    raise typer.Exit(_run(_serve(settings)))


async def _serve(settings: Settings) -> int:
    from bot.cli.serve import serve as run_channels

    companion, store = await _companion(settings)
    try:
        return await run_channels(companion, settings)
    finally:
        companion.close()
        await store.close()


@db_app.command("upgrade")
def db_upgrade(db: Db = None) -> None:
    """Bring the database schema to the newest revision."""
    settings = load_settings(db)
    _folders(settings)

    async def upgrade() -> int:
        store = await _open_store(settings.database, upgrade=True)
        await store.close()
        typer.echo("database schema is up to date")
        return 0

    raise typer.Exit(_run(upgrade()))


@content_app.command("check")
def content_check(
    directory: Annotated[Path | None, typer.Argument(help="Content directory.")] = None, db: Db = None
) -> None:
    """Validate a content directory; list every problem with file and line. With --db: who would move."""
    from flows.content.checks import french_spacing_problems, missing_translations, short_labels, unreachable_stages
    from flows.content.loader import ContentInvalid, load_content
    from flows.content.versions import homeless_steps

    target = directory or load_settings().content_dir
    try:
        content = load_content(target)
    except ContentInvalid as exc:
        for problem in exc.problems:
            typer.echo(str(problem))
        raise typer.Exit(1) from None
    problems = (
        missing_translations(content) + short_labels(content) + homeless_steps(content) + unreachable_stages(content)
    )
    problems += french_spacing_problems(content)
    for problem in problems:
        typer.echo(str(problem))
    if db:
        typer.echo(_live_conversations(content, db))
    if problems:
        raise typer.Exit(1)
    _stale_vectors(content)
    typer.echo(
        f"content version {content.version}: {len(content.stages)} stages, {len(content.steps)} steps, "
        f"{len(content.toolbox)} toolbox items, OK"
    )


def _stale_vectors(content: Content) -> None:
    """A warning, not a failure: stale vectors are embedded at run time, which costs a moment on the first search."""
    from flows.toolbox import vectors

    stale = vectors.stale(list(content.toolbox.values()), vectors.E5().model_id, content.root / vectors.SHIPPED)
    if stale:
        typer.echo(
            f"warning: {stale} toolbox vectors in {vectors.SHIPPED} are missing or stale; "
            "run `daks content index` to ship them"
        )


def _live_conversations(content: Content, db: str) -> str:
    from collections import Counter

    from flows.content.versions import migration_path
    from storage.store import Store

    async def count() -> list[tuple[str, str | None]]:
        store = await Store.open(db, upgrade=False)
        try:
            return await store.run(lambda unit: unit.conversations_not_on(content.version))
        finally:
            await store.close()

    try:
        rows = asyncio.run(count())
    except KeyboardInterrupt:
        raise typer.Exit(failures.INTERRUPTED) from None
    by_version = Counter(version for version, _ in rows)
    moving = 0
    for version, step in rows:
        chain = migration_path(content, version) or []
        if step and any(step in m.steps or step in m.dropped for m in chain):
            moving += 1
    versions = ", ".join(f"{n} on version {v}" for v, n in sorted(by_version.items())) or "none"
    return (
        f"live conversations on older versions: {versions}; {moving} of them stand at a renamed or "
        "removed step and will move"
    )


@content_app.command("publish")
def content_publish(directory: Annotated[Path | None, typer.Argument(help="Content directory.")] = None) -> None:
    """Record the step ids of the current version, so later versions can be checked against it."""
    import yaml

    from flows.content.checks import missing_translations
    from flows.content.loader import load_content
    from flows.content.versions import homeless_steps

    target = directory or load_settings().content_dir
    content = load_content(target)  # invalid content: its problems and exit code 2 (bot/app/failures.py)
    problems = missing_translations(content) + homeless_steps(content)
    if problems:
        raise failures.Misconfigured("\n".join(str(p) for p in problems))
    path = Path(target) / "versions" / f"{content.version}.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(
        f"# Step ids of content version {content.version}, written by `daks content publish`.\n"
        + yaml.safe_dump({"steps": list(content.steps)}, allow_unicode=True),
        encoding="utf-8",
    )
    typer.echo(f"published version {content.version}: {path}")


@content_app.command("evaluate")
def content_evaluate(
    cases: Annotated[list[Path], typer.Argument(help="Evaluation sets (YAML); a missing file is skipped.")],
    directory: Annotated[Path | None, typer.Option("--content", help="Content directory.")] = None,
) -> None:
    """Search quality on evaluation sets: recall@5 and MRR per language and file."""
    from flows.content.loader import load_content
    from flows.toolbox.evaluate import evaluate, load_cases
    from flows.toolbox.recommend import search_index

    index = search_index(load_content(directory or load_settings().content_dir))
    for path in cases:
        if not path.exists():
            typer.echo(f"{path}: not there, skipped")
            continue
        for quality in evaluate(index, load_cases(path)):
            typer.echo(f"{path.name}: {quality.line()}")


@content_app.command("index")
def content_index(directory: Annotated[Path | None, typer.Argument(help="Content directory.")] = None) -> None:
    """Embed the toolbox items for the semantic search into toolbox.vectors.npz next to the toolbox (only the
    items that are new or changed); run it after editing content/toolbox.yaml."""
    from flows.content.loader import load_content
    from flows.toolbox import vectors

    content = load_content(directory or load_settings().content_dir)
    path = content.root / vectors.SHIPPED
    embedded, total = vectors.index(list(content.toolbox.values()), vectors.E5(threads=os.cpu_count() or 1), path)
    typer.echo(f"{path}: {total} vectors, {embedded} embedded now")


@app.command()
def bench(
    db: Db = None,
    users: Annotated[str, typer.Option(help="Concurrent users per run, comma-separated.")] = "1,8",
    rounds: Annotated[int, typer.Option(min=1, help="Runs per level; figures over all of them.")] = 5,
    team: Annotated[
        int, typer.Option(min=0, help="Also this many members in one workspace, then as many in separate ones.")
    ] = 0,
) -> None:
    """Simulated users walk all five stages through engine and storage; prints figures."""
    from bot.cli.bench import run_bench

    settings = load_settings(db)
    levels = [int(n) for n in users.split(",") if n.strip()]
    raise typer.Exit(_run(run_bench(settings, levels, rounds, team)))


def main() -> None:
    from bot.cli.admin import admin_app
    from bot.cli.data import data_app
    from bot.cli.report import report_app

    admin_app.add_typer(report_app, name="report")
    app.add_typer(admin_app, name="admin")
    app.add_typer(data_app, name="data")
    try:
        app()
    except Exception as exc:  # what a command raised: one or two lines and the exit code, never a wall of text
        sys.exit(failures.report(exc))
