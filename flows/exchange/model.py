"""Municipalities learning from each other: exchange profiles, introductions and shared good practice.

The shell answers the ports (``Profiles``, ``Introductions``, ``Commons``) per message from storage; flows decides
who matches whom and why (flows/exchange/similarity.py), what a person may see, and what is said.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any, Literal, Protocol

from flows.statistics.model import Country

# -- exchange profiles ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Facts:
    """What the workspace's answers say about the municipality, as a profile shows it (derived on every save of an
    opted-in workspace, so candidates are current without reading their answers)."""

    name: str = ""
    """Its name: never shown to another municipality before an introduction is accepted."""
    country: Country = "de"
    kind: str = ""
    """The onboarding's kind option (gemeinde, stadt, landkreis, amt, quartier; commune, commune_nouvelle, epci,
    departement)."""
    size: str = ""
    """The size class option (xs, s, m, l, xl), from the directory's population where the place was picked there."""
    region: str = ""
    """The Land or région option (by, sn …; ges, hdf …)."""
    key: str = ""
    """The official key (AGS, code INSEE) where the place was picked in the directory."""
    kreis: str = ""
    """The official key of its Kreis or département, where known."""
    fields: tuple[str, ...] = ()
    """Priority fields of action (Handlungsfeld ids), most important first."""
    stage: str = ""
    """The DAKS stage it works in (the furthest stage with answers)."""
    has_plan: bool = False
    """It has a Werkstattplan with at least one measure."""

    @classmethod
    def of(cls, stored: Mapping[str, Any]) -> Facts:
        """Facts as stored (JSON): lists become tuples; keys no Facts has (written by a later version) are left
        out."""
        values: dict[str, Any] = {k: tuple(v) if isinstance(v, list) else v for k, v in stored.items() if k in _FACTS}
        return cls(**values)


_FACTS = frozenset(f.name for f in fields(Facts))


@dataclass(frozen=True)
class Profile:
    """A workspace that opted in to the exchange: what its answers say, and what the coordinator chose to share."""

    workspace_id: int
    facts: Facts
    offers: tuple[str, ...] = ()
    """Fields of action it can tell others about (Handlungsfeld ids)."""
    seeks: tuple[str, ...] = ()
    """Fields of action it wants to learn about."""
    languages: tuple[str, ...] = ("de",)
    """Languages its people can exchange in (de, fr, en)."""
    contact: str = ""
    """The contact the coordinator chose to share, released only after both sides agreed to an introduction."""
    twin_town: str = ""
    """A partner town the coordinator named (Städtepartnerschaft, jumelage), as typed."""
    opted_in_at: datetime | None = None


# -- matching ----------------------------------------------------------------------------------
ReasonKind = Literal["size", "kind", "fields", "stage", "plan", "offers", "seeks", "near", "twin", "language"]


@dataclass(frozen=True)
class Reason:
    """Why two municipalities fit, rendered in each reader's language: ``values`` are option or field ids (or, for
    ``near``, "kreis", "region" or "neighbour")."""

    kind: ReasonKind
    values: tuple[str, ...] = ()


@dataclass(frozen=True)
class Match:
    """A candidate for ``Profile`` owner, with the documented similarity and its reasons, best reason first."""

    profile: Profile
    score: float
    reasons: tuple[Reason, ...]


class Profiles(Protocol):
    """The port: the person's workspace's profile and the opted-in workspaces' (the person's own may be among
    them: matching leaves it out)."""

    def mine(self) -> Profile | None: ...
    def candidates(self) -> Sequence[Profile]: ...


# -- introductions (double opt-in) -----------------------------------------------------------------
IntroductionStatus = Literal["asked", "accepted", "declined", "closed"]
ANSWER_WITHIN_DAYS = 14
"""An introduction nobody answered (or one declined) reads "no answer yet" for this long, then "closed"."""


@dataclass(frozen=True)
class Introduction:
    """A asks to be introduced to B. B's coordinators are asked; only after one accepts do both sides get the
    contact the other chose to share. A never learns that B declined: it reads as no answer, then closed."""

    id: int
    asking: int
    """Workspace A (asks)."""
    asked: int
    """Workspace B (is asked)."""
    status: IntroductionStatus
    asked_at: datetime
    reasons: tuple[Reason, ...] = ()
    answered_at: datetime | None = None
    asking_facts: Facts | None = None
    """A's profile facts, shown to B with the request (without name or keys: flows/exchange/introducing.unnamed)."""
    asked_facts: Facts | None = None
    """B's profile facts, for A's list of its asks (without name or keys)."""
    name: str | None = None
    """The other side's municipality name: only filled once accepted (the shell never reads it otherwise)."""
    contact: str | None = None
    """The other side's contact: only filled once accepted (the shell never reads it otherwise)."""
    left: bool = False
    """Either side left the exchange (has no profile): closed, whatever is stored."""


class Introductions(Protocol):
    """The port: introductions the person's workspace asked for or was asked for."""

    def mine(self) -> list[Introduction]: ...


# -- shared good practice ----------------------------------------------------------------------------
PracticeStatus = Literal["submitted", "approved", "rejected"]
PRACTICE_PARTS = ("title", "what", "for_whom", "cost", "helped", "hindered")
"""What a submitted practice says, in each language it has."""
SHARED_PREFIX = "gp-"
"""Toolbox ids of shared practices: ``gp-12``; content items keep their own ids."""


@dataclass(frozen=True)
class SharedPractice:
    """A measure a workspace submitted as good practice. Approved by an editor, it joins the toolbox as "eingereicht
    von <Kommune>"; ``texts`` holds the submitter's language and those an editor added."""

    id: int
    workspace_id: int | None
    municipality: str
    field: str
    """Its field of action (Handlungsfeld id)."""
    lang: str
    """The language the submitter wrote in."""
    texts: dict[str, dict[str, str]]
    """Per language, the parts of PRACTICE_PARTS."""
    status: PracticeStatus = "submitted"
    measure: str = ""
    """The submitting workspace's measure uid."""
    submitted_at: datetime | None = None
    adoptions: int = 0

    @property
    def toolbox_id(self) -> str:
        return f"{SHARED_PREFIX}{self.id}"

    def text(self, lang: str) -> dict[str, str]:
        """The parts in ``lang``, else in the submitter's language (see ``missing``)."""
        return self.texts.get(lang) or self.texts.get(self.lang) or next(iter(self.texts.values()), {})

    def missing(self, lang: str) -> bool:
        """Whether ``lang`` still lacks a translation (the text shown is the submitter's)."""
        return lang not in self.texts


@dataclass(frozen=True)
class Commons:
    """What has been shared: approved practices (the toolbox's), and for editors those waiting for review."""

    approved: tuple[SharedPractice, ...] = ()
    waiting: tuple[SharedPractice, ...] = ()
    mine: tuple[SharedPractice, ...] = ()
    """The person's workspace's submissions, whatever their status."""
    revision: str = ""
    """Changes whenever an approved practice or its texts change (keys the search index)."""
    adopted: dict[str, int] = field(default_factory=dict)
    """Adoptions per toolbox id (``gp-12`` or a content item's id)."""


class CommonsPort(Protocol):
    def commons(self) -> Commons: ...
