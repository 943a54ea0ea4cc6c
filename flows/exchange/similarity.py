"""How alike two municipalities of the exchange are: a documented score from 0 to 1, and the reasons, best first.

    score = 0.20 size + 0.25 fields + 0.10 stage + 0.25 fit + 0.15 distance + 0.05 kind   (+ 1 for a twin town)

- size: the same size class 1, the next class up or down 0.5, else 0;
- fields: the Jaccard index of their priority fields of action (shared / all named by either);
- stage: the same DAKS stage 1, one stage apart 0.5, else 0;
- fit: half how much of what I seek they offer, half how much of what they seek I offer (each a share, 0 when
  nothing is sought);
- distance: the same Kreis or département 1, the same Land or région 0.7, a neighbouring one 0.4 (across the
  border too: Saarland, Rheinland-Pfalz and Baden-Württemberg border Grand Est; the ``neighbours`` of
  content/model_municipalities.yaml), the same country 0.2, else 0;
- kind: the same kind (Stadt, Gemeinde, commune, EPCI …) 1, else 0.

A partner town (either side named the other, names compared folded) adds 1, which puts it first ("your partner
town" is said only to the side that named it). Two municipalities without a shared language never match. A list
holds 3 to 5 (fewer only when fewer exist): the fourth and fifth only when they score at least ``ENOUGH``; with no
filter it holds the best of each country that has one.

Many candidates are matched as a :class:`Pool`: packed once into arrays, it scores all of them at a time and hands
on only those that can be shown (the best five, and the best of each country, within a margin far above rounding),
which are then scored one by one as above: the same list as scoring every candidate alone, in well under a
millisecond for 10,000.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import cast, overload

import numpy as np

from flows.content.content import Content
from flows.exchange.model import Match, Profile, Reason
from flows.exchange.shown import SIZE_STEP
from flows.statistics.directory import folded_name
from flows.statistics.model import Country

WEIGHTS: Mapping[str, float] = {
    "size": 0.20,
    "fields": 0.25,
    "stage": 0.10,
    "fit": 0.25,
    "distance": 0.15,
    "kind": 0.05,
}
TWIN_BONUS = 1.0
DISTANCE: Mapping[str, float] = {"kreis": 1.0, "region": 0.7, "neighbour": 0.4, "country": 0.2}
LEAST, MOST = 3, 5
ENOUGH = 0.25
"""The score a fourth or fifth municipality needs to be shown."""


@dataclass(frozen=True)
class Yardstick:
    """What the similarity measures against: the size classes and DAKS stages in order, and neighbouring regions."""

    sizes: tuple[str, ...]
    stages: tuple[str, ...]
    neighbours: Mapping[str, frozenset[str]]

    @classmethod
    def of(cls, content: Content) -> Yardstick:
        sizes = (
            tuple(o.id for o in getattr(content.step(SIZE_STEP), "options", ())) if SIZE_STEP in content.steps else ()
        )
        directory = content.model_municipalities
        neighbours = {r: frozenset(near) for r, near in directory.neighbours.items()} if directory is not None else {}
        return cls(sizes, tuple(s.id for s in content.daks_stages), neighbours)


def parts(me: Profile, them: Profile, y: Yardstick) -> dict[str, float]:
    """Each part of the score, from 0 to 1 (see the module's documentation)."""
    mine, theirs = me.facts, them.facts
    return {
        "size": _closeness(y.sizes, mine.size, theirs.size),
        "fields": _jaccard(mine.fields, theirs.fields),
        "stage": _closeness(y.stages, mine.stage, theirs.stage),
        "fit": (_share(me.seeks, them.offers) + _share(them.seeks, me.offers)) / 2,
        "distance": DISTANCE.get(nearness(me, them, y), 0.0),
        "kind": 1.0 if mine.kind and mine.kind == theirs.kind else 0.0,
    }


def nearness(me: Profile, them: Profile, y: Yardstick) -> str:
    """How near they are: "kreis", "region", "neighbour", "country" or ""."""
    mine, theirs = me.facts, them.facts
    if mine.kreis and mine.kreis == theirs.kreis and mine.country == theirs.country:
        return "kreis"
    if mine.region and mine.region == theirs.region:
        return "region"
    if mine.region and theirs.region in y.neighbours.get(mine.region, frozenset()):
        return "neighbour"
    return "country" if mine.country == theirs.country else ""


def twins(me: Profile, them: Profile) -> bool:
    """Either named the other as its partner town (Städtepartnerschaft, jumelage)."""
    return _named(me, them) or _named(them, me)


def _named(profile: Profile, other: Profile) -> bool:
    """``profile`` named ``other`` as its partner town."""
    town = profile.twin_town.strip()
    return bool(town and other.facts.name) and folded_name(town) == folded_name(other.facts.name)


def shared_languages(me: Profile, them: Profile) -> tuple[str, ...]:
    return tuple(x for x in me.languages if x in them.languages)


def score(me: Profile, them: Profile, y: Yardstick) -> float | None:
    """The similarity of ``them`` to ``me``; None without a shared language."""
    if not any(x in them.languages for x in me.languages):
        return None
    found = parts(me, them, y)
    total = sum(WEIGHTS[k] * v for k, v in found.items()) + (TWIN_BONUS if twins(me, them) else 0.0)
    return round(total, 6)


def match(me: Profile, them: Profile, y: Yardstick) -> Match | None:
    """``them`` as a match for ``me``: the score and its reasons; None without a shared language."""
    found = score(me, them, y)
    if found is None:
        return None
    return Match(them, found, _reasons(me, them, y, parts(me, them, y), shared_languages(me, them)))


def _reasons(
    me: Profile, them: Profile, y: Yardstick, found: Mapping[str, float], languages: tuple[str, ...]
) -> tuple[Reason, ...]:
    """What the two share, the weightiest first; a plan and a language to talk in come last. "Your partner town"
    only where ``me`` named it: that the other named ``me`` would tell who they are."""
    mine, theirs = me.facts, them.facts
    weighed: list[tuple[float, Reason]] = []
    if _named(me, them):
        weighed.append((TWIN_BONUS, Reason("twin")))
    if mine.size and mine.size == theirs.size:
        weighed.append((WEIGHTS["size"], Reason("size", (theirs.size,))))
    common = tuple(f for f in mine.fields if f in theirs.fields)
    if common:
        weighed.append((WEIGHTS["fields"] * found["fields"], Reason("fields", common)))
    offered = tuple(f for f in me.seeks if f in them.offers)
    if offered:
        weighed.append((WEIGHTS["fit"] * _share(me.seeks, them.offers) / 2, Reason("offers", offered)))
    sought = tuple(f for f in me.offers if f in them.seeks)
    if sought:
        weighed.append((WEIGHTS["fit"] * _share(them.seeks, me.offers) / 2, Reason("seeks", sought)))
    near = nearness(me, them, y)
    if near in ("kreis", "region", "neighbour"):
        weighed.append((WEIGHTS["distance"] * found["distance"], Reason("near", (near,))))
    if mine.stage and mine.stage == theirs.stage:
        weighed.append((WEIGHTS["stage"], Reason("stage", (theirs.stage,))))
    if mine.kind and mine.kind == theirs.kind:
        weighed.append((WEIGHTS["kind"], Reason("kind", (theirs.kind,))))
    weighed.sort(key=lambda x: -x[0])  # stable: equal weights keep the order above
    reasons = [r for _, r in weighed]
    if theirs.has_plan:
        reasons.append(Reason("plan"))
    if mine.country != theirs.country:
        reasons.append(Reason("language", languages))
    return tuple(reasons)


def matches(me: Profile, candidates: Iterable[Profile], y: Yardstick, country: Country | None = None) -> list[Match]:
    """The municipalities most like ``me``, best first (see the module's documentation); ``country`` keeps only
    those in that country. Every candidate is scored (a :class:`Pool` first leaves out those that cannot be shown);
    only those shown get their reasons."""
    if isinstance(candidates, Pool):
        candidates = candidates.contenders(me, y, country)
    scored = [
        (found, c)
        for c in candidates
        if c.workspace_id != me.workspace_id and (country is None or c.facts.country == country)
        for found in [score(me, c, y)]
        if found is not None
    ]
    scored.sort(key=lambda x: (-x[0], x[1].workspace_id))
    shown = [c for i, (found, c) in enumerate(scored[:MOST]) if i < LEAST or found >= ENOUGH]
    if country is None:
        shown = _both_countries(shown, [c for _, c in scored])
    return sorted(
        (m for m in (match(me, c, y) for c in shown) if m is not None),
        key=lambda m: (-m.score, m.profile.workspace_id),
    )


def _both_countries(shown: list[Profile], found: Sequence[Profile]) -> list[Profile]:
    """The list with the best of each country that has a match, in place of the weakest where it is full."""
    for country in ("de", "fr"):
        if any(p.facts.country == country for p in shown):
            continue
        best = next((p for p in found if p.facts.country == country), None)
        if best is not None:
            shown = [*shown[: MOST - 1], best] if len(shown) >= MOST else [*shown, best]
    return shown


def _closeness(order: Sequence[str], a: str, b: str) -> float:
    """1 for the same step of ``order``, 0.5 for neighbouring steps, else 0 (also when either is unknown)."""
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    if a in order and b in order and abs(order.index(a) - order.index(b)) == 1:
        return 0.5
    return 0.0


def _jaccard(a: Iterable[str], b: Iterable[str]) -> float:
    left, right = set(a), set(b)
    return len(left & right) / len(left | right) if left | right else 0.0


def _share(sought: Iterable[str], offered: Iterable[str]) -> float:
    """How much of ``sought`` is ``offered`` (0 when nothing is sought)."""
    wanted = set(sought)
    return len(wanted & set(offered)) / len(wanted) if wanted else 0.0


MARGIN = 1e-5
"""How far below the fifth best (or a country's best) a pool's estimate may be and still be scored exactly: more
than rounding to six places (5e-7) and the arrays' float error (1e-15) can move a score."""


class Pool(Sequence[Profile]):
    """Candidates packed once for matching many at a time: their parts as arrays (options as codes, fields of
    action, offers, seeks and languages as 0/1 columns), so that one match scores all of them with a few array
    operations. Read-only; a sequence of its profiles."""

    def __init__(self, profiles: Iterable[Profile]):
        self.profiles = tuple(profiles)
        n = len(self.profiles)
        facts = [p.facts for p in self.profiles]
        self.ids = np.fromiter((p.workspace_id for p in self.profiles), np.int64, n)
        self.countries = _Codes([f.country for f in facts])
        self.sizes = _Codes([f.size for f in facts])
        self.stages = _Codes([f.stage for f in facts])
        self.kinds = _Codes([f.kind for f in facts])
        self.regions = _Codes([f.region for f in facts])
        self.kreise = _Codes([f"{f.country} {f.kreis}" if f.kreis else None for f in facts])
        self.fields = _Columns([f.fields for f in facts])
        self.offers = _Columns([p.offers for p in self.profiles])
        self.seeks = _Columns([p.seeks for p in self.profiles])
        self.languages = _Columns([p.languages for p in self.profiles])
        self.twin_towns = _Codes(
            [folded_name(p.twin_town.strip()) if p.twin_town.strip() else None for p in self.profiles]
        )

    @cached_property
    def names(self) -> _Codes:
        """Their names folded (read only for someone who named a partner town)."""
        return _Codes([folded_name(p.facts.name) if p.facts.name else None for p in self.profiles])

    def __len__(self) -> int:
        return len(self.profiles)

    @overload
    def __getitem__(self, i: int) -> Profile: ...
    @overload
    def __getitem__(self, i: slice) -> Sequence[Profile]: ...
    def __getitem__(self, i: int | slice) -> Profile | Sequence[Profile]:
        return self.profiles[i]

    def __iter__(self) -> Iterator[Profile]:
        return iter(self.profiles)

    def estimates(self, me: Profile, y: Yardstick) -> np.ndarray:
        """Every candidate's score for ``me`` as :func:`score` adds it up (-1 without a shared language)."""
        mine = me.facts
        total = self.sizes.lookup(lambda v: WEIGHTS["size"] * _closeness(y.sizes, mine.size, v))
        wanted = set(mine.fields)
        shared = self.fields.shared(wanted)
        union = len(wanted) + self.fields.counts - shared
        total = total + WEIGHTS["fields"] * np.divide(shared, union, out=np.zeros(len(self)), where=union > 0)
        total = total + self.stages.lookup(lambda v: WEIGHTS["stage"] * _closeness(y.stages, mine.stage, v))
        sought = set(me.seeks)
        offered = self.offers.shared(sought) / len(sought) if sought else np.zeros(len(self))
        counts = self.seeks.counts
        asked = np.divide(self.seeks.shared(set(me.offers)), counts, out=np.zeros(len(self)), where=counts > 0)
        total = total + WEIGHTS["fit"] * (offered + asked) / 2
        total = total + WEIGHTS["distance"] * self._distances(me, y)
        total = total + self.kinds.lookup(lambda v: WEIGHTS["kind"] * float(bool(mine.kind) and v == mine.kind))
        total = total + TWIN_BONUS * self._twins(me)
        return np.where(self.languages.shared(set(me.languages)) > 0, total, -1.0)

    def contenders(self, me: Profile, y: Yardstick, country: Country | None = None) -> list[Profile]:
        """The candidates that can be in ``me``'s list (see :func:`matches`): the best five and, without a
        filter, each country's best, each with all that come within ``MARGIN`` of it."""
        found = self.estimates(me, y)
        eligible = (found >= 0) & (self.ids != me.workspace_id)
        if country is not None:
            eligible &= self.countries.codes == self.countries.code(country)
        kept = _best(found, eligible, MOST)
        if country is None:
            for c in ("de", "fr"):
                kept |= _best(found, eligible & (self.countries.codes == self.countries.code(c)), 1)
        return [self.profiles[i] for i in np.flatnonzero(kept)]

    def _distances(self, me: Profile, y: Yardstick) -> np.ndarray:
        """:func:`nearness` as its ``DISTANCE`` for every candidate."""
        mine = me.facts
        near = y.neighbours.get(mine.region, frozenset())
        regions = (
            self.regions.lookup(
                lambda v: DISTANCE["region"] if v == mine.region else DISTANCE["neighbour"] if v in near else 0.0
            )
            if mine.region
            else np.zeros(len(self))
        )
        country = np.where(self.countries.codes == self.countries.code(mine.country), DISTANCE["country"], 0.0)
        found = np.where(regions > 0, regions, country)
        if mine.kreis:
            found = np.where(self.kreise.codes == self.kreise.code(f"{mine.country} {mine.kreis}"), 1.0, found)
        return found

    def _twins(self, me: Profile) -> np.ndarray:
        """:func:`twins` for every candidate, as 1 or 0."""
        found = np.zeros(len(self), dtype=bool)
        town = me.twin_town.strip()
        if town:
            found |= self.names.codes == self.names.code(folded_name(town))
        if me.facts.name:
            found |= self.twin_towns.codes == self.twin_towns.code(folded_name(me.facts.name))
        return found.astype(float)


class _Codes:
    """One value per candidate as a code into its distinct values; None (no value) never equals anything."""

    def __init__(self, values: Sequence[str | None]):
        distinct: dict[str | None, int] = {}
        self.codes = np.fromiter((distinct.setdefault(v, len(distinct)) for v in values), np.int64, len(values))
        self.size = len(distinct)
        distinct.pop(None, None)
        self.values: dict[str, int] = cast(dict[str, int], distinct)

    def code(self, value: str | None) -> int:
        return self.values.get(value, -1) if value is not None else -1

    def lookup(self, part: Callable[[str], float]) -> np.ndarray:
        """``part`` of every candidate's value (0 for none), worked out once per distinct value."""
        table = np.zeros(self.size)
        for value, code in self.values.items():
            table[code] = part(value)
        return table[self.codes]


class _Columns:
    """Sets of ids, one per candidate, as 0/1 columns (one per distinct id) and how many each holds."""

    def __init__(self, sets: Sequence[Iterable[str]]):
        self.ids: dict[str, int] = {}
        rows, columns = [], []
        for i, s in enumerate(sets):
            for x in s:
                rows.append(i)
                columns.append(self.ids.setdefault(x, len(self.ids)))
        self.matrix = np.zeros((len(sets), len(self.ids)))
        self.matrix[rows, columns] = 1.0
        self.counts = self.matrix.sum(axis=1)

    def shared(self, wanted: set[str]) -> np.ndarray:
        """How many of ``wanted`` each candidate's set holds."""
        picked = [self.ids[x] for x in wanted if x in self.ids]
        return self.matrix[:, picked].sum(axis=1) if picked else np.zeros(len(self.matrix))


def _best(found: np.ndarray, eligible: np.ndarray, k: int) -> np.ndarray:
    """Those ``eligible`` within ``MARGIN`` of the ``k``-th best of them (all of them when there are no more)."""
    n = int(eligible.sum())
    if n <= k:
        return eligible.copy()
    kth = np.partition(found[eligible], n - k)[n - k]
    return eligible & (found >= kth - MARGIN)
