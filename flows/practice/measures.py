"""The Werkstattplan's measures as typed values, from the stored answers (old and new record layouts alike)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flows.practice.model import Baseline, Indicator, Measure, Owner
from flows.reading import read_number

MEASURES = "wp_measures"
"""The records step holding the plan's measures."""


def owner_of(value: Any) -> Owner | None:
    """A stored owner: ``{"member", "name"}``, ``{"name"}`` or an older plain name."""
    if isinstance(value, str):
        return Owner(value.strip()) if value.strip() else None
    if isinstance(value, Mapping) and value.get("name"):
        member = value.get("member")
        return Owner(str(value["name"]), int(member) if isinstance(member, int) else None)
    return None


def _number(value: Any) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, str):
        number = read_number(value.strip().lstrip("-"))
        if number is None:
            return None
        return -float(number) if value.strip().startswith("-") else float(number)
    return None


def indicator_of(value: Mapping[str, Any]) -> Indicator | None:
    name = str(value.get("name") or "").strip()
    if not name:
        return None
    base = value.get("baseline")
    baseline = (
        Baseline(_number(base.get("value")), base.get("date") or None, base.get("source") or None)
        if isinstance(base, Mapping)
        else None
    )
    target = value.get("target")
    return Indicator(
        name=name,
        unit=value.get("unit") or None,
        statistic=value.get("statistic") or None,
        baseline=baseline,
        target=_number(target),
        target_text=str(target) if isinstance(target, str) and _number(target) is None else None,
        target_date=value.get("target_date") or None,
    )


def indicators_of(record: Mapping[str, Any]) -> tuple[Indicator, ...]:
    """A record's indicators: the list ``indicators``, or an older record's texts ``indicator`` and ``target``."""
    listed = record.get("indicators")
    if isinstance(listed, list):
        return tuple(i for i in (indicator_of(v) for v in listed if isinstance(v, Mapping)) if i is not None)
    name = record.get("indicator")
    if isinstance(name, str) and name.strip():
        old = indicator_of({"name": name, "target": record.get("target")})
        return (old,) if old is not None else ()
    return ()


def measure_of(record: Mapping[str, Any]) -> Measure:
    ideas = record.get("ideas")
    return Measure(
        uid=str(record.get("uid") or ""),
        title=str(record.get("measure") or "").strip() or "…",
        field=record.get("field") or None,
        goal=record.get("goal") or None,
        owner=owner_of(record.get("owner")),
        start=record.get("start") or None,
        end=record.get("end") or None,
        budget=record.get("budget"),
        indicators=indicators_of(record),
        ideas=tuple(str(i) for i in ideas) if isinstance(ideas, list) else (),
    )


def measures(answers: Mapping[str, Any]) -> list[Measure]:
    """The plan's measures in their order."""
    return [measure_of(r) for r in answers.get(MEASURES) or [] if isinstance(r, Mapping)]
