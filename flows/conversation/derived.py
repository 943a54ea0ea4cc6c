"""Answers the official directory gives: a step with ``from_place`` is answered from the municipality picked there
(flows/statistics/options.py says which option); where the place does not tell, the step is asked as before."""

from __future__ import annotations

from typing import Any

from flows.content.model import Stage
from flows.statistics.model import Place
from flows.statistics.options import answer_from

__all__ = ["answer_from", "answers_from"]


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
