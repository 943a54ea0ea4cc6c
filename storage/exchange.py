"""Exchange profiles as stored: opt in, change, withdraw, and every opted-in workspace's profile for matching."""

from __future__ import annotations

import json
from collections.abc import Collection
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import Text, cast, delete, func, insert, select, type_coerce, update
from sqlalchemy.engine import Connection
from sqlalchemy.sql import ClauseElement
from sqlmodel import col

from storage.base import UnitBase, aware
from storage.models import Answer, ExchangeProfile, Workspace, utcnow
from storage.prepared import Prepared


class ProfileRow(NamedTuple):
    """One opted-in workspace: what its answers say (``facts``), what its coordinator chose to share, and the
    consent it rests on (who, which version of the text, when)."""

    workspace_id: int
    user_id: int
    facts: dict[str, Any]
    offers: list[str]
    seeks: list[str]
    languages: list[str]
    contact: str
    twin_town: str
    consent_version: str
    opted_in_at: datetime
    updated_at: datetime


_COLUMNS = tuple(col(getattr(ExchangeProfile, name)) for name in ProfileRow._fields)


class Candidate(NamedTuple):
    """What matching reads of an opted-in workspace (no contact, no consent record)."""

    workspace_id: int
    facts: dict[str, Any]
    offers: list[str]
    seeks: list[str]
    languages: list[str]
    twin_town: str


_CANDIDATES = select(
    col(ExchangeProfile.workspace_id),
    *(type_coerce(col(getattr(ExchangeProfile, n)), Text) for n in ("facts", "offers", "seeks", "languages")),
    col(ExchangeProfile.twin_town),
).order_by(col(ExchangeProfile.workspace_id))
"""Every profile, its JSON as the driver gives it: text is decoded as one JSON array per row."""
_REVISION = select(
    func.count(),
    func.coalesce(func.sum(col(ExchangeProfile.workspace_id)), 0),
    type_coerce(func.max(col(ExchangeProfile.updated_at)), Text),
)
_VERSIONS = select(col(ExchangeProfile.workspace_id), cast(col(ExchangeProfile.updated_at), Text))
_PREPARED: dict[tuple[str, str], Prepared] = {}


def _prepared(name: str, statement: ClauseElement, conn: Connection) -> Prepared:
    """``statement`` compiled once for the connection's dialect."""
    key = (name, conn.dialect.name)
    return _PREPARED.get(key) or _PREPARED.setdefault(key, Prepared(statement, conn.dialect))


def _row(values: Any) -> ProfileRow:
    row = ProfileRow(*values)
    return row._replace(opted_in_at=aware(row.opted_in_at), updated_at=aware(row.updated_at))


class Profiles(UnitBase):
    """Reads and writes of this part (a mixin of the unit of work)."""

    def save_profile(
        self,
        wid: int,
        user_id: int,
        facts: dict[str, Any],
        offers: list[str],
        seeks: list[str],
        languages: list[str],
        contact: str,
        twin_town: str,
        consent_version: str,
        now: datetime | None = None,
    ) -> bool:
        """Opt the workspace in, or change its profile; True when it is new. ``user_id`` agreed to the exchange's
        consent text ``consent_version`` just now (a changed profile is agreed again). ``updated_at`` is the time
        of the write, whatever ``now`` says (matching's cache of profiles looks for a newer one)."""
        now = now or utcnow()
        values = {
            "user_id": user_id,
            "facts": facts,
            "offers": offers,
            "seeks": seeks,
            "languages": languages,
            "contact": contact[:500],
            "twin_town": twin_town[:255],
            "consent_version": consent_version[:32],
            "opted_in_at": now,
            "updated_at": utcnow(),
        }
        where = col(ExchangeProfile.workspace_id) == wid
        if self.conn.execute(update(ExchangeProfile).where(where).values(**values)).rowcount:
            return False
        self.conn.execute(insert(ExchangeProfile).values(workspace_id=wid, **values))
        return True

    def profile(self, wid: int) -> ProfileRow | None:
        found = self.conn.execute(select(*_COLUMNS).where(col(ExchangeProfile.workspace_id) == wid)).first()
        return _row(found) if found is not None else None

    def candidates(self, excluding: int | None, only: Collection[int] | None = None) -> list[Candidate]:
        """Every opted-in workspace but ``excluding`` (of ``only``, where given), in the order they opted in (10,000
        are read in tens of milliseconds: one compiled statement, JSON decoded once per row)."""
        rows: list[Any]
        if only is not None:
            query = _CANDIDATES.where(col(ExchangeProfile.workspace_id).in_(sorted(only)))
            rows = [tuple(r) for r in self.conn.execute(query)]
        else:
            rows = _prepared("candidates", _CANDIDATES, self.conn).rows(self.conn, {})
        found = []
        for wid, facts, offers, seeks, languages, twin_town in rows:
            if wid == excluding:
                continue
            if isinstance(facts, str):  # SQLite, and PostgreSQL outside a transaction: the JSON text
                facts, offers, seeks, languages = json.loads(f"[{facts},{offers},{seeks},{languages}]")
            found.append(Candidate(wid, facts, offers, seeks, languages, twin_town))
        return found

    def profile_versions(self) -> dict[int, str]:
        """Every opted-in workspace's ``updated_at`` (as text): which profiles changed since they were read."""
        return dict(_prepared("versions", _VERSIONS, self.conn).rows(self.conn, {}))

    def profiles_revision(self) -> tuple[Any, ...]:
        """What changes whenever what matching reads changes (one cheap query): how many profiles, the sum of
        their workspace ids (a leave, a deletion and an opt-in move them) and the latest ``updated_at`` (every save
        and refresh of facts sets it to the time of the write)."""
        return tuple(_prepared("revision", _REVISION, self.conn).rows(self.conn, {})[0])

    def refresh_facts(self, wid: int, facts: dict[str, Any]) -> bool:
        """Keep the profile's facts in step with the workspace's answers; False when it has no profile."""
        query = update(ExchangeProfile).where(col(ExchangeProfile.workspace_id) == wid)
        return bool(self.conn.execute(query.values(facts=facts, updated_at=utcnow())).rowcount)

    def leave(self, wid: int) -> bool:
        """Withdraw the workspace from the exchange: its profile is deleted (gone from every result at once)."""
        return bool(self.conn.execute(delete(ExchangeProfile).where(col(ExchangeProfile.workspace_id) == wid)).rowcount)

    def stored_answers(self, wid: int) -> dict[str, Any]:
        """The workspace's answers as stored (a profile's facts are derived from them when it opts in)."""
        query = select(col(Answer.step_id), col(Answer.value)).where(col(Answer.workspace_id) == wid)
        return {step_id: value for step_id, value in self.conn.execute(query)}

    def exchange_profiles(self, user_id: int) -> list[tuple[str | None, ProfileRow]]:
        return agreed_by(self.conn, user_id)


def agreed_by(conn: Connection, user_id: int) -> list[tuple[str | None, ProfileRow]]:
    """The profiles whose consent ``user_id`` gave, with their workspace's name (for 'my data')."""
    query = (
        select(col(Workspace.name), *_COLUMNS)
        .join(Workspace, col(Workspace.id) == col(ExchangeProfile.workspace_id))
        .where(col(ExchangeProfile.user_id) == user_id)
        .order_by(col(ExchangeProfile.workspace_id))
    )
    return [(r[0], _row(r[1:])) for r in conn.execute(query)]
