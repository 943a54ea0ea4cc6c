"""Which reminders the plan asks for, when and to whom (before quiet hours and the person's setting apply)."""

from __future__ import annotations

import calendar
from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Any, Protocol

from flows.content.content import Content
from flows.content.model import InfoStep
from flows.practice.measures import measures, owner_of
from flows.practice.model import Due, Measure, Owner, Report, latest
from flows.practice.zone import day_of, local_at

MONITORING = "wp_monitoring"
KICK_OFF = "ko_date"
WORKSHOP = "zw_date"
REVIEW = "zb_date"
COMMITMENTS = "zw_commitments"
"""The answers the plan's dates and commitments are in."""

ENDING_AHEAD = timedelta(days=7)
IDLE_AFTER = timedelta(days=30)
COMMITMENT_MONTHS = 6
LATE_AFTER = timedelta(days=7)
"""A reminder whose time passed longer ago than this is skipped, not sent late."""

FINISHED = ("done", "stopped")


class Member(Protocol):
    """A workspace member as the planner needs them (flows.team.view.Mate fits)."""

    @property
    def user_id(self) -> int: ...

    @property
    def role(self) -> str: ...


def coordinators(members: Sequence[Member]) -> list[int]:
    return [m.user_id for m in members if m.role == "coordinator"]


def recipients(owner: Owner | None, members: Sequence[Member]) -> list[int]:
    """The owner where they are a member of the workspace, else the coordinators (who follow up with them)."""
    if owner is not None and owner.member is not None and any(m.user_id == owner.member for m in members):
        return [owner.member]
    return coordinators(members)


def end_day(value: Any) -> date | None:
    """A stored end as a day: a month or a year ends on its last day ("2028-12" → 31 Dec. 2028)."""
    day = day_of(value)
    if day is None or not isinstance(value, str):
        return None
    parts = value.strip().split("-")
    if len(parts) == 1:
        return date(day.year, 12, 31)
    if len(parts) == 2:
        return date(day.year, day.month, calendar.monthrange(day.year, day.month)[1])
    return day


def review_day(answers: Mapping[str, Any]) -> date | None:
    """The Zwischenbilanz: its date where answered, else half-way from the Kick-Off to the latest measure end."""
    answered = day_of(answers.get(REVIEW))
    if answered is not None:
        return answered
    start = day_of(answers.get(KICK_OFF))
    ends = [d for d in (end_day(m.end) for m in measures(answers)) if d is not None]
    if start is None or not ends or max(ends) <= start:
        return None
    return start + (max(ends) - start) / 2


def months_later(day: date, months: int) -> date | None:
    """The same day ``months`` calendar months later (the month's last day where it is shorter); None past 9999."""
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    if year > date.max.year:
        return None
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def days_before(day: date, delta: timedelta) -> date | None:
    return day - delta if day - date.min >= delta else None


def _open(measure: Measure, reports: Sequence[Report]) -> bool:
    last = latest(list(reports), measure.uid)
    return last is None or last.status not in FINISHED


def planned(answers: Mapping[str, Any], members: Sequence[Member], reports: Sequence[Report], zone: str) -> list[Due]:
    """Every reminder the answers ask for, at 09:00 local time (past ones included: see :func:`too_late`)."""
    dues: list[Due] = []
    monitoring = local_at(answers.get(MONITORING), zone)
    for measure in measures(answers):
        if not measure.uid or not _open(measure, reports):
            continue
        to = recipients(measure.owner, members)
        if monitoring is not None:
            dues += [Due("monitoring", measure.uid, user, monitoring) for user in to]
        end = end_day(measure.end)
        if end is not None:
            at = local_at(days_before(end, ENDING_AHEAD), zone)
            dues += [Due("ending", measure.uid, user, at) for user in to if at is not None]
    review = local_at(review_day(answers), zone)
    if review is not None:
        dues += [Due("review", "", user, review) for user in coordinators(members)]
    workshop = day_of(answers.get(WORKSHOP))
    if workshop is not None:
        asked = local_at(months_later(workshop, COMMITMENT_MONTHS), zone)
        for record in answers.get(COMMITMENTS) or []:
            if isinstance(record, Mapping) and record.get("uid") and asked is not None:
                to = recipients(owner_of(record.get("who")), members)
                dues += [Due("commitment", str(record["uid"]), user, asked) for user in to]
    return dues


def idle_nudge(stage_id: str, last_user_id: int, last_at: datetime) -> Due:
    """The one nudge to the member last in a stage left alone: 30 days after their last activity there."""
    return Due("idle", stage_id, last_user_id, last_at + IDLE_AFTER)


def unfinished(content: Content, answers: Mapping[str, Any], stage_id: str, country: str | None = None) -> bool:
    """Whether a stage still has questions without an answer (steps for another country, or for a country not
    known, do not count)."""
    stage = content.stage(stage_id)
    return any(
        s.id not in answers
        for s in stage.steps
        if not isinstance(s, InfoStep) and (not s.countries or country in s.countries)
    )


def too_late(due: Due, now: datetime) -> bool:
    """A reminder whose time passed more than 7 days ago is skipped: it would come too late to help."""
    return now - due.due_at > LATE_AFTER
