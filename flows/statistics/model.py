"""The values official statistics are made of: places in the directory, figures, a read file, its problems.

Everything is a frozen dataclass of strings, numbers and dates, so it can cross into a worker thread and
back, and be compared in tests.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Literal, Protocol

from flows.content.model import Country

__all__ = ["Country", "Figure", "Layout", "Level", "Measure", "Place", "Problem", "Registry", "Rejected", "Sheet"]
Level = Literal[
    # Germany (GV100AD Satzart 10, 20, 30, 40, 50, 60)
    "land",
    "regierungsbezirk",
    "region",
    "kreis",
    "gemeindeverband",
    "gemeinde",
    # France (COG): région, département, commune
    "departement",
    "commune",
]
Measure = Literal["population", "births", "deaths", "moves_in", "moves_out"]
"""What a figure counts: people on the Stichtag (population), or events in the year ending on it."""
Sex = Literal["", "m", "f"]
"""``""``: everybody; ``m`` male (männlich), ``f`` female (weiblich)."""
Source = Literal["official", "register"]
"""Official statistics (statistical offices) or the municipality's own register extract: never one series."""
Layout = Literal["long", "wide", "flat", "register"]


@dataclass(frozen=True)
class Place:
    """One entry of an official directory: a Gemeinde (AGS), a Kreis, a Land; a commune (INSEE code) …

    ``key`` is the official key at its level: 8 digits for a Gemeinde (Land 2, Regierungsbezirk 1, Kreis 2,
    Gemeinde 3), 5 for a Kreis, 3 for a Regierungsbezirk, 2 for a Land, 9 for a Gemeindeverband (Kreis 5 +
    Verband 4); in France 5 characters for a commune (``2A004``), the département's code (``01``, ``2A``,
    ``971``) and the région's (``84``). ``kreis`` and ``land`` are the keys of the Kreis (département) and
    Land (région) it lies in; for a German place they are prefixes of ``key``.
    """

    country: Country
    key: str
    level: Level
    name: str
    """As the directory writes it ("Grabow, Stadt"; "L'Abergement-Clémenciat")."""
    kreis: str = ""
    land: str = ""
    kind: str = ""
    """The directory's own mark: GV100AD Textkennzeichen (63 Stadt, 64 kreisangehörige Gemeinde …), COG TYPECOM."""
    postcode: str = ""
    """GV100AD: the postcode of the Gemeinde's seat (one of several where it has more)."""
    population: int | None = None
    """The official population the directory gives (GV100AD Satzart 60), None where it gives none (COG)."""
    stand: date | None = None
    """The directory's Gebietsstand (territorial status) or the COG's date."""


@dataclass(frozen=True)
class Figure:
    """One value of a statistics file: a count for a region, measure, sex, age band and Stichtag.

    ``value`` None means "no data" (a region with only ``-``, or ``.`` ``...`` ``x`` ``/``): never 0.
    Ages are whole years, ``age_from`` inclusive and ``age_to`` exclusive ("3 bis unter 6 Jahre": 3, 6;
    "75 Jahre und mehr": 75, None); both None is everybody.
    """

    region: str
    measure: Measure
    stichtag: date
    """31 December of the year for a population; the year's last day for births, deaths and moves."""
    value: int | None
    sex: Sex = ""
    age_from: int | None = None
    age_to: int | None = None
    source: Source = "official"
    table: str = ""
    """The table code ("12411-02-03-5"); for a register extract ``register``."""
    country: Country = "de"
    ortsteil: str = ""
    """A register extract's Ortsteil (district of the municipality); "" for the whole municipality."""


@dataclass(frozen=True)
class Problem:
    """What is wrong in a file, where: a msgid (English, translated where shown), its values, line and column
    (1-based, as a spreadsheet counts; None where the problem is the whole file)."""

    message: str
    params: tuple[tuple[str, str], ...] = ()
    line: int | None = None
    column: int | None = None


class Rejected(Exception):
    """A file that is not imported at all, with every problem found (the first ones, at most ``MAX_PROBLEMS``)."""

    MAX_PROBLEMS = 20

    def __init__(self, problems: Sequence[Problem]):
        super().__init__("; ".join(p.message for p in problems[:3]))
        self.problems = tuple(problems[: self.MAX_PROBLEMS])


@dataclass(frozen=True)
class Sheet:
    """A statistics file read completely: its figures and what they are."""

    figures: tuple[Figure, ...]
    table: str
    """The table code the file names (or ``register``)."""
    source: Source
    layout: Layout
    encoding: str
    """How the bytes were decoded (``utf-8``, ``iso-8859-1``)."""
    regions: dict[str, str] = field(default_factory=dict)
    """Each region's key and name as the file writes them (indentation removed)."""

    @property
    def stichtage(self) -> tuple[date, ...]:
        return tuple(sorted({f.stichtag for f in self.figures}))


class Registry(Protocol):
    """What the engine may ask of the stored directory and statistics (the app shell implements it on the
    message's unit of work; tests may use any object with these methods)."""

    def find(self, query: str, country: Country | None = None, limit: int = 8) -> list[Place]:
        """Places whose name starts with ``query`` (folded: case, umlauts, accents), whose postcode or official
        key is ``query``; Gemeinden and communes first, the most populous first."""
        ...

    def place(self, key: str, country: Country = "de") -> Place | None: ...

    def has_places(self) -> bool:
        """Whether a directory was imported at all: without one, a municipality's name is kept as typed."""
        ...

    def figures(self, keys: Sequence[str], country: Country = "de", workspace_id: int | None = None) -> list[Figure]:
        """Every figure of these regions: the official ones imported for everybody, plus those this workspace
        imported itself (its uploads, its register extract), which win where both have a value."""
        ...
