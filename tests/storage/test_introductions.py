"""Introductions in the database, on SQLite and PostgreSQL: asked, answered once even by two coordinators at the same
moment, closed when nobody answered within 14 days or a side left the exchange; whom the messages reach."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, insert

from storage.models import ExchangeProfile
from storage.store import Store
from tests.storage.test_store import put

NOW = datetime(2026, 12, 7, 10, tzinfo=UTC)
CUTOFF = NOW - timedelta(days=14)
WHY = [{"kind": "size", "values": ["s"]}]


async def opt_in(store: Store, wid: int, user_id: int, contact: str = "", **facts: Any) -> None:
    """The workspace takes part in the exchange (the row PROFILE's opt-in writes)."""
    row = {
        "workspace_id": wid,
        "user_id": user_id,
        "facts": facts,
        "offers": [],
        "seeks": [],
        "languages": ["de"],
        "contact": contact,
        "twin_town": "",
        "consent_version": "1",
        "opted_in_at": NOW,
        "updated_at": NOW,
    }
    await store.run(lambda unit: unit.conn.execute(insert(ExchangeProfile).values(**row)))


async def leave(store: Store, wid: int) -> None:
    await store.run(
        lambda unit: unit.conn.execute(delete(ExchangeProfile).where(ExchangeProfile.workspace_id == wid))  # type: ignore[arg-type]
    )


async def workspace(store: Store, ref: str, name: str) -> tuple[int, int]:
    """A person (Telegram ``ref``) and the workspace they coordinate: their ids."""
    account, _, _ = await put(store, {"ob_name": name}, ref=ref)
    await store.run(lambda unit: unit.set_profile(account.user_id, {"name": name}))
    wid = await store.run(lambda unit: unit.memberships(account.user_id)[0][0])
    return account.user_id, wid


async def two(store: Store) -> tuple[int, int, int, int]:
    """Anna's Wolfach and Bea's Grabow, both in the exchange."""
    anna, wolfach = await workspace(store, "1001", "Wolfach")
    bea, grabow = await workspace(store, "2001", "Grabow")
    await opt_in(store, wolfach, anna, "Anna Muster, 07834 1", name="Wolfach", kind="gemeinde")
    await opt_in(store, grabow, bea, "Bea, 038 2", kind="stadt")
    return anna, wolfach, bea, grabow


async def test_an_ask_is_stored_with_both_sides_and_answered_once(store: Store):
    anna, wolfach, bea, grabow = await two(store)
    intro = await store.run(lambda unit: unit.ask_introduction(wolfach, grabow, anna, WHY, NOW))
    [mine] = await store.run(lambda unit: unit.introductions_of(wolfach))
    assert (mine.row.id, mine.row.status, mine.row.reasons, mine.row.asked_by) == (intro, "asked", WHY, anna)
    assert mine.row.asked_at == NOW
    assert mine.asking is not None and mine.asked is not None
    assert (mine.asking.name, mine.asking.contact, mine.asking.facts["kind"]) == (
        "Wolfach",
        "Anna Muster, 07834 1",
        "gemeinde",
    )
    assert mine.asked.name == "Grabow"  # no name in the profile's facts: the workspace's
    assert [s.row.id for s in await store.run(lambda unit: unit.introductions_of(grabow))] == [intro]

    assert not await store.run(lambda unit: unit.answer_introduction(intro, wolfach, anna, True, NOW, CUTOFF))
    assert await store.run(lambda unit: unit.answer_introduction(intro, grabow, bea, True, NOW, CUTOFF))
    assert not await store.run(lambda unit: unit.answer_introduction(intro, grabow, bea, False, NOW, CUTOFF))
    found = await store.run(lambda unit: unit.introduction(intro))
    assert found is not None
    assert (found.row.status, found.row.answered_by, found.row.answered_at) == ("accepted", bea, NOW)


async def test_two_coordinators_answering_at_the_same_moment_answer_once(store: Store, other: Store):
    anna, wolfach, bea, grabow = await two(store)
    intro = await store.run(lambda unit: unit.ask_introduction(wolfach, grabow, anna, WHY, NOW))
    results = await asyncio.gather(
        store.run(lambda unit: unit.answer_introduction(intro, grabow, bea, True, NOW, CUTOFF)),
        other.run(lambda unit: unit.answer_introduction(intro, grabow, bea, False, NOW, CUTOFF)),
    )
    assert sorted(results) == [False, True]


async def test_no_answer_after_14_days_or_after_a_side_left(store: Store):
    anna, wolfach, bea, grabow = await two(store)
    old = await store.run(lambda unit: unit.ask_introduction(wolfach, grabow, anna, WHY, NOW - timedelta(days=15)))
    assert not await store.run(lambda unit: unit.answer_introduction(old, grabow, bea, True, NOW, CUTOFF))
    fresh = await store.run(lambda unit: unit.ask_introduction(grabow, wolfach, bea, WHY, NOW))
    await leave(store, wolfach)
    assert not await store.run(lambda unit: unit.answer_introduction(fresh, wolfach, anna, True, NOW, CUTOFF))
    [gone] = [s for s in await store.run(lambda unit: unit.introductions_of(grabow)) if s.row.id == fresh]
    assert gone.asked is None and gone.asking is not None  # Wolfach left: its side is unknown now


async def test_closing_closes_what_nobody_answered_and_what_a_leaver_was_part_of(store: Store):
    anna, wolfach, bea, grabow = await two(store)
    carl, third = await workspace(store, "3001", "Dorf")
    await opt_in(store, third, carl, "Carl")
    ask = lambda a, b, who, at: store.run(lambda unit: unit.ask_introduction(a, b, who, WHY, at))  # noqa: E731
    expired = await ask(wolfach, grabow, anna, NOW - timedelta(days=14))
    recent = await ask(wolfach, third, anna, NOW - timedelta(days=13))
    answered = await ask(grabow, third, bea, NOW - timedelta(days=20))
    await store.run(
        lambda unit: unit.answer_introduction(
            answered, third, carl, True, NOW - timedelta(days=19), CUTOFF - timedelta(days=19)
        )
    )
    assert await store.run(lambda unit: unit.close_unanswered(CUTOFF, NOW)) == 1
    states = {s.row.id: s.row.status for s in await store.run(lambda unit: unit.introductions_of(third))}
    assert states == {recent: "asked", answered: "accepted"}
    assert (await store.run(lambda unit: unit.introduction(expired))).row.status == "closed"  # type: ignore[union-attr]
    await leave(store, third)
    assert await store.run(lambda unit: unit.close_unanswered(CUTOFF, NOW)) == 1
    closed = await store.run(lambda unit: unit.introduction(recent))
    assert closed is not None and (closed.row.status, closed.row.answered_at) == ("closed", NOW)
    assert (await store.run(lambda unit: unit.introduction(answered))).row.status == "accepted"  # type: ignore[union-attr]


async def test_the_messages_reach_the_coordinators_or_one_member_on_the_messenger_linked_last(store: Store):
    anna, wolfach, bea, grabow = await two(store)
    ben, _ = await workspace(store, "1002", "Ben’s")
    carl, _ = await workspace(store, "2002", "Carl’s")
    await store.run(lambda unit: unit.join(ben, wolfach, "editor", "Ben"))
    await store.run(lambda unit: unit.join(carl, grabow, "coordinator", "Carl"))
    coordinators = await store.run(lambda unit: unit.reach_members(grabow, role="coordinator"))
    assert sorted(coordinators) == sorted([(bea, "telegram", "2001", "de"), (carl, "telegram", "2002", "de")])
    assert await store.run(lambda unit: unit.reach_members(wolfach, user_id=ben)) == [(ben, "telegram", "1002", "de")]
    assert await store.run(lambda unit: unit.reach_members(wolfach, user_id=carl)) == []  # no member there
