"""The plan as it is carried out: measures read from the answers, status reports, reminders and plan versions.

A measure is a record of the Werkstattplan's records step (``wp_measures``); its ``uid`` (``r3``) names it
everywhere else (reports, reminders, the review, versions). Stored values, as the steps write them:

- ``owner``: ``{"member": 12, "name": "Anna"}`` (a workspace member) or ``{"name": "Bauamt"}`` (someone outside);
  an older plain string is a name.
- ``indicators``: a list of ``{"name", "unit", "statistic", "baseline": {"value", "date", "source"}, "target",
  "target_date"}`` (``statistic``: an ``IndicatorId`` of flows.statistics when the indicator is one of the official
  ones; numbers are floats, dates ISO). Older records have the texts ``indicator`` and ``target`` instead.
- ``ideas``: the uids of the Zukunftswerkstatt ideas (``zw_ideas``) the measure was made from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal, Protocol, get_args

from flows.content.i18n import N_

Status = Literal["running", "done", "delayed", "stopped"]
STATUSES: tuple[Status, ...] = get_args(Status)
"""A measure's status as its owner reports it (läuft, erledigt, verzögert, gestoppt)."""
STATUS_NAMES: dict[Status, str] = {
    "running": N_("running"),
    "done": N_("done"),
    "delayed": N_("delayed"),
    "stopped": N_("stopped"),
}
"""Each status as people read it and press it (msgids)."""

Kind = Literal["monitoring", "ending", "review", "idle", "commitment"]
"""What a reminder is about: a measure at the monitoring date, a measure a week before its end, the Zwischenbilanz
(to the coordinator), a stage left alone for 30 days, a commitment after six months."""
KINDS: tuple[Kind, ...] = get_args(Kind)

Setting = Literal["on", "paused", "off"]


@dataclass(frozen=True)
class Owner:
    """Who is responsible for a measure: a member of the workspace (``member``: their user id) or a named outsider."""

    name: str
    member: int | None = None


@dataclass(frozen=True)
class Baseline:
    value: float | None = None
    date: str | None = None
    """ISO day, month or year."""
    source: str | None = None


@dataclass(frozen=True)
class Indicator:
    name: str
    unit: str | None = None
    statistic: str | None = None
    """An official indicator's id (flows.statistics.indicators) whose value the data gives, else None."""
    baseline: Baseline | None = None
    target: float | None = None
    target_text: str | None = None
    """A target as typed where it is no number (older plans: "40 Nutzer bis 2028")."""
    target_date: str | None = None


@dataclass(frozen=True)
class Measure:
    uid: str
    title: str
    field: str | None = None
    goal: str | None = None
    owner: Owner | None = None
    start: str | None = None
    end: str | None = None
    budget: object = None
    """The stored budget value (see flows.documents.budget.Budget.of)."""
    indicators: tuple[Indicator, ...] = ()
    ideas: tuple[str, ...] = ()


@dataclass(frozen=True)
class Report:
    """One status report on a measure, as stored: what, when, by whom."""

    measure: str
    status: Status | None
    value: float | None
    """The indicator's value reported with it (the first indicator's), if any."""
    at: datetime
    author_id: int | None = None
    author: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Due:
    """One reminder the plan asks for: to ``user_id`` at ``due_at`` (UTC, before quiet hours are applied)."""

    kind: Kind
    subject: str
    """The measure's or commitment's uid, the stage id (idle), or "" (the review)."""
    user_id: int
    due_at: datetime

    @property
    def key(self) -> str:
        """What makes it once: the same reminder for the same person on the same day is never sent twice."""
        return f"{self.kind}:{self.subject}:{self.user_id}:{self.due_at.date().isoformat()}"


@dataclass(frozen=True)
class Reminders:
    """A person's reminders as /erinnerungen shows them: their setting and what is coming."""

    setting: Setting = "on"
    until: datetime | None = None
    """The end of a pause."""
    upcoming: tuple[Due, ...] = ()


@dataclass(frozen=True)
class Version:
    """A recorded version of the Werkstattplan: its number, the answers of the stage then, and when the steering group
    agreed it (None: recorded without an approval, e.g. when the stage was first completed)."""

    number: int
    answers: dict[str, object] = field(default_factory=dict)
    agreed_on: str | None = None
    at: datetime | None = None


class Practice(Protocol):
    """What storage knows about the plan in practice, asked only when a turn needs it (the shell's
    ``bot.app.practice.StoredPractice`` for the person writing and their workspace)."""

    def reports(self) -> list[Report]:
        """The workspace's status reports, oldest first."""
        ...

    def reminders(self) -> Reminders:
        """The person's reminder setting and their upcoming reminders, soonest first."""
        ...

    def versions(self) -> list[Version]:
        """The Werkstattplan's recorded versions, oldest first."""
        ...


def latest(reports: list[Report], measure: str) -> Report | None:
    """The newest report on a measure."""
    return next((r for r in reversed(reports) if r.measure == measure), None)
