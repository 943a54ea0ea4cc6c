"""Who wrote each entry of a shared list: kept for entries that stay, the writer for new ones."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any


def _key(entry: Any) -> str:
    return json.dumps(entry, sort_keys=True, ensure_ascii=False)


def entry_authors(
    old: Any, old_authors: Sequence[int | None] | None, new: Any, writer: int, old_writer: int | None = None
) -> list[int | None] | None:
    """The author of each entry of ``new`` (a list answer), in order; None when ``new`` is no list.

    An entry that was in ``old`` keeps its author (matched by value, each old entry once); entries
    without a recorded author were written by ``old_writer`` (the answer's last author before lists
    were attributed); everything else is the writer's.
    """
    if not isinstance(new, list):
        return None
    before = list(old) if isinstance(old, list) else []
    known = list(old_authors) if old_authors is not None and len(old_authors) == len(before) else None
    pool: dict[str, list[int | None]] = {}
    for i, entry in enumerate(before):
        pool.setdefault(_key(entry), []).append(known[i] if known is not None else old_writer)
    authors: list[int | None] = []
    for entry in new:
        owners = pool.get(_key(entry))
        authors.append(owners.pop(0) if owners else writer)
    return authors
