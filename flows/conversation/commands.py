"""Slash commands: help, progress, back, skip, stages, export, my data, quit."""

from __future__ import annotations

from datetime import date
from typing import Any

from flows.content.loader import Content
from flows.conversation import overview
from flows.conversation.actions import Effect
from flows.conversation.context import Ctx
from flows.conversation.export import export_markdown
from flows.conversation.overlays import OVERLAYS
from flows.conversation.state import State
from flows.conversation.steps import kind_of
from flows.conversation.steps.base import Input, fold
from flows.messages import Block, Bullets, Heading, Outbound, Paragraph


class Commands:
    """Mixed into the engine's session; uses its state, translator and navigation."""

    content: Content
    ctx: Ctx
    state: State
    t: Any
    engine: Any
    before: list[Outbound]
    effects: list[Effect]
    newsletter: Any
    unsubscribe: Any
    events: Any
    attend: Any
    admin_command: Any

    def on_command(self, text: str) -> None:
        name, _, arg = text[1:].partition(" ")
        name = name.split("@", 1)[0].casefold()
        self.run_command(self.content.command_names.get(name), arg, name)

    def run_command(self, command: str | None, arg: str, name: str = "") -> None:
        """A command by its id (typed by name, or pressed on a broadcast's button)."""
        if self.state.mode in OVERLAYS and command not in (
                "menu", "help", "quit"):
            self.state.mode, self.state.back_to = self.state.back_to or "step", None
        if command is None:
            self.say(self.t("I do not know the command /{name}. /help lists all commands.", name=name[:40]))
            return
        handler = {
            "start": self.welcome_back, "help": self.help, "menu": lambda: self.open_overlay("menu"),
            "progress": self.progress, "back": self.back, "skip": self.skip_command,
            "stage": lambda: self.stage_command(arg.strip()), "edit": lambda: self.open_overlay("pick_edit"),
            "export": self.export, "mydata": self.mydata, "delete": lambda: self.open_overlay("confirm_delete"),
            "quit": self.quit, "language": lambda: self.language_command(arg.strip()),
            "tools": self.browse, "search": lambda: self.search(arg),
            "newsletter": self.newsletter, "unsubscribe": self.unsubscribe, "events": self.events,
            "rsvp": lambda: self.attend(arg, True), "unrsvp": lambda: self.attend(arg, False),
            "admin": lambda: self.admin_command(arg),
        }[command]
        handler()

    def welcome_back(self) -> None:
        self.say(self.t("Welcome back! Everything you entered is saved. Here is where we stopped:"))

    def help(self) -> None:
        step = self.current_step()
        blocks: list[Block] = [Heading(self.t("Help"))]
        if self.state.mode == "step" and step is not None and step.help:
            blocks.append(Paragraph(self.ctx.text(step.help)))
        blocks.append(Paragraph(self.t("Answer by typing, or with the number or name of an option. "
                                       "These commands work at any time:")))
        lang = self.state.lang
        blocks.append(Bullets(tuple(
            f"/{(c.names.get(lang) or c.names['de'])[0]}: {self.ctx.text(c.summary)}"
            for c in self.content.commands if not c.hidden)))
        self.before.append(Outbound(blocks))

    def progress(self) -> None:
        self.before.append(Outbound(overview.progress(self.ctx)))

    def export(self) -> None:
        today = self.engine.today or date.today()
        attachment = export_markdown(self.ctx, today)
        self.before.append(Outbound([Paragraph(self.t("Here are your results as a Markdown file."))],
                                    attachments=[attachment]))

    def mydata(self) -> None:
        self.effects.append(Effect.SHOW_MY_DATA)

    def quit(self) -> None:
        self.effects.append(Effect.QUIT)
        self.say(self.t("See you soon! Everything is saved; when you come back, we continue right here."))
        self.show_question = False

    def back(self) -> None:
        step = self.current_step()
        if self.state.mode == "step" and step is not None:
            draft = kind_of(step).back(self.ctx, step)
            if draft is not None:
                self.state.draft = draft
                return
        history = [h for h in self.state.history
                   if h in self.content.steps and self.content.step(h).kind != "info"]
        while history and history[-1] == self.state.step:
            history.pop()
        if not history:
            self.say(self.t("This is the first question; there is nothing before it."))
            return
        self.state.history = history[:-1]
        self.goto(history[-1])

    def skip_command(self) -> None:
        step = self.current_step()
        if self.state.mode != "step" or step is None:
            self.say(self.t("There is no question to skip right now."))
            return
        self.on_step(Input(text=None, choice="_skip", button=True))

    def stage_command(self, arg: str) -> None:
        stages = self.content.daks_stages
        if not arg:
            return self.open_overlay("pick_stage")
        stage = next((s for s in stages if arg == str(s.number) or fold(arg) in (fold(self.ctx.text(s.title)), s.id)),
                     None)
        if stage is None:
            self.say(self.t("There is no stage “{arg}”. Pick a number from 1 to {n}.", arg=arg[:40], n=len(stages)))
            return self.open_overlay("pick_stage")
        self.jump(stage)

