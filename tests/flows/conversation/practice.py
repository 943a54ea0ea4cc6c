"""An in-memory stand-in for the stored plan in practice (the ``Practice`` port), for pure engine tests."""

from __future__ import annotations

from dataclasses import dataclass, field

from flows.practice.model import Reminders, Report, Version


@dataclass
class MemoryPractice:
    """Status reports, plan versions and one person's reminders held in lists."""

    reported: list[Report] = field(default_factory=list)
    recorded: list[Version] = field(default_factory=list)
    setting: Reminders = Reminders()

    def reports(self) -> list[Report]:
        return list(self.reported)

    def reminders(self) -> Reminders:
        return self.setting

    def versions(self) -> list[Version]:
        return list(self.recorded)
