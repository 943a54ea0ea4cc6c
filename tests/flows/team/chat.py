"""A member of a shared strategy talking to the pure engine: the workspace as the engine sees it is set by hand."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flows.content.content import Content
from flows.conversation.actions import Facts
from flows.messages import Inbound
from flows.statistics.model import Registry
from flows.team.view import Mate, Role, Team, Written
from tests.conftest import EngineChat

ANNA, BEN, CARLA = 1, 2, 3
DEC_3 = datetime(2026, 12, 3, 9, 30, tzinfo=UTC)


class TeamChat(EngineChat):
    """``me`` talking; ``team`` is what storage would hand the engine, changed with ``wrote``."""

    def __init__(self, content: Content, me: int = BEN, role: Role = "editor", lang: str = "de"):
        self.team = Team(
            workspace_id=7,
            me=me,
            role=role,
            revision=1,
            members=(Mate(ANNA, "coordinator", "Anna"), Mate(BEN, role, "Ben"), Mate(CARLA, "editor", "Carla")),
        )
        self.registry: Registry | None = None
        """The directory the shell would hand on (None: none)."""
        super().__init__(content, lang)

    def _send(self, inbound: Inbound) -> str:
        before = dict(self.state.answers) if self.state is not None else {}
        turn = self.engine.handle(
            self.state,
            inbound,
            lang=self.lang if self.state is None else None,
            facts=Facts(team=self.team, registry=self.registry),
        )
        self.state, self.replies, self.effects = turn.state, turn.replies, list(turn.effects)
        self.changes = turn.changes
        for change in turn.changes:  # what storage does at the save: the answer is the team's, written by me
            self.wrote(self.team.me, change.step_id, change.new, before=before.get(change.step_id))
        return self.text

    def wrote(self, author: int, step_id: str, value: Any, at: datetime = DEC_3, before: Any = None) -> None:
        """Someone saved ``value`` for ``step_id``: the team's revision goes up and the answer is theirs."""
        old = self.team.written.get(step_id)
        authors = None
        if isinstance(value, list):
            kept = list(old.authors) if old is not None and old.authors is not None else []
            authors = tuple(kept[: len(value)] + [author] * (len(value) - len(kept)))
        revision = self.team.revision + 1
        written = {**self.team.written, step_id: Written(author, at, revision, authors)}
        self.team = Team(**{**self.team.__dict__, "revision": revision, "written": written})
        if author != self.team.me and self.state is not None:
            self.state.answers[step_id] = value


def onboard(chat: EngineChat) -> None:
    for line in ("Musterstadt", "2", "Sachsen", "3", "2, 5 und 9"):
        chat.says(line)
