"""Indicators computed from figures with stated definitions, and their comparison with the Kreis and the Land.

Definitions (printed with every indicator, see :mod:`flows.statistics.presenting`), per year of Stichtag:

- population: people on the Stichtag (31 December), all ages, both sexes: the region's total, else the sum of
  its age bands (of both sexes, or of men and women) where they are complete from 0 to an open top band;
- change: the cumulative change in % since the first year of the series, one value per year, the first
  year's being 0 (so the latest value is the change over the whole span, "2019–2023: +3.2 %"). A comparison's
  change counts from the same first year where its series has that year;
- natural balance per 1,000: (births − deaths) in the year / population at the year's end × 1,000;
- migration balance per 1,000: (moves in − moves out) in the year / population at the year's end × 1,000;
- youth ratio: people under 20 per 100 people aged 20 to 64; old-age ratio: people 65 and over per 100 aged
  20 to 64: only from age bands that split exactly at 20 and at 65;
- share 75+ and share 80+: people of that age and older in % of the population, only where a band starts
  exactly at that age (from a table whose top band is 75+ the 80+ share is "not available", never estimated);
- median age, only where single years of age exist up to the median: with ``C`` the people younger than
  ``a`` and ``n`` those aged ``a`` (in the single year where half the population ``N`` is reached), the
  median is ``a + (N / 2 − C) / n``: the people of one year of age are taken as spread evenly over it.

A value of None (no data) never counts as 0: an indicator has no value for a year where one of its inputs is
None. A German population series across a census (2011, 2022) is flagged in ``Profile.breaks``. Official and
register figures are never in one series; a register extract split by Ortsteil gives the whole municipality
as the sum of its Ortsteile where it has no figure for the whole.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Literal, get_args

from flows.content.i18n import N_
from flows.statistics.model import Figure, Measure, Place, Sex, Source

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
INDICATORS: tuple[IndicatorId, ...] = get_args(IndicatorId)
"""Every indicator, in the order they are shown."""
CENSUS_YEARS = (2011, 2022)
"""Population figures from 31 Dec of these years on rest on a new census: a series across one is not continuous."""

# Why an indicator has no value at all (Indicator.missing): msgids, translated where shown.
NO_POPULATION = N_("The data has no population figures.")
NO_SERIES = N_("A change needs the population of at least two years.")
NO_EVENTS = N_("The data has no births and deaths for the years of the population figures.")
NO_MOVES = N_("The data has no moves in and out for the years of the population figures.")
NO_AGES = N_("The data has no age groups, so this indicator is not available.")
NOT_SPLIT = N_("The data's age groups do not split at 20 and 65, so this ratio is not available.")
NO_75 = N_("The data has no age group starting at 75, so the share aged 75 and over is not available.")
TOP_75 = N_(
    "The data's top age group is 75 and over, so the share aged 80 and over is not available (it is not estimated)."
)
NO_80 = N_(
    "The data has no age group starting at 80, so the share aged 80 and over is not available (it is not estimated)."
)
NO_SINGLE_YEARS = N_("The median age needs single years of age, which the data does not have.")
NO_DATA = N_("The statistical office gives no value for this indicator in these years.")


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

    def at(self, year: int) -> float | None:
        """The value of ``year``, None where there is none."""
        return next((v for y, v in self.values if y == year), None)


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

    def indicator(self, indicator_id: IndicatorId) -> Indicator | None:
        return next((i for i in self.indicators if i.id == indicator_id), None)


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
    stichtage: tuple[date, ...] = ()
    """The place's population Stichtag of each year with population figures (31 December as a rule)."""
    uncompared: tuple[Place, ...] = ()
    """The Kreis or Land asked for whose figures are not in the data (so there is no comparison with it)."""
    other_source: bool = False
    """The place also has figures of the other source (register beside official): kept apart, never mixed."""

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
    own = _of(figures, place, source)
    if not own:
        return None
    years = _tally(own)
    indicators = _indicators(years)
    population = _indicator_of(indicators, "population")
    first = population.values[0][0] if population.values else None
    comparisons, uncompared, used = [], [], list(own)
    for region in (kreis, land):
        if region is None:
            continue
        theirs = _of(figures, region, source)
        if not theirs:
            uncompared.append(region)
            continue
        used += theirs
        comparisons.append(Comparison(region, _indicators(_tally(theirs), first)))
    population_years = [y for y, _ in population.values]
    return Profile(
        place=place,
        source=source,
        indicators=indicators,
        comparisons=tuple(comparisons),
        pyramid=next((p for y in sorted(years, reverse=True) if (p := _pyramid(y, years[y])) is not None), None),
        breaks=_breaks(population_years) if place.country == "de" else (),
        tables=tuple(sorted({f.table for f in used if f.table})),
        latest=max(f.stichtag for f in own),
        stichtage=tuple(years[y].day for y in population_years),
        uncompared=tuple(uncompared),
        other_source=any(f.source != source for f in figures if _belongs(f, place)),
    )


def _belongs(figure: Figure, place: Place) -> bool:
    return figure.region == place.key and figure.country == place.country


def _of(figures: Iterable[Figure], place: Place, source: Source) -> list[Figure]:
    return [f for f in figures if f.source == source and _belongs(f, place)]


def _breaks(years: Sequence[int]) -> tuple[int, ...]:
    return tuple(c for c in CENSUS_YEARS if years and min(years) < c <= max(years))


# -- counting ------------------------------------------------------------------------------------------------


class _NoSplit:
    """The bands do not divide at the ages asked for (as opposed to None: they do, but a value is missing)."""


NO_SPLIT = _NoSplit()
Count = int | None | _NoSplit
Starts = Mapping[int, Mapping[int | None, int | None]]
"""Age bands of one measure and sex: from → to (None: and older) → count."""


@dataclass
class _Year:
    """The counts of one region in one year: (measure, sex) → its age bands."""

    day: date
    bands: dict[tuple[Measure, Sex], dict[int, dict[int | None, int | None]]] = field(default_factory=dict)

    def count(self, measure: Measure, lo: int, hi: int | None) -> Count:
        """The people (events) aged ``lo`` to under ``hi`` (None: and older), summed over complete bands; of both
        sexes, else men plus women."""
        both = _chain(self.bands.get((measure, ""), {}), lo, hi)
        if isinstance(both, int):
            return both
        male, female = (_chain(self.bands.get((measure, sex), {}), lo, hi) for sex in ("m", "f"))
        if isinstance(male, int) and isinstance(female, int):
            return male + female
        return None if None in (both, male, female) else NO_SPLIT

    def band(self, measure: Measure, lo: int, hi: int | None) -> Count:
        """Like :meth:`count`, but only from a band that is exactly ``lo`` to ``hi``."""
        picked = {sex: starts[lo] for (m, sex), starts in self.bands.items() if m == measure and lo in starts}
        found = {sex: tos[hi] for sex, tos in picked.items() if hi in tos}
        if isinstance(found.get(""), int):
            return found[""]
        male, female = found.get("m", NO_SPLIT), found.get("f", NO_SPLIT)
        if isinstance(male, int) and isinstance(female, int):
            return male + female
        return None if None in found.values() else NO_SPLIT

    def ages(self) -> list[tuple[int, int | None]]:
        """The population's age bands (of any sex), the total (0, None) left out."""
        found = {
            (lo, hi) for (m, _), starts in self.bands.items() if m == "population" for lo in starts for hi in starts[lo]
        }
        return sorted(found - {(0, None)}, key=lambda band: (band[0], band[1] is None, band[1] or 0))

    def top(self) -> int | None:
        """Where the population's open top band starts (75 for "75 and older"), None without one."""
        return max((lo for lo, hi in self.ages() if hi is None), default=None)


def _chain(starts: Starts, lo: int, hi: int | None) -> Count:
    """The sum of bands that cover ``lo`` to ``hi`` exactly, end to end (the widest first: a total beats its
    parts); None where every such chain has a band without value, NO_SPLIT where there is none."""
    memo: dict[int, Count] = {}

    def walk(at: int) -> Count:
        if at == hi:
            return 0
        if at not in memo:
            memo[at] = NO_SPLIT
            for to, value in sorted(starts.get(at, {}).items(), key=lambda b: (0, 0) if b[0] is None else (1, -b[0])):
                if (to is None and hi is not None) or (to is not None and (to <= at or (hi is not None and to > hi))):
                    continue
                rest = 0 if to is None else walk(to)
                if isinstance(rest, _NoSplit):
                    continue
                if value is None or rest is None:
                    memo[at] = None
                    continue
                memo[at] = value + rest
                break
        return memo[at]

    return walk(lo)


Key = tuple[int, Measure, Sex, int, int | None]
"""Year, measure, sex, age from, age to."""
Held = tuple[date, int | None]


def _newer(held: Held | None, day: date, value: int | None) -> bool:
    """Whether a value of ``day`` replaces the one held: a later Stichtag, then a value beside None, then the later."""
    return held is None or (day, value is not None) >= (held[0], held[1] is not None)


def _tally(figures: Iterable[Figure]) -> dict[int, _Year]:
    """The figures per year of Stichtag. Of a value given twice the later Stichtag's wins, then one that is not
    None, then the later one in ``figures``; Ortsteile are summed where the whole municipality has no value."""
    whole: dict[Key, Held] = {}
    parts: dict[Key, dict[str, Held]] = {}
    days: dict[int, date] = {}
    for f in figures:
        key: Key = (f.stichtag.year, f.measure, f.sex, f.age_from or 0, f.age_to)
        if f.ortsteil:
            held = parts.setdefault(key, {})
            if _newer(held.get(f.ortsteil), f.stichtag, f.value):
                held[f.ortsteil] = (f.stichtag, f.value)
        elif _newer(whole.get(key), f.stichtag, f.value):
            whole[key] = (f.stichtag, f.value)
        if f.measure == "population":
            days[f.stichtag.year] = max(days.get(f.stichtag.year, f.stichtag), f.stichtag)
    for key, by_ortsteil in parts.items():
        if key not in whole:
            values = [v for _, v in by_ortsteil.values()]
            total = None if None in values else sum(v for v in values if v is not None)
            whole[key] = (max(d for d, _ in by_ortsteil.values()), total)
    years: dict[int, _Year] = {}
    for (year, measure, sex, lo, hi), (day, value) in sorted(whole.items(), key=lambda item: item[0][0]):
        held_year = years.setdefault(year, _Year(days.get(year, day)))
        held_year.bands.setdefault((measure, sex), {}).setdefault(lo, {})[hi] = value
    return years


# -- indicators ----------------------------------------------------------------------------------------------

Value = float | None | _NoSplit
"""One year's value of an indicator: a number, None (an input has no value), NO_SPLIT (the bands do not fit)."""


def _indicators(years: Mapping[int, _Year], base: int | None = None) -> tuple[Indicator, ...]:
    """Every indicator of one region; the change counts from ``base`` where the series has that year."""
    people = {y: n for y, held in years.items() if isinstance(n := held.count("population", 0, None), int)}
    aged = any(held.ages() for held in years.values())
    top = max((t for held in years.values() if (t := held.top()) is not None), default=None)
    ages = NO_AGES if not aged else ""
    return (
        _series("population", years, lambda y, held: people.get(y, _status(held)), NO_POPULATION),
        _change(people, base),
        _series("natural_balance", years, _balance(people, "births", "deaths"), NO_EVENTS),
        _series("migration_balance", years, _balance(people, "moves_in", "moves_out"), NO_MOVES),
        _series("youth_ratio", years, _ratio(0, 20), ages or NOT_SPLIT),
        _series("old_age_ratio", years, _ratio(65, None), ages or NOT_SPLIT),
        _series("share_75", years, _share(people, 75), ages or NO_75),
        _series("share_80", years, _share(people, 80), ages or (TOP_75 if top == 75 else NO_80)),
        _series("median_age", years, lambda _, held: _median(held), ages or NO_SINGLE_YEARS),
    )


def _indicator_of(indicators: Sequence[Indicator], indicator_id: IndicatorId) -> Indicator:
    return next(i for i in indicators if i.id == indicator_id)


def _status(held: _Year) -> Value:
    """What a year has instead of a population: None (bands without value) or NO_SPLIT (no complete bands)."""
    return None if held.count("population", 0, None) is None else NO_SPLIT


def _series(
    indicator_id: IndicatorId,
    years: Mapping[int, _Year],
    value: Callable[[int, _Year], Value],
    missing: str = NO_DATA,
) -> Indicator:
    """The indicator's value for each year; where there is none at all, ``missing`` (NO_DATA where the bands fit
    in some year but a value was missing)."""
    found = {y: value(y, held) for y, held in years.items()}
    values = tuple((y, float(v)) for y, v in found.items() if isinstance(v, int | float))
    if values:
        return Indicator(indicator_id, values)
    return Indicator(indicator_id, (), NO_DATA if None in found.values() else missing)


def _change(people: Mapping[int, int], base: int | None) -> Indicator:
    """The cumulative change in % since the first year (``base`` where the series has it): the first year's is 0."""
    first = base if base in people else min(people, default=None)
    if first is None or not any(y > first for y in people) or people[first] <= 0:
        return Indicator("change", (), NO_SERIES if people else NO_POPULATION)
    return Indicator(
        "change", tuple((y, (n / people[first] - 1) * 100) for y, n in sorted(people.items()) if y >= first)
    )


def _balance(people: Mapping[int, int], plus: Measure, minus: Measure) -> Callable[[int, _Year], Value]:
    """(plus − minus) in the year per 1,000 people at the year's end."""

    def value(year: int, held: _Year) -> Value:
        gained, lost, total = held.count(plus, 0, None), held.count(minus, 0, None), people.get(year)
        if isinstance(gained, _NoSplit) or isinstance(lost, _NoSplit):
            return NO_SPLIT
        if gained is None or lost is None or not total:
            return None
        return (gained - lost) / total * 1000

    return value


def _ratio(lo: int, hi: int | None) -> Callable[[int, _Year], Value]:
    """People aged ``lo`` to under ``hi`` per 100 people aged 20 to 64."""

    def value(_: int, held: _Year) -> Value:
        part, working = held.count("population", lo, hi), held.count("population", 20, 65)
        return _quotient(part, working, 100)

    return value


def _share(people: Mapping[int, int], age: int) -> Callable[[int, _Year], Value]:
    """People aged ``age`` and older in % of the population."""

    def value(year: int, held: _Year) -> Value:
        return _quotient(held.count("population", age, None), people.get(year), 100)

    return value


def _quotient(part: Count, whole: Count, scale: int) -> Value:
    if isinstance(part, _NoSplit) or isinstance(whole, _NoSplit):
        return NO_SPLIT
    if part is None or not whole:
        return None
    return part / whole * scale


def _median(held: _Year) -> Value:
    """The median age from single years of age (see the module's docstring for the formula)."""
    single: list[int | None] = []
    while isinstance(n := held.band("population", len(single), len(single) + 1), int) or n is None:
        single.append(n)
    top = held.band("population", len(single), None)
    if not single or isinstance(top, _NoSplit):
        return NO_SPLIT
    if top is None or None in single:
        return None
    counts = [n for n in single if n is not None]
    half, below = (sum(counts) + top) / 2, 0
    for age, n in enumerate(counts):
        if n and below + n >= half:
            return age + (half - below) / n
        below += n
    return None  # the median lies in the open top band: not computed


# -- the age pyramid -----------------------------------------------------------------------------------------

PYRAMID_BANDS = 25
"""At most this many bands in a pyramid: finer ones (single years) are drawn in 5-year bands."""


def _pyramid(year: int, held: _Year) -> Pyramid | None:
    """Men and women per age band, in the finest bands both have complete (values for all) from 0 to an open
    top band; None where they have none."""
    cuts = sorted({lo for sex in ("m", "f") for lo in held.bands.get(("population", sex), {})})
    found = _walk(held, cuts)
    if found is not None and len(found) > PYRAMID_BANDS:
        top = found[-1][0][0]
        found = _walk(held, [c for c in cuts if c % 5 == 0 or c == top])
    if found is None or len(found) < 2:
        return None
    return Pyramid(year, tuple(b for b, _, _ in found), tuple(m for _, m, _ in found), tuple(f for _, _, f in found))


def _walk(held: _Year, cuts: Sequence[int]) -> list[tuple[tuple[int, int | None], int, int]] | None:
    """Bands from 0 to an open top, each ending at the first cut where men and women both have a count."""
    men, women = (held.bands.get(("population", sex), {}) for sex in ("m", "f"))
    found: list[tuple[tuple[int, int | None], int, int]] = []
    at: int | None = 0
    while at is not None:
        for end in [*(c for c in cuts if c > at), None]:
            m, f = _chain(men, at, end), _chain(women, at, end)
            if isinstance(m, int) and isinstance(f, int):
                found.append(((at, end), m, f))
                at = end
                break
        else:
            return None
    return found
