"""The official municipality directory (GV100AD, COG): import it, find a place by name, postcode or key."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import func, select
from sqlmodel import col

from storage.base import UnitBase
from storage.models import Place


class Places(UnitBase):
    """Mixed into the unit of work: the directory's places (table ``place``)."""

    def place_counts(self) -> list[tuple[str, str, date | None, int]]:
        """How many places the directory holds, by country, level and Gebietsstand (territorial status)."""
        query = (
            select(col(Place.country), col(Place.level), col(Place.stand), func.count())
            .group_by(col(Place.country), col(Place.level), col(Place.stand))
            .order_by(col(Place.country), col(Place.level), col(Place.stand))
        )
        return [(country, level, stand, int(n)) for country, level, stand, n in self.conn.execute(query)]

    def known_keys(self, country: str, keys: Sequence[str]) -> set[str]:
        """Those of ``keys`` that are a place of the country's directory (at any level)."""
        known: set[str] = set()
        wanted = sorted(set(keys))
        for start in range(0, len(wanted), 1000):
            chunk = wanted[start : start + 1000]
            query = select(col(Place.key)).where(col(Place.country) == country, col(Place.key).in_(chunk))
            known.update(self.conn.execute(query).scalars())
        return known
