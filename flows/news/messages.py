"""What the news actions answer: confirmations and lists for attendees, editors and admins."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from flows.content.i18n import Translator
from flows.messages import Block, Bullets, Heading, Outbound, Paragraph


def say(text: str) -> Outbound:
    return Outbound([Paragraph(text)])


def no_such_event(t: Translator, event_id: int) -> Outbound:
    return say(t("There is no event number {id}. /events lists the upcoming ones.", id=event_id))


def attended(t: Translator, title: str, attending: bool, changed: bool) -> Outbound:
    """The answer to ``/zusage`` (``attending``) or ``/absage``; ``changed`` is False when nothing changed."""
    if attending:
        return say(
            t("Noted: you attend “{title}”. You will get a reminder the day before.", title=title)
            if changed
            else t("You are already registered as attending “{title}”.", title=title)
        )
    return say(
        t("Noted: you no longer attend “{title}”.", title=title)
        if changed
        else t("You were not registered for “{title}”.", title=title)
    )


def events_footer(
    t: Translator, rsvp_command: str, counts: Mapping[int, int] | None, shown: Sequence[int]
) -> list[Block]:
    """Below a list of upcoming events (ids ``shown``): how to attend, and for admins and editors the RSVPs."""
    if not shown:
        return []
    blocks: list[Block] = [Paragraph(t("To attend, write {command} with the event's number.", command=rsvp_command))]
    if counts is not None:
        pairs = [t("#{id}: {count}", id=i, count=counts.get(i, 0)) for i in shown]
        blocks.append(Paragraph(t("RSVPs: {counts}", counts=", ".join(pairs))))
    return blocks


def published(t: Translator, event_id: int, reminder_due: datetime | None) -> Outbound:
    text = t("Event #{id} is published; the announcement goes out now. /admin status shows the progress.", id=event_id)
    if reminder_due is not None:
        text += " " + t("Attendees get a reminder on {date}.", date=f"{reminder_due:%Y-%m-%d %H:%M %Z}")
    return say(text)


def newsletter_queued(t: Translator, broadcast_id: int, due_at: datetime | None) -> Outbound:
    """``due_at`` None: the newsletter goes out now."""
    if due_at is None:
        return say(t("Newsletter #{id} goes out now. /admin status shows the progress.", id=broadcast_id))
    return say(
        t(
            "Newsletter #{id} is scheduled for {when}. /admin cancel {id} stops it.",
            id=broadcast_id,
            when=f"{due_at:%Y-%m-%d %H:%M %Z}",
        )
    )


def no_such_broadcast(t: Translator, broadcast_id: int) -> Outbound:
    return say(t("There is no broadcast number {id}.", id=broadcast_id))


def cancelled(t: Translator, broadcast_id: int, done: bool) -> Outbound:
    return say(
        t("Broadcast #{id} is cancelled; nothing more will be sent.", id=broadcast_id)
        if done
        else t("Broadcast #{id} is not running or scheduled, so there is nothing to cancel.", id=broadcast_id)
    )


def editor_set(t: Translator, who: str, granted: bool, changed: bool) -> Outbound:
    """The answer to granting (``granted``) or revoking the editor role of ``who``."""
    if granted:
        return say(t("{who} is now an editor.", who=who) if changed else t("{who} already is an editor.", who=who))
    return say(t("{who} is no longer an editor.", who=who) if changed else t("{who} was not an editor.", who=who))


def editors(t: Translator, roles: Sequence[tuple[str, str, str, str, datetime]]) -> Outbound:
    """Granted roles: (channel, ref, role, granted by, granted at)."""
    lines = tuple(f"{c}:{r} ({role}, {by}, {at:%Y-%m-%d})" for c, r, role, by, at in roles)
    return Outbound([Heading(t("Editors")), Bullets(lines) if lines else Paragraph(t("No editors yet."))])
