"""Checks of a read statistics file against what is stored: are its regions in the municipality directory?

A region is looked up by its key, and the directory keys each place by its official key at its level (Land 2
digits, Regierungsbezirk 3, Kreis 5, Gemeinde 8, Gemeindeverband 9), so a key is found at its own level only.
The aggregate ``DG`` (Deutschland) is in no directory and always allowed.

The check needs the directory. While nothing of it is imported, it cannot run: the caller does not call
:func:`unknown_regions` then, stores the file all the same and says so with :data:`NOT_CHECKED` (a warning, not a
rejection: the directory is an admin's import, and refusing every statistics file before it would only make the
order of two imports matter).
"""

from __future__ import annotations

from collections.abc import Callable

from flows.content.i18n import N_
from flows.statistics.model import Problem, Sheet

AGGREGATES = frozenset({"DG"})
"""Region keys of statistics files that no municipality directory holds: Deutschland."""
NOT_IN_DIRECTORY = N_('Region {key} "{name}" is not in the municipality directory.')
NOT_IN_DIRECTORY_UNNAMED = N_("Region {key} is not in the municipality directory.")
NOT_CHECKED = N_("The municipality directory is empty, so the regions of this file were not checked against it.")


def unknown_regions(sheet: Sheet, known: Callable[[str], bool]) -> list[Problem]:
    """A problem for each region of ``sheet`` that ``known`` (is this key in the directory?) does not know, in the
    order the file names them; none for ``DG``. ``known`` is asked once per region."""
    names = dict(sheet.regions)
    for figure in sheet.figures:
        names.setdefault(figure.region, "")
    problems = []
    for key, name in names.items():
        if key in AGGREGATES or known(key):
            continue
        if name:
            problems.append(Problem(NOT_IN_DIRECTORY, (("key", key), ("name", name))))
        else:
            problems.append(Problem(NOT_IN_DIRECTORY_UNNAMED, (("key", key),)))
    return problems
