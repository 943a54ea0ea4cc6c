"""The official municipality directory (GV100AD, COG): import it, find a place by name, postcode or key."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from functools import cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    CompoundSelect,
    Integer,
    Select,
    String,
    and_,
    bindparam,
    case,
    column,
    func,
    literal,
    select,
    text,
    union_all,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import col

from storage.base import UnitBase
from storage.models import Place

BATCH = 5_000
"""Rows per bulk statement: large enough that 11,000 Gemeinden are a handful of round trips."""
MUNICIPAL = ("gemeinde", "commune")
"""The levels a lookup shows first: the places a strategy is made for."""
_COUNTRIES = text(
    "WITH RECURSIVE c(country) AS (SELECT min(country) FROM place UNION ALL "
    "SELECT (SELECT min(country) FROM place WHERE country > c.country) FROM c WHERE c.country IS NOT NULL) "
    "SELECT country FROM c WHERE country IS NOT NULL"
)
"""The countries in the directory, one index step each (a loose index scan; DISTINCT would read every row)."""
_COLUMNS = tuple(Place.model_fields)


class Places(UnitBase):
    """Mixed into the unit of work: the directory's places (table ``place``)."""

    def put_places(self, rows: Sequence[dict[str, Any]]) -> int:
        """Insert or update places by (country, key), in bulk; each dict holds the columns of ``Place``.
        Importing the same rows again leaves the table as it was. Returns how many rows were written."""
        if not rows:
            return 0
        table = Place.__table__  # type: ignore[attr-defined]
        insert = postgresql.insert(table) if self.dialect == "postgresql" else sqlite.insert(table)
        keys = {"country", "key"}
        upsert = insert.on_conflict_do_update(
            index_elements=sorted(keys),
            set_={c.name: insert.excluded[c.name] for c in table.columns if c.name not in keys},
        )
        columns = [c.name for c in table.columns]
        for start in range(0, len(rows), BATCH):
            self.conn.execute(upsert, [{c: row.get(c) for c in columns} for row in rows[start : start + BATCH]])
        return len(rows)

    def find_places(self, folded: str, country: str | None, limit: int) -> list[Place]:
        """Places whose folded name starts with ``folded``, or whose postcode or key is it (a key compared in
        capitals: ``2a004`` finds ``2A004``); in ``country`` or in any. Exact postcode and key matches first,
        then Gemeinden and communes before other levels, a name that is ``folded`` exactly before longer ones,
        the most populous first. One statement: the name is a range on the (country, folded) index, compared
        byte by byte (on PostgreSQL through its text_pattern_ops operators), so no collation changes what
        matches; postcode and key have their own indexes."""
        if not folded or limit < 1:
            return []
        countries = [country] if country else list(self.conn.execute(_COUNTRIES).scalars())
        if not countries:
            return []
        above = folded[:-1] + chr(ord(folded[-1]) + 1)
        found = self.conn.execute(
            _finding(self.dialect),
            {"countries": countries, "q": folded, "above": above, "key": folded.upper(), "limit": limit},
        )
        places: dict[tuple[str, str], Place] = {}
        for row in found.mappings():
            if (row["country"], row["key"]) not in places:
                places[row["country"], row["key"]] = Place(**{c: row[c] for c in _COLUMNS})
        return list(places.values())

    def place_of(self, country: str, key: str) -> Place | None:
        row = self.conn.execute(select(Place).where(col(Place.country) == country, col(Place.key) == key)).mappings()
        found = row.first()
        return Place(**found) if found else None

    def has_places(self, country: str | None = None) -> bool:
        """Whether any directory (of ``country``) was imported: one index step, however large the directory."""
        query = select(col(Place.key))
        if country is not None:
            query = query.where(col(Place.country) == country)
        return self.conn.execute(query.limit(1)).first() is not None

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


@cache
def _finding(dialect: str) -> CompoundSelect:
    """The lookup statement of ``find_places`` for a dialect, built once (its parameters bound per call): exact
    postcode and key matches, then name matches, each leg on its own index (with an OR of them, SQLite reads
    the country's whole primary key instead)."""
    folded, q = col(Place.folded), bindparam("q", type_=String)
    if dialect == "postgresql":  # text_pattern_ops: the index's byte order
        starting = and_(folded.op("~>=~")(q), folded.op("~<~")(bindparam("above", type_=String)))
    else:
        starting = and_(folded >= q, folded < bindparam("above", type_=String))
    in_countries = col(Place.country).in_(bindparam("countries", expanding=True, type_=String))

    def leg(rank: int, where: ColumnElement[bool]) -> Select[Any]:
        return select(
            *Place.__table__.columns,  # type: ignore[attr-defined]
            literal(rank).label("exact"),
            case((col(Place.level).in_(MUNICIPAL), 0), else_=1).label("municipal"),
            case((folded == q, 0), else_=1).label("whole"),
        ).where(in_countries, where)

    return (
        union_all(
            leg(0, col(Place.postcode) == q), leg(0, col(Place.key) == bindparam("key", type_=String)), leg(1, starting)
        )
        .order_by(
            column("exact"),
            column("municipal"),
            column("whole"),
            column("population").desc().nulls_last(),
            column("name"),
            column("key"),
        )
        .limit(bindparam("limit", type_=Integer))
    )
