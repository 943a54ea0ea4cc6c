"""Broadcasts' business rules: who receives one, what each recipient sees, and how progress reads."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flows.content.content import Content
from flows.content.i18n import Translator
from flows.content.model import LANGUAGES
from flows.messages import Block, Bullets, Choice, Heading, Outbound, Paragraph
from flows.news.events import DEFAULT_TIMEZONE, EventSpec, announcement, preview, reminder
from flows.news.newsletters import NewsletterSpec, matches, newsletter_message

STATES = ("queued", "sent", "failed", "unknown", "skipped")
ADMIN_ZONE = ZoneInfo(DEFAULT_TIMEZONE)
"""Admins schedule in the events' default time zone, so they read due times in it too."""


@dataclass(frozen=True)
class Target:
    """Whom a broadcast is for; empty lists restrict nothing."""

    topics: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    lands: tuple[str, ...] = ()
    sizes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Reader:
    """A confirmed subscriber as targeting sees them, with the identities they can be reached on."""

    user_id: int
    channel: str
    ref: str
    language: str
    topics: tuple[str, ...]
    land: str | None
    size: str | None
    identities: tuple[tuple[str, str, str | None], ...]
    """(channel, ref, address) of every reachable identity."""


def recipients(
    content: Content, target: Target, readers: Iterable[Reader], channels: Collection[str]
) -> list[tuple[int, str, str, str]]:
    """(user id, channel, address, language) per matching reader, on the identity they subscribed with
    (another reachable one on a served channel when that is gone). A reader without topics chose everything."""
    chosen = []
    for r in readers:
        topics = r.topics or tuple(content.topics)
        if not matches(target.topics, target.languages, target.lands, target.sizes, topics, r.language, r.land, r.size):
            continue
        reachable = sorted(
            (i for i in r.identities if i[0] in channels), key=lambda i: (i[0], i[1]) != (r.channel, r.ref)
        )
        if reachable:
            channel, ref, address = reachable[0]
            chosen.append((r.user_id, channel, address or ref, r.language))
    return chosen


def reminded(
    attendees: Iterable[tuple[int, str, str, str]], channels: Collection[str]
) -> list[tuple[int, str, str, str]]:
    """(user id, channel, address, language) of the attendees a reminder reaches: those on a served channel."""
    return [a for a in attendees if a[1] in channels]


def hint(content: Content, command_id: str, lang: str, arg: str = "") -> str:
    """A command as a user of ``lang`` types it: ``/zusage 3``."""
    command = next(c for c in content.commands if c.id == command_id)
    name = (command.names.get(lang) or command.names["de"])[0]
    return f"/{name} {arg}".rstrip()


def topic_labels(content: Content, lang: str) -> dict[str, str]:
    labels = {h: f.label.get(lang) for h, f in content.handlungsfelder.items()}
    return labels | {k: label.get(lang) for k, label in content.event_kinds.items()}


def event_of(values: Mapping[str, Any]) -> EventSpec:
    """An event from form values or a stored row's fields."""
    keys = (
        "kind",
        "title",
        "description",
        "timezone",
        "starts",
        "ends",
        "place",
        "online_url",
        "topics",
        "audience",
        "registration_url",
    )
    picked = {k: values[k] for k in keys if values.get(k) not in (None, {}, [])}
    for k in ("starts", "ends"):  # a stored time without offset (SQLite) is UTC, as it was written
        if isinstance(picked.get(k), datetime) and picked[k].tzinfo is None:
            picked[k] = picked[k].replace(tzinfo=UTC)
    return EventSpec.model_validate(picked)


def stored_event(row: Any) -> EventSpec:
    """An event from its stored row (``storage.models.Event``; duck-typed: flows does not import storage)."""
    names = (
        "kind",
        "title",
        "description",
        "timezone",
        "place",
        "online_url",
        "topics",
        "audience",
        "registration_url",
    )
    return event_of({n: getattr(row, n) for n in names} | {"starts": row.starts_at, "ends": row.ends_at})


def newsletter_of(values: Mapping[str, Any]) -> NewsletterSpec:
    keys = ("title", "body", "topics", "languages", "lands", "sizes")
    return NewsletterSpec.model_validate({k: values[k] for k in keys if values.get(k) not in (None, {}, [])})


def message(
    content: Content,
    kind: str,
    lang: str,
    *,
    event_id: int | None = None,
    event: EventSpec | None = None,
    newsletter: NewsletterSpec | None = None,
) -> Outbound:
    """What one recipient sees. Its choices are commands (``rsvp 3``, ``unsubscribe``), never stale."""
    t = content.catalogues.translator(lang)
    unsubscribe = hint(content, "unsubscribe", lang)
    if kind == "newsletter":
        assert newsletter is not None
        out = newsletter_message(newsletter, lang, t, unsubscribe)
    else:
        assert event is not None and event_id is not None
        if kind == "reminder":
            out = reminder(
                event_id, event, lang, t, content.event_kinds, unsubscribe, hint(content, "unrsvp", lang, str(event_id))
            )
        else:
            out = announcement(
                event_id,
                event,
                lang,
                t,
                content.event_kinds,
                topic_labels(content, lang),
                unsubscribe,
                hint(content, "rsvp", lang, str(event_id)),
            )
    out.turn, out.kind = None, "broadcast"
    return out


def event_preview(content: Content, values: Mapping[str, Any]) -> list[Outbound]:
    event = event_of(values)
    translators = {lang: content.catalogues.translator(lang) for lang in LANGUAGES}
    hints = {lang: (hint(content, "unsubscribe", lang), hint(content, "rsvp", lang, "N")) for lang in LANGUAGES}
    labels = {h: f.label for h, f in content.handlungsfelder.items()} | dict(content.event_kinds)
    return preview(None, event, translators, content.event_kinds, labels, hints)


def newsletter_preview(content: Content, values: Mapping[str, Any]) -> list[Outbound]:
    spec = newsletter_of(values)
    out = []
    for lang in spec.languages or LANGUAGES:
        t = content.catalogues.translator(lang)
        shown = newsletter_message(spec, lang, t, hint(content, "unsubscribe", lang))
        shown.blocks.insert(0, Heading(t("Preview · {language}", language=lang.upper())))
        shown.choices = []
        out.append(shown)
    return out


# -- for admins --------------------------------------------------------------------------------
def progress(t: Translator, broadcast_id: int, status: str, counts: Mapping[str, int]) -> Outbound:
    """The live progress message the sender keeps editing; it offers to cancel while sending."""
    total = sum(counts.get(s, 0) for s in (*STATES, "claimed", "sending"))
    done = sum(counts.get(s, 0) for s in ("sent", "failed", "unknown", "skipped"))
    lines = (
        t("sent: {n}", n=t.number(counts.get("sent", 0))),
        t("skipped (blocked, unsubscribed or cancelled): {n}", n=t.number(counts.get("skipped", 0))),
        t("failed: {n}", n=t.number(counts.get("failed", 0))),
        t("unknown (in flight during a crash, not repeated): {n}", n=t.number(counts.get("unknown", 0))),
        t("still queued: {n}", n=t.number(total - done)),
    )
    blocks: list[Block] = [
        Heading(t("Broadcast #{id}: {status}", id=broadcast_id, status=_status(t, status))),
        Paragraph(t.plural("{n} of {total} done.", "{n} of {total} done.", done, total=t.number(total))),
        Bullets(lines),
    ]
    choices = []
    if status in ("scheduled", "sending"):
        choices = [Choice(f"admin cancel {broadcast_id}", t("Cancel the broadcast"))]
        blocks.append(Paragraph(t("To stop it: /admin cancel {id}", id=broadcast_id)))
    return Outbound(blocks, choices=choices, kind="broadcast")


def _status(t: Translator, status: str) -> str:
    return {
        "scheduled": t("scheduled"),
        "sending": t("sending"),
        "done": t("finished"),
        "cancelled": t("cancelled"),
    }.get(status, status)


def overview(t: Translator, rows: Sequence[tuple[int, str, str, str, Mapping[str, int]]]) -> list[Block]:
    """Recent broadcasts: (id, kind, status, due, counts)."""
    if not rows:
        return [Heading(t("Broadcasts")), Paragraph(t("Nothing has been sent yet."))]
    items = tuple(
        t(
            "#{id} {kind}, {status}, {due}: {sent} sent, {skipped} skipped, {failed} failed, "
            "{unknown} unknown, {queued} queued",
            id=i,
            kind=kind,
            status=_status(t, status),
            due=due,
            sent=c.get("sent", 0),
            skipped=c.get("skipped", 0),
            failed=c.get("failed", 0),
            unknown=c.get("unknown", 0),
            queued=c.get("queued", 0) + c.get("claimed", 0) + c.get("sending", 0),
        )
        for i, kind, status, due, c in rows
    )
    return [Heading(t("Broadcasts")), Bullets(items), Paragraph(t("/admin cancel NUMBER stops one."))]


REMINDER_HOUR = 10
"""Reminders go out at this local hour on the day before an event."""


def reminder_due(event: EventSpec, now: datetime) -> datetime | None:
    """When attendees get their reminder: the day before, at 10:00 in the event's time zone; None when
    that moment has passed (too late to remind) or the event is a publication."""
    if event.kind == "publication":
        return None
    local = event.starts.astimezone(ZoneInfo(event.timezone))
    due = datetime.combine(local.date() - timedelta(days=1), time(REMINDER_HOUR), tzinfo=local.tzinfo)
    return due if due > now else None


def announcement_target(event: EventSpec) -> Target:
    """An event reaches subscribers of its topics or of its kind."""
    return Target(topics=(*event.topics, event.kind))


@dataclass(frozen=True)
class Scheduled:
    """A broadcast to queue: its kind, when it is due, and (for announcements) whom it is for."""

    kind: str
    due: datetime
    target: Target | None = None


def on_publish(event: EventSpec, now: datetime) -> list[Scheduled]:
    """Publishing an event queues its announcement now and, unless too late, its reminder."""
    scheduled = [Scheduled("event", now, announcement_target(event))]
    due = reminder_due(event, now)
    if due is not None:
        scheduled.append(Scheduled("reminder", due))
    return scheduled


def as_utc(moment: datetime) -> datetime:
    """A time as stored: in UTC. SQLite keeps no offset, so a local time would be read back as UTC (due
    broadcasts an hour or two late, events shown at the wrong time); a time without offset already is UTC."""
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


def admin_time(stored: datetime) -> str:
    """A stored time (UTC; without offset from SQLite) as admins read it: ``2030-12-24 09:00 CET``."""
    return f"{as_utc(stored).astimezone(ADMIN_ZONE):%Y-%m-%d %H:%M %Z}"
