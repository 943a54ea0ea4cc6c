"""Age bands as statistics files name them ("unter 3 Jahre", "3 bis unter 6 Jahre", "75 Jahre und mehr",
GENESIS codes such as ``ALT003B06``), as German labels again, and whether a set of them covers every age.

A band is ``(from, to)`` in whole years, ``from`` inclusive and ``to`` exclusive; ``to`` None is "and older".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from flows.reading import fold

Band = tuple[int, int | None]

_UNDER = re.compile(r"(?:unter|bis unter) (\d{1,3})(?: jahre?n?)?")
_BETWEEN = re.compile(r"(?:von )?(\d{1,3}) ?(?:bis unter|-|–) ?(\d{1,3})(?: jahre?n?)?")
_AND_OLDER = re.compile(
    r"(\d{1,3})(?: jahre?n?)? (?:und|u\.?) ?(?:mehr|m\.?|aelter|darueber|ueber)(?: jahre?n?)?"
    r"|ab (\d{1,3})(?: jahre?n?)?"
)
_ONE_YEAR = re.compile(r"(\d{1,3})(?: jahre?n?|-jaehrige)")
_CODE_BETWEEN = re.compile(r"alt(\d{3})b(\d{2,3})")
_CODE_AND_OLDER = re.compile(r"alt(\d{3})um")
OLDEST = 120
"""No band starts beyond this age."""


@lru_cache(maxsize=1024)
def band_of(label: str) -> Band | None:
    """The band a label or GENESIS code names; None where it names none ("Insgesamt", "männlich")."""
    text = fold(label)
    band: Band | None = None
    if m := _UNDER.fullmatch(text):
        band = (0, int(m[1]))
    elif m := _BETWEEN.fullmatch(text):
        band = (int(m[1]), int(m[2]))
    elif m := _AND_OLDER.fullmatch(text):
        band = (int(m[1] or m[2]), None)
    elif m := _ONE_YEAR.fullmatch(text):
        band = (int(m[1]), int(m[1]) + 1)
    elif m := _CODE_BETWEEN.fullmatch(text):
        band = (int(m[1]), int(m[2]))
    elif m := _CODE_AND_OLDER.fullmatch(text):
        band = (int(m[1]), None)
    if band is None or band[0] > OLDEST or (band[1] is not None and band[1] <= band[0]):
        return None
    return band


def label_of(band: Band) -> str:
    """The band as GENESIS labels it: "unter 3 Jahre", "3 bis unter 6 Jahre", "75 Jahre und mehr"."""
    start, end = band
    if end is None:
        return f"{start} Jahre und mehr"
    if start == 0:
        return f"unter {end} {'Jahr' if end == 1 else 'Jahre'}"
    return f"{start} bis unter {end} Jahre"


def gaps(bands: Iterable[Band]) -> tuple[list[Band], list[tuple[Band, Band]]]:
    """What keeps ``bands`` from covering every age from 0 to an open end exactly once: the missing bands (a
    gap below a band, or above the last when it is closed) and the pairs that overlap."""
    missing: list[Band] = []
    overlaps: list[tuple[Band, Band]] = []
    reached: int | None = 0
    previous: Band | None = None
    for band in sorted(bands, key=lambda b: (b[0], OLDEST + 1 if b[1] is None else b[1])):
        if previous is not None and (reached is None or band[0] < reached):
            overlaps.append((previous, band))
        elif reached is not None and band[0] > reached:
            missing.append((reached, band[0]))
        reached = None if band[1] is None or reached is None else max(reached, band[1])
        previous = band
    if reached is not None and previous is not None:
        missing.append((reached, None))
    return missing, overlaps
