"""Exchange profiles in the database, on SQLite and PostgreSQL: opting in and changing (with the consent it rests
on), every other opted-in workspace as a candidate, facts kept current, leaving; the profile is in its coordinator's
data and goes when they erase themselves or the workspace is deleted; every write moves the exchange's revision."""

from __future__ import annotations

from datetime import UTC, datetime

from storage.models import ExchangeProfile
from storage.store import Store, Unit
from tests.storage.test_store import count
from tests.storage.test_templates import team

AT = datetime(2026, 12, 7, 10, 30, tzinfo=UTC)
FACTS = {"name": "Musterstadt", "country": "de", "kind": "stadt", "size": "m", "region": "by", "fields": ["health"]}


def opt_in(wid: int, user: int, contact: str = "Anna, 030 1", at: datetime = AT):
    def work(unit: Unit) -> bool:
        return unit.save_profile(
            wid, user, FACTS, ["health"], ["mobility"], ["de", "fr"], contact, "", "2026-12-07", at
        )

    return work


async def test_opting_in_changing_and_leaving(store: Store) -> None:
    anna, _, ours, theirs = await team(store)
    assert await store.run(opt_in(ours, anna)) is True
    row = await store.run(lambda unit: unit.profile(ours))
    assert row is not None
    assert (row.user_id, row.facts, row.offers, row.seeks, row.languages, row.contact) == (
        anna,
        FACTS,
        ["health"],
        ["mobility"],
        ["de", "fr"],
        "Anna, 030 1",
    )
    assert (row.consent_version, row.opted_in_at) == ("2026-12-07", AT)
    later = datetime(2027, 1, 5, 9, tzinfo=UTC)
    assert await store.run(opt_in(ours, anna, "x" * 600, later)) is False  # a change, agreed again
    row = await store.run(lambda unit: unit.profile(ours))
    assert row is not None and row.contact == "x" * 500 and row.opted_in_at == later
    assert await count(store, ExchangeProfile) == 1
    assert await store.run(lambda unit: unit.profile(theirs)) is None
    assert await store.run(lambda unit: unit.leave(ours)) is True
    assert await store.run(lambda unit: unit.profile(ours)) is None
    assert await store.run(lambda unit: unit.leave(ours)) is False


async def test_candidates_are_every_other_opted_in_workspace_and_facts_follow_the_answers(store: Store) -> None:
    anna, _, ours, theirs = await team(store)
    clara = (await store.run(lambda unit: unit.members(theirs)))[0][0]
    await store.run(opt_in(ours, anna))
    assert await store.run(lambda unit: unit.candidates(theirs)) != []
    assert [r.workspace_id for r in await store.run(lambda unit: unit.candidates(ours))] == []
    await store.run(opt_in(theirs, clara))
    assert [r.workspace_id for r in await store.run(lambda unit: unit.candidates(ours))] == [theirs]
    assert [r.workspace_id for r in await store.run(lambda unit: unit.candidates(None))] == [ours, theirs]
    newer = {**FACTS, "stage": "werkstattplan", "has_plan": True}
    assert await store.run(lambda unit: unit.refresh_facts(theirs, newer)) is True
    assert [r.facts for r in await store.run(lambda unit: unit.candidates(ours))] == [newer]
    await store.run(lambda unit: unit.leave(theirs))
    assert await store.run(lambda unit: unit.refresh_facts(theirs, newer)) is False  # no profile: nothing written
    assert await store.run(lambda unit: unit.candidates(ours)) == []


async def test_the_stored_answers_are_what_facts_are_derived_from(store: Store) -> None:
    _, _, ours, _ = await team(store)
    assert await store.run(lambda unit: unit.stored_answers(ours)) == {"ob_name": "Musterstadt"}


async def test_the_profile_is_in_its_coordinators_data_and_goes_when_they_erase_themselves(store: Store) -> None:
    anna, ben, ours, _ = await team(store)
    await store.run(opt_in(ours, anna))
    [listed] = (await store.run(lambda unit: unit.stored(anna)))["exchange"]
    assert listed["workspace"] == "Musterstadt" and listed["contact"] == "Anna, 030 1"
    assert listed["consent_version"] == "2026-12-07" and listed["opted_in_at"] == AT
    assert (await store.run(lambda unit: unit.stored(ben)))["exchange"] == []
    await store.run(lambda unit: unit.delete_user(anna))
    assert await count(store, ExchangeProfile) == 0  # her contact is in it: it goes with her


async def test_the_profile_goes_with_its_workspace(store: Store) -> None:
    anna, _, ours, theirs = await team(store)
    clara = (await store.run(lambda unit: unit.members(theirs)))[0][0]
    await store.run(opt_in(ours, anna))
    await store.run(opt_in(theirs, clara))
    await store.run(lambda unit: unit.delete_workspace(ours, anna))
    assert [r.workspace_id for r in await store.run(lambda unit: unit.candidates(None))] == [theirs]


async def test_every_write_that_matching_reads_moves_the_revision(store: Store) -> None:
    anna, _, ours, theirs = await team(store)
    clara = (await store.run(lambda unit: unit.members(theirs)))[0][0]
    seen = [await store.run(lambda unit: unit.profiles_revision())]

    async def moved() -> bool:
        """The revision differs from the one before (an earlier one may come back with the same rows)."""
        seen.append(await store.run(lambda unit: unit.profiles_revision()))
        return seen[-1] != seen[-2]

    await store.run(opt_in(ours, anna))
    assert await moved()
    await store.run(opt_in(theirs, clara))
    assert await moved()
    versions = await store.run(lambda unit: unit.profile_versions())
    assert sorted(versions) == [ours, theirs]
    await store.run(opt_in(theirs, clara, "Clara, 040 2"))  # the same message time as before: written now
    assert await moved()
    changed = await store.run(lambda unit: unit.profile_versions())
    assert changed[ours] == versions[ours] and changed[theirs] != versions[theirs]
    only = await store.run(lambda unit: unit.candidates(None, {theirs}))
    assert [(c.workspace_id, c.facts, c.languages) for c in only] == [(theirs, FACTS, ["de", "fr"])]
    assert await store.run(lambda unit: unit.refresh_facts(ours, {**FACTS, "stage": "kickoff"}))
    assert await moved()
    await store.run(lambda unit: unit.leave(theirs))
    assert await moved()
    await store.run(opt_in(theirs, clara))
    assert await moved()
    await store.run(lambda unit: unit.delete_user(clara))
    assert await moved()
    await store.run(lambda unit: unit.delete_workspace(ours, anna))
    assert await moved()
    assert await store.run(lambda unit: unit.profiles_revision()) == (0, 0, None)
