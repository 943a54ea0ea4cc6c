"""The plan in practice as the engine asks for it: the ``Practice`` port on one unit of work."""

from __future__ import annotations

from datetime import datetime
from typing import cast, get_args

from flows.content.content import Content
from flows.content.i18n import Translator
from flows.conversation.actions import RecordVersion, ReportProgress, SetReminders
from flows.messages import Outbound, Paragraph
from flows.practice import versions
from flows.practice.model import KINDS, Due, Reminders, Report, Setting, Status, Version
from storage.store import Unit


class StoredPractice:
    """:class:`flows.practice.model.Practice` for one person (``user_id``) in one workspace (None: they have none)."""

    def __init__(self, unit: Unit, workspace_id: int | None, user_id: int):
        self.unit = unit
        self.workspace_id = workspace_id
        self.user_id = user_id
        self._reports: list[Report] | None = None
        self._versions: list[Version] | None = None

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
        if self._versions is None:
            rows = self.unit.plan_versions(self.workspace_id)
            self._versions = [Version(v.number, v.answers, v.agreed_on, v.at) for v in rows]
        return self._versions


def record_version(unit: Unit, content: Content, user_id: int, action: RecordVersion) -> int | None:
    """Record the plan as a version, as flows.practice.versions.recording decides: a member records the first one,
    the coordinator an agreed one (as for the approval it comes with). The version's number, or None."""
    me = unit.member(action.workspace_id, user_id)
    if me is None or (action.agreed_on is not None and me[0] != "coordinator"):
        return None
    stored = StoredPractice(unit, action.workspace_id, user_id).versions()
    what = versions.recording(stored, action.answers, action.agreed_on, versions.fields_of(content))
    if what == "new":
        return unit.record_version(action.workspace_id, action.answers, action.agreed_on, user_id)
    if what == "agree" and action.agreed_on is not None:
        unit.agree_version(action.workspace_id, stored[-1].number, action.answers, action.agreed_on, user_id)
        return stored[-1].number
    return None


def act(
    unit: Unit,
    content: Content,
    user_id: int,
    action: ReportProgress | SetReminders | RecordVersion,
    now: datetime,
    t: Translator,
) -> Outbound | None:
    """Store what the person said: a status report with its author (a member of the workspace, by the name the team
    knows them by), or their reminder setting; or record a version of the plan. The engine has checked who may
    report and confirms it."""
    if isinstance(action, RecordVersion):
        record_version(unit, content, user_id, action)
        return None
    if isinstance(action, SetReminders):
        unit.set_reminder_setting(user_id, action.setting, action.until)
        return None
    member = unit.member(action.workspace_id, user_id)
    if member is None:  # left the workspace since the engine looked
        return Outbound([Paragraph(t("You are no longer a member of that team, so nothing was saved."))])
    _, name = member
    unit.add_report(action.workspace_id, action.measure, action.status, action.value, user_id, name, action.note, now)
    return None


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
