"""The stored directory and statistics as the engine reaches them, in memory: a test double of the port
:class:`flows.statistics.model.Registry`, holding Grabow with its Kreis and Land (the figures of
tests/flows/statistics/grabow.py) and Ajaccio with its département and région."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from flows.statistics.model import Country, Figure, Place
from tests.flows.statistics import grabow

AJACCIO = Place("fr", "2A004", "commune", "Ajaccio", kreis="2A", land="94", kind="COM")
CORSE_DU_SUD = Place("fr", "2A", "departement", "Corse-du-Sud", kreis="2A", land="94")
CORSE = Place("fr", "94", "region", "Corse", land="94")
PLACES = (grabow.GRABOW, grabow.KREIS, grabow.LAND, grabow.OTHER, AJACCIO, CORSE_DU_SUD, CORSE)

PICKED_GRABOW = {"name": "Grabow", "key": grabow.GRABOW.key, "country": "de"}
PICKED_AJACCIO = {"name": "Ajaccio", "key": AJACCIO.key, "country": "fr"}
"""The answer to the onboarding's question for the municipality when it was picked in the directory."""


@dataclass
class Shelf:
    """The directory and the figures; ``asked`` records each figures() call (keys, country, workspace)."""

    places: Sequence[Place] = PLACES
    held: list[Figure] = field(default_factory=list)
    asked: list[tuple[tuple[str, ...], Country, int | None]] = field(default_factory=list)

    def find(self, query: str, country: Country | None = None, limit: int = 8) -> list[Place]:
        folded = query.casefold()
        found = [p for p in self.places if p.name.casefold().startswith(folded) and country in (None, p.country)]
        return found[:limit]

    def place(self, key: str, country: Country = "de") -> Place | None:
        return next((p for p in self.places if p.key == key and p.country == country), None)

    def figures(self, keys: Sequence[str], country: Country = "de", workspace_id: int | None = None) -> list[Figure]:
        self.asked.append((tuple(keys), country, workspace_id))
        return [f for f in self.held if f.region in keys and f.country == country]


def with_grabow() -> Shelf:
    """Grabow, Ludwigslust-Parchim and Mecklenburg-Vorpommern with their official figures 2019–2023."""
    return Shelf(held=[*grabow.grabow(), *grabow.kreis(), *grabow.land()])


def with_ajaccio() -> Shelf:
    """Ajaccio's population on 1 January 2019 to 2021 as official figures (made up for the tests)."""
    return Shelf(
        held=[
            Figure(AJACCIO.key, "population", date(year, 1, 1), n, table="populations-legales", country="fr")
            for year, n in ((2019, 70800), (2020, 71300), (2021, 71900))
        ]
    )
