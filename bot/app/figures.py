"""Statistics in the database: a read file's figures stored once (for everybody or one workspace), and read back.

Converts between the flows values (:class:`flows.statistics.model.Figure`, :class:`Sheet`) and the rows of
:mod:`storage.figures`. A figure's age band is stored as one text: ``""`` everybody, ``"0-3"`` from 0 to under 3,
``"75-"`` 75 and over.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast, overload

from flows.statistics.checks import unknown_regions
from flows.statistics.model import Country, Figure, Measure, Problem, Sex, Sheet, Source
from storage import models
from storage.store import Unit

__all__ = ["Stored", "age_band", "ages", "check_regions", "read", "store_sheet"]


@dataclass(frozen=True)
class Stored:
    """What storing a file did: its dataset, how many figures it has, and whether it was new (False: the same file
    was imported for the same scope before, and nothing changed)."""

    dataset_id: int
    figures: int
    new: bool


def store_sheet(unit: Unit, sheet: Sheet, data: bytes, file_name: str, actor: str, workspace_id: int | None) -> Stored:
    """Store ``sheet`` (read from the bytes ``data``, named ``file_name``) for every municipality
    (``workspace_id`` None: an admin's import) or for one workspace; ``actor`` imports it ("cli", a user id …).

    A file is known by the SHA-256 of ``data``: storing it again for the same scope changes nothing."""
    scope = workspace_id or 0
    dataset = {
        "scope": scope,
        "workspace_id": workspace_id,
        "sha256": hashlib.sha256(data).hexdigest(),
        "source": sheet.source,
        "table_code": sheet.table[:32],
        "layout": sheet.layout,
        "file_name": file_name[-255:],
        "imported_by": actor[:255],
    }
    dataset_id, new = unit.put_figures(dataset, _Rows(sheet.figures))
    return Stored(dataset_id, len(sheet.figures), new)


def check_regions(unit: Unit, sheet: Sheet) -> list[Problem] | None:
    """A problem for each region of ``sheet`` that is not in the municipality directory
    (:func:`flows.statistics.checks.unknown_regions`); None when the directory holds no place of the sheet's
    country yet, so that nothing could be checked (the caller warns with ``checks.NOT_CHECKED``)."""
    country = sheet.figures[0].country if sheet.figures else "de"
    if not unit.has_places(country):
        return None
    regions = sorted({figure.region for figure in sheet.figures} | set(sheet.regions))
    known = unit.known_keys(country, regions)
    return unknown_regions(sheet, known.__contains__)


def read(unit: Unit, country: Country, keys: Sequence[str], workspace_id: int | None) -> list[Figure]:
    """Every figure of these regions: those imported for everybody and, with ``workspace_id``, the workspace's
    own, which win where both have one."""
    return [_figure(row) for row in unit.figures_of(country, keys, workspace_id or 0)]


def age_band(age_from: int | None, age_to: int | None) -> str:
    """The stored form of an age band: ``""`` (everybody), ``"0-3"``, ``"75-"``."""
    if age_from is None and age_to is None:
        return ""
    return f"{age_from or 0}-{'' if age_to is None else age_to}"


def ages(band: str) -> tuple[int | None, int | None]:
    """An age band read back: ``""`` → (None, None), ``"0-3"`` → (0, 3), ``"75-"`` → (75, None)."""
    if not band:
        return None, None
    start, _, end = band.partition("-")
    return int(start), int(end) if end else None


class _Rows(Sequence[dict[str, Any]]):
    """The figures as storage rows, made as they are read (storage reads them a chunk at a time): half a million
    rows at once would take some hundred megabytes."""

    def __init__(self, figures: Sequence[Figure]):
        self.figures = figures

    def __len__(self) -> int:
        return len(self.figures)

    @overload
    def __getitem__(self, index: int) -> dict[str, Any]: ...
    @overload
    def __getitem__(self, index: slice) -> list[dict[str, Any]]: ...
    def __getitem__(self, index: int | slice) -> dict[str, Any] | list[dict[str, Any]]:
        if isinstance(index, slice):
            return [_row(figure) for figure in self.figures[index]]
        return _row(self.figures[index])


def _row(figure: Figure) -> dict[str, Any]:
    return {
        "country": figure.country,
        "region": figure.region,
        "source": figure.source,
        "measure": figure.measure,
        "stichtag": figure.stichtag,
        "sex": figure.sex,
        "age": age_band(figure.age_from, figure.age_to),
        "ortsteil": figure.ortsteil,
        "value": figure.value,
        "table_code": figure.table[:32],
    }


def _figure(row: models.Figure) -> Figure:
    age_from, age_to = ages(row.age)
    return Figure(
        region=row.region,
        measure=cast(Measure, row.measure),
        stichtag=row.stichtag,
        value=row.value,
        sex=cast(Sex, row.sex),
        age_from=age_from,
        age_to=age_to,
        source=cast(Source, row.source),
        table=row.table_code,
        country=cast(Country, row.country),
        ortsteil=row.ortsteil,
    )
