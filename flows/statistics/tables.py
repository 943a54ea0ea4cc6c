"""Statistics files from the Regionaldatenbank Deutschland and GENESIS-Online, read into a
:class:`~flows.statistics.model.Sheet`: the "CSV" download (long or wide) and the flat file (ffcsv,
:mod:`flows.statistics.flat`).

The CSV download: semicolon separated, UTF-8 (with or without byte order mark) or, in older downloads,
ISO-8859-1 / Windows-1252, found by the bytes (:func:`flows.statistics.cells.encoding_of`). Some lines of
title (the table code among them: "12411-02-03-5: Bevölkerung nach …" or "GENESIS-Tabelle: 12411-02-03-5"),
then one to three lines of column header, then the rows, then a footer from a line of ``__________`` on (notes,
the licence line), which is not read. The header is found, never skipped by a count: it is the lines right
above the first row of figures, a row being a Stichtag ("31.12.2023", or the year "2023" for births, deaths
and moves: the year's events up to its last day), a region key (``DG``, 2, 3, 5 or 8 digits) and the region's
name (indented by its level: "      Grabow, Stadt"), then in the *long* layout the labels of the row (an age
group: one row per Stichtag × region × age group, the sexes as columns) and in the *wide* layout none (one row
per Stichtag × region, a column per age group and sex under a header of two or three lines). A header label
spanning several columns is written in the first of them. A table with the Stichtage in the header (a row
starting with the region key) reads too.

Each value's measure, sex, age band and Stichtag come from its labels (:func:`flows.statistics.cells.meaning`),
the measure otherwise from the table's statistic (12411 population, 12612 births, 12613 deaths; 12711 moves
need "Zuzüge" or "Fortzüge"). Values whose labels say something else (a nationality, a balance, an average)
are left out quietly; a file with no value left is rejected. Special values and checks: see
:class:`flows.statistics.draft.Draft`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import islice

from flows.content.i18n import N_
from flows.statistics import register
from flows.statistics.cells import (
    NOT_A_DAY,
    NOT_A_KEY,
    NOTHING,
    UNKNOWN,
    Meaning,
    combined,
    encoding_of,
    meaning,
    measure_of,
    named,
    region_key,
    rows,
    stichtag,
)
from flows.statistics.draft import Draft
from flows.statistics.flat import is_flat, read_flat
from flows.statistics.model import Layout, Measure, Problem, Rejected, Sheet

EMPTY = N_("The file is empty.")
NOT_TEXT = N_("This is not a text (CSV) file. Download the table as CSV (semicolon separated) and send that file.")
NOT_A_TABLE = N_(
    "No rows of figures found. A table from the Regionaldatenbank or GENESIS-Online has rows that start with "
    "a date or a year and a region key, such as “31.12.2023;13076052;Grabow, Stadt”."
)
NO_HEADER = N_("There is no column header above the first row of figures.")
NO_CODE = N_("The file names no table code (such as 12411-02-03-5), neither in its title nor in its name.")
NOT_A_ROW = N_("This line is neither a row of figures (a date or year, a region key and name, values) nor the footer.")
SHORT_ROW = N_("This row ends after {found} cells; the header has {wanted}.")
A_REGISTER = N_("This is a register extract (year; age; sex; Ortsteil; count), not an official statistics table.")
TITLE_LINES = 40
"""At most this many lines of title and header before the first row of figures."""
_CODE = re.compile(r"(?<![0-9A-Za-z-])(\d{5}(?:-[0-9A-Z]{1,4})+)(?![0-9A-Za-z])")
_NUMERIC = re.compile(r"[-−]?[\d.,\s\u00a0\u202f']*\d[\d.,\s\u00a0\u202f']*")
_NOT_CSV = (".xlsx", ".xls", ".ods", ".pdf", ".odt", ".docx", ".doc", ".zip", ".png", ".jpg", ".jpeg")
_BINARY = (b"PK\x03\x04", b"%PDF", b"\xd0\xcf\x11\xe0", b"\x89PNG", b"\xff\xd8")


def read_table(data: bytes, file_name: str = "") -> Sheet:
    """A Regionaldatenbank / GENESIS-Online CSV download (long or wide) or flat file (ffcsv), read completely.

    Raises :class:`~flows.statistics.model.Rejected` with every problem found (line and column as a
    spreadsheet counts them); nothing of a rejected file is returned."""
    if not data.strip():
        raise Rejected([Problem(EMPTY)])
    if data.startswith(_BINARY) or b"\x00" in data[:4096]:
        raise Rejected([Problem(NOT_TEXT)])
    encoding = encoding_of(data)
    if register.is_register(data):
        raise Rejected([Problem(A_REGISTER, line=1)])
    code = _code(file_name)
    if is_flat(next(rows(data, encoding), (1, []))[1]):
        draft, layout = read_flat(data, encoding, code)
    else:
        draft, layout = _Regional(data, encoding, file_name).read()
    if not draft.table:
        draft.problem(NO_CODE)
    return draft.sheet(layout, named(encoding))


def looks_like_statistics(data: bytes, file_name: str = "", media_type: str = "") -> bool:
    """A cheap sniff of the first 4 KB: semicolon-separated text with a GENESIS / Regionalstatistik title (a
    table code), a flat-file header, or the register template's header. The name and media type only rule
    out pictures, sound, video and office documents."""
    if media_type.split("/")[0] in {"image", "audio", "video"} or file_name.lower().endswith(_NOT_CSV):
        return False
    head = data[:4096]
    if not head.strip() or head.startswith(_BINARY) or b"\x00" in head:
        return False
    text = head.decode("utf-8-sig" if head.startswith(b"\xef\xbb\xbf") else "utf-8", errors="replace")
    lines = text.splitlines()
    if is_flat(lines[0].split(";")) or register.is_register(head):
        return True
    title = "\n".join(lines[:12])
    return ";" in text and (_CODE.search(title) is not None or "GENESIS" in title or "Regionalstatistik" in title)


def _code(text: str) -> str | None:
    found = _CODE.search(text)
    return found[1] if found else None


@dataclass(frozen=True)
class _Target:
    """One value column of a row: where it is and what it is."""

    at: int
    measure: Measure
    said: Meaning


@dataclass
class _Regional:
    """The reading of one CSV download (long or wide layout)."""

    data: bytes
    encoding: str
    file_name: str
    draft: Draft = field(init=False)
    time_at: int | None = None
    key_at: int = 0
    values_at: int = 0
    width: int = 0
    """Cells a row needs: up to the last value column with a header."""
    columns: dict[int, Meaning] = field(default_factory=dict)
    targets: dict[tuple[str, ...], list[_Target]] = field(default_factory=dict)
    long: bool = False

    def read(self) -> tuple[Draft, Layout]:
        lines = self._content()
        title: list[list[str]] = []
        for line, row in lines:
            if _stub(row) is not None:
                first = [(line, row), *islice(lines, 19)]
                break
            title.append(row)
            if len(title) > TITLE_LINES:
                raise Rejected([Problem(NOT_A_TABLE)])
        else:
            raise Rejected([Problem(NOT_A_TABLE)])
        header = _header(title)
        text = "\n".join(";".join(row) for row in title[: len(title) - len(header)])
        self.draft = Draft(_code(text) or _code(self.file_name) or "")
        if not header:
            raise Rejected([Problem(NO_HEADER, line=first[0][0])])
        self._shape([row for _, row in first], header)
        for line, row in first:
            self._row(line, row)
        for line, row in lines:
            self._row(line, row)
        return self.draft, "long" if self.long else "wide"

    def _content(self) -> Iterator[tuple[int, list[str]]]:
        """Title, header and rows up to the footer; blank lines left out."""
        for line, row in rows(self.data, self.encoding, quoted=False):
            if row and row[0].lstrip().startswith("___"):
                return
            if any(cell.strip() for cell in row):
                yield line, row

    def _shape(self, first: list[list[str]], header: list[list[str]]) -> None:
        """Where the Stichtag, the key and the values are, and what each value column holds. The values start
        at the first column with a label in the header or a value in one of the first rows, whichever comes
        first: should a label be taken for a value, it is reported, never read as a count."""
        self.time_at, self.key_at = _stub(first[0]) or (None, 0)
        labelled = (j for row in header for j in range(self.key_at + 2, len(row)) if row[j].strip())
        self.values_at = min(
            min(labelled, default=len(first[0])), *(_first_value(row, self.key_at + 2) for row in first)
        )
        for row in header:
            label = ""
            for j in range(self.values_at, len(row)):
                label = row[j].strip() or label
                row[j] = label
        width = max(len(row) for row in header)
        for j in range(self.values_at, width):
            labels = [row[j] for row in header if j < len(row)]
            if any(labels):
                self.columns[j] = combined(meaning(label) for label in labels)
        self.width = max(self.columns, default=-1) + 1

    def _row(self, line: int, row: list[str]) -> None:
        if len(row) < self.key_at + 2 or not (row[self.key_at].strip() and row[self.key_at + 1].strip()):
            self.draft.problem(NOT_A_ROW, line, 1)
            return
        day = None
        if self.time_at is not None:
            day = stichtag(row[self.time_at])
            if day is None:
                self.draft.problem(NOT_A_DAY, line, self.time_at + 1, value=row[self.time_at].strip())
                return
        region = region_key(row[self.key_at])
        if region is None:
            self.draft.problem(NOT_A_KEY, line, self.key_at + 1, value=row[self.key_at].strip())
            return
        self.draft.name(region, row[self.key_at + 1])
        if len(row) < self.width:
            self.draft.problem(SHORT_ROW, line, len(row) + 1, found=str(len(row)), wanted=str(self.width))
            return
        for target in self._targets(tuple(row[self.key_at + 2 : self.values_at])):
            at, said = target.at, target.said
            when = said.stichtag or day
            if when is not None:
                self.draft.add(
                    (line, at + 1), region, target.measure, when, said.sex or "", said.band, row[at], said.rank
                )

    def _targets(self, labels: tuple[str, ...]) -> list[_Target]:
        """The value columns a row with these labels fills, with what each value is (computed once per labels)."""
        found = self.targets.get(labels)
        if found is None:
            said = combined(meaning(label) for label in labels)
            self.long = self.long or said.band is not None
            found = []
            fallback = measure_of(self.draft.table)
            for at, column in self.columns.items():
                both = combined((said, column))
                measure = both.measure or fallback
                if both.used and measure is not None:
                    found.append(_Target(at, measure, both))
            self.targets[labels] = found
        return found


def _stub(row: list[str]) -> tuple[int | None, int] | None:
    """Where a row of figures has its Stichtag and region key: (0, 1), or (None, 0) when the Stichtage are
    in the header; None for any other line."""
    if len(row) >= 3 and stichtag(row[0]) and region_key(row[1]) and row[2].strip():
        return 0, 1
    if len(row) >= 3 and region_key(row[0]) and row[1].strip() and not _is_value(row[1]):
        return None, 0
    return None


def _header(title: list[list[str]]) -> list[list[str]]:
    """The column header: the lines right above the first row that have a label beyond their first cell."""
    n = 0
    while n < len(title) and any(cell.strip() for cell in title[len(title) - 1 - n][1:]):
        n += 1
    return [list(row) for row in title[len(title) - n :]]


def _first_value(row: list[str], start: int) -> int:
    """The first cell from ``start`` on that holds a value (a number or a special value)."""
    return next((j for j in range(start, len(row)) if _is_value(row[j])), len(row))


def _is_value(cell: str) -> bool:
    text = cell.strip()
    return text == NOTHING or text in UNKNOWN or _NUMERIC.fullmatch(text) is not None
