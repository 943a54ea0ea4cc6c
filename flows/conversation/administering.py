"""Admin work in chat: events and newsletters filled in as forms, previewed, published; broadcasts and editors.

Admins are configured (never granted in chat); editors are granted by admins and may do all
of this except managing editors. Anyone else gets a polite refusal and nothing more.
"""

from __future__ import annotations

from typing import Any

from flows.content.loader import Content
from flows.content.model import LANGUAGE_NAMES
from flows.conversation import forms
from flows.conversation.actions import (
    CancelBroadcast,
    Facts,
    PublishEvent,
    SendNewsletter,
    SetEditor,
    ShowBroadcasts,
    ShowEditors,
    ShowEvents,
)
from flows.conversation.context import Ctx
from flows.conversation.state import State
from flows.conversation.steps.base import Input
from flows.messages import Block, Choice, Heading, Outbound, Paragraph

ADMIN_MODES = ("admin", "form", "form_preview", "form_when")
_WHO = ("telegram:", "matrix:@")


class Administering:
    """Mixed into the engine's session."""

    content: Content
    ctx: Ctx
    state: State
    t: Any
    facts: Facts
    actions: list[Any]
    before: list[Outbound]
    show_question: bool

    def admin_command(self, arg: str) -> None:
        if self.facts.role is None:
            self.say(self.t("Sorry, this command is for the administrators and editors of this service."))
            self.show_question = False
            return
        words = arg.split()
        verb = words[0].casefold() if words else ""
        number = words[1].lstrip("#") if len(words) > 1 else ""
        if verb == "":
            return self.open_overlay("admin")
        if verb in ("event", "newsletter"):
            return self.open_form(verb)
        if verb == "events":
            return self.actions.append(ShowEvents())
        if verb == "status":
            return self.actions.append(ShowBroadcasts(int(number) if number.isdigit() else None))
        if verb == "cancel" and number.isdigit():
            return self.actions.append(CancelBroadcast(int(number)))
        if verb in ("editor", "editors"):
            return self.editor_command(words[1:])
        self.say(self.t("Admin commands: /admin, /admin event, /admin newsletter, /admin events, "
                        "/admin status [number], /admin cancel number, /admin editors, "
                        "/admin editor add|remove telegram:ID|matrix:@user:server"))

    def editor_command(self, words: list[str]) -> None:
        if self.facts.role != "admin":
            self.say(self.t("Only administrators can grant or revoke the editor role."))
            return
        if not words:
            return self.actions.append(ShowEditors())
        if len(words) == 2 and words[0] in ("add", "remove") and words[1].startswith(_WHO) and len(words[1]) < 300:
            return self.actions.append(SetEditor(words[1], granted=words[0] == "add"))
        self.say(self.t("Write /admin editor add telegram:123456 or /admin editor remove matrix:@name:server "
                        "(numeric Telegram ids and full Matrix IDs only)."))

    def on_admin(self, inp: Input) -> None:
        choice = inp.choice or ""
        mode = self.state.mode
        if mode == "admin":
            return self._on_admin_menu(choice)
        if mode == "form":
            return self._on_form(inp)
        if mode == "form_preview":
            return self._on_preview(choice)
        if mode == "form_when":
            return self._on_when(inp)

    def _on_admin_menu(self, choice: str) -> None:
        actions = {"_event": lambda: self.open_form("event"), "_newsletter": lambda: self.open_form("newsletter"),
                   "_broadcasts": lambda: self.actions.append(ShowBroadcasts(None)),
                   "_events": lambda: self.actions.append(ShowEvents()),
                   "_editors": lambda: self.editor_command([]), "_close": self.close_overlay}
        if choice not in actions:
            self.say(self.t("Please pick one of the options below."))
            self.show_question = False
            return
        if choice not in ("_event", "_newsletter", "_close"):
            self.close_overlay()
        actions[choice]()

    # -- forms ---------------------------------------------------------------------
    def open_form(self, form_id: str) -> None:
        self.state.view = {"draft": forms.start(self.content.forms[form_id])}
        self.open_overlay("form")

    def _form(self) -> forms.Form:
        return self.content.forms[self.state.view["draft"]["form"]]

    def form_options(self, source: str) -> list[tuple[str, str]]:
        if source == "event_kinds":
            return [(k, self.ctx.text(label)) for k, label in self.content.event_kinds.items()]
        if source == "languages":
            return list(LANGUAGE_NAMES.items())
        return [(x, self.ctx.topic_label(x)) for x in self.content.topics]

    def _on_form(self, inp: Input) -> None:
        draft = self.state.view["draft"]
        step = forms.answer(self._form(), draft, inp.text, inp.choice if inp.button else None, self.t,
                            self.form_options, lang=self.state.lang)
        self.state.view = {**self.state.view, "draft": step.draft}
        for note in step.notes:
            self.say(note)
        if step.cancelled:
            self.close_overlay()
            self.say(self.t("Discarded; nothing was published."))
        elif step.done:
            problem = self.check_form(self._form().id, forms.values(step.draft))
            if problem:
                self.say(problem)
                self.state.view["draft"] = forms.start(self._form())
                return
            self.state.mode = "form_preview"
            self.before.extend(self.previews(self._form().id, forms.values(step.draft)))

    def _on_preview(self, choice: str) -> None:
        form_id, values = self._form().id, forms.values(self.state.view["draft"])
        if choice == "_cancel":
            self.close_overlay()
            return self.say(self.t("Discarded; nothing was published."))
        if choice == "_publish" and form_id == "event":
            self.actions.append(PublishEvent(values))
            return self.close_overlay()
        if choice == "_send" and form_id == "newsletter":
            self.actions.append(SendNewsletter(values))
            return self.close_overlay()
        if choice == "_schedule" and form_id == "newsletter":
            self.state.mode = "form_when"
            return None
        self.say(self.t("Please pick one of the options below."))
        self.show_question = False
        return None

    def _on_when(self, inp: Input) -> None:
        from flows.news.events import DEFAULT_TIMEZONE, parse_when

        if inp.choice == "_cancel":
            self.state.mode = "form_preview"
            return
        base = self.facts.now
        when = parse_when(inp.text or "", DEFAULT_TIMEZONE, self.state.lang, base.date() if base else None)
        if when is None or (base is not None and when <= base):
            self.say(self.t("Please give a date and time in the future, for example 24.11.2026 09:00."))
            self.show_question = False
            return
        self.actions.append(SendNewsletter(forms.values(self.state.view["draft"]), due_at=when))
        self.close_overlay()

    # -- rendering -------------------------------------------------------------------
    def check_form(self, form_id: str, values: dict[str, Any]) -> str | None:
        """A problem the fields alone could not catch (e.g. an event without place or link)."""
        if form_id != "event":
            return None
        from flows.news.events import EventSpec

        try:
            EventSpec.model_validate(values)
        except ValueError as exc:
            reasons = "; ".join(e.get("msg", "") for e in getattr(exc, "errors", lambda: [])()) or str(exc)
            return self.t("The event is not complete yet ({reasons}). Let us go through the form again.",
                          reasons=reasons[:300])
        return None

    def previews(self, form_id: str, values: dict[str, Any]) -> list[Outbound]:
        from flows.news.broadcasting import event_preview, newsletter_preview

        if form_id == "event":
            return event_preview(self.content, values)
        return newsletter_preview(self.content, values)

    def admin_choices(self) -> list[Choice]:
        t, mode = self.t, self.state.mode
        if mode == "admin":
            choices = [Choice("_event", t("New event")), Choice("_newsletter", t("New newsletter")),
                       Choice("_broadcasts", t("Broadcasts")), Choice("_events", t("Events and RSVPs"))]
            if self.facts.role == "admin":
                choices.append(Choice("_editors", t("Editors")))
            return [*choices, Choice("_close", t("Back to the question"))]
        if mode == "form":
            return forms.question(self._form(), self.state.view["draft"], t, self.form_options)[1]
        if mode == "form_preview":
            if self._form().id == "event":
                return [Choice("_publish", t("Publish to subscribers")), Choice("_cancel", t("Discard"))]
            return [Choice("_send", t("Send now")), Choice("_schedule", t("Schedule")), Choice("_cancel", t("Discard"))]
        return [Choice("_cancel", t("Back to the preview"))]

    def admin_question(self) -> list[Block]:
        t, mode = self.t, self.state.mode
        if mode == "admin":
            return [Heading(t("Administration")), Paragraph(t("What would you like to do?"))]
        if mode == "form":
            return forms.question(self._form(), self.state.view["draft"], t, self.form_options)[0]
        if mode == "form_preview":
            return [Paragraph(t("This is how subscribers will see it in each language. Publish it?"))]
        return [Paragraph(t("When should it go out? For example 24.11.2026 09:00 (Berlin time)."))]
