"""An in-memory stand-in for the shared good practice (the ``CommonsPort``), for pure engine tests: one store that
several people see, each through their own port; ``take`` does with a turn's actions what the shell does
(bot/app/commons.py)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import datetime

from flows.conversation.actions import Action, AdoptPractice, ReviewPractice, SubmitPractice, TranslatePractice
from flows.exchange.model import Commons, SharedPractice


@dataclass
class MemoryCommons:
    """Shared practices by id and adoptions (item, workspace)."""

    practices: dict[int, SharedPractice] = field(default_factory=dict)
    adoptions: set[tuple[str, int]] = field(default_factory=set)
    changes: int = 0

    def port(self, workspace_id: int | None, editor: bool) -> Seen:
        return Seen(self, workspace_id, editor)

    def take(self, actions: list[Action], municipality: str, now: datetime) -> None:
        for action in actions:
            if isinstance(action, SubmitPractice):
                pid = len(self.practices) + 1
                self.practices[pid] = SharedPractice(
                    pid, action.workspace_id, municipality, action.field, action.lang, {action.lang: action.text},
                    measure=action.measure, submitted_at=now,
                )  # fmt: skip
            elif isinstance(action, ReviewPractice) and action.practice_id in self.practices:
                practice = self.practices[action.practice_id]
                status = "approved" if action.approve else "rejected"
                self.practices[action.practice_id] = replace(practice, status=status)
            elif isinstance(action, TranslatePractice) and action.practice_id in self.practices:
                practice = self.practices[action.practice_id]
                texts = {**practice.texts, action.lang: action.text}
                self.practices[action.practice_id] = replace(practice, texts=texts)
            elif isinstance(action, AdoptPractice) and action.workspace_id is not None:
                self.adoptions.add((action.item, action.workspace_id))
            else:
                continue
            self.changes += 1


@dataclass
class Seen:
    """One person's view: the approved practices, their workspace's, and for editors those waiting."""

    store: MemoryCommons
    workspace_id: int | None
    editor: bool

    def commons(self) -> Commons:
        adopted = dict(Counter(item for item, _ in self.store.adoptions))
        shared = [replace(p, adoptions=adopted.get(p.toolbox_id, 0)) for p in self.store.practices.values()]
        return Commons(
            approved=tuple(p for p in shared if p.status == "approved"),
            waiting=tuple(p for p in shared if p.status == "submitted") if self.editor else (),
            mine=tuple(p for p in shared if p.workspace_id == self.workspace_id),
            revision=str(self.store.changes),
            adopted=adopted,
        )
