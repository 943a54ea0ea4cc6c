"""An in-memory stand-in for the stored directory and statistics (the ``Registry`` port), for pure engine tests."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from flows.reading import fold
from flows.statistics.model import Country, Figure, Place
from tests.flows.statistics.grabow import GRABOW, KREIS, LAND, OTHER

AJACCIO = Place("fr", "2A004", "commune", "Ajaccio", kreis="2A", land="REG-94", kind="COM")
PLACES = (GRABOW, KREIS, LAND, OTHER, AJACCIO)


@dataclass
class MemoryRegistry:
    """Places and figures held in lists; ``own`` are the figures each workspace imported itself."""

    places: Sequence[Place] = PLACES
    common: list[Figure] = field(default_factory=list)
    own: dict[int, list[Figure]] = field(default_factory=dict)

    def find(self, query: str, country: Country | None = None, limit: int = 8) -> list[Place]:
        folded = fold(query)
        return [
            p
            for p in self.places
            if (country is None or p.country == country) and (fold(p.name).startswith(folded) or p.key == query)
        ][:limit]

    def place(self, key: str, country: Country = "de") -> Place | None:
        return next((p for p in self.places if p.key == key and p.country == country), None)

    def has_places(self) -> bool:
        return bool(self.places)

    def figures(self, keys: Sequence[str], country: Country = "de", workspace_id: int | None = None) -> list[Figure]:
        def mine(figures: Iterable[Figure]) -> list[Figure]:
            return [f for f in figures if f.region in keys and f.country == country]

        by_key = {_identity(f): f for f in mine(self.common)}
        by_key.update((_identity(f), f) for f in mine(self.own.get(workspace_id or 0, [])))
        return list(by_key.values())


def _identity(f: Figure) -> tuple[object, ...]:
    return (f.country, f.region, f.source, f.measure, f.stichtag, f.sex, f.age_from, f.age_to, f.ortsteil)
