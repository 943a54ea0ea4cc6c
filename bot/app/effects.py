"""Carries out what the engine asked for (subscribe, attend, publish, cancel ...) inside the message's unit of work.

Rules live in flows/ (who receives what, when reminders go out); this only moves data between
the engine's actions, storage and the message renderers, and writes the admin log.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flows.content.i18n import Translator
from flows.content.loader import Content
from flows.conversation.actions import (
    ADMIN_ACTIONS,
    Action,
    Attend,
    CancelBroadcast,
    ChangeSubscription,
    Confirm,
    PublishEvent,
    RequestConsent,
    SendNewsletter,
    SetEditor,
    ShowBroadcasts,
    ShowEditors,
    ShowEvents,
    Withdraw,
)
from flows.messages import Bullets, Heading, Outbound, Paragraph
from flows.news import broadcasting
from flows.news.events import upcoming
from storage.store import Unit

ADMIN_ZONE = ZoneInfo("Europe/Berlin")
"""Admins schedule in Berlin time (see flows/conversation/screens/admin.py), so they read due times in it too."""


@dataclass(frozen=True)
class Actor:
    """Who wrote: their user, channel identity and language."""

    user_id: int
    channel: str
    ref: str
    lang: str
    role: str | None

    @property
    def name(self) -> str:
        return f"{self.channel}:{self.ref}"


def apply(unit: Unit, content: Content, actor: Actor, actions: list[Action], now: datetime) -> list[Outbound]:
    """Do each action; return extra messages for the person (lists, confirmations)."""
    t = content.catalogues.translator(actor.lang)
    out: list[Outbound] = []
    for action in actions:
        if isinstance(action, ADMIN_ACTIONS) and actor.role is None:
            continue  # the engine refuses these already; storage is never touched for non-admins
        if isinstance(action, ShowBroadcasts | ShowEditors) or (isinstance(action, ShowEvents) and actor.role):
            unit.log_admin(actor.name, f"view_{type(action).__name__.removeprefix('Show').lower()}")
        message = _one(unit, content, actor, action, now, t)
        if message is not None:
            out.append(message)
    return out


def _one(unit: Unit, content: Content, actor: Actor, action: Action, now: datetime, t: Translator
         ) -> Outbound | None:
    if isinstance(action, RequestConsent):
        unit.request_subscription(actor.user_id, actor.channel, actor.ref, action.language, list(action.topics),
                                  action.version)
    elif isinstance(action, Confirm):
        unit.confirm_subscription(actor.user_id, actor.channel, actor.ref, action.language, list(action.topics),
                                  action.version)
    elif isinstance(action, ChangeSubscription):
        unit.change_subscription(actor.user_id, action.language, list(action.topics))
    elif isinstance(action, Withdraw):
        unit.withdraw_subscription(actor.user_id)
    elif isinstance(action, Attend):
        return _attend(unit, content, actor, action, t)
    elif isinstance(action, ShowEvents):
        return _events(unit, content, actor, now, t)
    elif isinstance(action, PublishEvent):
        return _publish(unit, actor, action, now, t)
    elif isinstance(action, SendNewsletter):
        return _newsletter(unit, actor, action, now, t)
    elif isinstance(action, ShowBroadcasts):
        return _broadcasts(unit, action, t)
    elif isinstance(action, CancelBroadcast):
        done = unit.cancel_broadcast(action.broadcast_id)
        unit.log_admin(actor.name, "cancel_broadcast", f"broadcast:{action.broadcast_id}", {"cancelled": done})
        return _say(t("Broadcast #{id} is cancelled; nothing more will be sent.", id=action.broadcast_id) if done
                    else t("Broadcast #{id} is not running or scheduled, so there is nothing to cancel.",
                           id=action.broadcast_id))
    elif isinstance(action, SetEditor):
        return _editor(unit, actor, action, t)
    elif isinstance(action, ShowEditors):
        roles = unit.roles()
        lines = tuple(f"{c}:{r} ({role}, {by}, {at:%Y-%m-%d})" for c, r, role, by, at in roles)
        return Outbound([Heading(t("Editors")), Bullets(lines) if lines else Paragraph(t("No editors yet."))])
    return None


def _say(text: str) -> Outbound:
    return Outbound([Paragraph(text)])


def _attend(unit: Unit, content: Content, actor: Actor, action: Attend, t: Translator) -> Outbound:
    event = unit.event(action.event_id)
    if event is None or event.status != "published":
        return _say(t("There is no event number {id}. /events lists the upcoming ones.", id=action.event_id))
    changed = unit.rsvp(event.id, actor.user_id, action.attending)  # type: ignore[arg-type]
    title = event.title.get(actor.lang) or event.title["de"]
    if action.attending:
        return _say(t("Noted: you attend “{title}”. You will get a reminder the day before.", title=title)
                    if changed else t("You are already registered as attending “{title}”.", title=title))
    return _say(t("Noted: you no longer attend “{title}”.", title=title) if changed
                else t("You were not registered for “{title}”.", title=title))


def _events(unit: Unit, content: Content, actor: Actor, now: datetime, t: Translator) -> Outbound:
    rows = unit.upcoming_events(now)
    mine = unit.attending(actor.user_id)
    specs = [(e.id, broadcasting.stored_event(e), e.id in mine) for e in rows]
    blocks = upcoming(specs, actor.lang, t, content.event_kinds)  # type: ignore[arg-type]
    if rows:
        blocks.append(Paragraph(t("To attend, write {command} with the event's number.",
                                  command=broadcasting.hint(content, "rsvp", actor.lang, "N"))))
    if actor.role is not None and rows:
        counts = unit.rsvp_counts([e.id for e in rows])  # type: ignore[misc]
        blocks.append(Paragraph(t("RSVPs: {counts}", counts=", ".join(
            f"#{e.id}: {counts.get(e.id, 0)}" for e in rows))))  # type: ignore[arg-type]
    return Outbound(blocks)


def _publish(unit: Unit, actor: Actor, action: PublishEvent, now: datetime, t: Translator) -> Outbound:
    event = broadcasting.event_of(action.values)
    event_id = publish_event(unit, event, actor.name, now)
    due = broadcasting.reminder_due(event, now)
    text = t("Event #{id} is published; the announcement goes out now. /admin status shows the progress.",
             id=event_id)
    if due is not None:
        text += " " + t("Attendees get a reminder on {date}.", date=f"{due:%Y-%m-%d %H:%M %Z}")
    return _say(text)


def publish_event(unit: Unit, event: broadcasting.EventSpec, actor: str, now: datetime) -> int:
    """Store and publish an event, queue its announcement and its reminder (also used by the CLI)."""
    values = event.model_dump(exclude={"starts", "ends"}) | {"starts_at": _utc(event.starts),
                                                             "ends_at": event.ends and _utc(event.ends)}
    event_id = unit.add_event(values, actor)
    unit.publish_event(event_id)
    target = broadcasting.announcement_target(event)
    unit.add_broadcast("event", _utc(now), actor, topics=list(target.topics), event_id=event_id)
    due = broadcasting.reminder_due(event, now)
    if due is not None:
        unit.add_broadcast("reminder", _utc(due), actor, event_id=event_id)
    unit.log_admin(actor, "publish_event", f"event:{event_id}", {"title": event.title.get("de")})
    return event_id


def _utc(moment: datetime) -> datetime:
    """Times go to the database in UTC: SQLite keeps no offset, so a local time would be read back as UTC
    (due broadcasts an hour or two late, events shown at the wrong time)."""
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


def admin_time(stored: datetime) -> str:
    """A stored time (UTC; without offset from SQLite) as admins read it: ``2030-12-24 09:00 CET``."""
    return f"{_utc(stored).astimezone(ADMIN_ZONE):%Y-%m-%d %H:%M %Z}"


def _newsletter(unit: Unit, actor: Actor, action: SendNewsletter, now: datetime, t: Translator) -> Outbound:
    spec = broadcasting.newsletter_of(action.values)
    broadcast_id = queue_newsletter(unit, spec, actor.name, action.due_at or now)
    if action.due_at is None:
        return _say(t("Newsletter #{id} goes out now. /admin status shows the progress.", id=broadcast_id))
    return _say(t("Newsletter #{id} is scheduled for {when}. /admin cancel {id} stops it.", id=broadcast_id,
                  when=f"{action.due_at:%Y-%m-%d %H:%M %Z}"))


def queue_newsletter(unit: Unit, spec: broadcasting.NewsletterSpec, actor: str, due: datetime) -> int:
    broadcast_id = unit.add_broadcast("newsletter", _utc(due), actor, title=spec.title, body=spec.body,
                                      topics=spec.topics, languages=spec.languages, lands=spec.lands,
                                      sizes=spec.sizes)
    unit.log_admin(actor, "queue_newsletter", f"broadcast:{broadcast_id}", {"due": due.isoformat()})
    return broadcast_id


def _broadcasts(unit: Unit, action: ShowBroadcasts, t: Translator) -> Outbound:
    if action.broadcast_id is not None:
        row = unit.broadcast(action.broadcast_id)
        if row is None:
            return _say(t("There is no broadcast number {id}.", id=action.broadcast_id))
        return broadcasting.progress(t, row.id, row.status, unit.counts(row.id))  # type: ignore[arg-type]
    rows = [(b.id, b.kind, b.status, admin_time(b.due_at), unit.counts(b.id)) for b in unit.broadcasts()]
    return Outbound(broadcasting.overview(t, rows))  # type: ignore[arg-type]


def _editor(unit: Unit, actor: Actor, action: SetEditor, t: Translator) -> Outbound:
    channel, _, ref = action.who.partition(":")
    if action.granted:
        changed = unit.grant(channel, ref, "editor", actor.name)
    else:
        changed = unit.revoke(channel, ref)
    unit.log_admin(actor.name, "grant_editor" if action.granted else "revoke_editor", action.who,
                   {"changed": changed})
    if action.granted:
        return _say(t("{who} is now an editor.", who=action.who) if changed
                    else t("{who} already is an editor.", who=action.who))
    return _say(t("{who} is no longer an editor.", who=action.who) if changed
                else t("{who} was not an editor.", who=action.who))


