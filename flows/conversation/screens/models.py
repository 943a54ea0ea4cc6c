"""``/modellkommunen``: the model municipalities of the federal programmes, near me, by field of action, by Land or
région, the German–French ones, or found by a typed word (``/modellkommunen wohnen``, ``Sachsen``, ``Grabow``)."""

from __future__ import annotations

from flows.content.model_municipalities import ModelDirectory, ModelMunicipality, region_steps
from flows.conversation.derived import answer_from
from flows.conversation.screens.menu import back_choice
from flows.conversation.session import Session
from flows.conversation.steps.base import Input
from flows.exchange.model_municipalities import (
    Selection,
    fields_with_entries,
    find,
    franco_german,
    in_field,
    in_programmes,
    in_region,
    near,
    region_options,
)
from flows.messages import Block, Choice, Heading, Paragraph

PAGE = 8
"""Entries on one page; "More" shows the next ones."""


def models_command(s: Session, arg: str) -> None:
    """The menu; with a typed word the entries it names, or what to type when it names none."""
    directory = s.content.model_municipalities
    if directory is None:
        return s.say(s.t("The directory of model municipalities is not available."))
    if not arg.strip():
        s.state.view = {"by": None}
        return s.open_overlay("models")
    found = find(s.content, directory, arg[:80])
    if found is None:
        typed = s.t("No model municipality, field of action or Land fits “{typed}”.", typed=arg.strip()[:60])
        # Translators: keep the word after the command one that names the field of action housing in your language.
        example = s.t("For example: /{command} housing", command=s.ctx.command_name("models"))
        s.say(f"{typed} {example}")
        s.state.view = {"by": None}
        return s.open_overlay("models")
    show(s, directory, found)


def show(s: Session, directory: ModelDirectory, selection: Selection) -> None:
    """Open the list of what ``selection`` picked, titled by why."""
    if selection.basis == "near":
        return _near(s, directory)
    titles = {
        "field": lambda: s.t("Model municipalities: {field}", field=_field_label(s, selection.key)),
        "region": lambda: s.t("Model municipalities in {region}", region=_region_label(s, selection.key)),
        "programme": lambda: s.t("Model municipalities: {programme}", programme=_programmes(s, directory, selection)),
        "name": lambda: s.t("Model municipalities: “{typed}”", typed=selection.key),
    }
    _open_list(s, selection.entries, titles[selection.basis](), "")


def home_region(s: Session) -> str | None:
    """The workspace's Land or région: the onboarding's answer, else the place picked in the official directory."""
    steps = region_steps([x for stage in s.content.stages for x in stage.steps])
    asked = {step.id: step for _country, step in steps.values()}
    for step_id in asked:
        if s.state.answers.get(step_id) in steps:
            return str(s.state.answers[step_id])
    place = s.ctx.place()
    if place is not None:
        for step in asked.values():
            if (region := answer_from(step, place)) in steps:
                return region
    return None


def _near(s: Session, directory: ModelDirectory) -> None:
    region = home_region(s)
    if region is None:
        s.say(
            s.t(
                "I do not know yet where your municipality is; /{command} tells me. Meanwhile, pick a Land or région:",
                command=s.ctx.command_name("municipality"),
            )
        )
        s.state.view = {"by": "region"}
        return s.open_overlay("models")
    label = _region_label(s, region)
    how = s.t(
        "{region} first, then its neighbours and the other members of its regional group in the model project.",
        region=label,
    )
    _open_list(s, tuple(near(directory, region)), s.t("Model municipalities near {region}", region=label), how)


def _open_list(s: Session, entries: tuple[ModelMunicipality, ...], title: str, how: str) -> None:
    if not entries:
        s.say(s.t("No model municipality fits that. Pick another way to look:"))
        s.state.view = {"by": None}
        return s.open_overlay("models")
    s.state.view = {"names": [m.name for m in entries], "title": title, "how": how, "page": 0}
    s.open_overlay("models_list")


class ModelMenu:
    """How to look: near me, by field of action, by Land or région, the German–French ones, all."""

    overlay = True

    def question(self, s: Session) -> list[Block]:
        directory = s.content.model_municipalities
        by = s.state.view.get("by")
        if by == "field":
            return [Paragraph(s.t("Which field of action?"))]
        if by == "region":
            return [Paragraph(s.t("Which Land or région?"))]
        intro = s.ctx.text(directory.intro) if directory is not None else ""
        return [Heading(s.t("Model municipalities")), Paragraph(intro), Paragraph(s.t("How would you like to look?"))]

    def choices(self, s: Session) -> list[Choice]:
        directory = s.content.model_municipalities
        if directory is None:
            return [back_choice(s)]
        by = s.state.view.get("by")
        if by == "field":
            fields = fields_with_entries(s.content, directory)
            return [*(s.ctx.choice(s.content.handlungsfelder[f]) for f in fields), back_choice(s)]
        if by == "region":
            options = region_options(s.content, directory)
            return [*(s.ctx.choice(o) for o in options.values()), back_choice(s)]
        return [
            Choice("_near", s.t("Near me")),
            Choice("_by_field", s.t("By field of action")),
            Choice("_by_region", s.t("By Land or région")),
            Choice("_dfzw", s.t("Franco-German (DFZW)"), short=s.t("Franco-German")),
            Choice("_all", s.t("All of them")),
            back_choice(s),
        ]

    def on_input(self, s: Session, inp: Input) -> None:
        directory = s.content.model_municipalities
        choice = inp.choice or ""
        if choice == "_close" or directory is None:
            return s.close_overlay()
        if choice not in {c.id for c in self.choices(s)}:
            return s.say_only(s.t("Please pick one of the options below."))
        if choice in ("_by_field", "_by_region"):
            s.state.view = {"by": choice.removeprefix("_by_")}
            return None
        s.leave_overlay()
        by = s.state.view.get("by")
        if choice == "_near":
            return _near(s, directory)
        if choice == "_dfzw":
            programmes = franco_german(directory)
            selection = Selection(
                "programme", ",".join(sorted(programmes)), tuple(in_programmes(directory, programmes))
            )
            return show(s, directory, selection)
        if choice == "_all":
            everyone = tuple(sorted(directory.municipalities, key=lambda m: m.name.casefold()))
            return _open_list(s, everyone, s.t("All model municipalities"), "")
        if by == "field":
            return show(s, directory, Selection("field", choice, tuple(in_field(directory, choice))))
        return show(s, directory, Selection("region", choice, tuple(in_region(directory, choice))))


class ModelList:
    """One page of entries: name, kind, Land or région, programmes with their years, fields of action, note."""

    overlay = True

    def _entries(self, s: Session) -> list[ModelMunicipality]:
        directory = s.content.model_municipalities
        by_name = {m.name: m for m in directory.municipalities} if directory is not None else {}
        return [by_name[n] for n in s.state.view.get("names", []) if n in by_name]

    def question(self, s: Session) -> list[Block]:
        directory, entries = s.content.model_municipalities, self._entries(s)
        if directory is None or not entries:
            return []
        page = int(s.state.view.get("page", 0))
        shown = entries[page * PAGE : (page + 1) * PAGE]
        blocks: list[Block] = [Heading(s.state.view.get("title", ""))]
        if s.state.view.get("how") and page == 0:
            blocks.append(Paragraph(s.state.view["how"]))
        blocks += [Paragraph(entry_text(s, directory, m)) for m in shown]
        if any(m.assumed for m in shown):
            blocks.append(Paragraph(s.t("* Not stated by the programmes’ sources: general knowledge or an inference.")))
        first, last = page * PAGE + 1, page * PAGE + len(shown)
        blocks.append(Paragraph(s.t("{first} to {last} of {total}.", first=first, last=last, total=len(entries))))
        return blocks

    def choices(self, s: Session) -> list[Choice]:
        page, total = int(s.state.view.get("page", 0)), len(self._entries(s))
        more = [Choice("_more", s.t("More"))] if (page + 1) * PAGE < total else []
        return [*more, Choice("_menu", s.t("Look another way")), back_choice(s)]

    def on_input(self, s: Session, inp: Input) -> None:
        if inp.choice == "_close":
            return s.close_overlay()
        if inp.choice == "_menu":
            s.state.view = {"by": None}
            s.state.mode = "models"
            return None
        if inp.choice == "_more" and inp.choice in {c.id for c in self.choices(s)}:
            s.state.view = {**s.state.view, "page": int(s.state.view.get("page", 0)) + 1}
            return None
        return s.say_only(s.t("Please pick one of the options below."))


def entry_text(s: Session, directory: ModelDirectory, entry: ModelMunicipality) -> str:
    """``Grabow · Stadt · Mecklenburg-Vorpommern``, the programmes with their years, the fields, the note."""
    kinds = {k.id: k for k in directory.kinds}
    programmes = {p.id: p for p in directory.programmes}
    head = [entry.name]
    if entry.kinds:
        head.append(_assumed(entry, "kind", " / ".join(s.ctx.text(kinds[k].label) for k in entry.kinds)))
    regions = " / ".join(_region_label(s, r) for r in entry.regions)
    head.append(_assumed(entry, "region", regions))
    lines = [" · ".join(head)]
    taken = (f"{s.ctx.text(programmes[p].label)} ({programmes[p].years})" for p in entry.programmes)
    lines.append(_assumed(entry, "programmes", s.t.joined(taken)))
    if entry.fields:
        labels = s.t.joined(_field_label(s, f) for f in entry.fields)
        lines.append(s.t("Fields of action: {fields}", fields=labels))
    if entry.note is not None:
        lines.append(s.ctx.text(entry.note))
    return "\n".join(lines)


def _assumed(entry: ModelMunicipality, fact: str, text: str) -> str:
    return f"{text}*" if fact in entry.assumed else text


def _field_label(s: Session, field: str) -> str:
    handlungsfeld = s.content.handlungsfelder[field]
    return s.ctx.text(handlungsfeld.short or handlungsfeld.label)


def _region_label(s: Session, region: str) -> str:
    """A Land or région as the onboarding names it."""
    for _country, step in region_steps([x for stage in s.content.stages for x in stage.steps]).values():
        option = next((o for o in getattr(step, "options", ()) if o.id == region), None)
        if option is not None:
            return s.ctx.text(option.label)
    return region


def _programmes(s: Session, directory: ModelDirectory, selection: Selection) -> str:
    chosen = set(selection.key.split(","))
    if chosen == franco_german(directory):
        return s.t("Franco-German Forum for the Future (DFZW)")
    return s.t.joined(s.ctx.text(p.label) for p in directory.programmes if p.id in chosen)
