"""Introductions in the shell: the ``Introductions`` port, storing asks and answers, queueing what each side is
sent (kind ``exchange`` in the paced outbox), and closing what nobody answered."""

from __future__ import annotations

from datetime import datetime

from flows.content.i18n import Translator
from flows.content.loader import Content
from flows.conversation.actions import AnswerIntroduction, AskIntroduction
from flows.exchange.model import Introduction
from flows.messages import Outbound
from storage.store import Unit

EXCHANGE = "exchange"
"""The broadcast kind of introduction messages (a request to the asked, the contacts after acceptance)."""


class StoredIntroductions:
    """:class:`flows.exchange.model.Introductions` for the person's workspace (None: they have none)."""

    def __init__(self, unit: Unit, workspace_id: int | None):
        self.unit = unit
        self.workspace_id = workspace_id

    def mine(self) -> list[Introduction]:
        return []


def act(
    unit: Unit,
    content: Content,
    user_id: int,
    action: AskIntroduction | AnswerIntroduction,
    now: datetime,
    t: Translator,
) -> Outbound | None:
    """Store an ask (and queue the request to the asked coordinators) or an answer (and on acceptance queue the
    asker's contact message; the accepting coordinator's reply carries the asker's contact)."""
    return None
