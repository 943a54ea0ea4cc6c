"""Indicators computed from figures with stated definitions, and their comparison with the Kreis and the Land.

Definitions (printed with every indicator, see :mod:`flows.statistics.presenting`):

- population: people on 31 December (all ages, both sexes); change in % from the first to the last year;
- natural balance per 1,000: (births − deaths) in the year / population at the year's end × 1,000;
- migration balance per 1,000: (moves in − moves out) / population × 1,000;
- youth ratio: people under 20 per 100 people aged 20 to 64; old-age ratio: people 65 and over per 100 aged
  20 to 64 (the age limits are printed with the value);
- share 75+ (and 80+ only where the data has an age band starting at 80: from a table whose top band is
  75+ the 80+ share is "not available", never estimated);
- median age only where single years of age exist.

A series across a census (2011, 2022) is flagged; official and register figures are never in one series.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from flows.statistics.model import Figure, Place, Source

IndicatorId = Literal[
    "population",
    "change",
    "natural_balance",
    "migration_balance",
    "youth_ratio",
    "old_age_ratio",
    "share_75",
    "share_80",
    "median_age",
]
INDICATORS: tuple[IndicatorId, ...] = (
    "population",
    "change",
    "natural_balance",
    "migration_balance",
    "youth_ratio",
    "old_age_ratio",
    "share_75",
    "share_80",
    "median_age",
)
CENSUS_YEARS = (2011, 2022)
"""Population figures from 31 Dec of these years on rest on a new census: a series across one is not continuous."""


@dataclass(frozen=True)
class Indicator:
    """One indicator of one region: its values per year (ascending; years without data are left out).

    ``missing`` says why there is no value at all (a msgid, e.g. that the top age band is 75+ so 80+ is not
    available); "" where there are values."""

    id: IndicatorId
    values: tuple[tuple[int, float], ...]
    missing: str = ""

    @property
    def latest(self) -> tuple[int, float] | None:
        return self.values[-1] if self.values else None


@dataclass(frozen=True)
class Pyramid:
    """The age structure of one year: per age band (from, to; to None for "and older"), men and women."""

    year: int
    bands: tuple[tuple[int, int | None], ...]
    male: tuple[int | None, ...]
    female: tuple[int | None, ...]


@dataclass(frozen=True)
class Comparison:
    """The same indicators for a larger region the place lies in (its Kreis or Land; département, région)."""

    place: Place
    indicators: tuple[Indicator, ...]


@dataclass(frozen=True)
class Profile:
    """What the statistics say about one place, from one source."""

    place: Place
    source: Source
    indicators: tuple[Indicator, ...]
    comparisons: tuple[Comparison, ...] = ()
    pyramid: Pyramid | None = None
    breaks: tuple[int, ...] = ()
    """Census years the population series crosses (its values before and after are not comparable)."""
    tables: tuple[str, ...] = ()
    """The table codes the figures come from."""
    latest: date | None = None
    """The latest Stichtag."""

    def indicator(self, indicator_id: IndicatorId) -> Indicator | None:
        return next((i for i in self.indicators if i.id == indicator_id), None)


def compute(
    place: Place,
    figures: Sequence[Figure],
    source: Source = "official",
    kreis: Place | None = None,
    land: Place | None = None,
) -> Profile | None:
    """The profile of ``place`` from ``figures`` of ``source`` (those of other regions and sources are ignored,
    except the Kreis's and Land's, which give the comparisons); None when there is no figure of the place."""
    raise NotImplementedError  # helper D
