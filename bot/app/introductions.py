"""Introductions in the shell: the ``Introductions`` port, storing asks and answers, queueing what each side is
sent (kind ``exchange`` in the paced outbox, rendered when it goes out), and closing what nobody answered.

Rules and texts are flows/exchange/introducing.py's. Names and contacts leave storage only for accepted
introductions; a decline is handed to the asking side as still asked (it reads as no answer, then closed).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, cast, get_args

from flows.content.i18n import Translator
from flows.content.loader import Content
from flows.conversation.actions import AnswerIntroduction, AskIntroduction
from flows.exchange import introducing
from flows.exchange.model import Facts, Introduction, Reason, ReasonKind
from flows.messages import Outbound, Paragraph
from storage.introductions import Side, Stored
from storage.models import Broadcast
from storage.outbox import EXCHANGE
from storage.store import Unit

__all__ = ["EXCHANGE", "About", "StoredIntroductions", "about", "act", "close_unanswered", "message"]

ASKERS = ("coordinator", "editor")
"""Roles that may ask for an introduction (members who edit the strategy)."""


class StoredIntroductions:
    """:class:`flows.exchange.model.Introductions` for the person's workspace (None: they have none); read once per
    message, when asked."""

    def __init__(self, unit: Unit, workspace_id: int | None):
        self.unit = unit
        self.workspace_id = workspace_id
        self._read: list[Introduction] | None = None

    def mine(self) -> list[Introduction]:
        if self.workspace_id is None:
            return []
        if self._read is None:
            wid = self.workspace_id
            self._read = [seen_by(s, wid) for s in self.unit.introductions_of(wid)]
        return self._read


def reasons_of(stored: list[dict[str, Any]]) -> tuple[Reason, ...]:
    kinds = set(get_args(ReasonKind))
    return tuple(
        Reason(cast(ReasonKind, r["kind"]), tuple(str(v) for v in r.get("values") or ()))
        for r in stored
        if isinstance(r, dict) and r.get("kind") in kinds
    )


def seen_by(stored: Stored, wid: int) -> Introduction:
    """The introduction as workspace ``wid`` may know it: facts without names or keys; the other side's name and
    contact only once accepted; a decline, to the asking side, as still asked."""
    row = stored.row
    assert row.id is not None
    left = stored.asking is None or stored.asked is None
    status, answered_at = row.status, row.answered_at
    if row.asking == wid and status == "declined":
        status, answered_at = "asked", None
    other = stored.asked if row.asking == wid else stored.asking
    told = status == "accepted" and not left and other is not None

    def unnamed(side: Side | None) -> Facts | None:
        return introducing.unnamed(Facts.of(side.facts)) if side is not None else None

    return Introduction(
        id=row.id,
        asking=row.asking,
        asked=row.asked,
        status=cast(Any, status),
        asked_at=row.asked_at,
        reasons=reasons_of(row.reasons),
        answered_at=answered_at,
        asking_facts=unnamed(stored.asking),
        asked_facts=unnamed(stored.asked),
        name=other.name if told and other is not None else None,
        contact=other.contact if told and other is not None else None,
        left=left,
    )


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
    if isinstance(action, AskIntroduction):
        return _ask(unit, content, user_id, action, now, t)
    return _answer(unit, user_id, action, now, t)


def _ask(
    unit: Unit, content: Content, user_id: int, action: AskIntroduction, now: datetime, t: Translator
) -> Outbound | None:
    """Checked again here (the engine looked before this transaction): the asker edits A, both take part, no ask
    of the pair is open or recent."""
    me = unit.member(action.asking, user_id)
    if me is None or me[0] not in ASKERS or action.asking == action.asked:
        return None
    sides = unit.sides({action.asking, action.asked})
    if action.asking not in sides:
        return None
    if action.asked not in sides:
        return _said(t("This municipality no longer takes part in the exchange; no request was sent."))
    known = [seen_by(s, action.asking) for s in unit.introductions_of(action.asking)]
    refused = introducing.refusal(known, action.asking, action.asked, now)
    if refused is not None:
        return _said(introducing.cannot_ask(t, content, *refused))
    reasons = [{"kind": r.kind, "values": list(r.values)} for r in action.reasons]
    intro_id = unit.ask_introduction(action.asking, action.asked, user_id, reasons, now)
    _queue(unit, intro_id, "request", action.asking, unit.reach_members(action.asked, role="coordinator"), now)
    return None


def _answer(unit: Unit, user_id: int, action: AnswerIntroduction, now: datetime, t: Translator) -> Outbound:
    """Accept or decline once; a second tap, another coordinator, or a closed request is told why not."""
    stored = unit.introduction(action.introduction_id)
    if stored is None:
        return _said(introducing.cannot_answer(t, "unknown", action.introduction_id))
    row = stored.row
    me = unit.member(row.asked, user_id)
    if me is None:
        return _said(introducing.cannot_answer(t, "unknown", action.introduction_id))
    asked_after = now - introducing.ANSWER_WITHIN
    if not unit.answer_introduction(action.introduction_id, row.asked, user_id, action.accept, now, asked_after):
        why = introducing.unanswerable(seen_by(stored, row.asked), row.asked, me[0] == "coordinator", now)
        return _said(introducing.cannot_answer(t, why or "answered", action.introduction_id))
    if not action.accept:
        return introducing.declined(t)
    recipients = unit.reach_members(row.asking, user_id=row.asked_by) if row.asked_by is not None else []
    _queue(
        unit,
        action.introduction_id,
        "accepted",
        row.asked,
        recipients or unit.reach_members(row.asking, "coordinator"),
        now,
    )
    asking = stored.asking
    assert asking is not None, "answer_introduction accepts only while both sides take part"
    return introducing.introduced_answerer(t, asking.name, asking.contact)


def _queue(
    unit: Unit, intro_id: int, what: str, sender: int, recipients: list[tuple[int, str, str, str]], now: datetime
) -> None:
    """One delivery per recipient, in the paced outbox; the text is made when it goes out."""
    if not recipients:
        return
    broadcast_id = unit.add_broadcast(
        EXCHANGE, now, f"workspace:{sender}", body={"introduction": str(intro_id), "about": what}
    )
    unit.start_broadcast(broadcast_id, recipients)


def _said(text: str) -> Outbound:
    return Outbound([Paragraph(text)])


def close_unanswered(unit: Unit, now: datetime) -> int:
    """Close the introductions nobody answered within ``ANSWER_WITHIN_DAYS``, and those of workspaces that left the
    exchange (the courier's housekeeping). How many were closed."""
    return unit.close_unanswered(now - introducing.ANSWER_WITHIN, now)


# -- at send time ------------------------------------------------------------------------------
@dataclass(frozen=True)
class About:
    """What an ``exchange`` delivery says, read when it goes out."""

    what: Literal["request", "accepted"]
    stored: Stored


def about(unit: Unit, broadcast: Broadcast) -> About | None:
    """The introduction an ``exchange`` broadcast is about, as it is now."""
    body = broadcast.body or {}
    intro_id, what = str(body.get("introduction") or ""), body.get("about")
    stored = unit.introduction(int(intro_id)) if intro_id.isdigit() else None
    if stored is None or what not in ("request", "accepted"):
        return None
    return About(cast(Literal["request", "accepted"], what), stored)


def message(content: Content, found: About | None, lang: str) -> Outbound | None:
    """The request (to the asked coordinators) or the contact (to the asker) in ``lang``; None when it no longer
    applies (answered meanwhile, or a side left the exchange): then nothing is sent."""
    if found is None or found.stored.asking is None or found.stored.asked is None:
        return None
    t = content.catalogues.translator(lang)
    row = found.stored.row
    if found.what == "request" and row.status == "asked" and row.id is not None:
        asking = Facts.of(found.stored.asking.facts)
        return introducing.request(content, t, row.id, asking, reasons_of(row.reasons), row.asked_at)
    if found.what == "accepted" and row.status == "accepted":
        asked = found.stored.asked
        return introducing.introduced_asker(t, asked.name, asked.contact, row.asked_at)
    return None
