"""The official municipality directories, read into places: Destatis GV100AD (Germany) and INSEE COG (France).

A file is read completely or not at all: every bad record is a :class:`~flows.statistics.model.Problem` with
its line and column, and any problem rejects the whole file (:class:`~flows.statistics.model.Rejected`).
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date

from gv100ad import (
    District,
    DistrictType,
    GV100ADReader,
    MunicipalAssociation,
    MunicipalAssociationType,
    Municipality,
    MunicipalityType,
)
from gv100ad.entities.base_record import BaseRecord

from flows.content.i18n import N_
from flows.reading import fold
from flows.statistics.encoding import decoded, lines
from flows.statistics.model import Level, Place, Problem, Rejected

__all__ = ["REGION_PREFIX", "folded_name", "plain_name", "read_cog", "read_gv100ad", "region_code", "region_key"]

# --- the lookup form of a name ------------------------------------------------------------------------------

_SPELLED_OUT = re.compile(r"(?<=[aou])e")
"""ä, ö, ü fold to ae, oe, ue; people also type a, o, u ("Munchen"): both become a, o, u."""
_NOT_WORD = re.compile(r"[\W_]+")
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ø": "o", "ł": "l", "đ": "d"})


def plain_name(name: str) -> str:
    """A directory's name without its designation after the comma: "Grabow, Stadt" gives "Grabow"."""
    return name.split(",", 1)[0].strip()


def folded_name(name: str) -> str:
    """The form a name is looked up by: without the directory's suffix after the comma ("Grabow, Stadt",
    "München, Landeshauptstadt"), folded (:func:`flows.reading.fold`), without accents and punctuation,
    umlauts as plain vowels. "München", "Muenchen" and "munchen" all give "munchen"; "L'Abergement-Clémenciat"
    gives "l abergement clemenciat". A query is folded the same way, so a prefix of it finds the name."""
    text = fold(plain_name(name)).translate(_LIGATURES)
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return " ".join(_NOT_WORD.sub(" ", _SPELLED_OUT.sub("", text)).split())


# --- GV100AD (Destatis) ---------------------------------------------------------------------------------------

RECORD_LENGTH = 220
_LEVELS: dict[str, Level] = {
    "10": "land",
    "20": "regierungsbezirk",
    "30": "region",
    "40": "kreis",
    "50": "gemeindeverband",
    "60": "gemeinde",
}
_RECORD = re.compile(r"^(?:10|20|30|40|50|60)\d{8}")
_KINDS: dict[str, set[int]] = {
    "40": {t.value for t in DistrictType},
    "50": {t.value for t in MunicipalAssociationType},
    "60": {t.value for t in MunicipalityType},
}
"""The Textkennzeichen the reader knows, per Satzart (0: none given)."""


@dataclass(frozen=True)
class _Number:
    """A field of digits: its name in the record description, where it is (0-based, end exclusive)."""

    name: str
    start: int
    end: int
    required: bool = True


_KEY = {"10": 12, "20": 13, "30": 14, "40": 15, "50": 15, "60": 18}
"""Where the Regionalschlüssel ends, per Satzart (it starts at column 11)."""
_TEXTKENNZEICHEN = _Number("Textkennzeichen", 122, 124, required=False)
_NUMBERS: dict[str, tuple[_Number, ...]] = {
    "40": (_TEXTKENNZEICHEN,),
    "50": (_Number("Gemeindeverband", 18, 22), _TEXTKENNZEICHEN),
    "60": (
        _Number("Gemeindeverband", 18, 22, required=False),
        _TEXTKENNZEICHEN,
        _Number("Fläche", 128, 139),
        _Number("Bevölkerung", 139, 150),
        _Number("Bevölkerung männlich", 150, 161),
        _Number("Postleitzahl", 165, 170, required=False),
    ),
}

NOT_GV100AD = N_(
    "This is not a GV100AD file: its records are 220 characters long and start with the Satzart (10 to 60) "
    "and the Gebietsstand (YYYYMMDD)."
)
NO_RECORDS = N_("The file holds no record.")
WRONG_LENGTH = N_("The record has {length} characters; a GV100AD record has 220.")
UNKNOWN_SATZART = N_("“{value}” is not a Satzart of the GV100AD (10, 20, 30, 40, 50 or 60).")
NOT_A_DATE = N_("“{value}” is not a date (the Gebietsstand is written YYYYMMDD).")
NOT_A_NUMBER = N_("“{value}” is not a number ({field}).")
MISSING = N_("The field {field} is empty.")
UNKNOWN_KIND = N_("“{value}” is not a Textkennzeichen of this Satzart.")
POSTCODE_MARK = N_("“{value}” is not a postcode mark (“*****” for a Gemeinde with several postcodes, or blank).")
TWICE = N_("The key {key} appears a second time (first on line {first}).")
UNREADABLE = N_("The record cannot be read: {reason}")


def read_gv100ad(data: bytes) -> list[Place]:
    """Every Land, Regierungsbezirk, Region, Kreis, Gemeindeverband and Gemeinde of a GV100AD file (one
    fixed-width record of 220 characters per line, UTF-8 or ISO-8859-1); raises Rejected naming each bad
    record's line and column. Keys: Land 2 digits, Regierungsbezirk 3, Region 4, Kreis 5, Gemeinde 8 (the AGS),
    Gemeindeverband 9 (Kreis and Verband)."""
    text, _ = decoded(data)
    numbered = [(n, line) for n, line in enumerate(lines(text), 1) if line.strip()]
    if not numbered:
        raise Rejected([Problem(NO_RECORDS)])
    if not _RECORD.match(numbered[0][1]):
        raise Rejected([Problem(NOT_GV100AD, line=numbered[0][0], column=1)])
    problems = [p for n, line in numbered for p in _record_problems(n, line)]
    if problems:
        raise Rejected(problems)
    reader = GV100ADReader(io.StringIO("\n".join(line for _, line in numbered)))
    places: list[Place] = []
    try:
        for record in reader.read():
            places.append(_place_of_record(record, numbered[len(places)][1][:2]))
    except ValueError as exc:  # what the package refuses beyond the checks above
        line = numbered[len(places)][0]
        raise Rejected([Problem(UNREADABLE, (("reason", str(exc)),), line=line)]) from None
    _refuse_twice(places, [n for n, _ in numbered])
    return places


def _record_problems(n: int, line: str) -> Iterator[Problem]:
    """What is wrong with one record; the first problem per field, none past a wrong length."""
    satzart = line[:2]
    if satzart not in _LEVELS:
        yield Problem(UNKNOWN_SATZART, (("value", satzart),), n, 1)
        return
    if len(line) != RECORD_LENGTH:
        yield Problem(WRONG_LENGTH, (("length", str(len(line))),), n, min(len(line), RECORD_LENGTH) + 1)
        return
    if not _is_date(line[2:10]):
        yield Problem(NOT_A_DATE, (("value", line[2:10]),), n, 3)
    key = _Number("Regionalschlüssel", 10, _KEY[satzart])
    for field in (key, *_NUMBERS.get(satzart, ())):
        problem = _number_problem(n, line, field)
        if problem is not None:
            yield problem
    if not line[22:72].strip():
        yield Problem(MISSING, (("field", "Name"),), n, 23)
    kind = line[122:124].strip()
    if satzart in _KINDS and kind.isdigit() and int(kind) not in _KINDS[satzart]:
        yield Problem(UNKNOWN_KIND, (("value", kind),), n, 123)
    if satzart == "60" and line[170:175] not in ("*****", "     "):
        yield Problem(POSTCODE_MARK, (("value", line[170:175]),), n, 171)


def _is_date(text: str) -> bool:
    try:
        return text.isdigit() and bool(date(int(text[:4]), int(text[4:6]), int(text[6:])))
    except ValueError:
        return False


def _number_problem(n: int, line: str, field: _Number) -> Problem | None:
    """A non-digit in a field of digits (leading blanks allowed), at its column; a required field left blank."""
    value = line[field.start : field.end]
    digits = value.lstrip(" ")
    if not digits:
        if not field.required:
            return None
        return Problem(MISSING, (("field", field.name),), n, field.start + 1)
    for i, c in enumerate(digits):
        if c not in "0123456789":
            column = field.start + len(value) - len(digits) + i + 1
            return Problem(NOT_A_NUMBER, (("value", value.strip()), ("field", field.name)), n, column)
    return None


def _place_of_record(record: BaseRecord, satzart: str) -> Place:
    level = _LEVELS[satzart]
    key: str = getattr(record, "regional_code", "")
    kind, postcode, population = "", "", None
    if isinstance(record, MunicipalAssociation):
        key += record.association
    if isinstance(record, (District, MunicipalAssociation, Municipality)) and record.type.value:
        kind = str(record.type.value)
    if isinstance(record, Municipality):
        postcode, population = record.postal_code, record.inhabitants
    return Place(
        country="de",
        key=key,
        level=level,
        name=record.name,
        kreis=key[:5] if level in ("gemeindeverband", "gemeinde") else "",
        land=key[:2] if level != "land" else "",
        kind=kind,
        postcode=postcode,
        population=population,
        stand=record.timestamp,
    )


def _refuse_twice(places: Sequence[Place], line_numbers: Sequence[int]) -> None:
    first: dict[str, int] = {}
    problems = []
    for place, n in zip(places, line_numbers, strict=True):
        if place.key in first:
            problems.append(Problem(TWICE, (("key", place.key), ("first", str(first[place.key]))), n, 11))
        first.setdefault(place.key, n)
    if problems:
        raise Rejected(problems)


# --- COG (INSEE) ----------------------------------------------------------------------------------------------

REGION_PREFIX = "REG-"
"""A région's key is ``REG-`` and its code (``REG-84``): région and département codes overlap (84 is
Auvergne-Rhône-Alpes and Vaucluse), and the directory holds both under one country."""
_COMMUNE = re.compile(r"^(?:\d{5}|2[AB]\d{3})$")
_DEPARTEMENT = re.compile(r"^(?:\d{2}|2[AB]|97\d)$")
_REGION = re.compile(r"^\d{2}$")
_KEPT = {"COM": "COM", "ARM": "ARM", "1": "COM", "5": "ARM"}
"""TYPECOM (ACTUAL before 2019) kept: communes and the municipal arrondissements of Paris, Lyon and Marseille.
Communes déléguées and associées (COMD, COMA; ACTUAL 2, 3, 4, 6) are left out: they are parts of a commune, and
a commune déléguée may carry the very code of its commune nouvelle."""
_SKIPPED = {"COMD", "COMA", "2", "3", "4", "6"}
_Reader = Callable[["_Row", date | None, list[Problem]], Place | None]
"""Reads one row of a COG file into a place (None where it is skipped or has problems)."""

NOT_COG = N_(
    "This is not a COG file of communes, départements or régions: the header names none of COM, DEP and REG "
    "(it reads “{header}”)."
)
MISSING_COLUMN = N_("The header lacks the column {column}.")
FIELD_COUNT = N_("The row has {count} fields where the header has {expected}.")
NOT_A_CODE = N_("“{value}” is not a valid code ({what}).")
UNKNOWN_TYPECOM = N_("“{value}” is not a TYPECOM of the COG (COM, COMA, COMD, ARM).")


def region_key(code: str) -> str:
    """The directory's key of the région with this COG code ("84" -> "REG-84")."""
    return REGION_PREFIX + code


def region_code(key: str) -> str:
    """The COG code of the région with this directory key ("REG-84" -> "84"); any other key as it is."""
    return key.removeprefix(REGION_PREFIX)


def read_cog(data: bytes, stand: date | None = None) -> list[Place]:
    """The communes (with Paris', Lyon's and Marseille's arrondissements), départements or régions of an INSEE
    COG file, whichever its header names: current CSV (``v_commune_2024.csv``: TYPECOM, COM, REG, DEP, …,
    LIBELLE; ``v_departement_*``; ``v_region_*``; comma-separated, UTF-8) and the layouts before 2019 (tab-
    separated, COM as the number within the département, the name as article and NCCENR). ``stand``: the COG's
    date (1 January of its year), which the file itself does not state; raises Rejected."""
    text, _ = decoded(data)
    rows = _rows(text)
    header = next(rows, None)
    if header is None:
        raise Rejected([Problem(NO_RECORDS)])
    names = [h.strip().upper() for h in header[1]]
    column = {name: i for i, name in enumerate(names)}
    if "REGION" in column and "REG" not in column:
        column["REG"] = column["REGION"]
    place: _Reader
    if "COM" in column:
        place, needed = _commune, ["COM", "DEP", "REG"]
    elif "DEP" in column:
        place, needed = _departement, ["DEP", "REG"]
    elif "REG" in column:
        place, needed = _region, ["REG"]
    else:
        raise Rejected([Problem(NOT_COG, (("header", ",".join(header[1])[:80]),), header[0])])
    lacking = [c for c in needed if c not in column] + ([] if {"LIBELLE", "NCCENR"} & set(column) else ["LIBELLE"])
    if lacking:
        raise Rejected([Problem(MISSING_COLUMN, (("column", c),), header[0]) for c in lacking])
    places: list[Place] = []
    problems: list[Problem] = []
    numbers: list[int] = []
    for n, fields in rows:
        if len(fields) != len(names):
            problems.append(Problem(FIELD_COUNT, (("count", str(len(fields))), ("expected", str(len(names)))), n))
            continue
        row = _Row(n, {name: fields[i].strip() for name, i in column.items()}, column)
        found = place(row, stand, problems)
        if found is not None:
            places.append(found)
            numbers.append(n)
    if problems:
        raise Rejected(problems)
    if not places:
        raise Rejected([Problem(NO_RECORDS)])
    _refuse_twice(places, numbers)
    return places


def _rows(text: str) -> Iterator[tuple[int, list[str]]]:
    """Each non-empty row with the line it starts on; tab- or comma-separated, as the header line shows."""
    first = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first else ";" if ";" in first and "," not in first else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    start = 1
    for fields in reader:
        if any(f.strip() for f in fields):
            yield start, fields
        start = reader.line_num + 1


@dataclass(frozen=True)
class _Row:
    """One row of a COG file: its line, its fields by column name, and where each column is."""

    line: int
    fields: dict[str, str]
    columns: dict[str, int]

    def get(self, name: str) -> str:
        return self.fields.get(name, "")

    def code(self, name: str, pattern: re.Pattern[str], what: str, problems: list[Problem]) -> str:
        """The code in column ``name``, or "" after adding a problem where it does not match ``pattern``."""
        value = self.get(name)
        if pattern.match(value):
            return value
        problems.append(Problem(NOT_A_CODE, (("value", value), ("what", what)), self.line, self.columns[name] + 1))
        return ""

    def name(self, problems: list[Problem]) -> str:
        """LIBELLE (from 2019), else the article (ARTMIN "(L')", or from TNCC) and NCCENR, as INSEE writes it."""
        name = self.get("LIBELLE") or _with_article(self.get("ARTMIN"), self.get("NCCENR"))
        if not name:
            column = self.columns.get("LIBELLE", self.columns.get("NCCENR", 0))
            problems.append(Problem(MISSING, (("field", "LIBELLE"),), self.line, column + 1))
        return name


def _with_article(article: str, name: str) -> str:
    article = article.strip("()")
    if not article or not name:
        return name
    return article + name if article.endswith("'") else f"{article} {name}"


def _commune(row: _Row, stand: date | None, problems: list[Problem]) -> Place | None:
    typecom = row.get("TYPECOM") or row.get("ACTUAL") or "COM"
    if typecom in _SKIPPED:
        return None
    if typecom not in _KEPT:
        column = row.columns.get("TYPECOM", row.columns.get("ACTUAL", 0))
        problems.append(Problem(UNKNOWN_TYPECOM, (("value", typecom),), row.line, column + 1))
        return None
    before = len(problems)
    dep = row.code("DEP", _DEPARTEMENT, "département", problems)
    reg = row.code("REG", _REGION, "région", problems)
    com = row.get("COM")
    if "LIBELLE" not in row.columns and dep and len(com) < 5:  # before 2019: the number within the département
        com = (dep if len(dep + com) == 5 else dep[:2]) + com
    if not _COMMUNE.match(com):
        problems.append(Problem(NOT_A_CODE, (("value", com), ("what", "commune")), row.line, row.columns["COM"] + 1))
    name = row.name(problems)
    if len(problems) > before:
        return None
    kind = _KEPT[typecom]
    return Place("fr", com, "commune", name, kreis=dep, land=region_key(reg), kind=kind, stand=stand)


def _departement(row: _Row, stand: date | None, problems: list[Problem]) -> Place | None:
    before = len(problems)
    dep = row.code("DEP", _DEPARTEMENT, "département", problems)
    reg = row.code("REG", _REGION, "région", problems)
    name = row.name(problems)
    if len(problems) > before:
        return None
    return Place("fr", dep, "departement", name, land=region_key(reg), stand=stand)


def _region(row: _Row, stand: date | None, problems: list[Problem]) -> Place | None:
    before = len(problems)
    reg = row.code("REG", _REGION, "région", problems)
    name = row.name(problems)
    if len(problems) > before:
        return None
    return Place("fr", region_key(reg), "region", name, stand=stand)
