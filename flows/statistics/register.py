"""The municipality's own register extract (Melderegister): people by year, age, sex and Ortsteil, kept apart
from official statistics (source ``register``, table ``register``).

The file is a CSV (semicolons, or commas or tabs as a spreadsheet may save it; UTF-8 or ISO-8859-1 /
Windows-1252) whose first row names the columns, in any order, in German, French or English:

- ``Jahr`` / ``année`` / ``year``: the year; its figures are for the Stichtag 31 December of it;
- ``Alter`` / ``âge`` / ``age``: a single year of age ("0" … "89"), or an open top group such as "90+";
- ``Geschlecht`` / ``sexe`` / ``sex``: ``m`` / ``w`` / ``d`` (German), ``h`` / ``f`` (French), ``m`` / ``f``
  (English), or the words. ``d`` (divers) is counted in the figures for everybody (sex "") only: official
  statistics have no third category to put it beside, and counting it as ``m`` or ``f`` would be invented;
- ``Ortsteil`` / ``quartier`` (optional): the district; empty where a person is not assigned to one;
- ``Anzahl`` / ``nombre`` / ``count``: how many people.

Rows with the same year, age, sex and Ortsteil are added up (an extract may list them by street). The
figures: for each year, each Ortsteil and the whole municipality (Ortsteil "", the sum over all rows), each
single year of age and all ages together (age None), each sex and both together.

The template (:func:`register_template`) is the header row alone, in the user's language, UTF-8 with a byte
order mark so that spreadsheet programs read the umlauts, semicolon separated: no example rows, because an
example left in the file would be imported as a count like any other.
"""

from __future__ import annotations

import re
from datetime import date

from flows.content.i18n import N_
from flows.reading import fold
from flows.statistics.ages import Band
from flows.statistics.cells import Unreadable, count, encoding_of, named, rows
from flows.statistics.model import Country, Figure, Problem, Rejected, Sex, Sheet

NO_COLUMNS = N_(
    "The first row must name the columns year, age, sex and count (and Ortsteil where there are districts)."
)
NO_ROWS = N_("The register extract has no rows below its header.")
NOT_A_YEAR = N_("“{value}” is not a year.")
NOT_AN_AGE = N_("“{value}” is not an age: a whole number of years, or the top group such as “90+”.")
NOT_A_SEX = N_("“{value}” is not a sex: m, w or d (or f, h).")
TWO_TOPS = N_("In {year} there are two top age groups, “{first}” and “{second}”.")
IN_TOP = N_("In {year}, age {age} lies within the top age group “{top}”.")
TABLE = "register"
HEADERS = {
    "de": ("Jahr", "Alter", "Geschlecht", "Ortsteil", "Anzahl"),
    "fr": ("année", "âge", "sexe", "quartier", "nombre"),
    "en": ("year", "age", "sex", "Ortsteil", "count"),
}
_NAMES = {
    "year": frozenset({"year", "jahr", "annee"}),
    "age": frozenset({"age", "alter"}),
    "sex": frozenset({"sex", "geschlecht", "sexe"}),
    "ortsteil": frozenset({"ortsteil", "quartier", "district"}),
    "count": frozenset({"count", "anzahl", "nombre"}),
}
_REQUIRED = ("year", "age", "sex", "count")
_SEXES: dict[str, Sex] = {"m": "m", "maennlich": "m", "male": "m", "h": "m", "homme": "m", "masculin": "m"}
_SEXES |= {"w": "f", "weiblich": "f", "f": "f", "female": "f", "femme": "f", "feminin": "f"}
_SEXES |= {"d": "", "divers": "", "diverse": ""}
_AGE = re.compile(r"(\d{1,3})(\+?)")

_Key = tuple[int, str, Sex, Band | None]
"""Year, Ortsteil, sex, age band."""


def register_template(lang: str) -> bytes:
    """The CSV template for a register extract: the header row in ``lang`` (en for any other)."""
    return ("\ufeff" + ";".join(HEADERS.get(lang, HEADERS["en"])) + "\r\n").encode("utf-8")


def _columns(cells: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for i, cell in enumerate(cells):
        word = fold(cell.lstrip("\ufeff"))
        for column, names in _NAMES.items():
            if word in names and column not in found:
                found[column] = i
    return found


def _delimiter(line: str) -> str | None:
    """The separator that splits a header row into the register's columns; None where none does."""
    for delimiter in (";", ",", "\t"):
        if all(c in _columns(line.split(delimiter)) for c in _REQUIRED):
            return delimiter
    return None


def is_register(data: bytes) -> bool:
    """Whether ``data`` starts with a register extract's header row."""
    return _delimiter(_header(data)) is not None


def _header(data: bytes) -> str:
    """The first line, decoded as its own bytes call for (a French header has accents)."""
    line = data[:1024].split(b"\n")[0]
    return line.decode(encoding_of(line), errors="replace").lstrip("\ufeff").rstrip("\r")


def read_register(data: bytes, region: str, country: Country = "de") -> Sheet:
    """The figures of a register extract for the municipality ``region`` (its official key); raises
    :class:`~flows.statistics.model.Rejected` with every problem found."""
    encoding = encoding_of(data)
    delimiter = _delimiter(_header(data))
    if delimiter is None:
        raise Rejected([Problem(NO_COLUMNS, line=1)])
    lines = rows(data, encoding, delimiter)
    columns = _columns(next(lines)[1])
    extract = _Extract()
    for line, row in lines:
        if any(cell.strip() for cell in row):
            extract.row(line, row, columns)
    extract.check_tops()
    if extract.problems:
        raise Rejected(extract.problems)
    if not extract.sums:
        raise Rejected([Problem(NO_ROWS)])
    figures = tuple(
        Figure(region, "population", date(year, 12, 31), n, sex, band[0] if band else None, band[1] if band else None,
               "register", TABLE, country, ortsteil)
        for (year, ortsteil, sex, band), n in extract.totals().items()
    )  # fmt: skip
    return Sheet(figures, TABLE, "register", "register", named(encoding), {region: ""})


class _Extract:
    """The rows read so far, added up, and what is wrong."""

    def __init__(self) -> None:
        self.sums: dict[_Key, int] = {}
        self.problems: list[Problem] = []
        self.tops: dict[int, dict[int, int]] = {}
        self.oldest: dict[int, tuple[int, int]] = {}

    def problem(self, message: str, line: int | None = None, column: int | None = None, /, **params: str) -> None:
        self.problems.append(Problem(message, tuple(params.items()), line, column))
        if len(self.problems) >= Rejected.MAX_PROBLEMS:
            raise Rejected(self.problems)

    def row(self, line: int, row: list[str], columns: dict[str, int]) -> None:
        def cell(column: str) -> str:
            at = columns.get(column, -1)
            return row[at].strip() if 0 <= at < len(row) else ""

        year, band, sex, n = self._year(cell("year")), _band(cell("age")), _SEXES.get(fold(cell("sex"))), None
        for column, bad, message in (
            ("year", year is None, NOT_A_YEAR),
            ("age", band is None, NOT_AN_AGE),
            ("sex", sex is None, NOT_A_SEX),
        ):
            if bad:
                self.problem(message, line, columns[column] + 1, value=cell(column))
        try:
            n = count(cell("count"))
        except Unreadable as exc:
            self.problem(exc.message, line, columns["count"] + 1, value=cell("count"))
        if year is None or band is None or sex is None or n is None:
            return
        if band[1] is None:
            self.tops.setdefault(year, {}).setdefault(band[0], line)
        elif band[0] > self.oldest.get(year, (-1, 0))[0]:
            self.oldest[year] = (band[0], line)
        key = (year, cell("ortsteil"), sex, band)
        self.sums[key] = self.sums.get(key, 0) + n

    @staticmethod
    def _year(text: str) -> int | None:
        return int(text) if text.isascii() and text.isdigit() and 1900 <= int(text) <= 2100 else None

    def check_tops(self) -> None:
        """One top group per year, and no single year of age within it."""
        for year, tops in self.tops.items():
            first, *others = sorted(tops)
            for other in others:
                self.problem(TWO_TOPS, tops[other], None, year=str(year), first=f"{first}+", second=f"{other}+")
            age, line = self.oldest.get(year, (-1, 0))
            if age >= first:
                self.problem(IN_TOP, line, None, year=str(year), age=str(age), top=f"{first}+")

    def totals(self) -> dict[_Key, int]:
        """Each row added to its Ortsteil and the whole municipality, its sex and both, its age and all ages."""
        totals: dict[_Key, int] = {}
        for (year, ortsteil, sex, band), n in sorted(self.sums.items(), key=_order):
            for where in {ortsteil, ""}:
                for who in {sex, ""}:
                    for ages in (band, None):
                        key = (year, where, who, ages)
                        totals[key] = totals.get(key, 0) + n
        return dict(sorted(totals.items(), key=_order))


def _band(text: str) -> Band | None:
    age = _AGE.fullmatch(text)
    if age is None or int(age[1]) > 120:
        return None
    start = int(age[1])
    return (start, None) if age[2] else (start, start + 1)


def _order(item: tuple[_Key, int]) -> tuple[int, str, str, int]:
    (year, ortsteil, sex, band), _ = item
    return year, ortsteil, sex, -1 if band is None else band[0]
