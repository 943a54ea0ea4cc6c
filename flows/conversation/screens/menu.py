"""The menu and what it opens: stage, answer and language pickers, deletion; progress, export, help, my data."""

from __future__ import annotations

from collections.abc import Callable

from flows.content.model import LANGUAGE_NAMES, LANGUAGES, Step
from flows.conversation import overview
from flows.conversation.actions import Effect
from flows.conversation.screens import admin, export, newsletter
from flows.conversation.session import Session
from flows.conversation.steps.base import Input
from flows.messages import Block, Bullets, Choice, Heading, Outbound, Paragraph
from flows.team import roles

_STAYS_OPEN = ("_stage", "_edit", "_delete", "_lang", "_close", "_newsletter", "_admin")
"""Menu entries that open another overlay (or close this one) rather than act on the question below."""


def writes(s: Session) -> bool:
    """Whether the person may change answers (not a member with read access only)."""
    return s.facts.team is None or s.facts.team.can_edit


def refuse(s: Session) -> None:
    """Nothing is stored: say what they may do and whom to ask."""
    team = s.ctx.team
    asked = [m.name or s.t("the coordinator") for m in roles.coordinators(team)] if team is not None else []
    names = s.t.joined(asked or [s.t("the coordinator")])
    if team is not None and team.role == "owner":
        return s.say_only(
            s.t(
                "As a measure owner you can change only the measures of the action plan whose owner is you. "
                "Everything else is changed by {names}.",
                names=names,
            )
        )
    s.say_only(s.t("You can read and export; changes are made by {names}.", names=names))


def back_choice(s: Session) -> Choice:
    return Choice("_close", s.t("Back to the question"))


class Menu:
    overlay = True

    def question(self, s: Session) -> list[Block]:
        return [Heading(s.t("Menu")), Paragraph(s.t("What would you like to do?"))]

    def choices(self, s: Session) -> list[Choice]:
        t = s.t
        staff = [Choice("_admin", t("Administration"))] if s.facts.role else []
        editing = [Choice("_edit", t("Change an answer"))] if writes(s) else []  # a viewer reads only
        return [
            Choice("_progress", t("Show progress")),
            Choice("_stage", t("Go to a stage")),
            *editing,
            Choice("_export", t("Export as a file")),
            Choice("_newsletter", t("Newsletter")),
            Choice("_events", t("Upcoming events")),
            Choice("_mydata", t("My stored data")),
            Choice("_delete", t("Delete my data")),
            Choice("_lang", "Sprache · Langue · Language", short="Sprache/Langue/Language"),
            Choice("_help", t("Help")),
            *staff,
            back_choice(s),
        ]

    def on_input(self, s: Session, inp: Input) -> None:
        entries: dict[str, Callable[[], None]] = {
            "_progress": lambda: progress(s),
            "_stage": lambda: s.open_overlay("pick_stage"),
            "_edit": lambda: s.open_overlay("pick_edit"),
            "_export": lambda: export.ask(s),
            "_mydata": lambda: mydata(s),
            "_delete": lambda: s.open_overlay("confirm_delete"),
            "_help": lambda: show_help(s),
            "_lang": lambda: s.open_overlay("pick_lang"),
            "_newsletter": lambda: newsletter.open_newsletter(s),
            "_events": lambda: newsletter.events(s),
            "_admin": lambda: admin.admin_command(s, ""),
            "_close": s.close_overlay,
        }
        entry = entries.get(inp.choice or "")
        if entry is None:
            return s.say_only(s.t("Please pick one of the options below."))
        if inp.choice not in _STAYS_OPEN:
            s.close_overlay()
        entry()


class PickStage:
    overlay = True

    def question(self, s: Session) -> list[Block]:
        return [Paragraph(s.t("Which stage do you want to work on?"))]

    def choices(self, s: Session) -> list[Choice]:
        return [
            *(Choice(f"s:{x.id}", f"{x.number}. {s.ctx.text(x.title)}") for x in s.content.daks_stages),
            back_choice(s),
        ]

    def on_input(self, s: Session, inp: Input) -> None:
        if inp.choice == "_close":
            return s.close_overlay()
        stage = next((x for x in s.content.daks_stages if inp.choice == f"s:{x.id}"), None)
        if stage is None:
            return s.say_only(s.t("Please pick a stage by its number (1 to 5)."))
        s.jump(stage)


def editable(s: Session) -> list[Step]:
    stage = s.content.stage(s.state.stage) if s.state.stage else s.content.stages[0]
    return [x for x in stage.steps if x.kind != "info" and s.state.answered(x.id)]


class PickEdit:
    overlay = True

    def question(self, s: Session) -> list[Block]:
        if not editable(s):
            return [Paragraph(s.t("There are no answers in this stage yet."))]
        return [Paragraph(s.t("Which answer do you want to change?"))]

    def choices(self, s: Session) -> list[Choice]:
        return [*(Choice(f"e:{x.id}", s.ctx.text(x.label)) for x in editable(s)), back_choice(s)]

    def on_input(self, s: Session, inp: Input) -> None:
        if inp.choice == "_close":
            return s.close_overlay()
        step = next((x for x in editable(s) if inp.choice == f"e:{x.id}"), None)
        if step is None:
            return s.say_only(s.t("Please pick an answer by its number."))
        s.state.back_to = None
        if s.state.step and s.state.step != step.id:
            s.state.remember(s.state.step)
        s.goto(step.id)


class PickLang:
    overlay = True

    def question(self, s: Session) -> list[Block]:
        return [Paragraph("Sprache · Langue · Language")]

    def choices(self, s: Session) -> list[Choice]:
        return [*(Choice(f"l:{code}", name) for code, name in LANGUAGE_NAMES.items()), back_choice(s)]

    def on_input(self, s: Session, inp: Input) -> None:
        if inp.choice == "_close":
            return s.close_overlay()
        lang = (inp.choice or "").removeprefix("l:")
        if lang not in LANGUAGES:
            return s.say_only(s.t("Please pick a language by its number."))
        s.close_overlay()
        switch_language(s, lang)


def switch_language(s: Session, lang: str) -> None:
    """Carry on where the user is, in another language."""
    s.state.lang = lang
    s.ctx.t = s.content.catalogues.translator(lang)
    s.say(s.t("From now on I will answer in English."))


# -- what the menu (and the commands) show at once --------------------------------
def show_help(s: Session) -> None:
    step = s.current_step()
    blocks: list[Block] = [Heading(s.t("Help"))]
    if s.state.mode == "step" and step is not None and step.help:
        blocks.append(Paragraph(s.ctx.text(step.help)))
    blocks.append(
        Paragraph(s.t("Answer by typing, or with the number or name of an option. These commands work at any time:"))
    )
    lang = s.state.lang
    blocks.append(
        Bullets(
            tuple(
                s.t(
                    "{label}: {value}", label=f"/{(c.names.get(lang) or c.names['de'])[0]}", value=s.ctx.text(c.summary)
                )
                for c in s.content.commands
                if not c.hidden
            )
        )
    )
    s.before.append(Outbound(blocks))


def progress(s: Session) -> None:
    s.before.append(Outbound(overview.progress(s.ctx)))


def mydata(s: Session) -> None:
    s.effects.append(Effect.SHOW_MY_DATA)
