"""An in-memory stand-in for the stored directory and statistics (the ``Registry`` port), for pure engine tests."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from flows.reading import fold
from flows.statistics.model import Country, Figure, Place

GRABOW = Place("de", "13076052", "gemeinde", "Grabow, Stadt", kreis="13076", land="13", postcode="19300")
LUDWIGSLUST_PARCHIM = Place("de", "13076", "kreis", "Ludwigslust-Parchim", kreis="13076", land="13")
MECKLENBURG_VORPOMMERN = Place("de", "13", "land", "Mecklenburg-Vorpommern", land="13")
AJACCIO = Place("fr", "2A004", "commune", "Ajaccio", kreis="2A", land="94")
PLACES = (GRABOW, LUDWIGSLUST_PARCHIM, MECKLENBURG_VORPOMMERN, AJACCIO)


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

    def figures(self, keys: Sequence[str], country: Country = "de", workspace_id: int | None = None) -> list[Figure]:
        def mine(figures: Iterable[Figure]) -> list[Figure]:
            return [f for f in figures if f.region in keys and f.country == country]

        by_key = {_identity(f): f for f in mine(self.common)}
        by_key.update((_identity(f), f) for f in mine(self.own.get(workspace_id or 0, [])))
        return list(by_key.values())


def _identity(f: Figure) -> tuple[object, ...]:
    return (f.country, f.region, f.source, f.measure, f.stichtag, f.sex, f.age_from, f.age_to, f.ortsteil)


BANDS = ((0, 20), (20, 65), (65, 75), (75, None))
"""Age bands that split where the ratios need them (20, 65) and end at 75 and over."""


def population(region: str, year: int, bands: Sequence[int], source: str = "official") -> list[Figure]:
    """One region's population on 31 Dec ``year`` by sex and age band (``bands``: men and women alike per band)."""
    day = date(year, 12, 31)
    table = "12411-02-03-5" if source == "official" else "register"
    return [
        Figure(region, "population", day, count, sex, low, high, source=source, table=table)  # type: ignore[arg-type]
        for (low, high), count in zip(BANDS, bands, strict=True)
        for sex in ("m", "f")
    ]
