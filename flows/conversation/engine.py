"""The conversation engine: ``handle(state, inbound) -> Turn``, a pure function of content, state and input."""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from flows.content.loader import Content, migration_path
from flows.content.model import LANGUAGE_NAMES, LANGUAGES, LocalText, Stage, Step
from flows.conversation import overview
from flows.conversation.actions import Action, Effect, Facts
from flows.conversation.administering import ADMIN_MODES, Administering
from flows.conversation.commands import Commands
from flows.conversation.context import Ctx
from flows.conversation.overlays import Overlays
from flows.conversation.recommend import index_of, recommend
from flows.conversation.state import State
from flows.conversation.steps import kind_of
from flows.conversation.steps.base import KEEP, Input, Result, fold
from flows.conversation.subscribing import SUB_MODES, Subscribing
from flows.messages import Block, Bullets, Choice, Heading, Inbound, Outbound, Paragraph

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
    def handle(self, state: State | Stored | None, inbound: Inbound, lang: str | None = None,
               facts: Facts | None = None) -> Turn:
        """The turn for ``inbound``. A ``State`` is left unchanged (the engine works on a copy); from a
        ``Stored`` conversation the state is built once, and its dicts are left unchanged too."""
        if state is None:
            return self._run(State(version=self.content.version), {}, inbound, lang, facts)
        if isinstance(state, Stored):
            return self._run(self._restore(state), state.answers if state.position is not None else {}, inbound,
                             lang, facts)
        return self._run(_copy(state), state.answers, inbound, lang, facts)

    def _run(self, state: State, before: Mapping[str, Any], inbound: Inbound, lang: str | None,
             facts: Facts | None) -> Turn:
        """Handle ``inbound`` on ``state``, which the engine owns; ``before`` are the answers it started from."""
        moved = self.migrate(state)
        if lang in LANGUAGES:
            state.lang = lang
        ctx = Ctx(self.content, state)
        session = _Session(self, ctx, facts or Facts())
        for note in moved:
            session.say(ctx.text(note))
        session.dispatch(inbound)
        leading, closing = session.finish()
        return Turn(state=state, leading=leading, closing=closing, changes=_changes(before, state.answers),
                    effects=session.effects, actions=session.actions)

    def present(self, stored: Stored) -> Outbound:
        """The current question of a stored conversation as the user last saw it, without changing anything."""
        state = self._restore(stored)
        self.migrate(state)
        session = _Session(self, Ctx(self.content, state), Facts())
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
            kind: Literal["answer", "skip", "remove"] = "remove" if new is _ABSENT else "skip" if new is None \
                else "answer"
            changes.append(AnswerChange(k, None if old is _ABSENT else old, None if new is _ABSENT else new, kind))
    return changes


def _copy(state: State) -> State:
    """A copy the engine may change. Steps never change answer values in place, so one level is enough;
    overlays keep nested drafts in ``view``, which is copied whole."""
    return state.model_copy(update={"answers": dict(state.answers), "history": list(state.history),
                                    "draft": dict(state.draft), "view": copy.deepcopy(state.view)})


class _Session(Overlays, Commands, Subscribing, Administering):
    """Handles one inbound message; collects notes, extra messages, effects and actions."""

    def __init__(self, engine: Engine, ctx: Ctx, facts: Facts):
        self.engine, self.ctx, self.content, self.facts = engine, ctx, engine.content, facts
        self.actions: list[Action] = []
        self.state, self.t = ctx.state, ctx.t
        self.notes: list[Block] = []
        self.before: list[Outbound] = []
        self.effects: list[Effect] = []
        self.show_question = True

    # -- dispatch ----------------------------------------------------------
    def dispatch(self, inbound: Inbound) -> None:
        if self.repair():
            self.say(self.t("The questions have been updated since your last visit, so I could not take in "
                            "that message. We continue here:"))
            return
        if self.state.mode == "new":
            self.start()
            if inbound.command:
                name, _, arg = inbound.command.partition(" ")
                return self.run_command(name, arg)
            text = (inbound.text or "").strip()
            if inbound.event == "message" and text.startswith("/") and len(text) <= MAX_MESSAGE:
                self.on_command(text)
            return
        if inbound.event == "resume":
            return self.welcome_back()
        if inbound.event == "start":
            return
        if inbound.event == "edited":
            self.say(self.t("Editing a sent message does not change the saved answer. To change it, send the "
                            "new text as a new message, or use /back."))
            self.show_question = False
            return
        if inbound.file_name is not None:
            self.say(self.t("I can only read text here, so I have not kept the file. "
                            "Please type your answer instead."))
            return
        if inbound.command is not None:
            name, _, arg = inbound.command.partition(" ")
            self.run_command(name if any(c.id == name for c in self.content.commands) else None, arg, name)
            return
        if inbound.choice is not None:
            self.on_button(inbound.choice)
            return
        text = inbound.text or ""  # cleaned by Inbound
        if len(text) > MAX_MESSAGE:
            self.say(self.t("Your message has {length} characters, which is more than I can take in one "
                            "message ({limit}). Please send it in shorter parts. Nothing has been lost.",
                            length=self.t.number(len(text)), limit=self.t.number(MAX_MESSAGE)))
            return
        if text.strip().startswith("/"):
            self.on_command(text.strip())
            return
        if self.is_stop_word(text):
            self.unsubscribe()
            return
        self.on_text(text)

    def repair(self) -> bool:
        """A position the content no longer has (a step or stage removed) continues at the first open question."""
        s = self.state
        stages = {x.id for x in self.content.stages}
        lost = (s.mode == "step" and self.current_step() is None) or \
            (s.mode != "new" and s.stage is not None and s.stage not in stages)
        s.history = [h for h in s.history if h in self.content.steps]
        if lost:
            s.mode, s.back_to, s.draft = "step", None, {}
            self.resume()
        return lost

    def on_button(self, payload: str) -> None:
        turn, _, choice_id = payload.partition(":")
        if not _NUMBER.fullmatch(turn) or int(turn) != self.state.turn or \
                choice_id not in {c.id for c in self.choices()}:
            self.say(self.t("That button belongs to an earlier message. Here is the current question:"))
            self.effects.append(Effect.STALE)
            return
        self.on_input(Input(text=None, choice=choice_id, button=True))

    def on_text(self, text: str) -> None:
        stripped = text.strip()
        if not stripped:
            self.say(self.t("I did not receive any text. Please type your answer or pick an option."))
            self.show_question = False
            return
        self.on_input(Input(text=text, choice=self.match_choice(stripped)))

    def match_choice(self, text: str) -> str | None:
        choices = self.choices()
        if _NUMBER.fullmatch(text):
            n = int(text)
            return choices[n - 1].id if 1 <= n <= len(choices) else None
        folded = fold(text)
        return next((c.id for c in choices if fold(c.label) == folded), None)

    def on_input(self, inp: Input) -> None:
        mode = self.state.mode
        if mode == "step":
            self.on_step(inp)
        elif mode == "stage_end":
            self.on_stage_end(inp)
        elif mode == "menu":
            self.on_menu(inp)
        elif mode == "pick_stage":
            self.on_pick_stage(inp)
        elif mode == "pick_edit":
            self.on_pick_edit(inp)
        elif mode == "pick_lang":
            self.on_pick_lang(inp)
        elif mode == "browse":
            self.on_browse(inp)
        elif mode == "tools":
            self.on_tools(inp)
        elif mode == "tool":
            self.on_tool(inp)
        elif mode == "confirm_delete":
            self.on_confirm_delete(inp)
        elif mode in SUB_MODES:
            self.on_subscription(inp)
        elif mode in ADMIN_MODES:
            self.on_admin(inp)

    # -- steps -------------------------------------------------------------
    def current_step(self) -> Step | None:
        return self.content.step(self.state.step) if self.state.step in self.content.steps else None

    def on_step(self, inp: Input) -> None:
        step = self.current_step()
        assert step is not None
        kind = kind_of(step)
        if inp.choice == "_skip":
            inner = kind.skip(self.ctx, step)
            return self.apply(step, inner) if inner is not None else self.skip(step)
        if inp.choice == "_keep" and self.state.has_value(step.id) and kind.nav_keep:
            return self.advance(step)
        self.apply(step, kind.handle(self.ctx, step, inp))

    def apply(self, step: Step, result: Result) -> None:
        if result.value is not KEEP:
            self.state.answers[step.id] = result.value
        if result.draft is not None:
            self.state.draft = result.draft
        self.notes += result.notes
        self.show_question = result.prompt
        if result.done:
            self.advance(step)

    def skip(self, step: Step) -> None:
        if not step.optional:
            self.say(self.t("This question is needed for the next stages, so it cannot be skipped. "
                            "You can answer briefly and change it later."))
            self.show_question = False
            return
        if not self.state.answered(step.id):
            self.state.answers[step.id] = None
        self.advance(step)

    def goto(self, step_id: str) -> None:
        """Move to a step. Info steps are shown as their own message and passed at once."""
        stage = self.content.stage_of(step_id)
        step = self.content.step(step_id)
        self.state.mode, self.state.stage, self.state.step = "step", stage.id, step_id
        self.state.draft = kind_of(step).enter(self.ctx, step)
        self.show_question = True
        if step.kind == "info":
            self.before.append(Outbound(self.notes + self.question()))
            self.notes = []
            self.state.answers[step_id] = True
            self.advance(step)

    def advance(self, step: Step) -> None:
        self.state.remember(step.id)
        self.show_question = True
        stage = self.content.stage_of(step.id)
        ids = [s.id for s in stage.steps]
        later = [s for s in ids[ids.index(step.id) + 1:] if not self.state.answered(s)]
        if later:
            return self.goto(later[0])
        if stage.number == 0:
            return self.resume()
        self.stage_end(stage)

    def enter_stage(self, stage: Stage) -> None:
        todo = [s.id for s in stage.steps if not self.state.answered(s.id)]
        if todo:
            self.goto(todo[0])
        else:
            self.stage_end(stage)

    def resume(self) -> None:
        """Continue at the first stage that still has open questions."""
        for stage in self.content.stages:
            if any(not self.state.answered(s.id) for s in stage.steps):
                return self.enter_stage(stage)
        self.stage_end(self.content.stages[-1])

    def start(self) -> None:
        self.state.mode = "step"
        self.resume()

    def stage_end(self, stage: Stage) -> None:
        self.state.mode, self.state.stage, self.state.step, self.state.draft = "stage_end", stage.id, None, {}

    def on_stage_end(self, inp: Input) -> None:
        stage = self.content.stage(self.state.stage or self.content.stages[-1].id)
        if inp.choice == "_nextstage":
            following = [s for s in self.content.daks_stages if s.number > stage.number]
            if following:
                self.note_needs(following[0])
                return self.enter_stage(following[0])
        if inp.choice == "_edit":
            return self.open_overlay("pick_edit")
        if inp.choice == "_export":
            return self.export()
        if inp.choice == "_progress":
            return self.progress()
        if inp.choice == "_tools":
            return self.recommend_here()
        self.say(self.t("Please pick one of the options below."))
        self.show_question = False

    # -- output ------------------------------------------------------------
    def say(self, text: str) -> None:
        self.notes.append(Paragraph(text))

    def choices(self) -> list[Choice]:
        s, t = self.state, self.t
        if s.mode in SUB_MODES:
            return self.subscription_choices()
        if s.mode in ADMIN_MODES:
            return self.admin_choices()
        if s.mode == "step":
            step = self.current_step()
            if step is None:
                return []
            kind = kind_of(step)
            choices = kind.choices(self.ctx, step)
            if kind.nav_keep and s.has_value(step.id):
                choices.append(Choice("_keep", t("Keep answer")))
            if step.optional and step.kind in ("text", "date", "single", "multi"):
                choices.append(Choice("_skip", t("Skip")))
            return choices
        if s.mode == "stage_end":
            stage = self.content.stage(s.stage or self.content.stages[-1].id)
            following = [x for x in self.content.daks_stages if x.number > stage.number]
            choices = []
            if following:
                choices.append(Choice("_nextstage", t("On to stage {number}: {title}", number=following[0].number,
                                                      title=self.ctx.text(following[0].title))))
            return [*choices, Choice("_tools", t("Matching tools")), Choice("_edit", t("Change an answer")),
                    Choice("_export", t("Export as a file")), Choice("_progress", t("Show progress"))]
        if s.mode == "browse":
            return self.browse_choices()
        if s.mode == "tools":
            return [*(Choice(f"t:{item_id}", self.ctx.text(self.content.toolbox[item_id].title))
                      for item_id, _reason in s.view.get("items", []) if item_id in self.content.toolbox),
                    Choice("_close", t("Back to the question"))]
        if s.mode == "tool":
            return [Choice("_useful", t("Useful")), Choice("_useless", t("Not useful")),
                    Choice("_similar", t("More like this")), Choice("_list", t("Back to the list")),
                    Choice("_close", t("Back to the question"))]
        if s.mode == "menu":
            admin = [Choice("_admin", t("Administration"))] if self.facts.role else []
            return [Choice("_progress", t("Show progress")), Choice("_stage", t("Go to a stage")),
                    Choice("_edit", t("Change an answer")), Choice("_export", t("Export as a file")),
                    Choice("_newsletter", t("Newsletter")), Choice("_events", t("Upcoming events")),
                    Choice("_mydata", t("My stored data")), Choice("_delete", t("Delete my data")),
                    Choice("_lang", "Sprache · Langue · Language"), Choice("_help", t("Help")), *admin,
                    Choice("_close", t("Back to the question"))]
        if s.mode == "pick_lang":
            return [Choice(f"l:{code}", name) for code, name in LANGUAGE_NAMES.items()] + \
                [Choice("_close", t("Back to the question"))]
        if s.mode == "pick_stage":
            return [*(Choice(f"s:{x.id}", f"{x.number}. {self.ctx.text(x.title)}") for x in self.content.daks_stages),
                    Choice("_close", t("Back to the question"))]
        if s.mode == "pick_edit":
            return [*(Choice(f"e:{x.id}", self.ctx.text(x.label)) for x in self.editable()),
                    Choice("_close", t("Back to the question"))]
        if s.mode == "confirm_delete":
            return [Choice("_yes", t("Yes, delete everything")), Choice("_no", t("No, keep my data"))]
        return []

    def question(self) -> list[Block]:
        s, t = self.state, self.t
        if s.mode in SUB_MODES:
            return self.subscription_question()
        if s.mode in ADMIN_MODES:
            return self.admin_question()
        if s.mode == "step":
            step = self.current_step()
            assert step is not None
            stage = self.content.stage_of(step.id)
            kind = kind_of(step)
            blocks: list[Block] = []
            if stage.number > 0:
                asked = [x.id for x in stage.steps]
                blocks.append(Heading(t("{stage} · question {index} of {total}", stage=self.ctx.text(stage.title),
                                        index=asked.index(step.id) + 1, total=len(asked))))
                if asked.index(step.id) == 0:
                    blocks.append(Paragraph(self.ctx.text(stage.goal)))
            return blocks + (kind.question(self.ctx, step) or [Paragraph(self.ctx.text(step.prompt))]) + \
                kind.status(self.ctx, step)
        if s.mode == "stage_end":
            stage = self.content.stage(s.stage or self.content.stages[-1].id)
            blocks = overview.summary(self.ctx, stage)
            if stage.number > 0 and self.content.toolbox:
                picks = recommend(self.ctx, stage.id, limit=3)
                if picks:
                    blocks += [Paragraph(self.t("Tools that may help next:")),
                               Bullets(tuple(f"{self.ctx.text(p.item.title)}: {p.reason}" for p in picks))]
            if stage.number == self.content.daks_stages[-1].number and overview.complete(self.ctx, stage):
                blocks.append(Paragraph(t("You have worked through all five stages. Export your results "
                                          "and share them with your steering group.")))
            return blocks
        if s.mode == "menu":
            return [Heading(t("Menu")), Paragraph(t("What would you like to do?"))]
        if s.mode == "pick_stage":
            return [Paragraph(t("Which stage do you want to work on?"))]
        if s.mode == "pick_edit":
            if not self.editable():
                return [Paragraph(t("There are no answers in this stage yet."))]
            return [Paragraph(t("Which answer do you want to change?"))]
        if s.mode == "pick_lang":
            return [Paragraph("Sprache · Langue · Language")]
        if s.mode == "browse":
            return [Heading(t("Toolbox")), Paragraph(t("Which tools would you like to see?"))]
        if s.mode == "tools":
            items = [(self.content.toolbox[i], r) for i, r in s.view.get("items", []) if i in self.content.toolbox]
            return [Heading(s.view.get("title", "")),
                    Bullets(tuple(f"{self.ctx.text(item.title)}: {why}" for item, why in items), numbered=True)]
        if s.mode == "tool" and s.view.get("item") in self.content.toolbox:
            return self.tool_blocks(self.content.toolbox[s.view["item"]])
        if s.mode == "confirm_delete":
            return [Paragraph(t("Do you really want to delete all your data: your answers, your municipality "
                                "profile and the change log? This cannot be undone."))]
        return []

    def finish(self) -> tuple[list[Outbound], Outbound | None]:
        """The messages passed on the way and the closing one (the question, or the last notes)."""
        if Effect.DELETE_ME in self.effects or Effect.QUIT in self.effects:
            if self.notes:
                return self.before, Outbound(self.notes)
            return self.before[:-1], self.before[-1] if self.before else None
        key = f"{self.state.mode}:{self.state.step}:{self._kind_key()}"
        if key != self.state.asked:
            self.state.turn += 1
            self.state.asked = key
        choices = self.choices()
        blocks = self.notes + (self.question() if self.show_question or not self.notes else [])
        return self.before, Outbound(blocks, choices=choices, turn=self.state.turn if choices else None,
                                     expects=self._expects(), kind="question")

    def _expects(self) -> str:
        step = self.current_step()
        if self.state.mode == "step" and step is not None:
            return kind_of(step).expects(self.ctx, step)
        return self.state.mode

    def _kind_key(self) -> str:
        if self.state.mode == "form":
            return str(self.state.view.get("draft", {}).get("at"))
        step = self.current_step()
        return kind_of(step).key(self.ctx, step) if self.state.mode == "step" and step else ""
