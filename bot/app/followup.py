"""Follow-up in the shell: the stored reminders kept in step with the plan, fired once when due, rendered when sent.

What is due when and to whom, quiet hours and what a reminder says are flows/practice's; the rows are
storage/reminders.py's. This moves data between them: ``replan`` after a save that changed the plan, ``fire_due``
and ``nudge_idle`` from the courier's housekeeping, ``about`` and ``message`` when a reminder's delivery is sent.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, cast

from bot.app import directory, figures, metrics
from bot.app.practice import reports
from flows.content.loader import Content
from flows.conversation.actions import Action, RemoveMember, ReportProgress, SetMemberRole
from flows.messages import Outbound
from flows.practice.measures import measures
from flows.practice.messages import reminder
from flows.practice.model import KINDS, Due, Kind, Report
from flows.practice.schedule import IDLE_AFTER, idle_nudge, planned, too_late, unfinished
from flows.practice.zone import PLACE, deferred, zone_of
from flows.statistics.indicators import IndicatorId, compute
from flows.statistics.model import Country
from flows.team.view import Mate, Role
from storage.models import Broadcast
from storage.reminders import FOLLOWUP, DueRow
from storage.store import Unit

PLAN_STEPS = frozenset({"ko_date", "zw_date", "zw_commitments", "zb_date", PLACE})
"""Answers besides the Werkstattplan's (``wp_…``) that the reminders' dates, people or time zone come from."""
BATCH = 500
"""Due reminders decided in one transaction."""

__all__ = ["BATCH", "FOLLOWUP", "About", "after_turn", "fire_due", "message", "nudge_idle", "plan_changed", "replan"]


def plan_changed(step_ids: Iterable[str]) -> bool:
    """Whether changing these answers can change which reminders are due, when or to whom."""
    return any(s.startswith("wp_") or s in PLAN_STEPS for s in step_ids)


def after_turn(
    unit: Unit,
    saved_to: int | None,
    changed: Iterable[str],
    actions: Iterable[Action],
    answers: Mapping[str, Any],
    now: datetime,
) -> None:
    """After a message's save (to workspace ``saved_to``, with the workspace's ``answers`` now) and its actions:
    plan the reminders again where the plan's answers, its people or a measure's status changed. Costs nothing for
    any other message."""
    wids = {a.workspace_id for a in actions if isinstance(a, ReportProgress | SetMemberRole | RemoveMember)}
    if saved_to is not None and plan_changed(changed):
        wids.add(saved_to)
    for wid in sorted(wids):
        replan(unit, wid, now, answers if wid == saved_to else None)


def _members(unit: Unit, workspace_id: int) -> list[Mate]:
    return [Mate(u, cast(Role, r), n) for u, r, n in unit.members(workspace_id)]


def replan(unit: Unit, workspace_id: int, now: datetime, answers: Mapping[str, Any] | None = None) -> bool:
    """Store the reminders the workspace's plan asks for now (``answers``: the workspace's, where the caller has
    them after its save; else read). Unchanged plans write nothing; True when something changed."""
    answers = answers if answers is not None else unit.answers_of(workspace_id)
    dues = planned(answers, _members(unit, workspace_id), reports(unit, workspace_id), zone_of(answers))
    return unit.plan(workspace_id, [(d.key, d.kind, d.subject, d.user_id, d.due_at) for d in dues], now)


def fire_due(unit: Unit, channels: Iterable[str], now: datetime) -> Counter[str]:
    """Decide every reminder due by ``now`` (up to ``BATCH``): fire it into the outbox, defer it (quiet hours, a
    pause) or skip it (stopped, late, unreachable on ``channels``, gone). Outcomes counted, also as metrics."""
    rows = unit.due_reminders(now, BATCH)
    outcomes: Counter[str] = Counter()
    if not rows:
        return outcomes
    reach = unit.addresses({r.user_id for r in rows}, channels)
    zones: dict[int, str] = {}
    settings: dict[int, tuple[str, datetime | None]] = {}
    for row in rows:
        if row.workspace_id not in zones:
            zones[row.workspace_id] = zone_of(unit.answers_of(row.workspace_id, [PLACE]))
        if row.user_id not in settings:
            settings[row.user_id] = unit.reminder_setting(row.user_id)
        outcome = _decide(unit, row, reach.get(row.user_id), zones[row.workspace_id], settings[row.user_id], now)
        outcomes[outcome] += 1
        metrics.reminded(row.kind, outcome)
    return outcomes


def _decide(
    unit: Unit,
    row: DueRow,
    address: tuple[str, str, str] | None,
    zone: str,
    setting: tuple[str, datetime | None],
    now: datetime,
) -> str:
    """One due reminder's outcome: sent, deferred, taken (another process was first) or the reason it is skipped."""
    chosen, until = setting
    if row.kind not in KINDS or not row.member:
        reason = "gone"
    elif too_late(Due(row.kind, row.subject, row.user_id, row.due_at), now):
        reason = "late"
    elif chosen == "off" or (chosen == "paused" and until is None):
        reason = chosen
    elif chosen == "paused" and until is not None and until > now:
        return "deferred" if unit.defer(row.id, until) else "taken"
    elif address is None:
        reason = "unreachable"
    else:
        quiet = deferred(now, zone)
        if quiet is not None:
            return "deferred" if unit.defer(row.id, quiet) else "taken"
        return "sent" if unit.fire(row, address, now) is not None else "taken"
    return reason if unit.skip(row.id, reason, now) else "taken"


def nudge_idle(unit: Unit, content: Content, now: datetime) -> int:
    """Plan the one nudge to the member last active in a workspace nobody has written in for 30 days, where the
    stage they were in is unfinished; a workspace with nothing to nudge about gets its nudge skipped, so that it is
    not looked at again until someone writes there. How many nudges were planned."""
    stages = {s.id for s in content.daks_stages}
    planned_now = 0
    for stale in unit.stale(now - IDLE_AFTER):
        stage = stale.position.get("stage")
        answers = unit.answers_of(stale.workspace_id)
        picked = answers.get(PLACE)
        country = picked.get("country") if isinstance(picked, Mapping) else None
        due = idle_nudge(str(stage or ""), stale.user_id, stale.at)
        row = (due.key, due.kind, due.subject, due.user_id, due.due_at)
        if stage in stages and unfinished(content, answers, str(stage), country):
            planned_now += unit.nudge(stale.workspace_id, row, now)
        else:
            unit.nudge(stale.workspace_id, row, now, skipped="finished")
    return planned_now


# -- at send time ------------------------------------------------------------------------------
@dataclass(frozen=True)
class About:
    """What a fired reminder's message is made of, read when its delivery goes out (so it is current)."""

    kind: Kind
    subject: str
    answers: dict[str, Any]
    reports: list[Report] = field(default_factory=list)
    members: list[Mate] = field(default_factory=list)
    current: float | None = None
    """The official value now of the measure's first indicator, where it is one of the official indicators."""


def about(unit: Unit, broadcast: Broadcast) -> About | None:
    """The reminder a ``followup`` broadcast sends, with the workspace's answers, reports and members now."""
    reminder_id = (broadcast.body or {}).get("reminder")
    row = unit.reminder(int(reminder_id)) if reminder_id and str(reminder_id).isdigit() else None
    if row is None or row.kind not in KINDS:
        return None
    answers = unit.answers_of(row.workspace_id)
    return About(
        row.kind,
        row.subject,
        answers,
        reports(unit, row.workspace_id),
        _members(unit, row.workspace_id),
        _current(unit, row.workspace_id, answers, row.subject) if row.kind in ("monitoring", "ending") else None,
    )


def _current(unit: Unit, workspace_id: int, answers: Mapping[str, Any], uid: str) -> float | None:
    """The latest official value of the measure's first indicator, where it is an official one and the place was
    picked in the directory."""
    measure = next((m for m in measures(answers) if m.uid == uid), None)
    statistic = measure.indicators[0].statistic if measure is not None and measure.indicators else None
    picked = answers.get(PLACE)
    if statistic is None or not isinstance(picked, Mapping) or not picked.get("key"):
        return None
    country = cast(Country, picked.get("country") or "de")
    place = directory.place(unit, str(picked["key"]), country)
    if place is None:
        return None
    profile = compute(place, figures.read(unit, country, [place.key], workspace_id), "official")
    found = profile.indicator(cast(IndicatorId, statistic)) if profile is not None else None
    latest = found.latest if found is not None else None
    return latest[1] if latest is not None else None


def message(content: Content, found: About | None, lang: str) -> Outbound | None:
    """The reminder's message in ``lang``; None when its subject is gone (then nothing is sent)."""
    if found is None:
        return None
    return reminder(
        content,
        lang,
        found.kind,
        found.subject,
        found.answers,
        found.reports,
        found.current,
        found.members,
        IDLE_AFTER.days,
    )
