"""`daks admin report ...`: the obstacles report for the programmes (k-anonymous, flows/exchange/obstacles.py) and
the editors' review of its free texts. Operator mistakes end in one line on stderr and exit code 2; a database that
is not there or cannot be reached in exit code 3 (bot/app/failures.py)."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from bot.app import failures
from bot.app.settings import Settings
from bot.cli.admin import ACTOR, Db, _open
from flows.messages import clean_text

if TYPE_CHECKING:
    from flows.documents.model import Format
    from flows.exchange.obstacles import Contribution
    from storage.store import Unit

T = TypeVar("T")
report_app = typer.Typer(help="The obstacles report for the programmes (k-anonymous) and the review of its texts.")
quotes_app = typer.Typer(help="Free texts of the obstacles report: list those waiting, approve or reject them.")
report_app.add_typer(quotes_app, name="quotes")

Digest = Annotated[str, typer.Argument(help="The digest as listed (its first 8 characters or more).")]
FORMATS: tuple[Format, ...] = ("md", "odt")
SHOWN_DIGEST = 12
"""Characters of a digest the listing shows; any unique prefix of at least MIN_PREFIX is accepted."""
MIN_PREFIX = 8
MAX_TEXT = 2000


class Refused(failures.Misconfigured):
    """The operator's input cannot work (exit 2)."""


@report_app.command("obstacles")
def obstacles(
    field: Annotated[
        str | None, typer.Option("--field", help="Only this field of action (its id, e.g. health).")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="md (default) or odt.")] = "md",
    output: Annotated[
        Path | None,
        typer.Option("--output", help="Write here (default: md to standard output, odt to obstacles-<date>.odt)."),
    ] = None,
    lang: Annotated[str | None, typer.Option("--lang", help="de, fr or en (default: DAKS_LANGUAGE).")] = None,
    db: Db = None,
) -> None:
    """What blocks municipalities, per field of action: only fields with at least 5 municipalities, free text only
    as an editor approved it, no municipality named."""

    def run() -> int:
        from bot.documents.press import render
        from flows.documents.model import Rendering
        from flows.exchange.obstacles import pool
        from flows.exchange.report import document

        settings, content = _open(db)
        chosen = next((f for f in FORMATS if f == fmt), None)
        if chosen is None:
            raise Refused(f"unknown format {fmt!r}; use md or odt")
        if field is not None and field not in content.handlungsfelder:
            raise Refused(f"unknown field of action {field!r}; known: {', '.join(content.handlungsfelder)}")
        language = lang or settings.language
        if language not in ("de", "fr", "en"):
            raise Refused("--lang must be de, fr or en")
        target = output or (Path(f"obstacles-{date.today().isoformat()}.odt") if fmt == "odt" else None)
        if target is not None:
            _writable(target)

        def read(unit: Unit) -> tuple[list[Contribution], dict[str, str]]:
            found = _contributions(unit)
            unit.forget_quotes({e.digest for c in found for e in c.entries})
            approved = {d: q.text for d, q in unit.quotes().items() if q.status == "approved"}
            unit.log_admin(ACTOR, "report_obstacles", field, {"format": fmt, "lang": language})
            return found, approved

        found, approved = _in_unit(settings, read)
        pooled = pool(found, approved, field)
        made = document(content, content.catalogues.translator(language), pooled, date.today())
        data = render(Rendering(made, chosen, f"obstacles.{chosen}"), content.root / "templates")
        if target is None:
            sys.stdout.write(data.decode())
            sys.stdout.flush()
            return failures.DONE
        try:
            target.write_bytes(data)
        except OSError as exc:
            raise Refused(f"cannot write {target}: {exc.strerror or exc}") from None
        typer.echo(f"{target}: {len(pooled.fields)} fields of action shown, {pooled.hidden} hidden")
        return failures.DONE

    _finish(run)


@quotes_app.callback(invoke_without_command=True)
def quotes(context: typer.Context, db: Db = None) -> None:
    """The free texts waiting for an editor, in the fields of action the report shows (at least 5
    municipalities): digest, fields, source and text. Texts in smaller fields are listed once theirs reaches 5."""
    if context.invoked_subcommand is not None:
        return

    def run() -> int:
        from flows.exchange.obstacles import pending

        settings, _ = _open(db)

        def read(unit: Unit) -> tuple[list[Any], int]:
            found = _contributions(unit)
            unit.forget_quotes({e.digest for c in found for e in c.entries})
            return pending(found, set(unit.quotes()))

        waiting, later = _in_unit(settings, read)
        for p in waiting:
            named = "  [names the municipality: approve only with --text]" if p.named else ""
            typer.echo(f"{p.digest[:SHOWN_DIGEST]}  {','.join(p.fields):<24} {p.source:<8} {_line(p.text)}{named}")
        typer.echo(
            f"{len(waiting)} texts waiting; {later} more in fields of action with fewer than 5 municipalities",
            err=True,
        )
        return failures.DONE

    _finish(run)


@quotes_app.command("approve")
def approve(
    digest: Digest,
    text: Annotated[
        str | None,
        typer.Option("--text", help="The text as it may be shown (shortened, names removed); default: as written."),
    ] = None,
    db: Db = None,
) -> None:
    """Let a free text appear in the report, as written or as given with --text."""
    _finish(lambda: _decide(digest, "approved", text, db))


@quotes_app.command("reject")
def reject(digest: Digest, db: Db = None) -> None:
    """Keep a free text out of the report."""
    _finish(lambda: _decide(digest, "rejected", None, db))


def _decide(prefix: str, status: str, text: str | None, db: str | None) -> int:
    from flows.exchange.obstacles import entries_matching, mentions

    prefix = prefix.strip().lower()
    if len(prefix) < MIN_PREFIX or any(c not in "0123456789abcdef" for c in prefix):
        raise Refused(
            f"a digest is hexadecimal, at least {MIN_PREFIX} characters as listed by `daks admin report quotes`"
        )
    if text is not None:
        text = " ".join(clean_text(text).split())
        if not text or len(text) > MAX_TEXT:
            raise Refused(f"--text must hold 1 to {MAX_TEXT} characters")
    settings, _ = _open(db)

    def decide(unit: Unit) -> str:
        found = entries_matching(_contributions(unit), prefix)
        if not found:
            raise Refused(f"no text of an opted-in workspace has the digest {prefix}; see `daks admin report quotes`")
        if len(found) > 1:
            raise Refused(f"{len(found)} texts have digests starting with {prefix}; give more characters")
        ((entry, contribution),) = found
        shown = text or entry.text
        if status == "approved" and mentions(shown, contribution.names):
            raise Refused("the text names the municipality; approve it with --text, the name left out")
        fields = ",".join(sorted(contribution.fields_of(entry)))[:32]
        unit.decide_quote(entry.digest, fields, entry.source, shown if status == "approved" else "", status, ACTOR)
        action = "approve_quote" if status == "approved" else "reject_quote"
        unit.log_admin(ACTOR, action, f"quote:{entry.digest[:SHOWN_DIGEST]}")
        return entry.digest

    decided = _in_unit(settings, decide)
    typer.echo(f"{decided[:SHOWN_DIGEST]} {status}")
    return failures.DONE


def _contributions(unit: Unit) -> list[Contribution]:
    from flows.exchange.obstacles import OPTED_IN, POOL, STEPS, contribution

    found = []
    for wid, answers in unit.pooling(POOL, OPTED_IN, STEPS).items():
        c = contribution(unit.key, wid, answers)
        if c is not None:
            found.append(c)
    return found


def _in_unit(settings: Settings, work: Callable[[Unit], T]) -> T:
    """``work`` in one unit of work on the existing database (never created or upgraded here), keyed as the bot's."""
    from storage.database import sqlite_file
    from storage.store import Store

    url = settings.database
    path = sqlite_file(url)
    if path is not None and not path.exists():
        raise failures.Unreachable(f"no database at {path}; check DAKS_DATABASE_URL (or --db)")
    try:
        key = settings.pseudonym_key()
    except (OSError, ValueError) as exc:
        raise failures.Misconfigured(
            f"the secret key cannot be read: {exc}; check DAKS_DATA_DIR or DAKS_SECRET_KEY"
        ) from None

    async def run() -> T:
        store = await Store.open(url, upgrade=False, key=key)
        try:
            return await store.run(work)
        finally:
            await store.close()

    return asyncio.run(run())


def _writable(target: Path) -> None:
    folder = target.parent if str(target.parent) else Path(".")
    if target.is_dir():
        raise Refused(f"cannot write {target}: it is a folder")
    if not folder.is_dir():
        raise Refused(f"cannot write {target}: the folder {folder} does not exist")
    if not os.access(folder, os.W_OK) or (target.exists() and not os.access(target, os.W_OK)):
        raise Refused(f"cannot write {target}: permission denied")


def _line(text: str) -> str:
    return " ".join(text.split())


def _finish(run: Callable[[], int]) -> None:
    """Run a command: its exit code, or one line on stderr and the code for what went wrong."""
    try:
        code = run()
    except KeyboardInterrupt:
        code = failures.INTERRUPTED
    except Exception as exc:
        code = failures.report(exc)
    raise typer.Exit(code)
