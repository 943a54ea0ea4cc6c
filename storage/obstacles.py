"""What blocks municipalities, as stored for the pooled report: the opted-in workspaces' answers and editors'
decisions on quotes."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlmodel import col

from storage.base import UnitBase
from storage.models import Answer, Quote, utcnow


class Obstacles(UnitBase):
    """Reads and writes of this part (a mixin of the unit of work)."""

    def pooling(self, pool_step: str, opted_in: Any, steps: Iterable[str]) -> dict[int, dict[str, Any]]:
        """The answers to ``steps`` of every workspace whose ``pool_step`` answer is ``opted_in``, by workspace."""
        rows = self.conn.execute(
            select(col(Answer.workspace_id), col(Answer.value)).where(col(Answer.step_id) == pool_step)
        ).all()
        workspaces = sorted(wid for wid, value in rows if value == opted_in)
        found: dict[int, dict[str, Any]] = {wid: {} for wid in workspaces}
        if not workspaces:
            return found
        answers = self.conn.execute(
            select(col(Answer.workspace_id), col(Answer.step_id), col(Answer.value)).where(
                col(Answer.workspace_id).in_(workspaces), col(Answer.step_id).in_(list(steps))
            )
        ).all()
        for wid, step_id, value in answers:
            found[wid][step_id] = value
        return found

    def quotes(self) -> dict[str, Quote]:
        """Every editor's decision on a free text, by digest."""
        rows = self.conn.execute(select(Quote)).all()
        return {row.digest: Quote.model_validate(row._mapping) for row in rows}

    def decide_quote(self, digest: str, field: str, source: str, text: str, status: str, by: str) -> None:
        """Record (or change) the decision on one free text: ``approved`` with the text as it may be shown, or
        ``rejected`` (its text is not kept)."""
        values = {"field": field, "source": source, "text": text, "status": status, "reviewed_by": by}
        done = self.conn.execute(
            update(Quote).where(col(Quote.digest) == digest).values(**values, reviewed_at=utcnow())
        )
        if done.rowcount == 0:
            self.conn.execute(insert(Quote).values(digest=digest, **values, reviewed_at=utcnow()))

    def forget_quotes(self, keep: Collection[str]) -> int:
        """Delete the decisions on texts no opted-in workspace holds any more (changed, withdrawn, deleted)."""
        stale = [d for d in self.conn.execute(select(col(Quote.digest))).scalars() if d not in keep]
        if stale:
            self.conn.execute(delete(Quote).where(col(Quote.digest).in_(stale)))
        return len(stale)
