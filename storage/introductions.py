"""Introductions between workspaces as stored (double opt-in): asked, answered, closed.

An introduction of a workspace without an exchange profile (it left the exchange) is closed whatever its row says;
``close_unanswered`` makes the rows say so too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, exists, insert, or_, select, update
from sqlmodel import col

from storage.base import aware, stored_id
from storage.models import ExchangeProfile, Introduction, Member, Workspace
from storage.workspaces import Workspaces


@dataclass(frozen=True)
class Side:
    """One workspace of an introduction as its profile shows it (None where it left the exchange)."""

    workspace_id: int
    name: str
    """The municipality's name: the profile's, else the workspace's."""
    contact: str
    facts: dict[str, Any]


@dataclass(frozen=True)
class Stored:
    """An introduction row with both sides' profiles as they are now."""

    row: Introduction
    asking: Side | None
    asked: Side | None


def _open_row(value: Any) -> Introduction:
    row = Introduction(**value)
    row.asked_at = aware(row.asked_at)
    row.answered_at = aware(row.answered_at) if row.answered_at is not None else None
    return row


class Introductions(Workspaces):
    """Reads and writes of this part (a mixin of the unit of work)."""

    def ask_introduction(
        self, asking: int, asked: int, asked_by: int, reasons: list[dict[str, Any]], now: datetime
    ) -> int:
        result = self.conn.execute(
            insert(Introduction)
            .values(asking=asking, asked=asked, asked_by=asked_by, reasons=reasons, status="asked", asked_at=now)
            .returning(col(Introduction.id))
        )
        return stored_id(result.scalar_one())

    def introduction(self, intro_id: int) -> Stored | None:
        found = self._introductions(col(Introduction.id) == intro_id)
        return found[0] if found else None

    def introductions_of(self, wid: int, limit: int = 200) -> list[Stored]:
        """The workspace's introductions (asked by it or of it), newest first."""
        return self._introductions(or_(col(Introduction.asking) == wid, col(Introduction.asked) == wid), limit)

    def _introductions(self, where: Any, limit: int = 200) -> list[Stored]:
        rows = [
            _open_row(r)
            for r in self.conn.execute(
                select(Introduction).where(where).order_by(col(Introduction.asked_at).desc()).limit(limit)
            ).mappings()
        ]
        sides = self.sides({w for r in rows for w in (r.asking, r.asked)})
        return [Stored(r, sides.get(r.asking), sides.get(r.asked)) for r in rows]

    def sides(self, wids: set[int]) -> dict[int, Side]:
        """The exchange profiles of these workspaces (those that left are missing)."""
        if not wids:
            return {}
        rows = self.conn.execute(
            select(
                col(ExchangeProfile.workspace_id),
                col(Workspace.name),
                col(ExchangeProfile.contact),
                col(ExchangeProfile.facts),
            )
            .join(Workspace, col(Workspace.id) == col(ExchangeProfile.workspace_id))
            .where(col(ExchangeProfile.workspace_id).in_(sorted(wids)))
        ).all()
        return {
            w: Side(w, str((facts or {}).get("name") or name or ""), contact or "", dict(facts or {}))
            for w, name, contact, facts in rows
        }

    def answer_introduction(
        self, intro_id: int, asked: int, user_id: int, accept: bool, now: datetime, asked_after: datetime
    ) -> bool:
        """Accept or decline, once: only while it is asked, of ``asked``, since ``asked_after``, and both sides still
        take part in the exchange. False when another answer (or the closing) came first."""
        both = and_(
            exists().where(col(ExchangeProfile.workspace_id) == Introduction.asking),
            exists().where(col(ExchangeProfile.workspace_id) == Introduction.asked),
        )
        return (
            self.conn.execute(
                update(Introduction)
                .where(
                    col(Introduction.id) == intro_id,
                    col(Introduction.asked) == asked,
                    col(Introduction.status) == "asked",
                    col(Introduction.asked_at) > asked_after,
                    both,
                )
                .values(status="accepted" if accept else "declined", answered_by=user_id, answered_at=now)
            ).rowcount
            == 1
        )

    def close_unanswered(self, asked_before: datetime, now: datetime) -> int:
        """Close what nobody answered since ``asked_before``, and what either side of left the exchange."""
        gone = or_(
            ~exists().where(col(ExchangeProfile.workspace_id) == Introduction.asking),
            ~exists().where(col(ExchangeProfile.workspace_id) == Introduction.asked),
        )
        return self.conn.execute(
            update(Introduction)
            .where(col(Introduction.status) == "asked", or_(col(Introduction.asked_at) <= asked_before, gone))
            .values(status="closed", answered_at=now)
        ).rowcount

    def reach_members(
        self, wid: int, role: str | None = None, user_id: int | None = None
    ) -> list[tuple[int, str, str, str]]:
        """Where the workspace's members (only ``role``, or only ``user_id``) can be reached (see ``reachable``)."""
        where = [col(Member.role) == role] if role is not None else []
        if user_id is not None:
            where.append(col(Member.user_id) == user_id)
        return self.reachable(wid, *where)
