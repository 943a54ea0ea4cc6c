"""Versions of a workspace's Werkstattplan in the database, on SQLite and PostgreSQL: numbered per workspace,
a draft version agreed later, read back in order with their answers as stored."""

from __future__ import annotations

from datetime import UTC, datetime

from storage.store import Store
from tests.storage.test_templates import team

PLAN = {"wp_measures": [{"uid": "r1", "measure": "Dorfladen „Mitte“", "end": "2028-12"}], "wp_adoption": "planned"}
LATER = {**PLAN, "wp_measures": [{"uid": "r1", "measure": "Dorfladen „Mitte“", "end": "2029-06"}]}


async def test_versions_are_numbered_per_workspace_and_a_draft_is_agreed_with_the_plan_then(store: Store) -> None:
    anna, ben, wid, other = await team(store)
    before = datetime.now(UTC)
    assert await store.run(lambda unit: unit.record_version(wid, PLAN, None, ben)) == 1
    assert await store.run(lambda unit: unit.record_version(other, LATER, "2027-01-05", None)) == 1
    await store.run(lambda unit: unit.agree_version(wid, 1, LATER, "2027-03-12", anna))
    assert await store.run(lambda unit: unit.record_version(wid, PLAN, "2028-11-20", anna)) == 2
    first, second = await store.run(lambda unit: unit.plan_versions(wid))
    assert (first.number, first.answers, first.agreed_on, first.by) == (1, LATER, "2027-03-12", anna)
    assert (second.number, second.answers, second.agreed_on, second.by) == (2, PLAN, "2028-11-20", anna)
    assert before <= first.at <= second.at and second.at.tzinfo is not None
    [theirs] = await store.run(lambda unit: unit.plan_versions(other))
    assert (theirs.number, theirs.answers, theirs.agreed_on) == (1, LATER, "2027-01-05")
