"""Exchange profiles in the shell: the ``Profiles`` port on one unit of work, storing what the engine asked, and
keeping an opted-in workspace's facts in step with its answers."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict
from datetime import datetime
from typing import Any, cast

from bot.app import directory
from flows.content.i18n import Translator
from flows.content.loader import Content
from flows.conversation.actions import LeaveExchange, SaveProfile
from flows.exchange.model import Facts, Profile
from flows.exchange.profile import derive
from flows.exchange.similarity import Pool
from flows.messages import Outbound, Paragraph
from flows.statistics.model import Country, Place, Registry
from flows.team import messages as team_messages
from flows.team.view import Mate, Role
from storage.exchange import ProfileRow
from storage.store import Unit

_UNREAD: Any = object()


class Candidates:
    """Every opted-in profile of one database, packed for matching (:class:`flows.exchange.similarity.Pool`), kept
    in this process while the exchange's revision stands (storage/exchange.py ``profiles_revision``): a withdrawal,
    a deletion, a new or changed profile, by any process, is read at the next match. When the revision moved, only
    the profiles whose ``updated_at`` changed are read again."""

    def __init__(self) -> None:
        self._revision: tuple[Any, ...] | None = None
        self._versions: dict[int, str] = {}
        self._profiles: dict[int, Profile] = {}
        self._pool = Pool(())

    def current(self, unit: Unit) -> Pool:
        """The pool as the unit sees it now: the revision first, then (only when it moved) what changed."""
        revision = unit.profiles_revision()
        if revision == self._revision:
            return self._pool
        versions = unit.profile_versions()
        changed = {w for w, v in versions.items() if self._versions.get(w) != v or w not in self._profiles}
        kept = {w: p for w, p in self._profiles.items() if w in versions and w not in changed}
        only = changed if len(changed) <= len(versions) // 2 else None
        for c in unit.candidates(None, only):
            kept[c.workspace_id] = Profile(
                c.workspace_id, Facts.of(c.facts), tuple(c.offers), tuple(c.seeks), tuple(c.languages), "", c.twin_town
            )
        pool = Pool(kept[w] for w in sorted(kept))
        self._revision, self._versions, self._profiles, self._pool = revision, versions, kept, pool
        return pool


class StoredProfiles:
    """:class:`flows.exchange.model.Profiles` for the person's workspace (None: they have none); each read once per
    message, when the engine first asks; the candidates from ``candidates`` (a fresh one: no cache)."""

    def __init__(self, unit: Unit, workspace_id: int | None, candidates: Candidates | None = None):
        self.unit = unit
        self.workspace_id = workspace_id
        self._mine: Profile | None = _UNREAD
        self._cache = candidates or Candidates()
        self._candidates: Pool | None = None

    def mine(self) -> Profile | None:
        if self._mine is _UNREAD:
            row = self.unit.profile(self.workspace_id) if self.workspace_id is not None else None
            self._mine = profile_of(row) if row is not None else None
        return self._mine

    def candidates(self) -> Pool:
        """Every opted-in workspace's profile (without contact), the person's own among them."""
        if self._candidates is None:
            self._candidates = self._cache.current(self.unit)
        return self._candidates


def profile_of(row: ProfileRow) -> Profile:
    return Profile(
        workspace_id=row.workspace_id,
        facts=Facts.of(row.facts),
        offers=tuple(row.offers),
        seeks=tuple(row.seeks),
        languages=tuple(row.languages),
        contact=row.contact,
        twin_town=row.twin_town,
        opted_in_at=row.opted_in_at,
    )


def stored_facts(facts: Facts) -> dict[str, Any]:
    return {**asdict(facts), "fields": list(facts.fields)}


def place_of(content: Content, answers: Mapping[str, Any], lookup: Registry | Unit) -> Place | None:
    """The municipality picked in the directory (its key is in the name answer), from the registry or the unit."""
    picked = answers.get(content.profile_steps.get("name", ""))
    if not isinstance(picked, dict) or not picked.get("key"):
        return None
    country: Country = "fr" if picked.get("country") == "fr" else "de"
    if isinstance(lookup, Unit):
        return directory.place(lookup, str(picked["key"]), country)
    return lookup.place(str(picked["key"]), country)


def refresh(
    unit: Unit, content: Content, profiles: StoredProfiles, answers: Mapping[str, Any], registry: Registry
) -> bool:
    """After a save that changed the workspace's answers: an opted-in workspace's facts follow them (an UPDATE only
    when they differ from the stored ones). Whether they were written."""
    mine = profiles.mine()
    if mine is None:
        return False
    facts = derive(content, answers, place_of(content, answers, registry))
    if facts == mine.facts:
        return False
    return unit.refresh_facts(mine.workspace_id, stored_facts(facts))


def act(
    unit: Unit, content: Content, user_id: int, action: SaveProfile | LeaveExchange, now: datetime, t: Translator
) -> Outbound | None:
    """Store the opt-in, a changed profile or the withdrawal (a coordinator's only; checked again here)."""
    wid = action.workspace_id if action.workspace_id is not None else unit.workspace
    assert wid is not None, "the turn's save gives a person without a workspace their own"
    members = [Mate(u, cast(Role, r), n) for u, r, n in unit.members(wid)]
    if not any(m.user_id == user_id and m.role == "coordinator" for m in members):
        names = [team_messages.label(t, members, m.user_id) for m in members if m.role == "coordinator"]
        return Outbound([Paragraph(team_messages.not_coordinator(t, names))])  # demoted since the engine looked
    if isinstance(action, LeaveExchange):
        unit.leave(wid)
        return None
    answers = unit.stored_answers(wid)
    facts = derive(content, answers, place_of(content, answers, unit))
    unit.save_profile(
        wid,
        user_id,
        stored_facts(facts),
        list(action.offers),
        list(action.seeks),
        list(action.languages),
        action.contact,
        action.twin_town,
        action.version,
        now,
    )
    return None
