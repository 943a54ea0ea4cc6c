"""One message's work on a conversation: the typed base every screen acts through, and the Screen protocol."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Protocol

from flows import notices
from flows.content.content import Content
from flows.content.i18n import Translator
from flows.content.model import Stage, Step
from flows.conversation import clash
from flows.conversation.actions import Action, Effect, Facts, RecordVersion, TellTeam
from flows.conversation.context import Ctx
from flows.conversation.state import Mode, State
from flows.conversation.steps import kind_of
from flows.conversation.steps.base import Input
from flows.messages import Block, Choice, Outbound, Paragraph
from flows.practice import versions
from flows.team.approval import snapshot


class Screen(Protocol):
    """One mode of the conversation: what it asks, which choices it offers, what it does with an answer."""

    @property
    def overlay(self) -> bool:
        """Opened on top of a question; closing it returns there."""

    def question(self, s: Session) -> list[Block]: ...

    def choices(self, s: Session) -> list[Choice]: ...

    def on_input(self, s: Session, inp: Input) -> None: ...


class Session:
    """Handles one inbound message; collects notes, extra messages, effects and actions."""

    def __init__(
        self, content: Content, ctx: Ctx, facts: Facts, screens: Mapping[Mode, Screen], today: date | None = None
    ):
        self.content, self.ctx, self.facts, self.screens, self.today = content, ctx, facts, screens, today
        self.state: State = ctx.state
        self.notes: list[Block] = []
        self.before: list[Outbound] = []
        self.effects: list[Effect] = []
        self.actions: list[Action] = []
        self.show_question = True
        self.greeted = False
        """The conversation started with this message: the greeting is said, a welcome back is not."""
        self.again = False
        """The question was on screen before this message, or before the overlay just closed (set by ``finish``)."""
        self.returned = False
        """An overlay was closed or left in this message: the question below it is on screen already."""
        self.full = False
        """Show the stage's whole summary even when it is on screen already."""
        self._shown: tuple[tuple[object, ...], list[Choice]] | None = None
        self._answered = frozenset(self.state.answers)
        """The steps answered before this message (a stage completed now is told to the team once)."""

    @property
    def t(self) -> Translator:
        return self.ctx.t

    @property
    def screen(self) -> Screen:
        return self.screens[self.state.mode]

    # -- talking -----------------------------------------------------------
    def say(self, text: str) -> None:
        self.notes.append(Paragraph(text))

    def say_only(self, text: str) -> None:
        """Say ``text`` and keep the question hidden (it is still on screen)."""
        self.say(text)
        self.show_question = False

    def choices(self) -> list[Choice]:
        """The choices on screen, computed once for as long as the position they depend on is unchanged.

        Steps and screens replace (never change in place) the draft, the view and an answer, so the
        same objects mean the same choices."""
        s = self.state
        key = (
            *(s.mode, s.stage, s.step, s.lang, s.draft, s.view),
            *(s.answers.get(s.step) if s.step else None, s.held, s.clash),
        )
        if self._shown is None or not _same(self._shown[0], key):
            self._shown = (key, self.screen.choices(self))
        return self._shown[1]

    def question(self) -> list[Block]:
        return self.screen.question(self)

    def on_input(self, inp: Input) -> None:
        self.screen.on_input(self, inp)

    # -- moving ------------------------------------------------------------
    def current_step(self) -> Step | None:
        return self.content.step(self.state.step) if self.state.step in self.content.steps else None

    def goto(self, step_id: str) -> None:
        """Move to a step. Info steps are shown as their own message and passed at once."""
        stage = self.content.stage_of(step_id)
        step = self.content.step(step_id)
        if stage.number > 0:
            self.state.comeback = None  # out of the onboarding: the way back is taken, or given up
        self.state.mode, self.state.stage, self.state.step = "step", stage.id, step_id
        self.state.draft, self.state.held, self.state.clash = kind_of(step).enter(self.ctx, step), None, None
        self.show_question = True
        if step.kind == "info":
            self.before.append(Outbound(self.notes + self.question()))
            self.notes = []
            self.state.answers[step_id] = True
            self.advance(step)

    def advance(self, step: Step) -> None:
        """Past ``step``: the next open question of its stage, or the stage's end."""
        self.state.remember(step.id)
        self.show_question = True
        stage = self.content.stage_of(step.id)
        ids = [s.id for s in stage.steps]
        later = [s for s in ids[ids.index(step.id) + 1 :] if self._open(s)]
        if self.state.comeback is not None:  # a detour (/kommune): only what it left open, then back
            later = [s for s in later if self.content.step(s).from_place]
        if later:
            return self.goto(later[0])
        if stage.number == 0:
            return self.come_back() if self.state.comeback is not None else self.resume()
        self.tell_completed(stage)
        self.first_version(stage)
        self.stage_end(stage)

    def tell_completed(self, stage: Stage) -> None:
        """The teammates hear once that this message completed ``stage`` (not when a finished one is edited)."""
        team = self.facts.team
        if team is None or not team.shared:
            return
        asked = [x.id for x in stage.steps if x.kind != "info" and self.ctx.applies(x)]
        if all(self.state.answered(x) for x in asked) and not all(x in self._answered for x in asked):
            told = TellTeam(team.workspace_id, stage.id, "completed")
            if told not in self.actions:
                self.actions.append(told)

    def first_version(self, stage: Stage) -> None:
        """The Werkstattplan complete and no version of it recorded yet: it becomes version 1 (not agreed)."""
        team, practice = self.facts.team, self.ctx.practice
        if stage.id != versions.STAGE or team is None or practice is None:
            return
        asked = [x.id for x in stage.steps if x.kind != "info" and self.ctx.applies(x)]
        if all(self.state.answered(x) for x in asked) and not practice.versions():
            self.actions.append(RecordVersion(team.workspace_id, snapshot(stage, self.state.answers)))

    def _open(self, step_id: str) -> bool:
        """Not answered yet, and asked of this municipality."""
        return not self.state.answered(step_id) and self.ctx.applies(self.content.step(step_id))

    def enter_stage(self, stage: Stage) -> None:
        todo = [s.id for s in stage.steps if self._open(s.id)]
        if todo:
            self.goto(todo[0])
        else:
            self.stage_end(stage)

    def resume(self) -> None:
        """Continue at the first stage that still has open questions."""
        for stage in self.content.stages:
            if any(self._open(s.id) for s in stage.steps):
                return self.enter_stage(stage)
        self.stage_end(self.content.stages[-1])

    def start(self) -> None:
        self.greeted = True
        self.state.mode = "step"
        self.resume()

    def stage_end(self, stage: Stage) -> None:
        self.state.mode, self.state.stage, self.state.step, self.state.draft = "stage_end", stage.id, None, {}
        self.state.comeback = None

    def detour(self, step_id: str) -> None:
        """Open an onboarding question from anywhere (/kommune); once it is answered, the conversation returns
        to where the person was."""
        s = self.state
        here = {"mode": s.mode, "stage": s.stage, "step": s.step} if s.mode in ("step", "stage_end") else None
        if here is not None and s.stage == self.content.stage_of(step_id).id:
            here = None  # within the onboarding its own order leads on
        s.back_to = None
        if s.step and s.step != step_id:
            s.remember(s.step)
        self.goto(step_id)
        s.comeback = here

    def come_back(self) -> None:
        """Back where a detour started: the question (asked afresh) or the stage's end."""
        back, self.state.comeback = self.state.comeback or {}, None
        if back.get("mode") == "stage_end" and back.get("stage") in {x.id for x in self.content.stages}:
            return self.stage_end(self.content.stage(back["stage"]))
        if back.get("step") in self.content.steps:
            return self.goto(back["step"])
        self.resume()

    def jump(self, stage: Stage) -> None:
        """Go to a stage the user picked, out of any overlay."""
        self.state.back_to = None
        self.note_needs(stage)
        self.enter_stage(stage)

    def note_needs(self, stage: Stage) -> None:
        if stage.needs_note and any(not self.state.has_value(n) for n in stage.needs):
            self.say(self.ctx.text(stage.needs_note))

    def open_overlay(self, mode: Mode) -> None:
        if not self.screen.overlay:
            self.state.back_to = self.state.mode
        self.state.mode = mode

    def close_overlay(self) -> None:
        self.state.mode = self.state.back_to or "step"
        self.state.back_to = None
        self.returned = True
        if self.state.mode == "step" and self.current_step() is None:
            self.resume()

    def leave_overlay(self) -> None:
        """Back to the question an overlay sits on, without closing it as the user would."""
        self.state.mode = self.state.back_to or "step"
        self.returned = True

    def repair(self) -> bool:
        """A position the content no longer has (a step or stage removed) continues at the first open question."""
        s = self.state
        stages = {x.id for x in self.content.stages}
        lost = (s.mode == "step" and self.current_step() is None) or (
            s.mode != "new" and s.stage is not None and s.stage not in stages
        )
        s.history = [h for h in s.history if h in self.content.steps]
        if lost:
            s.mode, s.back_to, s.draft = "step", None, {}
            self.resume()
        return lost

    # -- the reply -----------------------------------------------------------
    def finish(self) -> tuple[list[Outbound], Outbound | None]:
        """The messages passed on the way and the closing one (the question, or the last notes)."""
        if Effect.DELETE_ME in self.effects or Effect.QUIT in self.effects:
            if self.notes:
                return self.before, Outbound(self.notes)
            return self.before[:-1], self.before[-1] if self.before else None
        key = f"{self.state.mode}:{self.state.step}:{self._kind_key()}"
        self.again = self.returned or key == self.state.asked
        if key != self.state.asked:
            self.state.turn += 1
            self.state.asked = key
        choices = self.choices()
        shown = self.show_question or not self.notes
        blocks = self.notes + (self.question() if shown else [])
        if shown and self.state.mode == "step":
            clash.saw(self.ctx)
        expects = self.expects()
        return self.before, Outbound(
            blocks,
            choices=choices,
            turn=self.state.turn if choices else None,
            expects=expects,
            typing_hint=self._typing_hint(expects, choices),
            kind="question",
        )

    def _typing_hint(self, expects: str, choices: list[Choice]) -> str | None:
        """How to pick several options by typing; channels with numbered lines show it."""
        if not any(c.selected is not None for c in choices):  # nothing to tick (a checklist the data decides)
            return None
        hint = notices.TYPE_NUMBERS_OR_ALL if expects == "checklist" else notices.TYPE_NUMBERS
        return self.t(hint)

    def expects(self) -> str:
        """What the message on screen asks for: a step kind (a records field's kind), or the mode."""
        step = self.current_step()
        if self.state.mode == "step" and step is not None:
            return kind_of(step).expects(self.ctx, step)
        return self.state.mode

    def _kind_key(self) -> str:
        if self.state.mode == "form":
            return str(self.state.view.get("draft", {}).get("at"))
        if self.state.mode == "stage_end":
            return str(self.state.stage)
        step = self.current_step()
        if self.state.mode != "step" or step is None:
            return ""
        return kind_of(step).key(self.ctx, step) + (":clash" if self.state.clash is not None else "")


def _same(old: tuple[object, ...], new: tuple[object, ...]) -> bool:
    """Equal texts, and the very same containers."""
    return all(a is b or (isinstance(a, str) and a == b) for a, b in zip(old, new, strict=True))
