"""The content set the engine runs on: every file of the content directory, validated and cross-referenced."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from flows.content.consent import Consent
from flows.content.forms import Form
from flows.content.i18n import Catalogues
from flows.content.model import (
    Command,
    FundingCategory,
    GlossaryTerm,
    Handlungsfeld,
    LocalText,
    Manifest,
    Migration,
    Stage,
    Step,
    ToolboxItem,
)
from flows.content.model_municipalities import ModelDirectory


@dataclass(eq=False)
class Content:
    """The validated content set the engine runs on."""

    root: Path
    manifest: Manifest
    stages: list[Stage]
    handlungsfelder: dict[str, Handlungsfeld]
    commands: list[Command]
    catalogues: Catalogues
    steps: dict[str, tuple[Stage, Step]] = field(default_factory=dict)
    command_names: dict[str, str] = field(default_factory=dict)
    profile_steps: dict[str, str] = field(default_factory=dict)
    toolbox: dict[str, ToolboxItem] = field(default_factory=dict)
    vector_cache: Path | None = None
    """Where toolbox vectors embedded at run time are kept (items edited since `daks content index`); default:
    next to the content."""
    migrations: list[Migration] = field(default_factory=list)
    published: dict[str, list[str]] = field(default_factory=dict)
    """Step ids of every published version (content/versions/<version>.yaml)."""
    event_kinds: dict[str, LocalText] = field(default_factory=dict)
    """Kinds of events, which subscribers can also pick as topics."""
    consent: Consent | None = None
    """The newsletter consent text and its version."""
    exchange: Consent | None = None
    """The exchange between municipalities' own consent text and its version (content/exchange.yaml)."""
    forms: dict[str, Form] = field(default_factory=dict)
    """Forms admins fill in chat: events, newsletters."""
    glossary: list[GlossaryTerm] = field(default_factory=list)
    """Terms of the method explained when someone asks about them (content/glossary.yaml)."""
    funding: list[FundingCategory] = field(default_factory=list)
    """Where a measure's money comes from, told by keywords of its source (content/funding.yaml)."""
    model_municipalities: ModelDirectory | None = None
    """The model municipalities of the federal programmes (content/model_municipalities.yaml)."""

    @property
    def topics(self) -> list[str]:
        """What subscribers can choose: the fields of action, then the event kinds."""
        return [*self.handlungsfelder, *self.event_kinds]

    @property
    def version(self) -> str:
        return self.manifest.version

    @property
    def daks_stages(self) -> list[Stage]:
        """The five DAKS stages, without the onboarding."""
        return [s for s in self.stages if s.number > 0]

    def stage(self, stage_id: str) -> Stage:
        return next(s for s in self.stages if s.id == stage_id)

    def step(self, step_id: str) -> Step:
        return self.steps[step_id][1]

    def stage_of(self, step_id: str) -> Stage:
        return self.steps[step_id][0]
