"""Shared good practice in the shell: the ``CommonsPort`` on one unit of work, and storing submissions, reviews,
translations and adoptions."""

from __future__ import annotations

from datetime import datetime

from flows.content.i18n import Translator
from flows.content.loader import Content
from flows.conversation.actions import AdoptPractice, ReviewPractice, SubmitPractice, TranslatePractice
from flows.exchange.model import Commons
from flows.messages import Outbound
from storage.store import Unit

PracticeAction = SubmitPractice | ReviewPractice | TranslatePractice | AdoptPractice


class StoredCommons:
    """:class:`flows.exchange.model.CommonsPort` for the person's workspace; read once per message, when asked."""

    def __init__(self, unit: Unit, workspace_id: int | None, editor: bool):
        self.unit = unit
        self.workspace_id = workspace_id
        self.editor = editor
        self._commons: Commons | None = None

    def commons(self) -> Commons:
        if self._commons is None:
            self._commons = Commons()
        return self._commons


def act(
    unit: Unit, content: Content, actor: str, user_id: int, action: PracticeAction, now: datetime, t: Translator
) -> Outbound | None:
    """Store a submission, an editor's review or translation (audited), or an adoption."""
    return None
