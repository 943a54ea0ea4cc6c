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
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

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
    those in that country. Every candidate is scored; only those shown get their reasons."""
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
