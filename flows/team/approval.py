"""Approvals: the steering group agreed a stage on a date; what changed in it since then."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flows.content.model import InfoStep, Stage
from flows.team.view import Team

APPROVABLE = ("kommunalprofil", "werkstattplan")
"""The stages a steering group agrees on: the SWOT of the municipality profile and the workshop plan."""


def snapshot(stage: Stage, answers: Mapping[str, Any]) -> dict[str, Any]:
    """A stage's answers as they are now (what an approval keeps)."""
    return {s.id: answers[s.id] for s in stage.steps if not isinstance(s, InfoStep) and s.id in answers}


def changed_since(stage: Stage, agreed: Mapping[str, Any], answers: Mapping[str, Any]) -> list[str]:
    """The stage's steps whose answer differs from the one agreed (added, changed or removed), in stage order."""
    now = snapshot(stage, answers)
    return [
        s.id
        for s in stage.steps
        if not isinstance(s, InfoStep) and ((s.id in now) != (s.id in agreed) or now.get(s.id) != agreed.get(s.id))
    ]


def approval_of(team: Team | None, stage_id: str) -> tuple[str, Mapping[str, Any]] | None:
    """The date a stage was agreed and its answers then, or None."""
    return team.approvals.get(stage_id) if team is not None else None
