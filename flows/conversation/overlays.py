"""Overlays on top of the current question: menu, stage and answer pickers, language, toolbox, deletion."""

from __future__ import annotations

from typing import Any

from flows.content.loader import Content
from flows.content.model import LANGUAGES, Stage, Step, ToolboxItem
from flows.conversation.actions import Effect
from flows.conversation.context import Ctx
from flows.conversation.recommend import Suggestion, index_of, recommend, similar
from flows.conversation.state import State
from flows.conversation.steps.base import Input, fold
from flows.messages import Block, Choice, Heading, Paragraph

OVERLAYS = ("menu", "pick_stage", "pick_edit", "pick_lang", "confirm_delete", "browse", "tools", "tool",
            "subscribe", "sub_lang", "sub_consent", "sub_manage", "admin", "form", "form_preview", "form_when")
BROWSE_LIMIT = 12


class Overlays:
    """Mixed into the engine's session; uses its state, translator and navigation."""

    content: Content
    ctx: Ctx
    state: State
    t: Any
    effects: list[Effect]
    show_question: bool
    newsletter: Any
    events: Any
    admin_command: Any

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
                   "_newsletter": self.newsletter, "_events": self.events,
                   "_admin": lambda: self.admin_command(""), "_close": self.close_overlay}
        action = actions.get(inp.choice or "")
        if action is None:
            self.say(self.t("Please pick one of the options below."))
            self.show_question = False
            return
        if inp.choice not in ("_stage", "_edit", "_delete", "_lang", "_close", "_newsletter", "_admin"):
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

    def browse(self) -> None:
        self.state.view = {"by": None}
        self.open_overlay("browse")

    def browse_choices(self) -> list[Choice]:
        t, by = self.t, self.state.view.get("by")
        if by == "stage":
            options = [Choice(f"s:{s.id}", f"{s.number}. {self.ctx.text(s.title)}") for s in self.content.daks_stages]
        elif by == "field":
            options = [Choice(f"f:{h.id}", self.ctx.text(h.label)) for h in self.content.handlungsfelder.values()]
        elif by == "type":
            options = [Choice(f"y:{kind}", label) for kind, label in self.type_names().items()]
        else:
            options = [Choice("_here", t("Matching this stage")), Choice("_by_stage", t("By stage")),
                       Choice("_by_field", t("By field of action")), Choice("_by_type", t("By kind"))]
        return [*options, Choice("_close", t("Back to the question"))]

    def type_names(self) -> dict[str, str]:
        t = self.t
        return {"konzept": t("Concept"), "methode": t("Method"), "praxisbeispiel": t("Good practice"),
                "vortrag": t("Talk or video"), "checkliste": t("Checklist")}

    def on_browse(self, inp: Input) -> None:
        choice = inp.choice or ""
        if choice == "_close":
            return self.close_overlay()
        if choice == "_here":
            self.state.mode = self.state.back_to or "step"
            return self.recommend_here()
        if choice in ("_by_stage", "_by_field", "_by_type"):
            self.state.view = {"by": choice.removeprefix("_by_")}
            return
        kind, _, key = choice.partition(":")
        items = [i for i in self.content.toolbox.values()
                 if (kind == "s" and key in i.stages) or (kind == "f" and key in i.fields)
                 or (kind == "y" and i.type == key)]
        if not items:
            self.say(self.t("Please pick one of the options below."))
            self.show_question = False
            return
        items.sort(key=lambda i: (not i.verified, self.ctx.text(i.title)))
        names = {"s": lambda: self.ctx.text(self.content.stage(key).title),
                 "f": lambda: self.ctx.text(self.content.handlungsfelder[key].label),
                 "y": lambda: self.type_names()[key]}
        title = names[kind]()
        picked = [Suggestion(i, self.type_names()[i.type]) for i in items[:BROWSE_LIMIT]]
        self.state.mode = self.state.back_to or "step"
        self.show_tools(picked, title)
        if len(items) > BROWSE_LIMIT:
            self.say(self.t("{shown} of {total} items; /search finds the others.", shown=BROWSE_LIMIT,
                            total=len(items)))

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
        facts = [self.type_names()[item.type]]
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
            self.effects.append(Effect.DELETE_ME)
            fresh = State(version=self.content.version, lang=self.state.lang)
            for key, value in fresh.model_dump().items():
                setattr(self.state, key, value)
            self.say(self.t("All your data has been deleted. If you want to start again, just send me a message."))
            self.show_question = False
            return
        self.close_overlay()
        self.say(self.t("Nothing was deleted."))

