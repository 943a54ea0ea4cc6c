"""`daks admin ...`: events and newsletters from files, broadcast status and cancelling, on the command line."""

from __future__ import annotations

import asyncio
import getpass
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer

from bot.app import failures
from bot.app.settings import Settings, load_settings

if TYPE_CHECKING:
    from flows.content.loader import Content
    from flows.messages import Outbound
    from storage.models import Broadcast
    from storage.store import Unit

T = TypeVar("T")
Spec = TypeVar("Spec")

admin_app = typer.Typer(help="Events, newsletters and broadcasts (every action goes to the admin log).")
event_app = typer.Typer(help="Events.")
newsletter_app = typer.Typer(help="Newsletters.")
broadcast_app = typer.Typer(help="Broadcasts: status and cancelling.")
admin_app.add_typer(event_app, name="event")
admin_app.add_typer(newsletter_app, name="newsletter")
admin_app.add_typer(broadcast_app, name="broadcast")

Db = Annotated[str | None, typer.Option("--db", help="Database URL (default: DAKS_DATABASE_URL or SQLite).")]
ACTOR = f"cli:{getpass.getuser()}"


def _open(db: str | None) -> tuple[Settings, Content]:
    from flows.content.loader import load_content

    settings = load_settings(db)
    return settings, load_content(settings.content_dir)


def _refused(message: str) -> typer.Exit:
    """The exit for input the command cannot take: the message on stderr, exit code 2 (bot/app/failures.py)."""
    return typer.Exit(failures.report(failures.Misconfigured(message)))


async def _in_unit(url: str, work: Callable[[Unit], T]) -> T:
    from storage.store import Store

    store = await Store.open(url)
    try:
        return await store.run(work)
    finally:
        await store.close()


def _load(load: Callable[[Path, set[str]], Spec], file: Path, db: str | None) -> tuple[Settings, Content, Spec]:
    """Settings, content and the event or newsletter file read by ``load``; exit 2 with the file's problems."""
    from flows.news.events import EventInvalid
    from flows.news.newsletters import NewsletterInvalid

    settings, content = _open(db)
    try:
        return settings, content, load(file, set(content.topics))
    except (EventInvalid, NewsletterInvalid, OSError) as exc:
        raise _refused(str(exc)) from None


@event_app.command("add")
def event_add(file: Annotated[Path, typer.Argument(help="Event YAML file.")], db: Db = None) -> None:
    """Publish an event from a YAML file: the announcement goes to matching subscribers, a reminder to attendees."""
    from bot.app.effects import publish_event
    from flows.news.events import load_event_file
    from storage.models import utcnow

    settings, _, event = _load(load_event_file, file, db)
    event_id = asyncio.run(_in_unit(settings.database, lambda unit: publish_event(unit, event, ACTOR, utcnow())))
    typer.echo(f"event #{event_id} published; the announcement goes out with the next `daks serve` sender")


def _print(messages: Iterable[Outbound]) -> None:
    for message in messages:
        typer.echo(message.text())
        for attachment in message.attachments:
            typer.echo(f"[attachment {attachment.filename}, {len(attachment.data)} bytes]")
        typer.echo("")


@event_app.command("preview")
def event_preview(file: Annotated[Path, typer.Argument(help="Event YAML file.")], db: Db = None) -> None:
    """Show the announcement in each language, without publishing anything."""
    from flows.news.broadcasting import event_preview as preview
    from flows.news.events import load_event_file

    _, content, event = _load(load_event_file, file, db)
    _print(preview(content, event.model_dump()))


@newsletter_app.command("preview")
def newsletter_preview(
    file: Annotated[Path, typer.Argument(help="Newsletter .md or .yaml file.")], db: Db = None
) -> None:
    """Show the newsletter in each of its languages, without sending anything."""
    from flows.news.broadcasting import newsletter_preview as preview
    from flows.news.newsletters import load_newsletter_file

    _, content, spec = _load(load_newsletter_file, file, db)
    _print(preview(content, spec.model_dump()))


@newsletter_app.command("send")
def newsletter_send(
    file: Annotated[Path, typer.Argument(help="Newsletter .md (front matter) or .yaml file.")],
    at: Annotated[
        str | None, typer.Option("--at", help="When, e.g. '24.11.2026 09:00' (Europe/Berlin) or ISO 8601.")
    ] = None,
    topics: Annotated[
        str | None, typer.Option("--topics", help="Comma-separated topic ids (overrides the file).")
    ] = None,
    db: Db = None,
) -> None:
    """Queue a newsletter now or for later, targeted by topic and language (and Land or size)."""
    from bot.app.effects import queue_newsletter
    from flows.news.events import DEFAULT_TIMEZONE
    from flows.news.newsletters import load_newsletter_file
    from flows.reading import parse_when
    from storage.models import utcnow

    settings, content, spec = _load(load_newsletter_file, file, db)
    if topics is not None:
        chosen = [t.strip() for t in topics.split(",") if t.strip()]
        unknown = sorted(set(chosen) - set(content.topics))
        if unknown:
            raise _refused(f"unknown topics: {', '.join(unknown)}; known: {', '.join(content.topics)}")
        spec = spec.model_copy(update={"topics": chosen})
    due = utcnow()
    if at is not None:
        when = parse_when(at, DEFAULT_TIMEZONE, "de") or parse_when(at, DEFAULT_TIMEZONE, "en")
        if when is None:
            raise _refused(f"cannot read the time {at!r}; write e.g. '24.11.2026 09:00'")
        if when <= due:  # a typo in the year must not send to everyone at once (chat refuses it too)
            raise _refused(f"{at!r} is in the past; leave out --at to send now")
        due = when
    broadcast_id = asyncio.run(_in_unit(settings.database, lambda unit: queue_newsletter(unit, spec, ACTOR, due)))
    typer.echo(f"newsletter #{broadcast_id} queued for {due.isoformat(timespec='seconds')}")


@broadcast_app.command("status")
def broadcast_status(
    broadcast_id: Annotated[int | None, typer.Argument(help="Broadcast number.")] = None,
    follow: Annotated[bool, typer.Option("--follow", help="Repeat every 2 s until done.")] = False,
    db: Db = None,
) -> None:
    """Queued, sent, failed, unknown and skipped deliveries, per broadcast."""
    from flows.news.broadcasting import admin_time

    settings, _ = _open(db)

    def look(unit: Unit) -> list[tuple[Broadcast, Counter[str]]]:
        rows = [unit.broadcast(broadcast_id)] if broadcast_id else unit.broadcasts(20)
        return [(b, unit.counts(b.id)) for b in rows if b is not None and b.id is not None]

    async def show() -> int:
        import time

        while True:
            rows = await _in_unit(settings.database, look)
            if not rows:
                typer.echo("no broadcasts")
                return 1 if broadcast_id else 0
            for b, c in rows:
                open_ = c.get("queued", 0) + c.get("claimed", 0) + c.get("sending", 0)
                reasons = ", ".join(f"{k.partition(':')[2]} {n}" for k, n in sorted(c.items()) if ":" in k)
                typer.echo(
                    f"#{b.id} {b.kind:<10} {b.status:<9} due {admin_time(b.due_at)}  queued {open_}  "
                    f"sent {c.get('sent', 0)}  failed {c.get('failed', 0)}  unknown {c.get('unknown', 0)}  "
                    f"skipped {c.get('skipped', 0)}" + (f" ({reasons})" if reasons else "")
                )
            if not follow or all(b.status in ("done", "cancelled") for b, _ in rows):
                return 0
            time.sleep(2)

    raise typer.Exit(asyncio.run(show()))


@broadcast_app.command("cancel")
def broadcast_cancel(broadcast_id: Annotated[int, typer.Argument(help="Broadcast number.")], db: Db = None) -> None:
    """Stop a scheduled or running broadcast: nothing more is sent."""
    settings, _ = _open(db)

    def cancel(unit: Unit) -> bool:
        done = unit.cancel_broadcast(broadcast_id)
        unit.log_admin(ACTOR, "cancel_broadcast", f"broadcast:{broadcast_id}", {"cancelled": done})
        return done

    if not asyncio.run(_in_unit(settings.database, cancel)):
        raise _refused(f"broadcast #{broadcast_id} is not scheduled or running")
    typer.echo(f"broadcast #{broadcast_id} cancelled")


@admin_app.command("log")
def admin_log(
    limit: Annotated[int, typer.Option("--limit", min=1, help="How many entries, newest first.")] = 50,
    db: Db = None,
) -> None:
    """The audit log: admin actions, and every membership and role change, approval and workspace deletion."""
    from storage.base import aware

    settings, _ = _open(db)
    for at, actor, action, target in asyncio.run(_in_unit(settings.database, lambda unit: unit.admin_log(limit))):
        typer.echo(f"{aware(at).isoformat(timespec='seconds')}  {actor:<24} {action:<18} {target or ''}".rstrip())
