"""The exchange's ports as the pure engine's tests play them: profiles kept in memory, stored as the shell would."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from flows.conversation.actions import Action, LeaveExchange, SaveProfile
from flows.exchange.model import Facts, Profile


class MemoryProfiles:
    """Every opted-in workspace's profile; ``take`` stores a turn's SaveProfile and LeaveExchange for ``wid``."""

    def __init__(self, wid: int, others: Iterable[Profile] = ()):
        self.wid = wid
        self.profiles = {p.workspace_id: p for p in others}
        self.saved: list[SaveProfile] = []

    def mine(self) -> Profile | None:
        return self.profiles.get(self.wid)

    def candidates(self) -> list[Profile]:
        return [p for w, p in self.profiles.items() if w != self.wid]

    def take(self, actions: Iterable[Action], facts: Facts) -> None:
        for action in actions:
            if isinstance(action, SaveProfile):
                self.saved.append(action)
                self.profiles[self.wid] = Profile(
                    self.wid, facts, action.offers, action.seeks, action.languages, action.contact, action.twin_town
                )
            elif isinstance(action, LeaveExchange):
                self.profiles.pop(action.workspace_id, None)

    def withdraw(self, wid: int) -> None:
        self.profiles.pop(wid)

    def rename(self, wid: int, name: str) -> None:
        self.profiles[wid] = replace(self.profiles[wid], facts=replace(self.profiles[wid].facts, name=name))
