"""The conversation engine: ``handle(state, inbound) -> Turn``, a pure function of content, state and input."""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from flows.content.content import Content
from flows.content.model import LANGUAGES, LocalText
from flows.content.versions import migration_path
from flows.conversation.actions import Action, Effect, Facts
from flows.conversation.commands import on_command, run_command, welcome_back
from flows.conversation.context import Ctx
from flows.conversation.screens import SCREENS
from flows.conversation.screens.newsletter import is_stop_word, unsubscribe
from flows.conversation.screens.stages import ONLY_TEXT
from flows.conversation.session import Session
from flows.conversation.state import State
from flows.conversation.steps.base import Input
from flows.messages import Inbound, Outbound
from flows.reading import fold, pick_many
from flows.team.messages import removed_notice
from flows.team.roles import may_change
from flows.toolbox.recommend import index_of

MAX_MESSAGE = 16_000
"""Longer messages are refused before any step sees them (no step keeps more than 8,000)."""

_NUMBER = re.compile(r"[0-9]{1,6}")
_ABSENT = object()


@dataclass(frozen=True)
class AnswerChange:
    """One answer that differs after the turn: given (``answer``), skipped (``skip``, ``new`` is None) or
    gone (``remove``: deleted, dropped by a migration or moved to another id). An absent ``old`` reads None."""

    step_id: str
    old: Any
    new: Any
    kind: Literal["answer", "skip", "remove"]


@dataclass(frozen=True)
class Stored:
    """A conversation as storage keeps it: the position (None for a new one), answers and the person's language."""

    position: Mapping[str, Any] | None
    answers: dict[str, Any]
    language: str


@dataclass
class Turn:
    """What one inbound message did: the new state, the replies, changed answers, actions and effects.

    The replies are ``leading`` (messages passed on the way, such as info steps), then ``results`` (which
    the app shell fills with what the actions and effects produced), then ``closing`` (the question, or
    the last notes)."""

    state: State
    leading: list[Outbound]
    closing: Outbound | None = None
    changes: list[AnswerChange] = field(default_factory=list)
    effects: list[Effect] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    results: list[Outbound] = field(default_factory=list)

    @property
    def replies(self) -> list[Outbound]:
        return [*self.leading, *self.results, *([self.closing] if self.closing is not None else [])]


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
    def handle(
        self, state: State | Stored | None, inbound: Inbound, lang: str | None = None, facts: Facts | None = None
    ) -> Turn:
        """The turn for ``inbound``. A ``State`` is left unchanged (the engine works on a copy); from a
        ``Stored`` conversation the state is built once, and its dicts are left unchanged too."""
        if state is None:
            return self._run(State(version=self.content.version), {}, inbound, lang, facts)
        if isinstance(state, Stored):
            return self._run(
                self._restore(state), state.answers if state.position is not None else {}, inbound, lang, facts
            )
        return self._run(_copy(state), state.answers, inbound, lang, facts)

    def _run(
        self, state: State, before: Mapping[str, Any], inbound: Inbound, lang: str | None, facts: Facts | None
    ) -> Turn:
        """Handle ``inbound`` on ``state``, which the engine owns; ``before`` are the answers it started from."""
        moved = self.migrate(state)
        if lang in LANGUAGES:
            state.lang = lang
        facts = facts or Facts()
        ctx = Ctx(self.content, state, facts.team, before, facts.registry, facts.practice, facts.commons)
        session = Session(self.content, ctx, facts, SCREENS, self.today)
        for note in moved:
            session.say(ctx.text(note))
        if facts.removed is not None:
            session.say(removed_notice(ctx.t, facts.removed))
        dispatch(session, inbound)
        _within_role(facts, before, state)
        leading, closing = session.finish()
        return Turn(
            state=state,
            leading=leading,
            closing=closing,
            changes=_changes(before, state.answers),
            effects=session.effects,
            actions=session.actions,
        )

    def present(self, stored: Stored) -> Outbound:
        """The current question of a stored conversation as the user last saw it, without changing anything."""
        state = self._restore(stored)
        self.migrate(state)
        session = Session(self.content, Ctx(self.content, state), Facts(), SCREENS, self.today)
        session.repair()
        _, closing = session.finish()
        assert closing is not None
        return closing

    def _restore(self, stored: Stored) -> State:
        """The state of a stored conversation; validation gives it its own answers dict to change."""
        if stored.position is None:
            return State(version=self.content.version, lang=stored.language)
        return State.model_validate({**stored.position, "answers": stored.answers})

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


def _changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[AnswerChange]:
    """Every answer that differs, classified once: absent, None (skipped) and a value are three things."""
    changes = []
    for k in {*before, *after}:
        old, new = before.get(k, _ABSENT), after.get(k, _ABSENT)
        if old != new:
            kind: Literal["answer", "skip", "remove"] = (
                "remove" if new is _ABSENT else "skip" if new is None else "answer"
            )
            changes.append(AnswerChange(k, None if old is _ABSENT else old, None if new is _ABSENT else new, kind))
    return changes


def _within_role(facts: Facts, before: Mapping[str, Any], state: State) -> None:
    """The safety net behind the step screen's check: a change the person's role does not allow is undone."""
    if facts.team is None or facts.team.can_edit:
        return
    for k in {*before, *state.answers}:
        old, new = before.get(k, _ABSENT), state.answers.get(k, _ABSENT)
        if old != new and not may_change(facts.team, k, old, new):
            if old is _ABSENT:
                del state.answers[k]
            else:
                state.answers[k] = old


def _copy(state: State) -> State:
    """A copy the engine may change. Steps never change answer values in place, so one level is enough;
    overlays keep nested drafts in ``view``, which is copied whole."""
    return state.model_copy(
        update={
            "answers": dict(state.answers),
            "history": list(state.history),
            "draft": dict(state.draft),
            "view": copy.deepcopy(state.view),
        }
    )


def dispatch(s: Session, inbound: Inbound) -> None:
    """What the message is (a start, an edit, a file, a command, a button, text) decides who handles it."""
    if s.repair():
        return s.say(
            s.t(
                "The questions have been updated since your last visit, so I could not take in "
                "that message. We continue here:"
            )
        )
    if s.state.mode == "new" and s.facts.erased:
        return start_again(s, inbound)
    if s.state.mode == "new":
        return start(s, inbound)
    if inbound.event == "resume":
        return welcome_back(s)
    if inbound.event == "start":
        return None
    if inbound.event == "edited":
        return s.say_only(
            s.t(
                "Editing a sent message does not change the saved answer. To change it, send the "
                "new text as a new message, or use /back."
            )
        )
    if inbound.file_name is not None or inbound.file is not None:
        take = getattr(s.screen, "on_file", None)  # a screen that waits for a file (the template screen)
        if take is not None:
            return take(s, inbound)
        return s.say(s.t(ONLY_TEXT))
    if inbound.command is not None:
        name, _, arg = inbound.command.partition(" ")
        return run_command(s, name if any(c.id == name for c in s.content.commands) else None, arg, name)
    if inbound.choice is not None:
        return on_button(s, inbound.choice, inbound.turn)
    text = inbound.text or ""  # cleaned by Inbound
    if len(text) > MAX_MESSAGE:
        return s.say(
            s.t(
                "Your message has {length} characters, which is more than I can take in one "
                "message ({limit}). Please send it in shorter parts. Nothing has been lost.",
                length=s.t.number(len(text)),
                limit=s.t.number(MAX_MESSAGE),
            )
        )
    if text.strip().startswith("/"):
        return on_command(s, text.strip())
    if is_stop_word(s, text):
        return unsubscribe(s)
    on_text(s, text)


def start(s: Session, inbound: Inbound) -> None:
    """The first message of a conversation (or the first after its workspace was deleted): greet, then act on it."""
    if s.facts.deleted is not None:
        s.say(
            s.t(
                "The coordinator deleted the workspace {name} with everything in it. You start afresh here.",
                name=s.facts.deleted or s.t("your municipality"),
            )
        )
    s.start()
    if inbound.command:
        name, _, arg = inbound.command.partition(" ")
        return run_command(s, name, arg)
    text = (inbound.text or "").strip()
    if inbound.event == "message" and text.startswith("/") and len(text) <= MAX_MESSAGE:
        on_command(s, text)
    return None


def start_again(s: Session, inbound: Inbound) -> None:
    """After /delete nobody is behind the chat: say so and offer /start, which starts afresh (a greeting, no
    "welcome back"). Until then the conversation stays new, so the app shell stores nothing."""
    text = (inbound.text or "").strip()
    typed = text[1:].partition(" ")[0].split("@", 1)[0].casefold() if text.startswith("/") else None
    if inbound.event == "start" or inbound.command == "start" or s.content.command_names.get(typed or "") == "start":
        s.start()
        return s.say(s.t("A fresh start: nothing from before has been kept."))
    s.say(
        s.t(
            "You deleted all your data here, so I no longer know anything about you. To start afresh, send /{start}.",
            start=s.ctx.command_name("start"),
        )
    )


def on_button(s: Session, choice: str, turn: int | None) -> None:
    """A button is taken only from the question on screen; older ones get the current question again."""
    if turn != s.state.turn or choice not in {c.id for c in s.choices()}:
        s.say(s.t("That button belongs to an earlier message. Here is the current question:"))
        s.effects.append(Effect.STALE)
        return
    s.on_input(Input(text=None, choice=choice, button=True))


def on_text(s: Session, text: str) -> None:
    stripped = text.strip()
    if not stripped:
        return s.say_only(s.t("I did not receive any text. Please type your answer or pick an option."))
    boxes = ticked(s, stripped)
    if boxes:
        for box in boxes:
            s.on_input(Input(text=None, choice=box, button=True))
        return None
    s.on_input(Input(text=text, choice=match_choice(s, stripped)))


def ticked(s: Session, text: str) -> list[str]:
    """ "1, 3" typed on a screen of tick boxes (newsletter topics, an exchange profile's fields): the boxes to tick
    in turn, as the typing hint promises. Steps and forms read typed lists themselves; [] for anything else."""
    if s.state.mode in ("step", "form"):
        return []
    choices = s.choices()
    boxes = {c.id for c in choices if c.selected is not None}
    if not boxes:
        return []
    ids, unknown = pick_many(choices, text)
    return ids if len(ids) > 1 and not unknown and set(ids) <= boxes else []


TYPED = frozenset(
    {"text", "list", "date", "budget", "place", "report_value", "unit", "baseline", "number", "practice_form"}
)
"""Questions whose answer is typed: a number typed there is the answer ("1" in a list), not a button."""


def match_choice(s: Session, text: str) -> str | None:
    """The choice typed by its number or its label; numbers only where the question is not answered by typing."""
    choices = s.choices()
    if _NUMBER.fullmatch(text) and s.expects() not in TYPED:
        n = int(text)
        return choices[n - 1].id if 1 <= n <= len(choices) else None
    folded = fold(text)
    return next((c.id for c in choices if fold(c.label) == folded), None)
