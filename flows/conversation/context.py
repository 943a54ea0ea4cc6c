"""What a step needs while it handles input: content, state, translator, rendering of values."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

from jinja2 import StrictUndefined, Template
from jinja2.sandbox import SandboxedEnvironment

from flows.content.content import Content
from flows.content.i18n import Translator
from flows.content.model import (
    COUNTRY_OF_LANGUAGE,
    ChecklistStep,
    Country,
    DateStep,
    FieldBudget,
    FieldDate,
    FieldIndicators,
    FieldOwner,
    FieldSingle,
    Handlungsfeld,
    InfoStep,
    ListStep,
    LocalText,
    MultiStep,
    Option,
    PlaceStep,
    RecordField,
    RecordsStep,
    SingleStep,
    Step,
)
from flows.conversation import rules
from flows.conversation.state import State
from flows.documents.budget import Budget
from flows.exchange.model import CommonsPort
from flows.exchange.shared import approved, is_shared
from flows.messages import Block, Bullets, Choice, Paragraph
from flows.practice.measures import indicators_of, owner_of
from flows.practice.model import Measure, Practice, latest
from flows.practice.progress import reported
from flows.practice.shown import indicators_text
from flows.practice.zone import zone_of
from flows.reading import funding_of
from flows.statistics.model import Place, Registry
from flows.team.view import Team

_templates = SandboxedEnvironment(autoescape=False, undefined=StrictUndefined)


@lru_cache(maxsize=4096)
def _compile(source: str) -> Template:
    return _templates.from_string(source)


def years_text(years: tuple[int, ...]) -> str:
    """Years as a span where they follow each other (2027–2029), else listed (2027, 2029)."""
    if len(years) > 1 and list(years) == list(range(years[0], years[-1] + 1)):
        return f"{years[0]}–{years[-1]}"
    return ", ".join(str(y) for y in years)


def budget_parts(t: Translator, budget: Budget) -> list[str]:
    """A budget with an amount in the reader's language: the amount, the source, then the years or the amount of
    each year ("2027: 12.000 €")."""
    assert budget.amount is not None
    parts = [t.money(budget.amount)]
    if budget.source:
        parts.append(budget.source)
    if budget.per_year:
        split = (t("{label}: {value}", label=str(y), value=t.money(a)) for y, a in sorted(budget.per_year.items()))
        parts.append(", ".join(split))
    elif budget.years:
        parts.append(years_text(budget.years))
    return parts


def place_name(value: Any) -> str:
    """The municipality's name in the answer that names it: typed text, or a place picked in the directory
    (``{"name": "Grabow", "key": "13076052", "country": "de"}``)."""
    if isinstance(value, dict):
        return str(value.get("name") or "")
    return str(value or "")


def new_uid(ctx: Ctx, records: list[dict[str, Any]]) -> str:
    """An id for a new record (``r1``, ``r2`` … counted per conversation), none of ``records`` has yet: a teammate's
    conversation counts on its own."""
    taken = {r.get("uid") for r in records}
    while True:
        ctx.state.seq += 1
        uid = f"r{ctx.state.seq}"
        if uid not in taken:
            return uid


@dataclass
class Ctx:
    content: Content
    state: State
    team: Team | None = None
    """The workspace, for showing who wrote what (None: nobody else is involved yet)."""
    stored: Mapping[str, Any] = field(default_factory=dict)
    """The answers as stored before this message (who wrote an entry is known of those)."""
    registry: Registry | None = None
    """The stored directory and statistics (see ``Facts.registry``)."""
    practice: Practice | None = None
    """Status reports, plan versions and reminders (see ``Facts.practice``)."""
    commons: CommonsPort | None = None
    """Shared good practice (see ``Facts.commons``): what a measure taken over from the toolbox names."""
    t: Translator = field(init=False)
    cache: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)
    """What is worked out once per message (the municipality's official figures)."""

    def __post_init__(self) -> None:
        self.t = self.content.catalogues.translator(self.state.lang)

    # -- texts -------------------------------------------------------------
    def text(self, value: LocalText | None) -> str:
        if value is None:
            return ""
        source = value.get(self.state.lang)
        if "{" not in source:
            return source
        return _compile(source).render(municipality=self.municipality())

    def command_name(self, command_id: str) -> str:
        """What to type for a command in the user's language (``hilfe`` for ``help``)."""
        names = next(c.names for c in self.content.commands if c.id == command_id)
        return (names.get(self.state.lang) or names["de"])[0]

    def topic_label(self, topic: str) -> str:
        """A newsletter topic: a field of action or an event kind."""
        if topic in self.content.handlungsfelder:
            return self.text(self.content.handlungsfelder[topic].label)
        kind = self.content.event_kinds.get(topic)
        return self.text(kind) if kind is not None else topic

    def municipality(self) -> dict[str, Any]:
        """The profile as content texts use it (``{{ municipality.name }}``): name, kind, land, size, fields and
        ``country`` (de, fr)."""
        profile: dict[str, Any] = {"name": self.t("your municipality"), "kind": "", "land": "", "size": ""}
        for key, step_id in self.content.profile_steps.items():
            if self.state.has_value(step_id):
                step = self.content.step(step_id)
                value = self.state.answers[step_id]
                if key == "name":
                    profile[key] = place_name(value)
                else:
                    profile[key] = value if key == "fields" else self.option_label(step, value)
        profile["country"] = self.country()
        return profile

    def place(self) -> Place | None:
        """The municipality as the official directory has it, when it was picked there (its key is stored)."""
        picked = self.state.answers.get(self.content.profile_steps.get("name", ""))
        if not isinstance(picked, dict) or not picked.get("key") or self.registry is None:
            return None
        return self.registry.place(picked["key"], picked.get("country", "de"))

    def plural_points(self, n: int) -> str:
        return self.t.plural("Please name at least {n} point.", "Please name at least {n} points.", n)

    def country(self, leaving_out: str | None = None) -> Country:
        """Where the municipality is: the directory's, where it was picked there; else what an answer chose (an
        option with ``country``); else the language's."""
        picked = self.state.answers.get(self.content.profile_steps.get("name", ""))
        if isinstance(picked, dict) and picked.get("country") in ("de", "fr"):
            return picked["country"]
        for step_id, value in self.state.answers.items():
            if step_id != leaving_out and isinstance(value, str) and step_id in self.content.steps:
                step = self.content.step(step_id)
                chosen = next((o for o in getattr(step, "options", ()) if o.id == value), None)
                if chosen is not None and chosen.country:
                    return chosen.country
        return COUNTRY_OF_LANGUAGE.get(self.state.lang, "de")

    def applies(self, step: Step) -> bool:
        """Whether the step is asked of this municipality (its ``countries``)."""
        return not step.countries or self.country() in step.countries

    # -- options -----------------------------------------------------------
    def offers(self, step: Step | FieldSingle) -> list[Choice]:
        options = getattr(step, "options", None) or getattr(step, "items", None)
        if options:
            here = self.country(leaving_out=step.id) if any(o.countries for o in options) else None
            return [self.choice(o) for o in options if not o.countries or here in o.countries]
        for source in getattr(step, "options_from", []):
            ids = self._source_ids(source)
            if ids:
                return [self.choice(self.content.handlungsfelder[i]) for i in ids]
        return []

    def choice(self, option: Option | Handlungsfeld) -> Choice:
        """An option or Handlungsfeld as a choice in the user's language, with its short label for buttons."""
        return Choice(option.id, self.text(option.label), short=self.text(option.short) if option.short else None)

    def _source_ids(self, source: str) -> list[str]:
        if source == "handlungsfelder":
            return list(self.content.handlungsfelder)
        value = self.state.answers.get(source.removeprefix("answer:"))
        values = value if isinstance(value, list) else [value] if isinstance(value, str) else []
        return [v for v in values if v in self.content.handlungsfelder]

    def option_label(self, step: Step | FieldSingle, option_id: str) -> str:
        for option in getattr(step, "options", None) or getattr(step, "items", None) or ():
            if option.id == option_id:
                return self.text(option.label)
        for offer in self.offers(step):
            if offer.id == option_id:
                return offer.label
        hf = self.content.handlungsfelder.get(option_id)
        return self.text(hf.label) if hf else option_id

    # -- values ------------------------------------------------------------
    def format_date(self, value: str) -> str:
        return self.t.answer_date(value)

    def short(self, step: Step, value: Any) -> str:
        """A one-line rendering of an answer."""
        if value is None:
            return self.t("skipped")
        if isinstance(step, InfoStep):
            return self.t("read")
        if isinstance(step, DateStep):
            return self.format_date(value)
        if isinstance(step, PlaceStep):
            return place_name(value)
        if isinstance(step, SingleStep):
            return self.option_label(step, value)
        if isinstance(step, MultiStep):
            labels = [self.option_label(step, v) for v in value]
            if step.ordered:
                return self.t.joined(f"{i}. {label}" for i, label in enumerate(labels, 1))
            return self.t.joined(labels)
        if isinstance(step, ChecklistStep):
            done = len(rules.ticked(self, step, value))
            return self.t.plural("{n} of {total} done", "{n} of {total} done", done, total=len(step.items))
        if isinstance(step, ListStep):
            return self.t.joined(value)
        if isinstance(step, RecordsStep):
            return self.t.joined(self.record_title(step, r) for r in value)
        return str(value)

    def blocks(self, step: Step, value: Any) -> list[Block]:
        """A fuller rendering of an answer: lists and records as bullets."""
        if isinstance(step, ListStep) and value:
            return [Bullets(tuple(value))]
        if isinstance(step, RecordsStep) and value:
            return [Paragraph(self.record_text(step, r, number)) for number, r in enumerate(value, 1)]
        if isinstance(step, ChecklistStep) and value is not None:
            done = rules.ticked(self, step, value)
            open_items = [self.text(i.label) for i in step.items if i.id not in done]
            blocks: list[Block] = [Paragraph(self.short(step, value))]
            if open_items:
                blocks += [Paragraph(self.t("Still open:")), Bullets(tuple(open_items))]
            return blocks
        return [Paragraph(self.short(step, value))]

    def field_value(self, field_def: RecordField, value: Any) -> str:
        if value is None or value == "":
            return ""
        if isinstance(field_def, FieldOwner):
            owner = owner_of(value)
            return owner.name if owner is not None else ""
        if isinstance(field_def, FieldIndicators):
            return indicators_text(self.t, indicators_of({"indicators": value}))
        if isinstance(field_def, FieldBudget):
            return self.budget_text(value)
        if isinstance(field_def, FieldDate):
            return self.format_date(value)
        if isinstance(field_def, FieldSingle):
            return self.option_label(field_def, value)
        return str(value)

    def budget(self, value: Any) -> Budget | None:
        """A stored budget (structured or old free text), its funding category told by the content's keywords where
        none was stored (budgets the database migration parsed)."""
        budget = Budget.of(value)
        if budget is None or budget.funding is not None or budget.amount is None:
            return budget
        return replace(budget, funding=funding_of(budget.source, self.content.funding))

    def budget_text(self, value: Any) -> str:
        """A budget on one line: "25.500 € (Fördermittel LEADER, 2027–2028)"; one without an amount as written."""
        budget = Budget.of(value)
        if budget is None:
            return ""
        if budget.amount is None:
            return budget.text
        amount, *details = budget_parts(self.t, budget)
        return f"{amount} ({', '.join(details)})" if details else amount

    def source_record(self, step: RecordsStep, uid: str) -> dict[str, Any] | None:
        if not step.for_each:
            return None
        return next((r for r in self.state.answers.get(step.for_each) or [] if r.get("uid") == uid), None)

    def record_title(self, step: RecordsStep, record: dict[str, Any]) -> str:
        if step.for_each:
            source_step = self.content.step(step.for_each)
            source = self.source_record(step, record.get("uid", ""))
            if isinstance(source_step, RecordsStep) and source:
                return self.record_title(source_step, source)
            return self.t("(removed)")
        assert step.title_field is not None  # the model requires it where there is no for_each
        title_field = next(f for f in step.fields if f.id == step.title_field)
        return self.field_value(title_field, record.get(title_field.id)) or "…"

    def labelled(self, label: str, value: str) -> str:
        """A label and its value on one line, joined as the language writes it (French: a space before the colon)."""
        return self.t("{label}: {value}", label=label, value=value)

    def record_details(self, step: RecordsStep, record: dict[str, Any]) -> list[str]:
        """One labelled line per filled field of a record, the title field aside (an older measure's indicator
        and target texts on the indicators' line); then the ideas it came from."""
        lines = []
        for f in step.fields:
            value = record.get(f.id)
            shown = self.field_value(f, value) if value not in (None, "") else ""
            if isinstance(f, FieldIndicators) and value is None:
                shown = indicators_text(self.t, indicators_of(record))
            if f.id != step.title_field and shown:
                lines.append(self.labelled(self.text(f.label), shown))
        return lines + [x for x in (self.origin(step, record), self.adopted(record)) if x]

    def origin(self, step: RecordsStep, record: dict[str, Any]) -> str | None:
        """ "From the future workshop: Dorfladen" for a record taken over from ideas (``from_ideas``); an idea
        deleted since reads "(removed)"."""
        linked = record.get("ideas")
        source = self.content.step(step.from_ideas) if step.from_ideas in self.content.steps else None
        if not isinstance(linked, list) or not linked or not isinstance(source, RecordsStep):
            return None
        ideas = {r.get("uid"): r for r in self.state.answers.get(source.id) or [] if isinstance(r, dict)}
        titles = [self.record_title(source, ideas[u]) if u in ideas else self.t("(removed)") for u in linked]
        return self.labelled(self.t("From the future workshop"), self.t.joined(titles))

    def adopted(self, record: dict[str, Any]) -> str | None:
        """ "Taken over from: Bürgerbus (submitted by Musterstadt)" for a measure taken over from the toolbox
        (``practice``: a toolbox id); a practice no longer shared reads "(removed)"."""
        item_id = record.get("practice")
        if not isinstance(item_id, str) or not item_id:
            return None
        item = self.content.toolbox.get(item_id)
        if item is not None:
            return self.labelled(self.t("Taken over from"), self.text(item.title))
        if not is_shared(item_id) or self.commons is None:
            return None
        practice = approved(self.commons.commons(), item_id)
        if practice is None:
            return self.labelled(self.t("Taken over from"), self.t("(removed)"))
        title = practice.text(self.state.lang).get("title", "…")
        shown = self.t("{title} (submitted by {municipality})", title=title, municipality=practice.municipality)
        return self.labelled(self.t("Taken over from"), shown)

    def record_text(self, step: RecordsStep, record: dict[str, Any], number: int | None = None) -> str:
        """A record as short lines: its title (numbered in a list), then one labelled line per filled field."""
        title = self.record_title(step, record)
        return "\n".join([f"{number}. {title}" if number else title, *self.record_details(step, record)])

    # -- the plan in practice ------------------------------------------------
    def zone(self) -> str:
        """The municipality's time zone (IANA), in which its dates are read and shown."""
        return zone_of(self.state.answers, self.country())

    def last_report(self, measure: Measure) -> str | None:
        """The measure's latest status report on one line ("läuft, 42 Personen (07.12.2026, Anna)"), if any."""
        last = latest(self.practice.reports(), measure.uid) if self.practice is not None else None
        if last is None:
            return None
        return reported(self.t, last, self.zone(), measure.indicators[0] if measure.indicators else None)
