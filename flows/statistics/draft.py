"""A statistics file being read: its figures so far, the regions it names, what is wrong in it; finished into
a :class:`~flows.statistics.model.Sheet`, or :class:`~flows.statistics.model.Rejected` with every problem."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from flows.content.i18n import N_
from flows.statistics.ages import Band, gaps, label_of
from flows.statistics.cells import NOTHING, UNKNOWN, Unreadable, count, written
from flows.statistics.model import Country, Figure, Layout, Measure, Problem, Rejected, Sex, Sheet, Source

NO_FIGURES = N_("This file holds no population, births, deaths or moves figures.")
TWICE = N_("This value appears a second time for {region} {name}, {stichtag}.")
AGE_MISSING = N_("The age group “{group}” is missing for {region} {name}, {stichtag}.")
AGE_GAP = N_("The age group “{group}” is missing throughout the file.")
AGE_OVERLAP = N_("The age groups “{first}” and “{second}” overlap.")

_Cell = tuple[str, Measure, date, Sex]
"""Region, measure, Stichtag, sex: the figures of one age structure."""


class Draft:
    """Collects the figures of one file as its reader finds them, and the problems.

    The rules of the values (:meth:`add`): a number is the count; ``-`` is nothing, 0, except that a region
    whose values in the file are all ``-`` (no number at all) has no data: its values are None, never 0;
    ``.`` ``...`` ``x`` ``/`` (unknown, later, locked, not reliable) and an empty cell are None.

    Checks (:meth:`sheet`): no value twice for one region, measure, Stichtag, sex and age band; where the file
    has age bands, each region, Stichtag and sex has every band the file uses, and the bands cover every age
    from 0 to an open end without gaps or overlaps (checked once every line is readable). Moves across a
    Kreis's or a Land's border give way to moves across a Gemeinde's border for the same region (a file may
    hold both; their balance is the same).
    """

    def __init__(self, table: str, source: Source = "official", country: Country = "de"):
        self.table, self.source, self.country = table, source, country
        self.figures: list[Figure] = []
        self.problems: list[Problem] = []
        self.regions: dict[str, str] = {}
        self._counted: set[str] = set()
        self._cells: dict[_Cell, int] = {}
        self._bits: dict[Band | None, int] = {None: 0}
        self._detours: dict[tuple[_Cell, Band | None], tuple[int, Figure, int, int]] = {}
        self._numbers: dict[int, int] = {}

    def problem(self, message: str, line: int | None = None, column: int | None = None, /, **params: str) -> None:
        """Note what is wrong; a file with as many problems as are ever shown stops being read."""
        self.problems.append(Problem(message, tuple(params.items()), line, column))
        if len(self.problems) >= Rejected.MAX_PROBLEMS:
            raise Rejected(self.problems)

    def name(self, region: str, name: str) -> None:
        """The region's name as the file first writes it (indentation removed)."""
        if region not in self.regions:
            self.regions[region] = name.strip()

    def add(
        self,
        at: tuple[int, int],
        region: str,
        measure: Measure,
        stichtag: date,
        sex: Sex,
        band: Band | None,
        raw: str,
        rank: int = 0,
    ) -> None:
        """One value of the file, at (line, column)."""
        text = raw.strip()
        value: int | None = None
        if text == NOTHING:
            value = 0
        elif text and text not in UNKNOWN:
            try:
                value = count(text)
            except Unreadable as exc:
                self.problem(exc.message, *at, value=text)
                return
            value = self._numbers.setdefault(value, value)  # one int object per distinct count, not one per value
            self._counted.add(region)
        start, end = band if band else (None, None)
        figure = Figure(region, measure, stichtag, value, sex, start, end, self.source, self.table, self.country)
        if rank:
            self._detour(figure, band, rank, at)
        else:
            self._keep(figure, band, at)

    def _keep(self, figure: Figure, band: Band | None, at: tuple[int, int]) -> None:
        if self._claim((figure.region, figure.measure, figure.stichtag, figure.sex), band):
            self.figures.append(figure)
        else:
            self.problem(TWICE, *at, **self._where(figure.region, figure.stichtag))

    def _claim(self, cell: _Cell, band: Band | None) -> bool:
        """Note that ``cell`` has a value for ``band``; False where it had one already."""
        bit = self._bits.setdefault(band, len(self._bits))
        held = self._cells.get(cell, 0)
        self._cells[cell] = held | 1 << bit
        return not held >> bit & 1

    def _detour(self, figure: Figure, band: Band | None, rank: int, at: tuple[int, int]) -> None:
        """Moves across a Kreis's or Land's border: kept aside until we know there are none across a Gemeinde's."""
        key = ((figure.region, figure.measure, figure.stichtag, figure.sex), band)
        held = self._detours.get(key)
        if held is None or rank < held[0]:
            self._detours[key] = (rank, figure, *at)
        elif rank == held[0]:
            self.problem(TWICE, *at, **self._where(figure.region, figure.stichtag))

    def _where(self, region: str, stichtag: date) -> dict[str, str]:
        return {"region": region, "name": self.regions.get(region, ""), "stichtag": written(stichtag)}

    def sheet(self, layout: Layout, encoding: str) -> Sheet:
        """The file read completely; raises :class:`Rejected` with every problem found."""
        for (cell, band), (_, figure, line, column) in self._detours.items():
            bit = self._bits.get(band)
            if bit is None or not self._cells.get(cell, 0) >> bit & 1:
                self._keep(figure, band, (line, column))
        self._detours.clear()
        if not self.problems:  # a line left out for its problems would leave its age groups missing
            self._check_ages()
        if self.problems:
            raise Rejected(self.problems)
        if not self.figures:
            raise Rejected([Problem(NO_FIGURES)])
        empty = set(self.regions) - self._counted
        figures = [replace(f, value=None) if f.region in empty and f.value == 0 else f for f in self.figures]
        return Sheet(tuple(figures), self.table, self.source, layout, encoding, dict(self.regions))

    def _check_ages(self) -> None:
        bands = {bit: band for band, bit in self._bits.items() if band is not None}
        used: dict[Measure, int] = {}
        for (_, measure, _, _), held in self._cells.items():
            used[measure] = used.get(measure, 0) | held & ~1
        for measure, wanted in used.items():
            if not wanted:
                continue
            missing, overlaps = gaps(band for bit, band in bands.items() if wanted >> bit & 1)
            for first, second in overlaps:
                self.problem(AGE_OVERLAP, first=label_of(first), second=label_of(second))
            for band in missing:
                self.problem(AGE_GAP, group=label_of(band))
            named: set[tuple[str, date, int]] = set()
            for (region, of, stichtag, _), held in self._cells.items():
                for bit in (bit for bit in bands if of == measure and wanted >> bit & 1 and not held >> bit & 1):
                    if (region, stichtag, bit) not in named:
                        named.add((region, stichtag, bit))
                        self.problem(AGE_MISSING, group=label_of(bands[bit]), **self._where(region, stichtag))
