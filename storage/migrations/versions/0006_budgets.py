"""Budgets: a measure's budget becomes structured (amount in euros, source, years) where its text can be read.

Every record of the Werkstattplan's measures (step ``wp_measures``) whose budget is a plain string gets the
value :func:`flows.reading.read_budget` reads from it (see flows/documents/budget.py for the shape); a text
without an amount stays ``{"text": ..., "amount": null}``. Nothing is lost: the text is kept as written in
every case. The same goes for the measures in stage approvals (``approval.answers``) and in a record being
entered or held in a conversation (``conversation.position``). The funding category is left empty: it
comes from content/funding.yaml, which a migration does not read (``Ctx.budget`` tells it when read).
The audit trail keeps what was written then. Downgrade: every budget becomes its text again.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from alembic import op

from flows.reading import read_budget

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

STEP = "wp_measures"
FIELD = "budget"
_JSON = sa.JSON().with_variant(sa.dialects.postgresql.JSONB(), "postgresql")

_answer = sa.table(
    "answer", sa.column("workspace_id", sa.Integer), sa.column("step_id", sa.String), sa.column("value", _JSON)
)
_approval = sa.table(
    "approval", sa.column("workspace_id", sa.Integer), sa.column("stage_id", sa.String), sa.column("answers", _JSON)
)
_conversation = sa.table("conversation", sa.column("id", sa.Integer), sa.column("position", _JSON))

Change = Callable[[Any], Any]


def _structured(budget: Any) -> Any:
    return read_budget(budget).value() if isinstance(budget, str) and budget.strip() else budget


def _text(budget: Any) -> Any:
    return budget.get("text") or None if isinstance(budget, dict) else budget


def _record(record: Any, change: Change) -> Any:
    if isinstance(record, dict) and FIELD in record:
        return {**record, FIELD: change(record[FIELD])}
    return record


def _records(value: Any, change: Change) -> Any:
    return [_record(r, change) for r in value] if isinstance(value, list) else value


def _position(position: Any, change: Change) -> Any:
    """A measure being entered or edited (draft values, the entry as opened) or held in a clash."""
    if not isinstance(position, dict):
        return position
    draft, clash = position.get("draft"), position.get("clash")
    if position.get("step") == STEP and isinstance(draft, dict):
        draft = {**draft, **{k: _record(draft[k], change) for k in ("values", "was") if k in draft}}
    if isinstance(clash, dict) and clash.get("step") == STEP:
        value = clash.get("value")
        clash = {**clash, "value": _records(value, change) if isinstance(value, list) else _record(value, change)}
    changed = {"draft": draft, "clash": clash}
    return {**position, **{k: v for k, v in changed.items() if k in position}}


def _convert(change: Change) -> None:
    bind = op.get_bind()
    rows = bind.execute(sa.select(_answer.c.workspace_id, _answer.c.value).where(_answer.c.step_id == STEP))
    for wid, value in rows.all():
        new = _records(value, change)
        if new != value:
            bind.execute(
                _answer.update().where(_answer.c.workspace_id == wid, _answer.c.step_id == STEP).values(value=new)
            )
    for wid, stage, answers in bind.execute(sa.select(_approval)).all():
        if isinstance(answers, dict) and STEP in answers:
            new_answers = {**answers, STEP: _records(answers[STEP], change)}
            if new_answers != answers:
                bind.execute(
                    _approval.update()
                    .where(_approval.c.workspace_id == wid, _approval.c.stage_id == stage)
                    .values(answers=new_answers)
                )
    for cid, position in bind.execute(sa.select(_conversation)).all():
        new_position = _position(position, change)
        if new_position != position:
            bind.execute(_conversation.update().where(_conversation.c.id == cid).values(position=new_position))


def upgrade() -> None:
    _convert(_structured)


def downgrade() -> None:
    _convert(_text)
