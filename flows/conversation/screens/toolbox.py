"""The toolbox in chat: browse by stage, field or kind, a list of tools, one tool with feedback."""

from __future__ import annotations

from collections.abc import Callable

from flows.content.model import ToolboxItem
from flows.conversation.session import Session
from flows.conversation.steps.base import Input
from flows.messages import Block, Bullets, Choice, Heading, Paragraph
from flows.toolbox.recommend import Suggestion, index_of, recommend, similar

BROWSE_LIMIT = 12


def _back(s: Session) -> Choice:
    return Choice("_close", s.t("Back to the question"))


def show_tools(s: Session, suggestions: list[Suggestion], title: str) -> None:
    if not suggestions:
        return s.say(s.t("I found nothing in the toolbox for that. Try other words, or /tools for this stage."))
    s.state.view = {"title": title, "items": [[x.item.id, x.reason] for x in suggestions]}
    s.open_overlay("tools")


def recommend_here(s: Session) -> None:
    stage = s.state.stage if s.state.stage in {x.id for x in s.content.daks_stages} else "kickoff"
    title = s.t("Tools for the stage {stage}", stage=s.ctx.text(s.content.stage(stage).title))
    show_tools(s, recommend(s.ctx, stage, limit=5), title)


def browse(s: Session) -> None:
    s.state.view = {"by": None}
    s.open_overlay("browse")


def search(s: Session, query: str) -> None:
    if not query.strip():
        return s.say(s.t("What should I look for? For example: /search youth participation"))
    hits = index_of(s.ctx).search(query[:200], s.state.lang, limit=5)
    if not hits:
        s.say(s.t("Nothing in the toolbox fits “{query}”. Browse it instead:", query=query[:60]))
        return browse(s)
    found = [Suggestion(h.item, s.t("Matches “{query}”.", query=query[:60])) for h in hits]
    show_tools(s, found, s.t("Search results for “{query}”", query=query[:60]))


def type_names(s: Session) -> dict[str, str]:
    t = s.t
    return {
        "konzept": t("Concept"),
        "methode": t("Method"),
        "praxisbeispiel": t("Good practice"),
        "vortrag": t("Talk or video"),
        "checkliste": t("Checklist"),
    }


class Browse:
    overlay = True

    def question(self, s: Session) -> list[Block]:
        return [Heading(s.t("Toolbox")), Paragraph(s.t("Which tools would you like to see?"))]

    def choices(self, s: Session) -> list[Choice]:
        t, by = s.t, s.state.view.get("by")
        if by == "stage":
            options = [Choice(f"s:{x.id}", f"{x.number}. {s.ctx.text(x.title)}") for x in s.content.daks_stages]
        elif by == "field":
            options = [Choice(f"f:{h.id}", s.ctx.text(h.label)) for h in s.content.handlungsfelder.values()]
        elif by == "type":
            options = [Choice(f"y:{kind}", label) for kind, label in type_names(s).items()]
        else:
            options = [
                Choice("_here", t("Matching this stage")),
                Choice("_by_stage", t("By stage")),
                Choice("_by_field", t("By field of action")),
                Choice("_by_type", t("By kind")),
            ]
        return [*options, _back(s)]

    def on_input(self, s: Session, inp: Input) -> None:
        choice = inp.choice or ""
        if choice == "_close":
            return s.close_overlay()
        if choice == "_here":
            s.leave_overlay()
            return recommend_here(s)
        if choice in ("_by_stage", "_by_field", "_by_type"):
            s.state.view = {"by": choice.removeprefix("_by_")}
            return None
        kind, _, key = choice.partition(":")
        items = [
            i
            for i in s.content.toolbox.values()
            if (kind == "s" and key in i.stages) or (kind == "f" and key in i.fields) or (kind == "y" and i.type == key)
        ]
        if not items:
            return s.say_only(s.t("Please pick one of the options below."))
        items.sort(key=lambda i: (not i.verified, s.ctx.text(i.title)))
        names: dict[str, Callable[[], str]] = {
            "s": lambda: s.ctx.text(s.content.stage(key).title),
            "f": lambda: s.ctx.text(s.content.handlungsfelder[key].label),
            "y": lambda: type_names(s)[key],
        }
        title = names[kind]()
        picked = [Suggestion(i, type_names(s)[i.type]) for i in items[:BROWSE_LIMIT]]
        s.leave_overlay()
        show_tools(s, picked, title)
        if len(items) > BROWSE_LIMIT:
            s.say(s.t("{shown} of {total} items; /search finds the others.", shown=BROWSE_LIMIT, total=len(items)))
        return None


class Tools:
    overlay = True

    def _items(self, s: Session) -> list[tuple[ToolboxItem, str]]:
        return [(s.content.toolbox[i], why) for i, why in s.state.view.get("items", []) if i in s.content.toolbox]

    def question(self, s: Session) -> list[Block]:
        return [
            Heading(s.state.view.get("title", "")),
            Bullets(
                tuple(s.t("{label}: {value}", label=s.ctx.text(item.title), value=why) for item, why in self._items(s)),
                numbered=True,
            ),
        ]

    def choices(self, s: Session) -> list[Choice]:
        return [*(Choice(f"t:{item.id}", s.ctx.text(item.title)) for item, _why in self._items(s)), _back(s)]

    def on_input(self, s: Session, inp: Input) -> None:
        if inp.choice == "_close":
            return s.close_overlay()
        item_id = (inp.choice or "").removeprefix("t:")
        if item_id not in s.content.toolbox:
            return s.say_only(s.t("Please pick one of the options below."))
        s.state.view = {**s.state.view, "item": item_id}
        s.state.mode = "tool"


class Tool:
    overlay = True

    def question(self, s: Session) -> list[Block]:
        item = s.content.toolbox.get(s.state.view.get("item", ""))
        return tool_blocks(s, item) if item is not None else []

    def choices(self, s: Session) -> list[Choice]:
        t = s.t
        return [
            Choice("_useful", t("Useful")),
            Choice("_useless", t("Not useful")),
            Choice("_similar", t("More like this")),
            Choice("_list", t("Back to the list")),
            _back(s),
        ]

    def on_input(self, s: Session, inp: Input) -> None:
        item = s.content.toolbox.get(s.state.view.get("item", ""))
        if item is None or inp.choice == "_close":
            return s.close_overlay()
        if inp.choice == "_list":
            s.state.mode = "tools"
            return None
        if inp.choice in ("_useful", "_useless"):
            s.state.feedback = {**s.state.feedback, item.id: inp.choice == "_useful"}
            return s.say_only(s.t("Thank you, I will take that into account in my suggestions."))
        if inp.choice == "_similar":
            s.leave_overlay()
            return show_tools(
                s, similar(s.ctx, item, limit=5), s.t("More like “{title}”", title=s.ctx.text(item.title))
            )
        return s.say_only(s.t("Please pick one of the options below."))


def tool_blocks(s: Session, item: ToolboxItem) -> list[Block]:
    t = s.t
    facts = [type_names(s)[item.type]]
    if item.example_of:
        facts.append(t("from {place}", place=item.example_of))
    if item.verified:
        facts.append(t("from the Werkzeugkoffer of the model projects"))
    blocks: list[Block] = [
        Heading(s.ctx.text(item.title)),
        Paragraph(" · ".join(facts)),
        Paragraph(s.ctx.text(item.summary)),
    ]
    fields = t.joined(s.ctx.text(s.content.handlungsfelder[f].label) for f in item.fields)
    stages = t.joined(s.ctx.text(s.content.stage(x).title) for x in item.stages)
    blocks.append(Paragraph(t("Fields of action: {fields}. Stages: {stages}.", fields=fields, stages=stages)))
    if item.source or item.url:
        blocks.append(Paragraph(" ".join(x for x in (item.source, item.url) if x)))
    return blocks
