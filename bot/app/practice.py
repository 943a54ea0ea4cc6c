"""The plan in practice as the engine asks for it: the ``Practice`` port on one unit of work."""

from __future__ import annotations

from typing import cast, get_args

from flows.practice.model import KINDS, Due, Reminders, Report, Setting, Status, Version
from storage.store import Unit


class StoredPractice:
    """:class:`flows.practice.model.Practice` for one person (``user_id``) in one workspace (None: they have none)."""

    def __init__(self, unit: Unit, workspace_id: int | None, user_id: int):
        self.unit = unit
        self.workspace_id = workspace_id
        self.user_id = user_id
        self._reports: list[Report] | None = None

    def reports(self) -> list[Report]:
        if self.workspace_id is None:
            return []
        if self._reports is None:
            self._reports = reports(self.unit, self.workspace_id)
        return self._reports

    def reminders(self) -> Reminders:
        setting, until = self.unit.reminder_setting(self.user_id)
        upcoming = tuple(
            Due(r.kind, r.subject, self.user_id, r.due_at) for r in self.unit.upcoming(self.user_id) if r.kind in KINDS
        )
        return Reminders(cast(Setting, setting) if setting in ("on", "paused", "off") else "on", until, upcoming)

    def versions(self) -> list[Version]:
        if self.workspace_id is None:
            return []
        return [Version(v.number, v.answers, v.agreed_on, v.at) for v in self.unit.plan_versions(self.workspace_id)]


def reports(unit: Unit, workspace_id: int) -> list[Report]:
    """A workspace's status reports as the plan reads them, oldest first."""
    return [
        Report(
            r.measure,
            cast(Status, r.status) if r.status in get_args(Status) else None,
            r.value,
            r.at,
            r.author_id,
            r.author,
            r.note,
        )
        for r in unit.reports(workspace_id)
    ]
