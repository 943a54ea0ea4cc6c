"""The GENESIS flat file (ffcsv) in both dialects.

- older, German column names: ``Statistik_Code;Statistik_Label;Zeit_Code;Zeit_Label;Zeit;1_Merkmal_Code;
  1_Merkmal_Label;1_Auspraegung_Code;1_Auspraegung_Label;…`` then one column per value, named
  ``CODE__Label__Unit`` (``BEVSTD__Bevoelkerungsstand__Anzahl``); ``Zeit`` is "31.12.2023" or a year;
- 2020 and later, one value per row: ``statistics_code;statistics_label;time_code;time_label;time;
  1_variable_code;1_variable_label;1_variable_attribute_code;1_variable_attribute_label;…;value;value_unit;
  value_variable_code;value_variable_label;value_q``; ``time`` is "2023-12-31" or a year.

Variables: the region is ``GEMEIN``, ``KREISE``, ``REGBEZ``, ``DLAND`` or ``DINSG`` (or a census ``GEO…``),
its attribute code the key and its label the name; sex ``GES`` (``GESM``, ``GESW``); age any ``ALT…`` variable,
read by its attribute label ("unter 3 Jahre") or code (``ALT000B03``, ``ALT075UM``). An empty attribute is the
total. Another variable with an attribute (a nationality …) makes a value we do not read.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from flows.content.i18n import N_
from flows.statistics.ages import band_of
from flows.statistics.cells import (
    NOT_A_DAY,
    NOT_A_KEY,
    NOT_USED,
    NOTHING_SAID,
    Meaning,
    combined,
    meaning,
    measure_of,
    region_key,
    rows,
    stichtag,
)
from flows.statistics.draft import Draft
from flows.statistics.model import Layout, Problem, Rejected

MISSING_COLUMN = N_("The flat file lacks the column “{column}”.")
NO_REGION = N_("This line names no region (Gemeinde, Kreis, Land or Deutschland).")
REGION_VARIABLES = frozenset({"GEMEIN", "KREISE", "REGBEZ", "DLAND", "DINSG"})
_OLD = ("Statistik_Code", "Zeit", "{}_Merkmal_Code", "{}_Auspraegung_Code", "{}_Auspraegung_Label")
_NEW = ("statistics_code", "time", "{}_variable_code", "{}_variable_attribute_code", "{}_variable_attribute_label")
_NEW_VALUE = ("value", "value_unit", "value_variable_label")
_NUMBERED = re.compile(r"(\d+)_(?:Merkmal|variable)_[Cc]ode")


def is_flat(header: list[str]) -> bool:
    """Whether a first row is a flat file's header (either dialect)."""
    names = {_name(cell) for cell in header}
    return (
        bool({"Statistik_Code", "statistics_code"} & names) or "1_Merkmal_Code" in names or "1_variable_code" in names
    )


def _name(cell: str) -> str:
    return cell.strip().lstrip("\ufeff").strip()


@dataclass(frozen=True)
class _Columns:
    """Where a flat file keeps what: statistic, time, each variable's (code, attribute, label), the values."""

    statistic: int
    time: int
    variables: tuple[tuple[int, int, int], ...]
    values: tuple[tuple[int, Meaning], ...] = ()
    """Older dialect: each value column with what its name says."""
    value: tuple[int, int, int] | None = None
    """2020 dialect: the value, its unit and its variable's label."""


def _columns(header: list[str]) -> _Columns:
    names = [_name(cell) for cell in header]
    new = "statistics_code" in names
    statistic, time, code, attribute, label = _NEW if new else _OLD
    absent = [name for name in (statistic, time, *(_NEW_VALUE if new else ())) if name not in names]
    numbers = sorted(int(m[1]) for name in names if (m := _NUMBERED.fullmatch(name)))
    variables: list[tuple[int, int, int]] = []
    for n in numbers:
        parts = (code.format(n), attribute.format(n), label.format(n))
        absent += [part for part in parts if part not in names]
        if not absent:
            variables.append((names.index(parts[0]), names.index(parts[1]), names.index(parts[2])))
    if not numbers:
        absent.append(code.format(1))
    if absent:
        raise Rejected([Problem(MISSING_COLUMN, (("column", name),), 1, None) for name in absent])
    at = names.index
    if new:
        value = (at("value"), at("value_unit"), at("value_variable_label"))
        return _Columns(at(statistic), at(time), tuple(variables), value=value)
    values = tuple((i, _value_column(name)) for i, name in enumerate(names) if "__" in name)
    return _Columns(at(statistic), at(time), tuple(variables), values=values)


def _value_column(name: str) -> Meaning:
    """``BEVSTD__Bevoelkerungsstand__Anzahl``: the label and the unit say what the column holds."""
    parts = name.split("__")
    return combined(meaning(part) for part in parts[1:]) if len(parts) > 1 else NOT_USED


@lru_cache(maxsize=4096)
def _variable(code: str, attribute: str, label: str) -> Meaning:
    """What one non-regional variable's attribute says about a value."""
    if not attribute.strip():
        return NOTHING_SAID
    if code == "GES":
        return Meaning(sex="m") if attribute == "GESM" else Meaning(sex="f") if attribute == "GESW" else NOT_USED
    if code.startswith("ALT"):
        band = band_of(label) or band_of(attribute)
        return Meaning(band=band) if band else NOT_USED
    return NOT_USED


@lru_cache(maxsize=1024)
def _unit(label: str, unit: str) -> Meaning:
    return combined((meaning(label), meaning(unit)))


def read_flat(data: bytes, encoding: str, code: str | None) -> tuple[Draft, Layout]:
    """The figures of a flat file (the draft, not yet checked) and its layout. The table is ``code`` (from
    the file's name) where it belongs to the file's statistic, else the statistic ("12411")."""
    lines = rows(data, encoding)
    _, header = next(lines)
    columns = _columns(header)
    draft: Draft | None = None
    for line, row in _content(lines):
        if draft is None:
            statistic = row[columns.statistic].strip() if columns.statistic < len(row) else ""
            draft = Draft(code if code and code.startswith(statistic) else statistic)
        _row(draft, columns, line, row)
    return draft or Draft(code or ""), "flat"


def _content(lines: Iterator[tuple[int, list[str]]]) -> Iterator[tuple[int, list[str]]]:
    for line, row in lines:
        if row and row[0].lstrip().startswith("___"):
            return
        if any(cell.strip() for cell in row):
            yield line, row


def _row(draft: Draft, columns: _Columns, line: int, row: list[str]) -> None:
    width = len(row)

    def cell(i: int) -> str:
        return row[i] if 0 <= i < width else ""

    day = stichtag(cell(columns.time))
    if day is None:
        draft.problem(NOT_A_DAY, line, columns.time + 1, value=cell(columns.time).strip())
        return
    region, said = None, []
    for code_at, attribute_at, label_at in columns.variables:
        code, attribute = cell(code_at).strip(), cell(attribute_at).strip()
        if code in REGION_VARIABLES or code.startswith("GEO"):
            region = region_key(attribute)
            if region is None:
                draft.problem(NOT_A_KEY, line, attribute_at + 1, value=attribute)
                return
            draft.name(region, cell(label_at))
        else:
            said.append(_variable(code, attribute, cell(label_at).strip()))
    if region is None:
        draft.problem(NO_REGION, line, 1)
        return
    base = combined(said)
    if not base.used:
        return
    if columns.value is not None:
        value_at, unit_at, label_at = columns.value
        targets = [(value_at, combined((base, _unit(cell(label_at), cell(unit_at)))))]
    else:
        targets = [(i, combined((base, said_by))) for i, said_by in columns.values]
    fallback = measure_of(draft.table)
    for at, what in targets:
        measure = what.measure or fallback
        if what.used and measure is not None:
            draft.add(
                (line, at + 1), region, measure, what.stichtag or day, what.sex or "", what.band, cell(at), what.rank
            )
