"""Shared good practice as stored: submissions, reviews, translations and adoptions."""

from __future__ import annotations

from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import func, insert, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import col

from storage.base import UnitBase, aware, stored_id
from storage.models import Adoption, SharedPractice


class PracticeRow(NamedTuple):
    id: int
    workspace_id: int
    measure: str
    municipality: str
    field: str
    lang: str
    texts: dict[str, dict[str, str]]
    status: str
    submitted_at: datetime
    reviewed_by: str | None
    reviewed_at: datetime | None


_COLUMNS = (
    col(SharedPractice.id),
    col(SharedPractice.workspace_id),
    col(SharedPractice.measure),
    col(SharedPractice.municipality),
    col(SharedPractice.field),
    col(SharedPractice.lang),
    col(SharedPractice.texts),
    col(SharedPractice.status),
    col(SharedPractice.submitted_at),
    col(SharedPractice.reviewed_by),
    col(SharedPractice.reviewed_at),
)


class Commons(UnitBase):
    """Reads and writes of this part (a mixin of the unit of work)."""

    def submit_practice(
        self,
        wid: int,
        measure: str,
        municipality: str,
        field: str,
        lang: str,
        texts: dict[str, str],
        by: int | None,
        now: datetime,
    ) -> int:
        """Submit a measure of the workspace; a measure submitted before is submitted again with the new text (the
        older texts, translations included, go: they said something else), and waits for review again."""
        found = self.conn.execute(
            select(col(SharedPractice.id)).where(
                col(SharedPractice.workspace_id) == wid, col(SharedPractice.measure) == measure[:64]
            )
        ).scalar()
        values: dict[str, Any] = {
            "municipality": municipality[:255],
            "field": field[:32],
            "lang": lang,
            "texts": {lang: texts},
            "status": "submitted",
            "submitted_by": by,
            "submitted_at": now,
            "reviewed_by": None,
            "reviewed_at": None,
            "updated_at": now,
        }
        if found is not None:
            self.conn.execute(update(SharedPractice).where(col(SharedPractice.id) == found).values(**values))
            return int(found)
        done = self.conn.execute(
            insert(SharedPractice)
            .values(workspace_id=wid, measure=measure[:64], **values)
            .returning(col(SharedPractice.id))
        )
        return stored_id(done.scalar())

    def review_practice(self, practice_id: int, approve: bool, by: str, now: datetime) -> bool:
        """Approve or reject a practice; False when there is none of that id (any more)."""
        done = self.conn.execute(
            update(SharedPractice)
            .where(col(SharedPractice.id) == practice_id)
            .values(status="approved" if approve else "rejected", reviewed_by=by[:255], reviewed_at=now, updated_at=now)
        )
        return done.rowcount == 1

    def translate_practice(self, practice_id: int, lang: str, texts: dict[str, str], now: datetime) -> bool:
        """Add or replace the practice's text in ``lang``; False when there is none of that id (any more)."""
        stored = self.conn.execute(
            select(col(SharedPractice.texts)).where(col(SharedPractice.id) == practice_id)
        ).scalar()
        if stored is None:
            return False
        self.conn.execute(
            update(SharedPractice)
            .where(col(SharedPractice.id) == practice_id)
            .values(texts={**stored, lang: texts}, updated_at=now)
        )
        return True

    def practices(self, status: str | None = None, wid: int | None = None) -> list[PracticeRow]:
        """Shared practices, oldest first: of one status, of one workspace, or all."""
        query = select(*_COLUMNS).order_by(col(SharedPractice.id))
        if status is not None:
            query = query.where(col(SharedPractice.status) == status)
        if wid is not None:
            query = query.where(col(SharedPractice.workspace_id) == wid)
        return [_row(r) for r in self.conn.execute(query).all()]

    def visible_practices(self, wid: int | None, editor: bool) -> list[PracticeRow]:
        """What one person may see: the approved practices, their workspace's own, and for an editor those waiting."""
        seen = [col(SharedPractice.status) == "approved"]
        if wid is not None:
            seen.append(col(SharedPractice.workspace_id) == wid)
        if editor:
            seen.append(col(SharedPractice.status) == "submitted")
        query = select(*_COLUMNS).where(or_(*seen)).order_by(col(SharedPractice.id))
        return [_row(r) for r in self.conn.execute(query).all()]

    def approved_practices(self) -> list[PracticeRow]:
        return self.practices("approved")

    def waiting_practices(self) -> list[PracticeRow]:
        return self.practices("submitted")

    def practices_of(self, wid: int) -> list[PracticeRow]:
        return self.practices(wid=wid)

    def commons_revision(self) -> str:
        """Changes whenever a practice is approved, rejected after approval, or its texts change."""
        count, last = self.conn.execute(
            select(func.count(), func.max(col(SharedPractice.updated_at))).where(
                col(SharedPractice.status) == "approved"
            )
        ).one()
        return f"{count}:{aware(last).isoformat() if last is not None else ''}"

    def adopt(self, item: str, wid: int, measure: str, now: datetime) -> bool:
        """The workspace took ``item`` over (counted once per workspace and item); False when it had already."""
        ins = postgresql.insert if self.dialect == "postgresql" else sqlite.insert
        statement = ins(Adoption).on_conflict_do_nothing(index_elements=["item", "workspace_id"])
        done = self.conn.execute(
            statement, {"item": item[:64], "workspace_id": wid, "measure": measure[:64], "at": now}
        )
        return done.rowcount == 1

    def adoptions(self) -> dict[str, int]:
        """How many workspaces took each toolbox item over."""
        rows = self.conn.execute(select(col(Adoption.item), func.count()).group_by(col(Adoption.item))).all()
        return {item: int(n) for item, n in rows}


def _row(r: Any) -> PracticeRow:
    (pid, wid, measure, municipality, field, lang, texts, status, submitted, by, at) = r
    return PracticeRow(
        pid,
        wid,
        measure,
        municipality,
        field,
        lang,
        dict(texts or {}),
        status,
        aware(submitted),
        by,
        aware(at) if at is not None else None,
    )
