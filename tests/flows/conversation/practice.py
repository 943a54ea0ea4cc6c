"""An in-memory stand-in for the stored plan in practice (the ``Practice`` port), for pure engine tests; ``take``
does with a turn's actions what the shell does (bot/app/practice.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flows.conversation.actions import Action, ReportProgress, SetReminders
from flows.practice.model import Due, Reminders, Report, Version


@dataclass
class MemoryPractice:
    """Reports, the person's reminder setting and upcoming reminders, and plan versions, held in lists."""

    stored: list[Report] = field(default_factory=list)
    setting: Reminders = field(default_factory=Reminders)
    recorded: list[Version] = field(default_factory=list)

    def reports(self) -> list[Report]:
        return list(self.stored)

    def reminders(self) -> Reminders:
        return self.setting

    def versions(self) -> list[Version]:
        return list(self.recorded)

    def plan(self, *upcoming: Due) -> None:
        """Reminders scheduled for the person (as the sender would have them)."""
        self.setting = Reminders(self.setting.setting, self.setting.until, tuple(upcoming))

    def take(self, actions: list[Action], author_id: int, author: str | None, at: datetime) -> None:
        for action in actions:
            if isinstance(action, ReportProgress):
                report = Report(action.measure, action.status, action.value, at, author_id, author, action.note)
                self.stored.append(report)
            elif isinstance(action, SetReminders):
                self.setting = Reminders(action.setting, action.until, self.setting.upcoming)
