"""The municipality directory between the engine and storage: flows' places in, stored rows out, and back."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from flows.statistics.directory import folded_name
from flows.statistics.model import Country, Level, Place
from storage import models
from storage.store import Unit


def store_places(unit: Unit, places: Sequence[Place]) -> int:
    """Insert or update every place by (country, key); how many were written. The same file twice leaves the
    directory as the first import did."""
    return unit.put_places([_row(p) for p in places])


def find(unit: Unit, query: str, country: Country | None = None, limit: int = 8) -> list[Place]:
    """Places whose name starts with ``query`` (any case, with or without umlauts and accents, without the
    directory's ", Stadt"), whose postcode or official key it is; Gemeinden and communes first, the most
    populous first."""
    return [_place(row) for row in unit.find_places(folded_name(query), country, limit)]


def place(unit: Unit, key: str, country: Country = "de") -> Place | None:
    """The place with this official key (AGS, INSEE code, a Kreis's or département's key …), None if unknown."""
    row = unit.place_of(country, key.strip().upper())
    return _place(row) if row is not None else None


def _row(place: Place) -> dict[str, Any]:
    return {
        "country": place.country,
        "key": place.key,
        "level": place.level,
        "name": place.name,
        "folded": folded_name(place.name),
        "kreis": place.kreis,
        "land": place.land,
        "kind": place.kind,
        "postcode": place.postcode,
        "population": place.population,
        "stand": place.stand,
    }


def _place(row: models.Place) -> Place:
    return Place(
        country=cast(Country, row.country),
        key=row.key,
        level=cast(Level, row.level),
        name=row.name,
        kreis=row.kreis,
        land=row.land,
        kind=row.kind,
        postcode=row.postcode,
        population=row.population,
        stand=row.stand,
    )
