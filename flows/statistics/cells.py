"""What the cells of a statistics file say: its text encoding, counts and special values, Stichtage, region
keys, and the labels above and beside a value (measure, sex, age band, Stichtag)."""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from flows.content.i18n import N_
from flows.reading import fold
from flows.statistics.ages import Band, band_of
from flows.statistics.model import Measure, Sex

NOTHING = "-"
"""GENESIS: nothing, exactly zero (but see :class:`flows.statistics.draft.Draft` for a region of only ``-``)."""
UNKNOWN = frozenset({".", "...", "…", "x", "/"})
"""GENESIS: unknown or secret, not yet available, locked (no sensible value), not reliable enough."""
STATISTICS: dict[str, Measure | None] = {"12411": "population", "12612": "births", "12613": "deaths", "12711": None}
"""What a table's statistic (the first five digits of its code) counts; moves (12711) need the column's label
to tell moves in from moves out."""
NOT_A_NUMBER = N_("“{value}” is not a number.")
NOT_A_COUNT = N_("“{value}” is not a whole number of people.")
NOT_A_DAY = N_("“{value}” is not a date or a year.")
NOT_A_KEY = N_("“{value}” is not an official region key (such as 13076052 for a Gemeinde, 13076 for a Kreis).")


class Unreadable(ValueError):
    """A cell that does not say what its place in the file calls for; ``message`` is the msgid."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# --- text -----------------------------------------------------------------------------------------------


def encoding_of(data: bytes) -> str:
    """The codec that reads ``data``: ``utf-8-sig`` (a byte order mark), ``utf-8``, or for older downloads
    ``windows-1252`` (bytes 0x80–0x9F, such as „“ and –) and ``iso-8859-1``."""
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        for start in range(0, len(data), 1 << 20):
            decoder.decode(data[start : start + (1 << 20)])
        decoder.decode(b"", final=True)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    if re.search(rb"[\x80-\x9f]", data):
        try:
            codecs.decode(data, "windows-1252")
            return "windows-1252"
        except UnicodeDecodeError:
            pass
    return "iso-8859-1"


def named(encoding: str) -> str:
    """The encoding as a :class:`~flows.statistics.model.Sheet` names it (``utf-8`` with or without a BOM)."""
    return "utf-8" if encoding == "utf-8-sig" else encoding


def rows(data: bytes, encoding: str, delimiter: str = ";", quoted: bool = True) -> Iterator[tuple[int, list[str]]]:
    """The rows of a delimited text, streamed, each with the line it ends on (1-based, as an editor counts)."""
    text = io.TextIOWrapper(io.BytesIO(data), encoding=encoding, newline="")
    reader = csv.reader(text, delimiter=delimiter, quoting=csv.QUOTE_MINIMAL if quoted else csv.QUOTE_NONE)
    for row in reader:
        yield reader.line_num, row


# --- values -----------------------------------------------------------------------------------------------

_GROUPED = re.compile(r"\d{1,3}(?:[.\s\u00a0\u202f']\d{3})+")
_DECIMAL = re.compile(r"(\d{1,3}(?:[.\s\u00a0\u202f']\d{3})+|\d+),(\d+)")
_SIGNED = re.compile(r"[-−–+]\s*\d[\d.,\s]*")


def count(text: str) -> int:
    """A count as German statistics write it: digits, perhaps grouped in thousands by ``.`` or a space, the
    decimal mark a comma (stricter than :func:`flows.reading.read_number`, which also reads what people type
    in French and English). Raises :class:`Unreadable` for anything else, such as "12a4", "-3" or "4,5"."""
    if text.isascii() and text.isdigit():
        return int(text)
    if _GROUPED.fullmatch(text):
        return int(re.sub(r"\D", "", text))
    decimal = _DECIMAL.fullmatch(text)
    if decimal and not decimal[2].strip("0"):
        return int(re.sub(r"\D", "", decimal[1]))
    if decimal or _SIGNED.fullmatch(text):
        raise Unreadable(NOT_A_COUNT)
    raise Unreadable(NOT_A_NUMBER)


_DAY = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_ISO_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_YEAR = re.compile(r"(\d{4})")


@lru_cache(maxsize=4096)
def stichtag(text: str) -> date | None:
    """The day a time cell names: "31.12.2023", "2023-12-31", or a year ("2023": its events up to 31.12.2023)."""
    text = text.strip()
    if m := _DAY.fullmatch(text):
        day, month, year = int(m[1]), int(m[2]), int(m[3])
    elif m := _ISO_DAY.fullmatch(text):
        year, month, day = int(m[1]), int(m[2]), int(m[3])
    elif m := _YEAR.fullmatch(text):
        year, month, day = int(m[1]), 12, 31
    else:
        return None
    if not 1800 <= year <= 2200:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def written(day: date) -> str:
    """A Stichtag as German statistics write it, for messages: 31.12.2023."""
    return day.strftime("%d.%m.%Y")


_KEY = re.compile(r"DG|\d{2}|\d{3}|\d{5}|\d{8}|\d{9}|\d{12}")


@lru_cache(maxsize=1 << 16)
def region_key(text: str) -> str | None:
    """An official German region key: ``DG`` (Deutschland), a Land (2 digits), Regierungsbezirk (3), Kreis (5),
    Gemeinde (8, the AGS), Gemeindeverband (9). A 12-digit Regionalschlüssel (ARS) becomes the Gemeinde's AGS
    (Land, Regierungsbezirk and Kreis, then the last three digits). None for anything else."""
    text = text.strip()
    if not _KEY.fullmatch(text):
        return None
    return text[:5] + text[9:] if len(text) == 12 else text


# --- labels -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Meaning:
    """What the labels of a value say about it; None where they say nothing. ``used`` False: a value we do
    not read (a nationality, a balance, an average, a share, a value in thousands …). ``rank`` orders moves by
    the border they cross: 0 a Gemeinde's (or none named), 1 a Kreis's, 2 a Land's."""

    measure: Measure | None = None
    sex: Sex | None = None
    band: Band | None = None
    stichtag: date | None = None
    rank: int = 0
    used: bool = True


NOTHING_SAID = Meaning()
NOT_USED = Meaning(used=False)
_TOTALS = frozenset({"", "insgesamt", "zusammen", "gesamt", "total", "alle", "alle altersgruppen", "anzahl"})
_TOTALS |= {"personen", "altersgruppen insgesamt", "geschlecht insgesamt", "wanderungen", "zu- und fortzuege"}
_SEXES: dict[str, Sex] = {"maennlich": "m", "weiblich": "f", "maenner": "m", "frauen": "f", "male": "m", "female": "f"}
_NOT_COUNTS: tuple[str, ...] = (
    "saldo",
    "durchschnitt",
    "je 1",
    "anteil",
    "quote",
    "dichte",
    "ueberschuss",
    "prozent",
    "%",
)
_NOT_COUNTS += ("veraenderung", "ausland", "grenzen deutschlands", "in 1000", "tausend", "tsd", "auslaender")
_MEASURES: tuple[tuple[str, Measure], ...] = (
    ("lebendgeboren", "births"),
    ("geburten", "births"),
    ("gestorben", "deaths"),
    ("sterbefaelle", "deaths"),
    ("zuzuege", "moves_in"),
    ("zugezogen", "moves_in"),
    ("fortzuege", "moves_out"),
    ("fortgezogen", "moves_out"),
    ("bevoelkerung", "population"),
    ("einwohner", "population"),
)


@lru_cache(maxsize=4096)
def meaning(label: str) -> Meaning:
    """What one label says: a total or unit ("Insgesamt", "Anzahl": nothing), a sex, an age band, a Stichtag,
    a measure ("Bevölkerungsstand", "Lebendgeborene", "Zuzüge über die Gemeindegrenzen"); anything else is a
    value we do not read. Underscores count as spaces (flat-file column names: ``BEVSTD__Bevoelkerungsstand``)."""
    words = fold(label.replace("_", " "))
    if words in _TOTALS:
        return NOTHING_SAID
    if words in _SEXES:
        return Meaning(sex=_SEXES[words])
    if band := band_of(label):
        return Meaning(band=band)
    if day := stichtag(label):
        return Meaning(stichtag=day)
    if any(part in words for part in _NOT_COUNTS):
        return NOT_USED
    for stem, measure in _MEASURES:
        if stem in words:
            rank = 2 if "landesgrenze" in words else 1 if "kreisgrenze" in words else 0
            return Meaning(measure=measure, rank=rank if measure.startswith("moves") else 0)
    return NOT_USED


def combined(meanings: Iterable[Meaning]) -> Meaning:
    """What several labels of one value say together; two that disagree (two sexes, two bands …) make a value
    we do not read."""
    total = NOTHING_SAID
    for part in meanings:
        total = _both(total, part)
    return total


@lru_cache(maxsize=4096)
def _both(first: Meaning, second: Meaning) -> Meaning:
    if not (first.used and second.used):
        return NOT_USED
    said = {}
    for name in ("measure", "sex", "band", "stichtag"):
        mine, theirs = getattr(first, name), getattr(second, name)
        if mine is not None and theirs is not None and mine != theirs:
            return NOT_USED
        said[name] = theirs if mine is None else mine
    return Meaning(**said, rank=max(first.rank, second.rank))


def measure_of(table: str) -> Measure | None:
    """The measure a table's code implies (12411-… population), None where its labels must say."""
    return STATISTICS.get(table[:5])
