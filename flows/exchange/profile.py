"""A workspace's exchange facts, derived from its answers (and the place picked in the official directory): what
other municipalities see of it, without its name, and what the matching compares."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flows.content.content import Content
from flows.exchange.model import Facts
from flows.exchange.shown import KIND_STEP, REGION_STEPS, SIZE_STEP
from flows.statistics.model import Country, Place
from flows.statistics.options import answer_from
from flows.toolbox.recommend import FIELD_SOURCES

PLAN_STEP = "wp_measures"
OUTSIDE = "other"
"""The ob_land option of a municipality outside Germany: no region."""


def derive(content: Content, answers: Mapping[str, Any], place: Place | None) -> Facts:
    """The facts the answers give: each from its question, else from ``place`` (the directory's) where one was picked.

    Fields of action come from the priorities of the Zukunftswerkstatt, else the Kommunalprofil's candidates, else
    the onboarding's choice (as the toolbox recommends); the stage is the furthest DAKS stage with an answer.
    """
    picked = answers.get(content.profile_steps.get("name", ""))
    name = str(picked.get("name") or "") if isinstance(picked, dict) else str(picked or "")
    regions = [_option(content, answers, place, step_id) for step_id in REGION_STEPS]
    fields = next((list(answers[s]) for s in FIELD_SOURCES if isinstance(answers.get(s), list) and answers[s]), [])
    return Facts(
        name=name.strip(),
        country=country(content, answers, place),
        kind=_option(content, answers, place, KIND_STEP),
        size=_option(content, answers, place, SIZE_STEP),
        region=next((r for r in regions if r and r != OUTSIDE), ""),
        key=place.key if place is not None else "",
        kreis=place.kreis if place is not None else "",
        fields=tuple(f for f in fields if f in content.handlungsfelder),
        stage=_stage(content, answers),
        has_plan=bool(answers.get(PLAN_STEP)),
    )


def country(content: Content, answers: Mapping[str, Any], place: Place | None) -> Country:
    """Where the municipality is, as the conversation decides it (``Ctx.country``): the directory's, else an
    answer's option that says so, else Germany."""
    if place is not None:
        return place.country
    picked = answers.get(content.profile_steps.get("name", ""))
    if isinstance(picked, dict) and picked.get("country") in ("de", "fr"):
        return "fr" if picked["country"] == "fr" else "de"
    for step_id, value in answers.items():
        if isinstance(value, str) and step_id in content.steps:
            chosen = next((o for o in getattr(content.step(step_id), "options", ()) if o.id == value), None)
            if chosen is not None and chosen.country:
                return chosen.country
    return "de"


def _option(content: Content, answers: Mapping[str, Any], place: Place | None, step_id: str) -> str:
    """The option chosen at ``step_id``, else the one the place gives ("" when neither says)."""
    if step_id not in content.steps:
        return ""
    value = answers.get(step_id)
    if isinstance(value, str) and value:
        return value
    found = answer_from(content.step(step_id), place) if place is not None else None
    return found or ""


def _stage(content: Content, answers: Mapping[str, Any]) -> str:
    for stage in reversed(content.daks_stages):
        if any(s.kind != "info" and answers.get(s.id) not in (None, "", [], {}) for s in stage.steps):
            return stage.id
    return ""
