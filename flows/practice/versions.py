"""Versions of the Werkstattplan: which one the plan is at now, and what changed since a recorded one.

The answers compared are the Werkstattplan stage's (``flows.team.approval.snapshot``); a measure is matched by its
uid, and only its content fields count (``fields``: the ids of the measures step's fields), not bookkeeping such as
the ideas it was made from.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from flows.content.content import Content
from flows.content.model import RecordsStep
from flows.practice.measures import MEASURES, measure_of
from flows.practice.model import Version

STAGE = "werkstattplan"
"""The stage whose answers make a version of the plan."""
ChangeKind = Literal["added", "removed", "changed", "answer"]


@dataclass(frozen=True)
class Change:
    """One difference: a measure added or removed, a measure's field changed, or another answer of the stage."""

    kind: ChangeKind
    measure: str = ""
    """The measure's uid ("" for another answer)."""
    title: str = ""
    """The measure's title (as it is now; a removed one's as it was)."""
    field: str | None = None
    """The changed field's id (a measure's) or step id (another answer)."""
    old: Any = None
    new: Any = None


def fields_of(content: Content) -> tuple[str, ...]:
    """The ids of a measure's fields, the ones whose changes count."""
    step = content.step(MEASURES) if MEASURES in content.steps else None
    return tuple(f.id for f in step.fields) if isinstance(step, RecordsStep) else ()


def _records(answers: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    found = answers.get(MEASURES)
    listed = found if isinstance(found, list) else []
    return {str(r["uid"]): r for r in listed if isinstance(r, Mapping) and r.get("uid")}


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def changes(old: Mapping[str, Any], new: Mapping[str, Any], fields: Sequence[str]) -> list[Change]:
    """What differs from ``old`` to ``new``: measures in the new plan's order (removed ones last), then the other
    answers in ``new``'s order. A field left empty on both sides is no change."""
    before, after = _records(old), _records(new)
    found: list[Change] = []
    for uid, record in after.items():
        title = measure_of(record).title
        was = before.get(uid)
        if was is None:
            found.append(Change("added", uid, title))
            continue
        found += [
            Change("changed", uid, title, f, was.get(f), record.get(f))
            for f in fields
            if was.get(f) != record.get(f) and not (_empty(was.get(f)) and _empty(record.get(f)))
        ]
    found += [Change("removed", uid, measure_of(r).title) for uid, r in before.items() if uid not in after]
    others = [k for k in (*new, *(k for k in old if k not in new)) if k != MEASURES]
    found += [Change("answer", field=k, old=old.get(k), new=new.get(k)) for k in others if old.get(k) != new.get(k)]
    return found


def current(versions: Sequence[Version], answers: Mapping[str, Any], fields: Sequence[str]) -> tuple[int, bool]:
    """The plan's version now and whether it is a draft: the last recorded one when nothing changed since, else
    the next (version 1 before any is recorded)."""
    if not versions:
        return 1, True
    last = versions[-1]
    if changes(last.answers, answers, fields):
        return last.number + 1, True
    return last.number, False


Recording = Literal["new", "agree", "none"]


def recording(
    versions: Sequence[Version], answers: Mapping[str, Any], agreed_on: str | None, fields: Sequence[str]
) -> Recording:
    """What recording the plan as it is now does: a new version (the first; or an agreed plan that changed since the
    last agreed version); "agree": the last version, recorded without an approval, becomes the agreed plan (with the
    answers now); or nothing (a first version when one exists, or an agreed plan unchanged)."""
    if not versions:
        return "new"
    if agreed_on is None:
        return "none"
    last = versions[-1]
    if last.agreed_on is None:
        return "agree"
    return "new" if changes(last.answers, answers, fields) else "none"


def marked(found: Sequence[Change]) -> dict[str, frozenset[str]]:
    """Per measure uid, the ids of its changed fields; an added measure's set holds ``*``."""
    marks: dict[str, set[str]] = {}
    for change in found:
        if change.kind == "changed" and change.field:
            marks.setdefault(change.measure, set()).add(change.field)
        elif change.kind == "added":
            marks.setdefault(change.measure, set()).add("*")
    return {uid: frozenset(ids) for uid, ids in marks.items()}
