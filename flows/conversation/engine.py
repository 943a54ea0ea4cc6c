"""The conversation engine: ``handle(state, inbound) -> Turn``, a pure function of content, state and input."""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flows.content.content import Content
from flows.content.model import LANGUAGES, LocalText
from flows.content.versions import migration_path
from flows.conversation.actions import Action, Facts
from flows.conversation.commands import on_command, run_command, welcome_back
from flows.conversation.context import Ctx
from flows.conversation.recommend import index_of
from flows.conversation.screens import SCREENS
from flows.conversation.screens.newsletter import is_stop_word, unsubscribe
from flows.conversation.session import Effect, Session
from flows.conversation.state import State
from flows.conversation.steps.base import KEEP, Input
from flows.messages import Inbound, Outbound
from flows.reading import fold

MAX_MESSAGE = 16_000
"""Longer messages are refused before any step sees them (no step keeps more than 8,000)."""

_NUMBER = re.compile(r"[0-9]{1,6}")


@dataclass
class AnswerChange:
    step_id: str
    old: Any
    new: Any


@dataclass
class Turn:
    """What one inbound message did: the new state, the replies, changed answers and side effects."""

    state: State
    replies: list[Outbound]
    changes: list[AnswerChange] = field(default_factory=list)
    effects: list[Effect] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)


class Engine:
    """Walks users through the stages of a content set."""

    def __init__(self, content: Content, today: date | None = None):
        self.content = content
        self.today = today

    def warm(self) -> None:
        """Load locale data and compile texts now, so the first users do not wait for it."""
        for lang in self.content.manifest.languages:
            ctx = Ctx(self.content, State(version=self.content.version, lang=lang))
            ctx.format_date("2000-01-01"), ctx.format_date("2000-01")
            for stage in self.content.stages:
                ctx.text(stage.title), ctx.text(stage.goal)
                for step in stage.steps:
                    ctx.text(step.prompt)
        if self.content.toolbox:
            index_of(Ctx(self.content, State(version=self.content.version)))

    # -- entry point -------------------------------------------------------
    def handle(self, state: State | None, inbound: Inbound, lang: str | None = None, facts: Facts | None = None
               ) -> Turn:
        state = _copy(state) if state else State(version=self.content.version)
        before = dict(state.answers)
        moved = self.migrate(state)
        if lang in LANGUAGES:
            state.lang = lang
        ctx = Ctx(self.content, state)
        session = Session(self.content, ctx, facts or Facts(), SCREENS, self.today)
        for note in moved:
            session.say(ctx.text(note))
        dispatch(session, inbound)
        replies = session.finish()
        changes = [AnswerChange(k, before.get(k), state.answers.get(k))
                   for k in {*before, *state.answers} if before.get(k, KEEP) != state.answers.get(k, KEEP)]
        return Turn(state=state, replies=replies, changes=changes, effects=session.effects, actions=session.actions)

    def present(self, state: State) -> Outbound:
        """The current question as the user last saw it, without changing anything."""
        state = _copy(state)
        self.migrate(state)
        session = Session(self.content, Ctx(self.content, state), Facts(), SCREENS, self.today)
        session.repair()
        return session.finish()[-1]

    def migrate(self, state: State) -> list[LocalText]:
        """Move a conversation from the content version it ran on to the current one; return what to tell."""
        if state.version == self.content.version:
            return []
        chain = migration_path(self.content, state.version) or []
        for migration in chain:
            for old, new in migration.steps.items():
                if old in state.answers and new not in state.answers:
                    state.answers[new] = state.answers.pop(old)
                state.step = new if state.step == old else state.step
                state.history = [new if h == old else h for h in state.history]
            for gone in migration.dropped:
                state.answers.pop(gone, None)
        state.version = self.content.version
        return [m.note for m in chain]


def _copy(state: State) -> State:
    """A copy the engine may change. Steps never change answer values in place, so one level is enough;
    overlays keep nested drafts in ``view``, which is copied whole."""
    return state.model_copy(update={"answers": dict(state.answers), "history": list(state.history),
                                    "draft": dict(state.draft), "view": copy.deepcopy(state.view)})


def dispatch(s: Session, inbound: Inbound) -> None:
    """What the message is (a start, an edit, a file, a command, a button, text) decides who handles it."""
    if s.repair():
        return s.say(s.t("The questions have been updated since your last visit, so I could not take in "
                         "that message. We continue here:"))
    if s.state.mode == "new":
        s.start()
        if inbound.command:
            name, _, arg = inbound.command.partition(" ")
            return run_command(s, name, arg)
        text = (inbound.text or "").strip()
        if inbound.event == "message" and text.startswith("/") and len(text) <= MAX_MESSAGE:
            on_command(s, text)
        return None
    if inbound.event == "resume":
        return welcome_back(s)
    if inbound.event == "start":
        return None
    if inbound.event == "edited":
        return s.say_only(s.t("Editing a sent message does not change the saved answer. To change it, send the "
                              "new text as a new message, or use /back."))
    if inbound.file_name is not None:
        return s.say(s.t("I can only read text here, so I have not kept the file. Please type your answer instead."))
    if inbound.command is not None:
        name, _, arg = inbound.command.partition(" ")
        return run_command(s, name if any(c.id == name for c in s.content.commands) else None, arg, name)
    if inbound.choice is not None:
        return on_button(s, inbound.choice, inbound.turn)
    text = inbound.text or ""  # cleaned by Inbound
    if len(text) > MAX_MESSAGE:
        return s.say(s.t("Your message has {length} characters, which is more than I can take in one "
                         "message ({limit}). Please send it in shorter parts. Nothing has been lost.",
                         length=s.t.number(len(text)), limit=s.t.number(MAX_MESSAGE)))
    if text.strip().startswith("/"):
        return on_command(s, text.strip())
    if is_stop_word(s, text):
        return unsubscribe(s)
    on_text(s, text)


def on_button(s: Session, choice: str, turn: int | None) -> None:
    """A button is taken only from the question on screen; older ones get the current question again."""
    if turn != s.state.turn or choice not in {c.id for c in s.choices()}:
        s.say(s.t("That button belongs to an earlier message. Here is the current question:"))
        s.effects.append("stale")
        return
    s.on_input(Input(text=None, choice=choice, button=True))


def on_text(s: Session, text: str) -> None:
    stripped = text.strip()
    if not stripped:
        return s.say_only(s.t("I did not receive any text. Please type your answer or pick an option."))
    s.on_input(Input(text=text, choice=match_choice(s, stripped)))


def match_choice(s: Session, text: str) -> str | None:
    """The choice typed by its number or its label."""
    choices = s.choices()
    if _NUMBER.fullmatch(text):
        n = int(text)
        return choices[n - 1].id if 1 <= n <= len(choices) else None
    folded = fold(text)
    return next((c.id for c in choices if fold(c.label) == folded), None)
