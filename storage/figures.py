"""Imported statistics files (``dataset``) and their values (``figure``), for everybody or for one workspace.

A file is stored once per scope (0: for everybody; else the workspace's id), known by its SHA-256: storing it
again changes nothing. Its figures are upserted by their unique key (scope, country, region, source, measure,
Stichtag, sex, age band, Ortsteil): the file imported last replaces an earlier file's value, table code and
dataset, except that "no data" (NULL) never erases a value an earlier file had. Figures are written in chunks by
INSERT … ON CONFLICT DO UPDATE, never as ORM objects: on SQLite an executemany on the driver's cursor, on
PostgreSQL a binary COPY of the chunk into a temporary table, then one upsert from it (see ``_STAGE``). For a
Land's file (~0.5 M figures) the time goes into the databases' own work on the unique index, hardly into Python or
the driver. ``figure.dataset_id`` is no foreign key (a check per row doubled the time of a Land's import); a
workspace's figures go with it through ``figure.workspace_id``, which is NULL, so unchecked, for the figures
imported for everybody.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.util import await_only
from sqlmodel import col

from storage.base import UnitBase, stored_id
from storage.models import Dataset, Figure, table_of, utcnow

KEY = ("scope", "country", "region", "source", "measure", "stichtag", "sex", "age", "ortsteil")
"""A figure's unique key (``uq_figure``)."""
CHUNK = 5_000
"""Figures per statement (PostgreSQL) or executemany (SQLite): bounds the memory of the parameters."""
_FIELDS = ("country", "region", "source", "measure", "stichtag", "sex", "age", "ortsteil", "value", "table_code")
"""What each row gives; ``dataset_id``, ``workspace_id`` and ``scope`` are the file's."""
_COLUMNS = ", ".join(("dataset_id", "workspace_id", "scope", *_FIELDS))
_UPDATE = (
    f"ON CONFLICT ({', '.join(KEY)}) DO UPDATE SET value = excluded.value, table_code = excluded.table_code, "
    "dataset_id = excluded.dataset_id WHERE excluded.value IS NOT NULL OR figure.value IS NULL"
)
_SQLITE = f"INSERT INTO figure ({_COLUMNS}) VALUES ({', '.join('?' * (len(_FIELDS) + 3))}) {_UPDATE}"
"""SQLite: one row per execution of an executemany on the driver's cursor (its loop runs in C)."""
_COPIED = ("dataset_id", "workspace_id", "scope", *_FIELDS)
_STAGE = (
    "CREATE TEMPORARY TABLE IF NOT EXISTS figure_in (dataset_id integer, workspace_id integer, scope integer, "
    "country varchar(2), region varchar(12), source varchar(16), measure varchar(16), stichtag date, sex varchar(1), "
    "age varchar(8), ortsteil varchar(120), value bigint, table_code varchar(32)) ON COMMIT DROP"
)
"""PostgreSQL: each chunk is copied (binary COPY through asyncpg) into this temporary table, then upserted from it
in one statement: a key may occur only once in one statement, so a chunk is made unique first (the last row of a
key wins)."""
_FROM_STAGE = f"INSERT INTO figure ({_COLUMNS}) SELECT {_COLUMNS} FROM figure_in {_UPDATE}"


class Figures(UnitBase):
    """Mixed into the unit of work: store a file's figures once, read a region's figures."""

    def dataset_of(self, scope: int, sha256: str) -> Dataset | None:
        """The file with this SHA-256 as imported for ``scope`` (0: for everybody), if it was."""
        row = (
            self.conn.execute(select(Dataset).where(col(Dataset.scope) == scope, col(Dataset.sha256) == sha256))
            .mappings()
            .first()
        )
        return Dataset(**row) if row else None

    def put_figures(self, dataset: dict[str, Any], rows: Sequence[dict[str, Any]]) -> tuple[int, bool]:
        """Store a file (``dataset``: Dataset columns, ``sha256`` and ``scope`` among them) and its figures
        (``rows``: the Figure columns of ``KEY`` without ``scope``, and ``value`` and ``table_code``).

        Returns the dataset's id and whether it is new; a file already imported for the scope stores nothing.
        Two rows of ``rows`` with one key: the last one counts."""
        scope = int(dataset.get("scope") or 0)
        found = self.dataset_of(scope, dataset["sha256"])
        if found is not None:
            return stored_id(found.id), False
        values = {
            **dataset,
            "scope": scope,
            "figures": len(rows),
            "imported_at": dataset.get("imported_at") or utcnow(),
        }
        ins = postgresql.insert if self.dialect == "postgresql" else sqlite.insert
        claimed = self.conn.execute(
            ins(Dataset)
            .values(**values)
            .on_conflict_do_nothing(index_elements=["scope", "sha256"])
            .returning(col(Dataset.id))
        ).scalar()
        if claimed is None:  # another writer stored the same file a moment ago
            again = self.dataset_of(scope, dataset["sha256"])
            assert again is not None
            return stored_id(again.id), False
        self._staged = False
        for chunk in _chunks(rows, CHUNK):
            self._upsert(chunk, scope, claimed)
        return claimed, True

    def _upsert(self, rows: Sequence[dict[str, Any]], scope: int, dataset_id: int) -> None:
        workspace_id = scope or None
        if self.dialect == "sqlite":
            params = [
                (dataset_id, workspace_id, scope, *(row[name] for name in _FIELDS[:4]), row["stichtag"].isoformat())
                + tuple(row[name] for name in _FIELDS[5:])
                for row in rows
            ]
            self.conn.exec_driver_sql(_SQLITE, params)
            return
        unique = {tuple(row[k] for k in KEY[1:]): row for row in rows}  # the last row of a key wins
        records = [(dataset_id, workspace_id, scope, *(row[name] for name in _FIELDS)) for row in unique.values()]
        driver = self.conn.connection.driver_connection  # asyncpg, under SQLAlchemy's greenlet
        assert driver is not None
        if not self._staged:
            self.conn.exec_driver_sql(_STAGE)
            self._staged = True
        else:
            self.conn.exec_driver_sql("TRUNCATE figure_in")
        await_only(driver.copy_records_to_table("figure_in", records=records, columns=_COPIED))
        self.conn.exec_driver_sql(_FROM_STAGE)

    def figures_of(self, country: str, regions: Sequence[str], scope: int) -> list[Figure]:
        """The figures of these regions imported for everybody, and for ``scope`` too when it is a workspace.

        Both may hold a figure with one key (all of ``KEY`` but the scope): the workspace's wins. That choice is
        made here, in Python, on the rows read in scope order (simpler than a window query on both dialects, and
        a few regions' figures are a few thousand rows)."""
        if not regions:
            return []
        scopes = sorted({0, scope})
        query = (
            select(Figure)
            .where(col(Figure.country) == country, col(Figure.region).in_(list(regions)), col(Figure.scope).in_(scopes))
            .order_by(col(Figure.scope), col(Figure.region), col(Figure.measure), col(Figure.stichtag), col(Figure.id))
        )
        winners: dict[tuple[Any, ...], Figure] = {}
        for row in self.conn.execute(query).mappings():
            winners[tuple(row[k] for k in KEY[1:])] = Figure(**row)
        return list(winners.values())

    def count_figures(self, scope: int) -> int:
        """How many figures are stored for ``scope`` (0: for everybody)."""
        return int(self.conn.execute(select(func.count()).where(col(Figure.scope) == scope)).scalar_one())

    def datasets(self) -> list[tuple[Dataset, int]]:
        """Every imported file, newest first, with how many of its figures are still current (not replaced by a
        later file's)."""
        current = select(col(Figure.dataset_id), func.count().label("n")).group_by(col(Figure.dataset_id)).subquery()
        query = (
            select(*table_of(Dataset).columns, func.coalesce(current.c.n, 0).label("current"))
            .outerjoin(current, current.c.dataset_id == col(Dataset.id))
            .order_by(col(Dataset.imported_at).desc(), col(Dataset.id).desc())
        )
        listed = []
        for row in self.conn.execute(query).mappings():
            fields = dict(row)
            listed.append((Dataset(**{k: v for k, v in fields.items() if k != "current"}), int(fields["current"])))
        return listed


def _chunks(rows: Sequence[dict[str, Any]], size: int) -> Iterator[Sequence[dict[str, Any]]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]
