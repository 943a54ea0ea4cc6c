"""The content model: stages, steps and catalogues as validated by pydantic.

Every text node carries one string per language next to it (``de`` is required;
``fr`` and ``en`` fall back to German until they are written).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    RootModel,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

LANGUAGES: tuple[str, ...] = ("de", "fr", "en")
LANGUAGE_NAMES = {"de": "Deutsch", "fr": "Français", "en": "English"}
"""Each language in its own words (language pickers)."""
DEFAULT_LANGUAGE = "de"
Identifier = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=32)]
Country = Literal["de", "fr"]
COUNTRY_OF_LANGUAGE: dict[str, Country] = {"de": "de", "fr": "fr", "en": "de"}
"""Where a municipality is assumed to be until an answer says otherwise (an option with ``country``)."""
EVENT_KINDS = ("online_seminar", "regional_meeting", "conference", "publication")
"""Kinds of events (EventSpec.kind); subscribers can pick them as topics too."""


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LocalText(RootModel[dict[str, str]]):
    """A text in several languages: ``{de: ..., fr: ..., en: ...}``."""

    model_config = ConfigDict(frozen=True)

    @field_validator("root")
    @classmethod
    def _languages(cls, value: dict[str, str]) -> dict[str, str]:
        unknown = set(value) - set(LANGUAGES)
        if unknown:
            raise ValueError(f"unknown language(s) {sorted(unknown)}; allowed: {list(LANGUAGES)}")
        if not value.get(DEFAULT_LANGUAGE, "").strip():
            raise ValueError(f"the '{DEFAULT_LANGUAGE}' text is required")
        return value

    def get(self, lang: str) -> str:
        return self.root.get(lang) or self.root[DEFAULT_LANGUAGE]

    def missing(self) -> list[str]:
        return [lang for lang in LANGUAGES if not self.root.get(lang, "").strip()]


def _languages(value: dict[str, str]) -> dict[str, str]:
    unknown = sorted(set(value) - set(LANGUAGES))
    if unknown:
        raise ValueError(f"unknown language(s) {unknown}; allowed: {list(LANGUAGES)}")
    return value


def _german_required(value: dict[str, str]) -> dict[str, str]:
    if not value.get(DEFAULT_LANGUAGE, "").strip():
        raise ValueError(f"the '{DEFAULT_LANGUAGE}' text is required")
    return value


Texts = Annotated[dict[str, str], AfterValidator(_languages)]
"""Optional text per language (de, fr, en), as a plain mapping (newsletter and event files)."""
RequiredTexts = Annotated[dict[str, str], AfterValidator(_languages), AfterValidator(_german_required)]
"""Text per language with German required."""


def local(texts: dict[str, str], lang: str) -> str:
    """The text in ``lang``, else German, else empty."""
    return texts.get(lang) or texts.get(DEFAULT_LANGUAGE) or ""


def known_ids(values: list[str], info: ValidationInfo, key: str, what: str) -> list[str]:
    """Reject ids that are not in ``info.context[key]`` (when the caller passes that set)."""
    allowed = (info.context or {}).get(key)
    if allowed is None:
        return values
    unknown = sorted(set(values) - set(allowed))
    if unknown:
        raise ValueError(f"unknown {what} {unknown}; allowed: {sorted(allowed)}")
    return values


def problems(exc: ValidationError) -> list[str]:
    """One readable line per pydantic error: ``field: message``."""
    lines = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"])
        msg = err["msg"].removeprefix("Value error, ")
        lines.append(f"{loc}: {msg}" if loc else msg)
    return lines


class Option(Strict):
    """One answer a user can pick; ``short`` is its button text where the label is longer than a button."""

    id: Identifier
    label: LocalText
    countries: list[Country] = Field(
        default_factory=list, description="Offered only to municipalities in these countries; empty: everywhere."
    )
    country: Country | None = Field(default=None, description="Choosing it says where the municipality is.")
    short: LocalText | None = Field(default=None, description="At most 24 characters per language, for buttons.")
    codes: list[str] = Field(
        default_factory=list,
        description="Official codes the option stands for (a step with from_place): a Land key (13), a région code "
        "(84), a GV100AD Textkennzeichen (63) or a COG TYPECOM (COM).",
    )
    population_below: int | None = Field(
        default=None, ge=1, description="A size class (from_place: size): places with fewer inhabitants than this."
    )


PlaceField = Literal["land", "region", "size", "kind"]
"""What a step may take from the municipality picked in the official directory (``StepBase.from_place``)."""


class StepBase(Strict):
    id: Identifier
    label: LocalText = Field(description="Short name used in summaries, progress and exports.")
    prompt: LocalText
    help: LocalText | None = None
    optional: bool = False
    countries: list[Country] = Field(
        default_factory=list, description="Asked only of municipalities in these countries; empty: everywhere."
    )
    saves_to: Literal["name", "kind", "land", "size", "fields"] | None = Field(
        default=None, description="Municipality profile field this answer also fills."
    )
    accepts_questions: bool = Field(
        default=False,
        description="Answers here are questions (a list of open questions): a typed question is kept as an answer, "
        "not answered from the glossary.",
    )
    from_place: PlaceField | None = Field(
        default=None,
        description="Answered from the place picked in the directory (its Land or région, size or kind) through "
        "the options' codes or population_below; asked only where the place does not tell.",
    )


class InfoStep(StepBase):
    kind: Literal["info"]


class TextStep(StepBase):
    kind: Literal["text"]
    max_length: int = Field(default=2000, ge=10, le=8000)


class DateStep(StepBase):
    kind: Literal["date"]


class PlaceStep(StepBase):
    """The municipality: looked up by name, postcode or official key in the directory, else kept as typed."""

    kind: Literal["place"]
    max_length: int = Field(default=120, ge=10, le=255)


class ChoiceSource(Strict):
    """Where options come from when they are not listed: earlier answers or a catalogue."""

    sources: list[str] = Field(min_length=1)

    @field_validator("sources")
    @classmethod
    def _known(cls, value: list[str]) -> list[str]:
        for source in value:
            if source != "handlungsfelder" and not source.startswith("answer:"):
                raise ValueError(f"unknown option source {source!r}: use 'handlungsfelder' or 'answer:<step id>'")
        return value


class Offered(Strict):
    """Options listed in place, or taken from earlier answers or the Handlungsfelder."""

    options: list[Option] = Field(default_factory=list)
    options_from: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _one_source(self) -> Offered:
        if bool(self.options) == bool(self.options_from):
            raise ValueError("give either 'options' or 'options_from'")
        if self.options_from:
            ChoiceSource(sources=self.options_from)
        ids = [o.id for o in self.options]
        if len(ids) != len(set(ids)):
            raise ValueError("option ids must be unique within a step")
        return self


class ChoiceStep(StepBase, Offered):
    pass


class SingleStep(ChoiceStep):
    kind: Literal["single"]


class MultiStep(ChoiceStep):
    kind: Literal["multi"]
    min_selected: int = Field(default=1, ge=0)
    max_selected: int | None = Field(default=None, ge=1)
    ordered: bool = Field(default=False, description="Selection order is a priority order.")


class ListStep(StepBase):
    kind: Literal["list"]
    min_items: int = Field(default=1, ge=0)
    max_items: int = Field(default=15, ge=1, le=50)
    item_max_length: int = Field(default=500, ge=10, le=2000)


def _listed(value: object) -> object:
    """One id written alone is a list of one."""
    return [value] if isinstance(value, str) else value


class Rule(Strict):
    """How the answers decide a checklist item, so that people tick only what the data cannot tell
    (flows/conversation/rules.py evaluates it; ``daks content check`` validates the ids; content/README.md lists
    the vocabulary).

    ``every`` names a records step: the item is done when it has records and each of them (with ``where``: each of
    those whose single-choice fields hold one of the listed option ids) has every field in ``has`` filled.
    ``answer`` names one or more steps: done when each is answered and (with ``among``, one step only) its answer
    is one of those option ids."""

    every: Identifier | None = None
    where: dict[Identifier, list[Identifier]] = Field(default_factory=dict)
    has: list[Identifier] = Field(default_factory=list)
    answer: Annotated[list[Identifier], BeforeValidator(_listed)] = Field(default_factory=list)
    among: list[Identifier] = Field(default_factory=list)

    @model_validator(mode="after")
    def _one_subject(self) -> Rule:
        if (self.every is None) == (not self.answer):
            raise ValueError("a rule names exactly one of 'every' (a records step) or 'answer' (a step)")
        if self.every is not None and not self.has:
            raise ValueError("a rule with 'every' needs 'has': the fields each record must have")
        if self.every is None and (self.has or self.where):
            raise ValueError("'has' and 'where' go with 'every'")
        if self.among and len(self.answer) != 1:
            raise ValueError("'among' goes with 'answer' naming one step")
        return self


class ChecklistItem(Option):
    """A 'done when' item; with a ``rule`` the answers decide it and nobody ticks it."""

    rule: Rule | None = None


class ChecklistStep(StepBase):
    kind: Literal["checklist"]
    items: list[ChecklistItem] = Field(min_length=1)


class FieldText(Strict):
    id: Identifier
    kind: Literal["text"]
    label: LocalText
    prompt: LocalText
    optional: bool = False
    max_length: int = Field(default=1000, ge=10, le=4000)


class FieldDate(Strict):
    id: Identifier
    kind: Literal["date"]
    label: LocalText
    prompt: LocalText
    optional: bool = False


class FieldSingle(Offered):
    id: Identifier
    kind: Literal["single"]
    label: LocalText
    prompt: LocalText
    optional: bool = False


class FieldBudget(Strict):
    """An amount in euros with its funding source and years, typed on one line (flows.reading.read_budget)."""

    id: Identifier
    kind: Literal["budget"]
    label: LocalText
    prompt: LocalText
    optional: bool = False
    max_length: int = Field(default=300, ge=10, le=1000)


class FieldOwner(Strict):
    """Who is responsible: a workspace member picked by button, or a person or unit typed by name
    (stored as flows.practice.model describes)."""

    id: Identifier
    kind: Literal["owner"]
    label: LocalText
    prompt: LocalText
    optional: bool = False
    max_length: int = Field(default=200, ge=10, le=500)


class FieldIndicators(Strict):
    """One or more indicators, each with unit, baseline (value, date, source), target and target date, asked one
    after the other (flows/conversation/steps/indicators.py); stored as flows.practice.model describes."""

    id: Identifier
    kind: Literal["indicators"]
    label: LocalText
    prompt: LocalText
    optional: bool = False
    max_indicators: int = Field(default=5, ge=1, le=10)


RecordField = Annotated[
    FieldText | FieldDate | FieldSingle | FieldBudget | FieldOwner | FieldIndicators, Field(discriminator="kind")
]


class RecordsStep(StepBase):
    """A table of records (e.g. measures); with ``for_each`` one record per record of another step."""

    kind: Literal["records"]
    item: LocalText = Field(description="What one record is called, e.g. 'Maßnahme'.")
    fields: list[RecordField] = Field(min_length=1)
    title_field: Identifier | None = None
    min_records: int = Field(default=1, ge=0)
    max_records: int = Field(default=30, ge=1, le=100)
    for_each: Identifier | None = None
    reopens: dict[Identifier, list[Identifier]] = Field(
        default_factory=dict,
        description="With for_each: a record whose single-choice field holds one of the listed option ids (the "
        "review's decision: [adapt]) opens the record it goes through for editing right after it is saved; "
        "then this step goes on.",
    )
    from_ideas: Identifier | None = Field(
        default=None,
        description="An earlier records step of ideas (idea, field, champion, priority): its high- and "
        "medium-priority ideas are offered first as draft records (flows/conversation/steps/ideas.py).",
    )

    @model_validator(mode="after")
    def _fields(self) -> RecordsStep:
        ids = [f.id for f in self.fields]
        if len(ids) != len(set(ids)):
            raise ValueError("field ids must be unique within a step")
        if self.from_ideas is not None and self.for_each is not None:
            raise ValueError("a step with for_each reviews records one by one; it cannot take ideas (from_ideas)")
        if self.for_each is None and self.title_field not in ids:
            raise ValueError(f"title_field {self.title_field!r} is not one of the fields {ids}")
        if self.reopens and self.for_each is None:
            raise ValueError("'reopens' needs 'for_each': the records it would open")
        for field_id, option_ids in self.reopens.items():
            single = next((f for f in self.fields if f.id == field_id and isinstance(f, FieldSingle)), None)
            if single is None:
                raise ValueError(f"reopens: {field_id!r} is not a single-choice field of the step")
            unknown = sorted(set(option_ids) - {o.id for o in single.options}) if single.options else []
            if unknown:
                raise ValueError(f"reopens: {unknown} are not options of the field {field_id!r}")
        return self


Step = Annotated[
    InfoStep | TextStep | DateStep | PlaceStep | SingleStep | MultiStep | ListStep | ChecklistStep | RecordsStep,
    Field(discriminator="kind"),
]


class Stage(Strict):
    """One DAKS stage (or the onboarding, number 0)."""

    id: Identifier
    number: int = Field(ge=0, le=9)
    title: LocalText
    goal: LocalText
    needs: list[Identifier] = Field(default_factory=list, description="Earlier answers this stage builds on.")
    needs_note: LocalText | None = None
    steps: list[Step] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> Stage:
        seen: set[str] = set()
        for step in self.steps:
            if step.id in seen:
                raise ValueError(f"step id {step.id!r} appears twice")
            seen.add(step.id)
        return self


class Handlungsfeld(Strict):
    id: Identifier
    label: LocalText
    short: LocalText | None = Field(default=None, description="At most 24 characters per language, for buttons.")
    description: LocalText | None = None


class Command(Strict):
    """A slash command: canonical id and the names users may type, per language."""

    id: Identifier
    names: dict[str, list[str]]
    summary: LocalText
    hidden: bool = Field(default=False, description="Left out of help and command menus (admin commands).")


class ToolboxItem(Strict):
    """A method, concept or good practice from the toolbox (Werkzeugkoffer)."""

    id: Identifier
    title: LocalText
    summary: LocalText
    type: Literal["konzept", "methode", "praxisbeispiel", "vortrag", "checkliste"]
    fields: list[Identifier] = Field(min_length=1, description="Handlungsfelder it serves.")
    stages: list[Identifier] = Field(min_length=1, description="DAKS stages it serves.")
    sizes: list[Literal["xs", "s", "m", "l", "xl"]] = Field(
        default_factory=list, description="Municipality sizes it suits; empty means every size."
    )
    source: str | None = Field(default=None, description="Who published it, only where known.")
    url: str | None = Field(default=None, pattern=r"^https://", description="Only a verified address.")
    verified: bool = Field(default=False, description="Listed in the ZWK/DWK Werkzeugkoffer (checked source).")
    example_of: str | None = Field(default=None, description="Municipality a good practice comes from.")
    keywords: dict[Literal["de", "fr", "en"], list[str]] = Field(
        default_factory=dict,
        description="Words a person would type to find it (Zuschüsse, subventions, grants), per language; "
        "searched as a field of its own.",
    )


class GlossaryTerm(Strict):
    """A word of the method people ask about ("Was ist eine Verwaltungsspitze?"), answered in one to three sentences."""

    id: Identifier
    aliases: dict[Literal["de", "fr", "en"], list[Annotated[str, Field(min_length=2, max_length=60)]]] = Field(
        description="How people write the term, per language; the first one names it in answers."
    )
    explanation: LocalText

    @field_validator("aliases")
    @classmethod
    def _every_language(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        missing = [lang for lang in LANGUAGES if not value.get(lang)]
        if missing:
            raise ValueError(f"aliases are missing for {missing}")
        return value


class Migration(Strict):
    """How conversations move from one published content version to the next."""

    from_version: str = Field(alias="from")
    to_version: str = Field(alias="to")
    steps: dict[Identifier, Identifier] = Field(default_factory=dict, description="Renamed: old id -> new id.")
    dropped: list[Identifier] = Field(default_factory=list, description="Removed steps; their answers go.")
    note: LocalText = Field(description="What changed, in one or two lines, told to users it affects.")


class Manifest(Strict):
    version: str = Field(pattern=r"^\d+(\.\d+)*$")
    name: LocalText
    languages: list[str]
    stages: list[Identifier] = Field(min_length=1)


class FundingCategory(Strict):
    """Where a measure's money comes from (own budget, grants, third parties), told by keywords in its source."""

    id: Identifier
    label: LocalText
    keywords: dict[Literal["de", "fr", "en"], list[Annotated[str, Field(min_length=2, max_length=60)]]] = Field(
        default_factory=dict,
        description="Words of a source that name the category, per language; '*' stands for any letters "
        "(förder* finds Fördermittel).",
    )
    mixed: bool = Field(default=False, description="The category of a source that names several others.")


class Funding(RootModel[list[FundingCategory]]):
    """The funding categories (content/funding.yaml): unique ids, at most one ``mixed``, keywords in every language
    for the others."""

    model_config = ConfigDict(frozen=True)

    @field_validator("root")
    @classmethod
    def _categories(cls, value: list[FundingCategory]) -> list[FundingCategory]:
        ids = [c.id for c in value]
        twice = sorted({i for i in ids if ids.count(i) > 1})
        if twice:
            raise ValueError(f"category ids appear twice: {twice}")
        if sum(c.mixed for c in value) > 1:
            raise ValueError("only one category can be 'mixed'")
        for category in value:
            present = {lang for lang, words in category.keywords.items() if words}
            missing = [lang for lang in LANGUAGES if lang not in present]
            if missing and not category.mixed:
                raise ValueError(f"category {category.id!r} has no keywords for {missing}")
        return value
