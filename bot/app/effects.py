"""Carries out what the engine asked for (subscribe, attend, publish, cancel ...) inside the message's unit of work.

Rules live in flows/ (who may do what, what is logged as a view, what publishing queues); texts in
flows/news/messages.py. This only moves data between the engine's actions, storage and those renderers.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import cast

from bot.app import commons, exchange, introductions, practice, privacy, statistics, templates
from bot.app import team as teamwork
from flows.content.i18n import Translator
from flows.content.loader import Content
from flows.conversation.actions import (
    Action,
    AnswerIntroduction,
    Approve,
    AskIntroduction,
    Attend,
    CancelBroadcast,
    ChangeSubscription,
    Confirm,
    ExchangeAction,
    ImportSheet,
    Invite,
    Join,
    LeaveExchange,
    MakeLinkCode,
    PublishEvent,
    RecordVersion,
    RemoveMember,
    RemoveTemplate,
    ReportProgress,
    RequestConsent,
    Role,
    SaveProfile,
    SaveTemplate,
    SendDefaultTemplates,
    SendNewsletter,
    SendRegisterTemplate,
    SetEditor,
    SetMemberRole,
    SetNotices,
    SetReminders,
    ShowBroadcasts,
    ShowEditors,
    ShowEvents,
    ShowTemplates,
    TellTeam,
    Withdraw,
    allowed,
    logged_view,
)
from flows.messages import Outbound
from flows.news import broadcasting, messages
from flows.news.events import upcoming
from flows.team import codes, rules
from flows.team import messages as team_messages
from flows.team.view import Mate
from flows.team.view import Role as TeamRole
from storage.store import Unit


@dataclass(frozen=True)
class Actor:
    """Who wrote: their user, channel identity and language."""

    user_id: int
    channel: str
    ref: str
    lang: str
    role: Role | None
    called: str | None = None
    """How their messenger calls them (kept on a membership they join)."""
    join_link: str | None = None
    """Their channel's deep link for an invitation code (``{code}``), if it has one."""

    @property
    def name(self) -> str:
        return f"{self.channel}:{self.ref}"


def apply(unit: Unit, content: Content, actor: Actor, actions: list[Action], now: datetime) -> list[Outbound]:
    """Do each action; return extra messages for the person (lists, confirmations)."""
    t = content.catalogues.translator(actor.lang)
    out: list[Outbound] = []
    for action in actions:
        if not allowed(action, actor.role):
            continue  # the engine refuses these already; storage is never touched for non-admins
        view = logged_view(action, actor.role)
        if view is not None:
            unit.log_admin(actor.name, view)
        message = _one(unit, content, actor, action, now, t)
        if message is not None:
            out.append(message)
    return out


def _one(unit: Unit, content: Content, actor: Actor, action: Action, now: datetime, t: Translator) -> Outbound | None:
    if isinstance(action, SubscriptionAction):
        _subscription(unit, actor, action)
    elif isinstance(action, Attend):
        return _attend(unit, actor, action, t)
    elif isinstance(action, ShowEvents):
        return _events(unit, content, actor, now, t)
    elif isinstance(action, PublishEvent):
        event = broadcasting.event_of(action.values)
        event_id = publish_event(unit, event, actor.name, now)
        return messages.published(t, event_id, broadcasting.reminder_due(event, now))
    elif isinstance(action, SendNewsletter):
        spec = broadcasting.newsletter_of(action.values)
        broadcast_id = queue_newsletter(unit, spec, actor.name, action.due_at or now)
        return messages.newsletter_queued(t, broadcast_id, action.due_at)
    elif isinstance(action, ShowBroadcasts):
        return _broadcasts(unit, action, t)
    elif isinstance(action, CancelBroadcast):
        done = unit.cancel_broadcast(action.broadcast_id)
        unit.log_admin(actor.name, "cancel_broadcast", f"broadcast:{action.broadcast_id}", {"cancelled": done})
        return messages.cancelled(t, action.broadcast_id, done)
    elif isinstance(action, SetEditor):
        return _editor(unit, actor, action, t)
    elif isinstance(action, ShowEditors):
        return messages.editors(t, unit.roles())
    elif isinstance(
        action, MakeLinkCode | TellTeam | Approve | SetNotices | Invite | Join | SetMemberRole | RemoveMember
    ):
        return _team(unit, content, actor, action, now, t)
    elif isinstance(action, FileAction):
        return _files(unit, content, actor, action, t)
    elif isinstance(action, ReportProgress | SetReminders | RecordVersion):
        return practice.act(unit, content, actor.user_id, action, now, t)
    elif isinstance(action, ExchangeAction):
        return _exchange(unit, content, actor, action, now, t)
    return None


def _exchange(
    unit: Unit, content: Content, actor: Actor, action: ExchangeAction, now: datetime, t: Translator
) -> Outbound | None:
    """Learning from each other: profiles, introductions, shared practice."""
    if isinstance(action, SaveProfile | LeaveExchange):
        return exchange.act(unit, content, actor.user_id, action, now, t)
    if isinstance(action, AskIntroduction | AnswerIntroduction):
        return introductions.act(unit, content, actor.user_id, action, now, t)
    return commons.act(unit, content, actor.name, actor.user_id, action, now, t)


SubscriptionAction = RequestConsent | Confirm | ChangeSubscription | Withdraw


def _subscription(unit: Unit, actor: Actor, action: SubscriptionAction) -> None:
    if isinstance(action, RequestConsent):
        unit.request_subscription(
            actor.user_id, actor.channel, actor.ref, action.language, list(action.topics), action.version
        )
    elif isinstance(action, Confirm):
        unit.confirm_subscription(
            actor.user_id, actor.channel, actor.ref, action.language, list(action.topics), action.version
        )
    elif isinstance(action, ChangeSubscription):
        unit.change_subscription(actor.user_id, action.language, list(action.topics))
    else:
        unit.withdraw_subscription(actor.user_id)


FileAction = ShowTemplates | SendDefaultTemplates | SaveTemplate | RemoveTemplate | ImportSheet | SendRegisterTemplate


def _files(unit: Unit, content: Content, actor: Actor, action: FileAction, t: Translator) -> Outbound:
    """The workspace's own document templates, and the statistics files it imports."""
    if isinstance(action, ImportSheet | SendRegisterTemplate):
        return statistics.act(unit, actor.user_id, actor.name, action, t)
    return templates.act(unit, content, actor.user_id, actor.name, action, t)


TeamAction = MakeLinkCode | TellTeam | Approve | SetNotices | Invite | Join | SetMemberRole | RemoveMember


# -- the team: rules are flows/team's; this reads and writes what they decide on ------------
def _team(
    unit: Unit,
    content: Content,
    actor: Actor,
    action: TeamAction,
    now: datetime,
    t: Translator,
) -> Outbound | None:
    if isinstance(action, MakeLinkCode):
        return privacy.make_code(unit, actor.user_id, action, now, t)
    if isinstance(action, TellTeam | Approve | SetNotices):
        teamwork.act(unit, content, actor.name, actor.user_id, action, now)
        return None
    if isinstance(action, Invite):
        return _invite(unit, content, actor, action, now, t)
    if isinstance(action, Join):
        return _join(unit, actor, action, now, t)
    team = [Mate(u, cast(TeamRole, r), n) for u, r, n in unit.members(action.workspace_id)]
    roles = {m.user_id: m.role for m in team}
    if actor.user_id not in roles or roles[actor.user_id] != "coordinator":
        return None  # no longer their coordinator (changed since the engine looked)
    current = roles.get(action.user_id)
    if current is None:
        return team_messages.no_longer_member(t)
    new = action.role if isinstance(action, SetMemberRole) else None
    if rules.leaves_no_coordinator(list(roles.values()), current, new):
        return team_messages.say(team_messages.last_coordinator(t))
    who = team_messages.label(t, team, action.user_id)
    target = f"workspace:{action.workspace_id}"
    if new is not None:
        unit.set_role(action.workspace_id, action.user_id, new)
        unit.log_admin(actor.name, "set_role", target, {"user": action.user_id, "from": current, "to": new})
        return team_messages.role_set(t, who, new)
    unit.remove_member(action.workspace_id, action.user_id)
    unit.log_admin(actor.name, "remove_member", target, {"user": action.user_id, "role": current})
    return team_messages.member_removed(t, who)


def _invite(unit: Unit, content: Content, actor: Actor, action: Invite, now: datetime, t: Translator) -> Outbound:
    wid = action.workspace_id if action.workspace_id is not None else unit.workspace
    assert wid is not None, "the turn's save gives a person without a workspace their own"
    team = [Mate(u, cast(TeamRole, r), n) for u, r, n in unit.members(wid)]
    if not any(m.user_id == actor.user_id and m.role == "coordinator" for m in team):
        names = [team_messages.label(t, team, m.user_id) for m in team if m.role == "coordinator"]
        return team_messages.say(team_messages.not_coordinator(t, names))  # demoted since the engine looked
    rng = secrets.SystemRandom()
    code = codes.new_code(rng)
    while unit.code_taken(code):
        code = codes.new_code(rng)
    expires = now + codes.VALID_FOR
    unit.create_code(code, "join", actor.user_id, wid, action.role, expires)
    unit.log_admin(actor.name, "invite", f"workspace:{wid}", {"role": action.role})
    link = actor.join_link.format(code=code) if actor.join_link else None
    join = _command_name(content, "join", actor.lang)
    return team_messages.invited(t, code, action.role, t.date(expires.date()), join, link)


def _join(unit: Unit, actor: Actor, action: Join, now: datetime, t: Translator) -> Outbound:
    wait = codes.wait_minutes(unit.failed_codes(actor.user_id, now - codes.FAILURE_WINDOW), now)
    if wait is not None:
        return team_messages.slow_down(t, wait)
    row = unit.code(action.code, "join") if action.code is not None else None
    verdict = codes.verdict(
        row is not None, row is not None and row.used_at is not None, row.expires_at if row else None, now
    )
    if row is None or verdict != "ok" or row.workspace_id is None or row.role is None:
        unit.code_failed(actor.user_id, now)
        return team_messages.refused(t, verdict if verdict != "ok" else "unknown")
    name = unit.workspace_name(row.workspace_id)
    if any(u == actor.user_id for u, _, _ in unit.members(row.workspace_id)):
        return team_messages.already_member(t, name)
    if not unit.use_code(row.code, actor.user_id):
        unit.code_failed(actor.user_id, now)
        return team_messages.refused(t, "used")
    unit.join(actor.user_id, row.workspace_id, row.role, actor.called, action.leave_own)
    unit.restart(actor.user_id, action.restart)
    unit.log_admin(actor.name, "join", f"workspace:{row.workspace_id}", {"user": actor.user_id, "role": row.role})
    return team_messages.joined(t, name, row.role)


def _command_name(content: Content, command_id: str, lang: str) -> str:
    names = next(c.names for c in content.commands if c.id == command_id)
    return (names.get(lang) or names["de"])[0]


def _attend(unit: Unit, actor: Actor, action: Attend, t: Translator) -> Outbound:
    event = unit.event(action.event_id)
    if event is None or event.id is None or event.status != "published":
        return messages.no_such_event(t, action.event_id)
    changed = unit.rsvp(event.id, actor.user_id, action.attending)
    return messages.attended(t, event.title.get(actor.lang) or event.title["de"], action.attending, changed)


def _events(unit: Unit, content: Content, actor: Actor, now: datetime, t: Translator) -> Outbound:
    rows = [(e.id, e) for e in unit.upcoming_events(now) if e.id is not None]
    mine = unit.attending(actor.user_id)
    ids = [i for i, _ in rows]
    blocks = upcoming(
        [(i, broadcasting.stored_event(e), i in mine) for i, e in rows], actor.lang, t, content.event_kinds
    )
    counts = unit.rsvp_counts(ids) if actor.role is not None and ids else None
    return Outbound(
        blocks + messages.events_footer(t, broadcasting.hint(content, "rsvp", actor.lang, "N"), counts, ids)
    )


def publish_event(unit: Unit, event: broadcasting.EventSpec, actor: str, now: datetime) -> int:
    """Store and publish an event and queue what publishing sends (also used by the CLI)."""
    values = event.model_dump(exclude={"starts", "ends"}) | {
        "starts_at": broadcasting.as_utc(event.starts),
        "ends_at": event.ends and broadcasting.as_utc(event.ends),
    }
    event_id = unit.add_event(values, actor)
    unit.publish_event(event_id)
    for queued in broadcasting.on_publish(event, now):
        topics = list(queued.target.topics) if queued.target is not None else None
        unit.add_broadcast(queued.kind, broadcasting.as_utc(queued.due), actor, topics=topics, event_id=event_id)
    unit.log_admin(actor, "publish_event", f"event:{event_id}", {"title": event.title.get("de")})
    return event_id


def queue_newsletter(unit: Unit, spec: broadcasting.NewsletterSpec, actor: str, due: datetime) -> int:
    broadcast_id = unit.add_broadcast(
        "newsletter",
        broadcasting.as_utc(due),
        actor,
        title=spec.title,
        body=spec.body,
        topics=spec.topics,
        languages=spec.languages,
        lands=spec.lands,
        sizes=spec.sizes,
    )
    unit.log_admin(actor, "queue_newsletter", f"broadcast:{broadcast_id}", {"due": due.isoformat()})
    return broadcast_id


def _broadcasts(unit: Unit, action: ShowBroadcasts, t: Translator) -> Outbound:
    if action.broadcast_id is not None:
        row = unit.broadcast(action.broadcast_id)
        if row is None or row.id is None:
            return messages.no_such_broadcast(t, action.broadcast_id)
        return broadcasting.progress(t, row.id, row.status, unit.counts(row.id))
    rows = [
        (b.id, b.kind, b.status, broadcasting.admin_time(b.due_at), unit.counts(b.id))
        for b in unit.broadcasts()
        if b.id is not None
    ]
    return Outbound(broadcasting.overview(t, rows))


def _editor(unit: Unit, actor: Actor, action: SetEditor, t: Translator) -> Outbound:
    channel, _, ref = action.who.partition(":")
    changed = unit.grant(channel, ref, "editor", actor.name) if action.granted else unit.revoke(channel, ref)
    unit.log_admin(actor.name, "grant_editor" if action.granted else "revoke_editor", action.who, {"changed": changed})
    return messages.editor_set(t, action.who, action.granted, changed)
