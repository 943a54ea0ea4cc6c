"""The conversation engine: ``handle(state, inbound) -> Turn``, a pure function of content, state and input."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from flows import overview
from flows.context import Ctx
from flows.export import export_markdown
from flows.io import Block, Bullets, Choice, Heading, Inbound, Outbound, Paragraph
from flows.loader import Content
from flows.model import LANGUAGES, Stage, Step, ToolboxItem
from flows.recommend import Suggestion, index_of, recommend, similar
from flows.state import State
from flows.steps import kind_of
from flows.steps.base import KEEP, Input, Result, fold

OVERLAYS = ("menu", "pick_stage", "pick_edit", "pick_lang", "confirm_delete", "tools", "tool")
LANGUAGE_NAMES = {"de": "Deutsch", "fr": "Français", "en": "English"}
MAX_MESSAGE = 16_000
"""Longer messages are refused before any step sees them (no step keeps more than 8,000)."""

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\ufeff]")
_NUMBER = re.compile(r"[0-9]{1,6}")
Effect = Literal["show_data", "delete_all", "quit"]


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


def clean(text: str) -> str:
    """Normalise Unicode and drop control characters (newlines and tabs stay)."""
    return _CONTROL.sub("", unicodedata.normalize("NFC", text)).replace("\r\n", "\n").replace("\r", "\n")


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
    def handle(self, state: State | None, inbound: Inbound, lang: str | None = None) -> Turn:
        state = _copy(state) if state else State(version=self.content.version)
        state.version = self.content.version
        if lang in LANGUAGES:
            state.lang = lang
        before = dict(state.answers)
        ctx = Ctx(self.content, state)
        session = _Session(self, ctx)
        session.dispatch(inbound)
        replies = session.finish()
        changes = [AnswerChange(k, before.get(k), state.answers.get(k))
                   for k in {*before, *state.answers} if before.get(k, KEEP) != state.answers.get(k, KEEP)]
        return Turn(state=state, replies=replies, changes=changes, effects=session.effects)

    def present(self, state: State) -> Outbound:
        """The current question, e.g. to show again after a restart."""
        session = _Session(self, Ctx(self.content, _copy(state)))
        return session.finish()[-1]


def _copy(state: State) -> State:
    """A copy the engine may change. Steps never change answer values in place, so one level is enough."""
    return state.model_copy(update={"answers": dict(state.answers), "history": list(state.history),
                                    "draft": dict(state.draft)})


class _Session:
    """Handles one inbound message; collects notes, extra messages and effects."""

    def __init__(self, engine: Engine, ctx: Ctx):
        self.engine, self.ctx, self.content = engine, ctx, engine.content
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
            text = clean(inbound.text or "").strip()
            if inbound.event == "message" and text.startswith("/") and len(text) <= MAX_MESSAGE:
                self.on_command(text)
            return
        if inbound.event == "resume":
            return self.welcome_back()
        if inbound.event == "start":
            return
        if inbound.file_name is not None:
            self.say(self.t("I can only read text here, so I have not kept the file. "
                            "Please type your answer instead."))
            return
        if inbound.choice is not None:
            self.on_button(inbound.choice)
            return
        text = clean(inbound.text or "")
        if len(text) > MAX_MESSAGE:
            self.say(self.t("Your message has {length} characters, which is more than I can take in one "
                            "message ({limit}). Please send it in shorter parts. Nothing has been lost.",
                            length=self.t.number(len(text)), limit=self.t.number(MAX_MESSAGE)))
            return
        if text.strip().startswith("/"):
            self.on_command(text.strip())
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
        if not _NUMBER.fullmatch(turn) or int(turn) != self.state.turn:
            self.say(self.t("That button belongs to an earlier message. Here is the current question:"))
            return
        if choice_id not in {c.id for c in self.choices()}:
            self.say(self.t("That button belongs to an earlier message. Here is the current question:"))
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
        elif mode == "tools":
            self.on_tools(inp)
        elif mode == "tool":
            self.on_tool(inp)
        elif mode == "confirm_delete":
            self.on_confirm_delete(inp)

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

    # -- overlays: menu, stage picker, answer picker, delete confirmation --
    def open_overlay(self, mode: Any) -> None:
        if self.state.mode not in OVERLAYS:
            self.state.back_to = self.state.mode
        self.state.mode = mode

    def close_overlay(self) -> None:
        self.state.mode = self.state.back_to or "step"
        self.state.back_to = None
        if self.state.mode == "step" and self.current_step() is None:
            self.resume()

    def on_menu(self, inp: Input) -> None:
        actions = {"_progress": self.progress, "_stage": lambda: self.open_overlay("pick_stage"),
                   "_edit": lambda: self.open_overlay("pick_edit"), "_export": self.export,
                   "_mydata": self.mydata, "_delete": lambda: self.open_overlay("confirm_delete"),
                   "_help": self.help, "_lang": lambda: self.open_overlay("pick_lang"),
                   "_close": self.close_overlay}
        action = actions.get(inp.choice or "")
        if action is None:
            self.say(self.t("Please pick one of the options below."))
            self.show_question = False
            return
        if inp.choice not in ("_stage", "_edit", "_delete", "_lang", "_close"):
            self.close_overlay()
        action()

    def on_pick_stage(self, inp: Input) -> None:
        if inp.choice == "_close":
            return self.close_overlay()
        stage = next((s for s in self.content.daks_stages if inp.choice == f"s:{s.id}"), None)
        if stage is None:
            self.say(self.t("Please pick a stage by its number (1 to 5)."))
            self.show_question = False
            return
        self.jump(stage)

    def jump(self, stage: Stage) -> None:
        self.state.back_to = None
        self.note_needs(stage)
        self.enter_stage(stage)

    def note_needs(self, stage: Stage) -> None:
        if stage.needs_note and any(not self.state.has_value(n) for n in stage.needs):
            self.say(self.ctx.text(stage.needs_note))

    def editable(self) -> list[Step]:
        stage = self.content.stage(self.state.stage) if self.state.stage else self.content.stages[0]
        return [s for s in stage.steps if s.kind != "info" and self.state.answered(s.id)]

    def on_pick_edit(self, inp: Input) -> None:
        if inp.choice == "_close":
            return self.close_overlay()
        step = next((s for s in self.editable() if inp.choice == f"e:{s.id}"), None)
        if step is None:
            self.say(self.t("Please pick an answer by its number."))
            self.show_question = False
            return
        self.state.back_to = None
        if self.state.step and self.state.step != step.id:
            self.state.remember(self.state.step)
        self.goto(step.id)

    def on_pick_lang(self, inp: Input) -> None:
        if inp.choice == "_close":
            return self.close_overlay()
        lang = (inp.choice or "").removeprefix("l:")
        if lang not in LANGUAGES:
            self.say(self.t("Please pick a language by its number."))
            self.show_question = False
            return
        self.close_overlay()
        self.switch_language(lang)

    def switch_language(self, lang: str) -> None:
        """Carry on where the user is, in another language."""
        self.state.lang = lang
        self.ctx.t = self.t = self.content.catalogues.translator(lang)
        self.say(self.t("From now on I will answer in English."))

    def language_command(self, arg: str) -> None:
        lang = fold(arg)[:2]
        if lang in LANGUAGES:
            return self.switch_language(lang)
        self.open_overlay("pick_lang")

    # -- the toolbox --------------------------------------------------------
    def show_tools(self, suggestions: list[Suggestion], title: str) -> None:
        if not suggestions:
            self.say(self.t("I found nothing in the toolbox for that. Try other words, or /tools for this stage."))
            return
        self.state.view = {"title": title, "items": [[s.item.id, s.reason] for s in suggestions]}
        self.open_overlay("tools")

    def recommend_here(self) -> None:
        stage = self.state.stage if self.state.stage in {s.id for s in self.content.daks_stages} else "kickoff"
        title = self.t("Tools for the stage {stage}", stage=self.ctx.text(self.content.stage(stage).title))
        self.show_tools(recommend(self.ctx, stage, limit=5), title)

    def search(self, query: str) -> None:
        if not query.strip():
            self.say(self.t("What should I look for? For example: /search youth participation"))
            return
        hits = index_of(self.ctx).search(query[:200], self.state.lang, limit=5)
        found = [Suggestion(h.item, self.t("Matches “{query}”.", query=query[:60])) for h in hits]
        self.show_tools(found, self.t("Search results for “{query}”", query=query[:60]))

    def on_tools(self, inp: Input) -> None:
        if inp.choice == "_close":
            return self.close_overlay()
        item_id = (inp.choice or "").removeprefix("t:")
        if item_id not in self.content.toolbox:
            self.say(self.t("Please pick one of the options below."))
            self.show_question = False
            return
        self.state.view = {**self.state.view, "item": item_id}
        self.state.mode = "tool"

    def on_tool(self, inp: Input) -> None:
        item = self.content.toolbox.get(self.state.view.get("item", ""))
        if item is None or inp.choice == "_close":
            return self.close_overlay()
        if inp.choice == "_list":
            self.state.mode = "tools"
            return
        if inp.choice in ("_useful", "_useless"):
            self.state.feedback = {**self.state.feedback, item.id: inp.choice == "_useful"}
            self.say(self.t("Thank you, I will take that into account in my suggestions."))
            self.show_question = False
            return
        if inp.choice == "_similar":
            self.state.mode = self.state.back_to or "step"
            return self.show_tools(similar(self.ctx, item, limit=5),
                                   self.t("More like “{title}”", title=self.ctx.text(item.title)))
        self.say(self.t("Please pick one of the options below."))
        self.show_question = False

    def tool_blocks(self, item: ToolboxItem) -> list[Block]:
        t = self.t
        kinds = {"konzept": t("Concept"), "methode": t("Method"), "praxisbeispiel": t("Good practice"),
                 "vortrag": t("Talk or video"), "checkliste": t("Checklist")}
        facts = [kinds[item.type]]
        if item.example_of:
            facts.append(t("from {place}", place=item.example_of))
        if item.verified:
            facts.append(t("from the Werkzeugkoffer of the model projects"))
        blocks: list[Block] = [Heading(self.ctx.text(item.title)), Paragraph(" · ".join(facts)),
                               Paragraph(self.ctx.text(item.summary))]
        fields = "; ".join(self.ctx.text(self.content.handlungsfelder[f].label) for f in item.fields)
        stages = "; ".join(self.ctx.text(self.content.stage(s).title) for s in item.stages)
        blocks.append(Paragraph(t("Fields of action: {fields}. Stages: {stages}.", fields=fields, stages=stages)))
        if item.source or item.url:
            blocks.append(Paragraph(" ".join(x for x in (item.source, item.url) if x)))
        return blocks

    def on_confirm_delete(self, inp: Input) -> None:
        if inp.choice == "_yes":
            self.effects.append("delete_all")
            fresh = State(version=self.content.version, lang=self.state.lang)
            for key, value in fresh.model_dump().items():
                setattr(self.state, key, value)
            self.say(self.t("All your data has been deleted. If you want to start again, just send me a message."))
            self.show_question = False
            return
        self.close_overlay()
        self.say(self.t("Nothing was deleted."))

    # -- commands ----------------------------------------------------------
    def on_command(self, text: str) -> None:
        name, _, arg = text[1:].partition(" ")
        name = name.split("@", 1)[0].casefold()
        command = self.content.command_names.get(name)
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
            "tools": self.recommend_here, "search": lambda: self.search(arg),
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
            f"/{(c.names.get(lang) or c.names['de'])[0]}: {self.ctx.text(c.summary)}" for c in self.content.commands)))
        self.before.append(Outbound(blocks))

    def progress(self) -> None:
        self.before.append(Outbound(overview.progress(self.ctx)))

    def export(self) -> None:
        today = self.engine.today or date.today()
        attachment = export_markdown(self.ctx, today)
        self.before.append(Outbound([Paragraph(self.t("Here are your results as a Markdown file."))],
                                    attachments=[attachment]))

    def mydata(self) -> None:
        self.effects.append("show_data")

    def quit(self) -> None:
        self.effects.append("quit")
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

    # -- output ------------------------------------------------------------
    def say(self, text: str) -> None:
        self.notes.append(Paragraph(text))

    def choices(self) -> list[Choice]:
        s, t = self.state, self.t
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
        if s.mode == "tools":
            return [*(Choice(f"t:{item_id}", self.ctx.text(self.content.toolbox[item_id].title))
                      for item_id, _reason in s.view.get("items", []) if item_id in self.content.toolbox),
                    Choice("_close", t("Back to the question"))]
        if s.mode == "tool":
            return [Choice("_useful", t("Useful")), Choice("_useless", t("Not useful")),
                    Choice("_similar", t("More like this")), Choice("_list", t("Back to the list")),
                    Choice("_close", t("Back to the question"))]
        if s.mode == "menu":
            return [Choice("_progress", t("Show progress")), Choice("_stage", t("Go to a stage")),
                    Choice("_edit", t("Change an answer")), Choice("_export", t("Export as a file")),
                    Choice("_mydata", t("My stored data")), Choice("_delete", t("Delete my data")),
                    Choice("_lang", "Sprache · Langue · Language"), Choice("_help", t("Help")),
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

    def finish(self) -> list[Outbound]:
        replies = list(self.before)
        if "delete_all" in self.effects or "quit" in self.effects:
            return [*replies, Outbound(self.notes)] if self.notes else replies
        key = f"{self.state.mode}:{self.state.step}:{self._kind_key()}"
        if key != self.state.asked:
            self.state.turn += 1
            self.state.asked = key
        choices = self.choices()
        blocks = self.notes + (self.question() if self.show_question or not self.notes else [])
        replies.append(Outbound(blocks, choices=choices, turn=self.state.turn if choices else None,
                                expects=self._expects()))
        return replies

    def _expects(self) -> str:
        step = self.current_step()
        if self.state.mode == "step" and step is not None:
            return kind_of(step).expects(self.ctx, step)
        return self.state.mode

    def _kind_key(self) -> str:
        step = self.current_step()
        return kind_of(step).key(self.ctx, step) if self.state.mode == "step" and step else ""
