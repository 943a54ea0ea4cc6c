"""Slash commands: each command's id to what it does, on any screen."""

from __future__ import annotations

from collections.abc import Callable

from flows.content.model import LANGUAGES
from flows.conversation.actions import Effect
from flows.conversation.screens import (
    admin,
    exchange,
    export,
    followup,
    indicators,
    introductions,
    members,
    menu,
    models,
    newsletter,
    practices,
    privacy,
    reminders,
    team,
    templates,
    toolbox,
)
from flows.conversation.screens.menu import refuse
from flows.conversation.session import Session
from flows.conversation.steps import kind_of
from flows.conversation.steps.base import Input
from flows.reading import fold
from flows.team import roles

_KEEP_OVERLAY = ("menu", "help", "quit")
"""Commands that act on top of an open overlay; every other one closes it first."""


def on_command(s: Session, text: str) -> None:
    name, _, arg = text[1:].partition(" ")
    name = name.split("@", 1)[0].casefold()
    run_command(s, s.content.command_names.get(name), arg, name)


def run_command(s: Session, command: str | None, arg: str, name: str = "") -> None:
    """A command by its id (typed by name, or pressed on a broadcast's button)."""
    on_back = getattr(s.screen, "on_back", None)  # a form overlay takes /back as its previous question
    if command == "back" and on_back is not None:
        return on_back(s)
    if s.screen.overlay and command not in _KEEP_OVERLAY:
        s.close_overlay()
    if command is None:
        return s.say(s.t("I do not know the command /{name}. /help lists all commands.", name=name[:40]))
    handlers: dict[str, Callable[[], None]] = {
        "start": lambda: members.join_command(s, arg.strip()[5:]) if _joins(arg) else welcome_back(s),
        "help": lambda: menu.show_help(s),
        "menu": lambda: s.open_overlay("menu"),
        "progress": lambda: menu.progress(s),
        "back": lambda: back(s),
        "skip": lambda: skip(s),
        "stage": lambda: stage_command(s, arg.strip()),
        "edit": lambda: s.open_overlay("pick_edit"),
        "municipality": lambda: municipality(s),
        "export": lambda: export.export_command(s, arg),
        "indicators": lambda: indicators.indicators_command(s, arg),
        "mydata": lambda: menu.mydata(s),
        "delete": lambda: s.open_overlay("confirm_delete"),
        "quit": lambda: goodbye(s),
        "language": lambda: language_command(s, arg.strip()),
        "tools": lambda: toolbox.browse(s),
        "search": lambda: toolbox.search(s, arg),
        "newsletter": lambda: newsletter.open_newsletter(s),
        "unsubscribe": lambda: newsletter.unsubscribe(s),
        "events": lambda: newsletter.events(s),
        "rsvp": lambda: newsletter.attend(s, arg, True),
        "unrsvp": lambda: newsletter.attend(s, arg, False),
        "admin": lambda: admin.admin_command(s, arg),
        "link": lambda: privacy.link_command(s, arg.strip()),
        "notices": lambda: team.notices_command(s, arg),
        "approve": lambda: team.approve_command(s, arg),
        "room": lambda: team.room_hint(s),
        "invite": lambda: members.invite_command(s, arg),
        "join": lambda: members.join_command(s, arg),
        "team": lambda: members.team_command(s),
        "template": lambda: templates.template_command(s),
        "status": lambda: followup.status_command(s, arg),
        "reminders": lambda: reminders.reminders_command(s, arg),
        "exchange": lambda: (
            introductions.answer_command(s, arg) if introductions.is_answer(arg) else exchange.exchange_command(s, arg)
        ),
        "models": lambda: models.models_command(s, arg),
        "practices": lambda: practices.practices_command(s, arg),
    }
    handlers[command]()


def _joins(arg: str) -> bool:
    """``/start join-CODE``: a Telegram deep link from an invitation."""
    return arg.strip().casefold().startswith("join-")


def welcome_back(s: Session) -> None:
    """A returning user hears where they stopped (a stage's end in full); a new one has just been greeted."""
    if s.greeted:
        return
    s.full = True
    s.say(s.t("Welcome back! Everything you entered is saved. Here is where we stopped:"))


def goodbye(s: Session) -> None:
    s.effects.append(Effect.QUIT)
    s.say_only(s.t("See you soon! Everything is saved; when you come back, we continue right here."))


def back(s: Session) -> None:
    step = s.current_step()
    if s.state.mode == "step" and step is not None:
        draft = kind_of(step).back(s.ctx, step)
        if draft is not None:
            s.state.draft = draft
            return
    history = [
        h
        for h in s.state.history
        if h in s.content.steps and s.content.step(h).kind != "info" and s.ctx.applies(s.content.step(h))
    ]
    while history and history[-1] == s.state.step:
        history.pop()
    if not history:
        return s.say(s.t("This is the first question; there is nothing before it."))
    s.state.history = history[:-1]
    s.goto(history[-1])


def skip(s: Session) -> None:
    if s.state.mode != "step" or s.current_step() is None:
        return s.say(s.t("There is no question to skip right now."))
    s.screens["step"].on_input(s, Input(text=None, choice="_skip", button=True))


def municipality(s: Session) -> None:
    """/kommune: the question that names the municipality, from anywhere; then back to where the person was."""
    step_id = s.content.profile_steps.get("name")
    if step_id is None:  # a content set without it: change any answer instead
        return s.open_overlay("pick_edit")
    if not roles.may_edit(s.ctx.team, step_id):
        return refuse(s)
    s.detour(step_id)


def stage_command(s: Session, arg: str) -> None:
    stages = s.content.daks_stages
    if not arg:
        return s.open_overlay("pick_stage")
    found = next((x for x in stages if arg == str(x.number) or fold(arg) in (fold(s.ctx.text(x.title)), x.id)), None)
    if found is None:
        s.say(s.t("There is no stage “{arg}”. Pick a number from 1 to {n}.", arg=arg[:40], n=len(stages)))
        return s.open_overlay("pick_stage")
    s.jump(found)


def language_command(s: Session, arg: str) -> None:
    lang = fold(arg)[:2]
    if lang in LANGUAGES:
        return menu.switch_language(s, lang)
    s.open_overlay("pick_lang")
