"""The plan in practice as stored: status reports, plan versions, reminder settings and a person's upcoming reminders.

Planning and sending reminders is storage/reminders.py; this module only reads them for the person."""

from __future__ import annotations

from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import delete, func, insert, select, update
from sqlmodel import col

from storage.base import UnitBase, aware
from storage.models import PlanVersion, Progress, Reminder, ReminderSetting, utcnow


class ReportRow(NamedTuple):
    measure: str
    status: str | None
    value: float | None
    note: str | None
    author_id: int | None
    author: str | None
    at: datetime


class VersionRow(NamedTuple):
    number: int
    answers: dict[str, Any]
    agreed_on: str | None
    by: int | None
    at: datetime


class UpcomingRow(NamedTuple):
    kind: str
    subject: str
    due_at: datetime


class Plans(UnitBase):
    """Mixed into the unit of work."""

    # -- status reports --------------------------------------------------------------------------
    def add_report(
        self,
        wid: int,
        measure: str,
        status: str | None,
        value: float | None,
        author_id: int | None,
        author: str | None,
        note: str | None = None,
        at: datetime | None = None,
    ) -> None:
        """Append a status report (never changed afterwards)."""
        self.conn.execute(
            insert(Progress).values(
                workspace_id=wid,
                measure=measure[:64],
                status=status,
                value=value,
                note=note[:500] if note else None,
                author_id=author_id,
                author=author[:64] if author else None,
                at=at or utcnow(),
            )
        )

    def reports(self, wid: int) -> list[ReportRow]:
        """The workspace's reports, oldest first."""
        rows = self.conn.execute(
            select(
                col(Progress.measure),
                col(Progress.status),
                col(Progress.value),
                col(Progress.note),
                col(Progress.author_id),
                col(Progress.author),
                col(Progress.at),
            )
            .where(col(Progress.workspace_id) == wid)
            .order_by(col(Progress.at), col(Progress.id))
        ).all()
        return [ReportRow(m, s, v, n, a, name, aware(at)) for m, s, v, n, a, name, at in rows]

    # -- plan versions ---------------------------------------------------------------------------
    def record_version(self, wid: int, answers: dict[str, Any], agreed_on: str | None, by: int | None) -> int:
        """Store the next version of the workspace's Werkstattplan; its number (1 for the first)."""
        last = self.conn.execute(
            select(func.max(col(PlanVersion.number))).where(col(PlanVersion.workspace_id) == wid)
        ).scalar()
        number = int(last or 0) + 1
        self.conn.execute(
            insert(PlanVersion).values(
                workspace_id=wid, number=number, answers=answers, agreed_on=agreed_on, by=by, at=utcnow()
            )
        )
        return number

    def agree_version(self, wid: int, number: int, answers: dict[str, Any], agreed_on: str, by: int | None) -> None:
        """Version ``number``, recorded without an approval, becomes the plan the steering group agreed: ``answers``."""
        self.conn.execute(
            update(PlanVersion)
            .where(col(PlanVersion.workspace_id) == wid, col(PlanVersion.number) == number)
            .values(answers=answers, agreed_on=agreed_on, by=by, at=utcnow())
        )

    def plan_versions(self, wid: int) -> list[VersionRow]:
        rows = self.conn.execute(
            select(
                col(PlanVersion.number),
                col(PlanVersion.answers),
                col(PlanVersion.agreed_on),
                col(PlanVersion.by),
                col(PlanVersion.at),
            )
            .where(col(PlanVersion.workspace_id) == wid)
            .order_by(col(PlanVersion.number))
        ).all()
        return [VersionRow(n, dict(a or {}), agreed, by, aware(at)) for n, a, agreed, by, at in rows]

    # -- a person's reminders ----------------------------------------------------------------------
    def reminder_setting(self, user_id: int) -> tuple[str, datetime | None]:
        """("on" | "paused" | "off", the end of a pause)."""
        row = self.conn.execute(
            select(col(ReminderSetting.setting), col(ReminderSetting.until)).where(
                col(ReminderSetting.user_id) == user_id
            )
        ).first()
        if row is None:
            return "on", None
        return row[0], aware(row[1]) if row[1] is not None else None

    def set_reminder_setting(self, user_id: int, setting: str, until: datetime | None = None) -> None:
        self.conn.execute(delete(ReminderSetting).where(col(ReminderSetting.user_id) == user_id))
        self.conn.execute(insert(ReminderSetting).values(user_id=user_id, setting=setting, until=until, at=utcnow()))

    def upcoming(self, user_id: int, limit: int = 20) -> list[UpcomingRow]:
        """The person's scheduled reminders, soonest first."""
        rows = self.conn.execute(
            select(col(Reminder.kind), col(Reminder.subject), col(Reminder.due_at))
            .where(col(Reminder.user_id) == user_id, col(Reminder.state) == "scheduled")
            .order_by(col(Reminder.due_at))
            .limit(limit)
        ).all()
        return [UpcomingRow(k, s, aware(d)) for k, s, d in rows]
