"""The toolbox in chat: browse by stage, field or kind, search (the content's items and the good practice shared
by other municipalities), a list of tools, one tool with feedback; a good practice taken over into the plan."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flows.content.model import ToolboxItem
from flows.conversation.actions import AdoptPractice
from flows.conversation.context import new_uid
from flows.conversation.screens.menu import refuse
from flows.conversation.session import Session
from flows.conversation.steps.base import Input
from flows.exchange import shared
from flows.exchange.model import SharedPractice
from flows.messages import Block, Bullets, Choice, Heading, Paragraph
from flows.practice.measures import MEASURES
from flows.team.roles import may_change
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
    if s.facts.commons is not None and s.facts.commons.commons().approved:
        theirs = shared.index_of(s.content, s.facts.commons.commons())
        hits = shared.search(index_of(s.ctx), theirs, query[:200], s.state.lang, limit=5)
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


def practice_of(s: Session, item_id: str) -> SharedPractice | None:
    """The approved shared practice of a toolbox id (``gp-12``), read only for such an id."""
    if not shared.is_shared(item_id) or s.facts.commons is None:
        return None
    return shared.approved(s.facts.commons.commons(), item_id)


def item_of(s: Session, item_id: str) -> ToolboxItem | None:
    """A toolbox item by its id: the content's, or an approved shared practice (None: gone)."""
    practice = practice_of(s, item_id)
    return shared.item_of(practice) if practice is not None else s.content.toolbox.get(item_id)


class Tools:
    overlay = True

    def _items(self, s: Session) -> list[tuple[ToolboxItem, str]]:
        found = ((item_of(s, i), why) for i, why in s.state.view.get("items", []))
        return [(item, why) for item, why in found if item is not None]

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
        if item_of(s, item_id) is None:
            return s.say_only(s.t("Please pick one of the options below."))
        s.state.view = {**s.state.view, "item": item_id}
        s.state.mode = "tool"


class Tool:
    overlay = True

    def question(self, s: Session) -> list[Block]:
        item_id = s.state.view.get("item", "")
        practice = practice_of(s, item_id)
        if practice is not None:
            return practice_blocks(s, practice)
        item = s.content.toolbox.get(item_id)
        return tool_blocks(s, item) if item is not None else [Paragraph(s.t("(removed)"))]

    def choices(self, s: Session) -> list[Choice]:
        t = s.t
        item = item_of(s, s.state.view.get("item", ""))
        if s.state.view.get("adopted"):
            adopt = [Choice("_open", t("Open the action plan"))]
        else:
            adopt = [Choice("_adopt", t("Take over"))] if item is not None and item.type == shared.TYPE else []
        return [
            *adopt,
            Choice("_useful", t("Useful")),
            Choice("_useless", t("Not useful")),
            Choice("_similar", t("More like this")),
            Choice("_list", t("Back to the list")),
            _back(s),
        ]

    def on_input(self, s: Session, inp: Input) -> None:
        item = item_of(s, s.state.view.get("item", ""))
        if item is None or inp.choice == "_close":
            return s.close_overlay()
        if inp.choice == "_adopt":
            return adopt(s, item)
        if inp.choice == "_open":
            s.state.back_to = None
            if s.state.step and s.state.step != MEASURES:
                s.state.remember(s.state.step)
            return s.goto(MEASURES)
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


def adopt(s: Session, item: ToolboxItem) -> None:
    """Take a good practice over as a draft measure of the plan (title, field, goal; ``practice`` links back), once;
    only for those who may add measures."""
    records: list[dict[str, Any]] = [r for r in s.state.answers.get(MEASURES) or [] if isinstance(r, dict)]
    title = s.ctx.text(item.title)
    before = next((r for r in records if r.get("practice") == item.id), None)
    if before is not None:
        s.state.view = {**s.state.view, "adopted": before.get("uid")}
        return s.say_only(s.t("This is in your action plan already: “{title}”.", title=before.get("measure") or title))
    practice = practice_of(s, item.id)
    goal = practice.text(s.state.lang).get("what", "") if practice is not None else s.ctx.text(item.summary)
    field = next((f for f in item.fields if f in s.content.handlungsfelder), None)
    record = {"uid": new_uid(s.ctx, records), "measure": title[:500], "goal": goal.strip()[:500], "practice": item.id}
    record |= {"field": field} if field is not None else {}
    if not may_change(s.ctx.team, MEASURES, s.state.answers.get(MEASURES), [*records, record]):
        return refuse(s)
    s.state.answers[MEASURES] = [*records, record]
    team = s.facts.team
    s.actions.append(AdoptPractice(team.workspace_id if team is not None else None, item.id, record["uid"]))
    s.state.view = {**s.state.view, "adopted": record["uid"]}
    stage = s.content.stage_of(MEASURES)
    s.say_only(
        s.t(
            "Taken over into your action plan as a draft: “{title}”. Add the owner, timeframe and indicator under "
            "/{command} {number}.",
            title=title,
            command=s.ctx.command_name("stage"),
            number=stage.number,
        )
    )


def practice_blocks(s: Session, practice: SharedPractice) -> list[Block]:
    """A shared practice in the reader's language (else the submitter's, marked): who submitted it, its parts."""
    t, lang = s.t, s.state.lang
    parts = practice.text(lang)
    facts = [type_names(s)[shared.TYPE], t("submitted by {municipality}", municipality=practice.municipality)]
    marker = shared.not_translated(t, practice, lang)
    blocks: list[Block] = [
        Heading(parts.get("title", "…")),
        Paragraph(" · ".join(facts) + (f" {marker}" if marker else "")),
        Paragraph("\n".join(shared.parts_text(t, parts))),
    ]
    field = s.content.handlungsfelder.get(practice.field)
    stage = s.ctx.text(s.content.stage(shared.STAGE).title)
    fields = s.ctx.text(field.label) if field is not None else ""
    blocks.append(Paragraph(t("Fields of action: {fields}. Stages: {stages}.", fields=fields, stages=stage)))
    if practice.adoptions:
        blocks.append(Paragraph(adoptions_text(s, practice.adoptions)))
    return blocks


def adoptions_text(s: Session, n: int) -> str:
    return s.t.plural("Taken over by {n} municipality.", "Taken over by {n} municipalities.", n)


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
