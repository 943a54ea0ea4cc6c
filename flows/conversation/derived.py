"""Answers the official directory gives: a step with ``from_place`` is answered from the municipality picked there.

The step's options say which official codes they stand for (``Option.codes``: a Land key, a région code, a
GV100AD Textkennzeichen, a COG TYPECOM) or which size class (``Option.population_below``). Where the place does
not tell (the COG has no population; a code no option stands for), the step is asked as before.
"""

from __future__ import annotations

from typing import Any

from flows.content.model import Option, Stage, Step
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


def answers_from(stage: Stage, place: Place, before: Place | None, answers: dict[str, Any]) -> dict[str, Any]:
    """What picking ``place`` gives the stage's steps (see ``Result.also``).

    A step whose answer came from the place picked ``before`` and that the new place cannot answer loses it
    (None), so that it is asked again; an answer the person gave themselves stays.
    """
    found: dict[str, Any] = {}
    for step in stage.steps:
        if step.from_place is None:
            continue
        value = answer_from(step, place)
        if value is not None:
            found[step.id] = value
        elif step.id in answers and before is not None and answer_from(step, before) == answers[step.id]:
            found[step.id] = None
    return found


def _size(options: list[Option], population: int | None) -> str | None:
    """The first size class the population is below, else the open-ended one."""
    if population is None or not any(o.population_below for o in options):
        return None
    below = next((o.id for o in options if o.population_below is not None and population < o.population_below), None)
    return below or next((o.id for o in options if o.population_below is None), None)


def _offered(option: Option, place: Place) -> bool:
    return not option.countries or place.country in option.countries
