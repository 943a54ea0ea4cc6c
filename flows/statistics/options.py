"""Which option of a question a municipality picked in the official directory gives (``Step.from_place``).

The step's options say which official codes they stand for (``Option.codes``: a Land key, a région code, a
GV100AD Textkennzeichen, a COG TYPECOM) or which size class (``Option.population_below``). Where the place does
not tell (the COG has no population; a code no option stands for), there is no answer.
"""

from __future__ import annotations

from flows.content.model import Option, Step
from flows.statistics.directory import region_code
from flows.statistics.model import Place


def answer_from(step: Step, place: Place) -> str | None:
    """The option of ``step`` that ``place`` gives, or None where it gives none (or the step is not asked there)."""
    options: list[Option] = list(getattr(step, "options", None) or [])
    if step.from_place is None or (step.countries and place.country not in step.countries):
        return None
    if step.from_place == "size":
        return _size(options, place.population)
    code = place.kind if step.from_place == "kind" else region_code(place.land)  # options name "94", not "REG-94"
    return next((o.id for o in options if code and code in o.codes and _offered(o, place)), None)


def _size(options: list[Option], population: int | None) -> str | None:
    """The first size class the population is below, else the open-ended one."""
    if population is None or not any(o.population_below for o in options):
        return None
    below = next((o.id for o in options if o.population_below is not None and population < o.population_below), None)
    return below or next((o.id for o in options if o.population_below is None), None)


def _offered(option: Option, place: Place) -> bool:
    return not option.countries or place.country in option.countries
