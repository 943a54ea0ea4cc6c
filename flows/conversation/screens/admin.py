"""Admin work in chat: events and newsletters filled in as forms, previewed, published; broadcasts and editors.

Admins are configured (never granted in chat); editors are granted by admins and may do all
of this except managing editors. Anyone else gets a polite refusal and nothing more.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import ValidationError

from flows.content.model import LANGUAGE_NAMES
from flows.conversation import forms
from flows.conversation.actions import (
    CancelBroadcast,
    PublishEvent,
    SendNewsletter,
    SetEditor,
    ShowBroadcasts,
    ShowEditors,
    ShowEvents,
)
from flows.conversation.session import Session
from flows.conversation.steps.base import Input
from flows.messages import Block, Choice, Heading, Outbound, Paragraph
from flows.news.broadcasting import event_preview, newsletter_preview
from flows.news.events import DEFAULT_TIMEZONE, EventSpec
from flows.reading import parse_when


def _explain(s: Session, msgid: str) -> None:
    """One of the shell's texts about naming people (none when no channel names anyone)."""
    if msgid:
        s.say(s.t(msgid))


def admin_command(s: Session, arg: str) -> None:
    if s.facts.role is None:
        return s.say_only(s.t("Sorry, this command is for the administrators and editors of this service."))
    words = arg.split()
    verb = words[0].casefold() if words else ""
    number = words[1].lstrip("#") if len(words) > 1 else ""
    if verb == "":
        return s.open_overlay("admin")
    if verb in ("event", "newsletter"):
        return open_form(s, verb)
    if verb == "events":
        return s.actions.append(ShowEvents())
    if verb == "status":
        return s.actions.append(ShowBroadcasts(int(number) if number.isascii() and number.isdigit() else None))
    if verb == "cancel" and number.isascii() and number.isdigit():
        return s.actions.append(CancelBroadcast(int(number)))
    if verb in ("editor", "editors"):
        return editor_command(s, words[1:])
    _explain(s, s.facts.identities.commands)


def editor_command(s: Session, words: list[str]) -> None:
    if s.facts.role != "admin":
        return s.say(s.t("Only administrators can grant or revoke the editor role."))
    if not words:
        return s.actions.append(ShowEditors())
    prefixes = s.facts.identities.prefixes
    if len(words) == 2 and words[0] in ("add", "remove") and words[1].startswith(prefixes) and len(words[1]) < 300:
        return s.actions.append(SetEditor(words[1], granted=words[0] == "add"))
    _explain(s, s.facts.identities.editor)


class Admin:
    overlay = True

    def question(self, s: Session) -> list[Block]:
        return [Heading(s.t("Administration")), Paragraph(s.t("What would you like to do?"))]

    def choices(self, s: Session) -> list[Choice]:
        t = s.t
        choices = [
            Choice("_event", t("New event")),
            Choice("_newsletter", t("New newsletter")),
            Choice("_broadcasts", t("Broadcasts")),
            Choice("_events", t("Events and RSVPs")),
        ]
        if s.facts.role == "admin":
            choices.append(Choice("_editors", t("Editors")))
        return [*choices, Choice("_close", t("Back to the question"))]

    def on_input(self, s: Session, inp: Input) -> None:
        choice = inp.choice or ""
        entries: dict[str, Callable[[], None]] = {
            "_event": lambda: open_form(s, "event"),
            "_newsletter": lambda: open_form(s, "newsletter"),
            "_broadcasts": lambda: s.actions.append(ShowBroadcasts(None)),
            "_events": lambda: s.actions.append(ShowEvents()),
            "_editors": lambda: editor_command(s, []),
            "_close": s.close_overlay,
        }
        if choice not in entries:
            return s.say_only(s.t("Please pick one of the options below."))
        if choice not in ("_event", "_newsletter", "_close"):
            s.close_overlay()
        entries[choice]()


# -- forms ---------------------------------------------------------------------
def open_form(s: Session, form_id: str) -> None:
    s.state.view = {"draft": forms.start(s.content.forms[form_id])}
    s.open_overlay("form")


def _form(s: Session) -> forms.Form:
    return s.content.forms[s.state.view["draft"]["form"]]


def _options(s: Session) -> forms.Options:
    def options(source: str) -> list[Choice]:
        if source == "event_kinds":
            return [Choice(k, s.ctx.text(label)) for k, label in s.content.event_kinds.items()]
        if source == "languages":
            return [Choice(code, name) for code, name in LANGUAGE_NAMES.items()]
        fields = s.content.handlungsfelder
        return [s.ctx.choice(fields[x]) if x in fields else Choice(x, s.ctx.topic_label(x)) for x in s.content.topics]

    return options


class Form:
    """A form answered field by field; when complete, the previews follow."""

    overlay = True

    def question(self, s: Session) -> list[Block]:
        return forms.question(_form(s), s.state.view["draft"], s.t, _options(s))[0]

    def choices(self, s: Session) -> list[Choice]:
        return forms.question(_form(s), s.state.view["draft"], s.t, _options(s))[1]

    def on_input(self, s: Session, inp: Input) -> None:
        draft = s.state.view["draft"]
        step = forms.answer(
            _form(s), draft, inp.text, inp.choice if inp.button else None, s.t, _options(s), lang=s.state.lang
        )
        s.state.view = {**s.state.view, "draft": step.draft}
        for note in step.notes:
            s.say(note)
        if step.cancelled:
            s.close_overlay()
            s.say(s.t("Discarded; nothing was published."))
        elif step.done:
            problem = check_form(s, _form(s).id, forms.values(step.draft))
            if problem:
                s.say(problem)
                s.state.view = {**s.state.view, "draft": forms.start(_form(s))}
                return
            s.state.mode = "form_preview"
            s.before.extend(previews(s, _form(s).id, forms.values(step.draft)))


def check_form(s: Session, form_id: str, values: dict[str, Any]) -> str | None:
    """A problem the fields alone could not catch (e.g. an event without place or link)."""
    if form_id != "event":
        return None
    try:
        EventSpec.model_validate(values)
    except ValueError as exc:
        errors = exc.errors() if isinstance(exc, ValidationError) else []
        reasons = "; ".join(str(e.get("msg", "")) for e in errors) or str(exc)
        return s.t(
            "The event is not complete yet ({reasons}). Let us go through the form again.", reasons=reasons[:300]
        )
    return None


def previews(s: Session, form_id: str, values: dict[str, Any]) -> list[Outbound]:
    if form_id == "event":
        return event_preview(s.content, values)
    return newsletter_preview(s.content, values)


class FormPreview:
    overlay = True

    def question(self, s: Session) -> list[Block]:
        return [Paragraph(s.t("This is how subscribers will see it in each language. Publish it?"))]

    def choices(self, s: Session) -> list[Choice]:
        t = s.t
        if _form(s).id == "event":
            return [Choice("_publish", t("Publish to subscribers")), Choice("_cancel", t("Discard"))]
        return [Choice("_send", t("Send now")), Choice("_schedule", t("Schedule")), Choice("_cancel", t("Discard"))]

    def on_input(self, s: Session, inp: Input) -> None:
        choice = inp.choice or ""
        form_id, values = _form(s).id, forms.values(s.state.view["draft"])
        if choice == "_cancel":
            s.close_overlay()
            return s.say(s.t("Discarded; nothing was published."))
        if choice == "_publish" and form_id == "event":
            s.actions.append(PublishEvent(values))
            return s.close_overlay()
        if choice == "_send" and form_id == "newsletter":
            s.actions.append(SendNewsletter(values))
            return s.close_overlay()
        if choice == "_schedule" and form_id == "newsletter":
            s.state.mode = "form_when"
            return None
        return s.say_only(s.t("Please pick one of the options below."))


class FormWhen:
    overlay = True

    def question(self, s: Session) -> list[Block]:
        return [Paragraph(s.t("When should it go out? For example 24.11.2026 09:00 (Berlin time)."))]

    def choices(self, s: Session) -> list[Choice]:
        return [Choice("_cancel", s.t("Back to the preview"))]

    def on_input(self, s: Session, inp: Input) -> None:
        if inp.choice == "_cancel":
            s.state.mode = "form_preview"
            return None
        base = s.facts.now
        when = parse_when(inp.text or "", DEFAULT_TIMEZONE, s.state.lang, base.date() if base else None)
        if when is None or (base is not None and when <= base):
            return s.say_only(s.t("Please give a date and time in the future, for example 24.11.2026 09:00."))
        s.actions.append(SendNewsletter(forms.values(s.state.view["draft"]), due_at=when))
        s.close_overlay()
        return None
