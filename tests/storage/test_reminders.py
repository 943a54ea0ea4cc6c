"""Follow-up reminders in the database, on SQLite and PostgreSQL: planned once per key, cancelled when the plan
changes, fired once even by two processes at the same moment, deferred, skipped; idle workspaces found once."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert, select, update

from storage.models import Delivery, Identity, Reminder
from storage.reminders import Planned
from storage.store import Store, Unit
from tests.storage.test_store import put

DUE = datetime(2027, 3, 15, 8, tzinfo=UTC)
LATER = DUE + timedelta(days=30)


async def workspace(store: Store) -> tuple[int, int]:
    """Anna (Telegram 1001) and the workspace she coordinates: their ids."""
    anna, _, _ = await put(store, {"ob_name": "Musterstadt"}, ref="1001")
    wid = await store.run(lambda unit: unit.memberships(anna.user_id)[0][0])
    return anna.user_id, wid


def monitoring(user: int, at: datetime = DUE, measure: str = "r1") -> Planned:
    return (f"monitoring:{measure}:{user}:{at.date().isoformat()}", "monitoring", measure, user, at)


async def states(store: Store, wid: int) -> list[tuple[str, str, str | None]]:
    return [(r.key, r.state, r.reason) for r in await store.run(lambda unit: unit.reminders_of(wid))]


async def test_planning_the_same_reminders_again_stores_and_changes_nothing(store: Store):
    anna, wid = await workspace(store)
    plan = [monitoring(anna), monitoring(anna, measure="r2")]

    assert await store.run(lambda unit: unit.plan(wid, plan, DUE - timedelta(days=9))) is True
    assert await store.run(lambda unit: unit.plan(wid, plan, DUE - timedelta(days=8))) is False

    assert await states(store, wid) == [(plan[0][0], "scheduled", None), (plan[1][0], "scheduled", None)]
    upcoming = await store.run(lambda unit: unit.upcoming(anna))
    assert [(r.kind, r.subject, r.due_at) for r in upcoming] == [("monitoring", "r1", DUE), ("monitoring", "r2", DUE)]


async def test_a_changed_date_cancels_the_old_reminder_and_changing_it_back_schedules_it_again(store: Store):
    anna, wid = await workspace(store)
    before, after = monitoring(anna), monitoring(anna, LATER)
    await store.run(lambda unit: unit.plan(wid, [before], DUE - timedelta(days=9)))

    assert await store.run(lambda unit: unit.plan(wid, [after], DUE - timedelta(days=8))) is True
    assert await states(store, wid) == [(before[0], "cancelled", None), (after[0], "scheduled", None)]

    assert await store.run(lambda unit: unit.plan(wid, [before], DUE - timedelta(days=7))) is True
    assert await states(store, wid) == [(before[0], "scheduled", None), (after[0], "cancelled", None)]
    assert [r.id for r in await store.run(lambda unit: unit.due_reminders(DUE))] != []


async def test_a_sent_reminder_and_the_idle_nudge_stay_when_the_plan_no_longer_asks_for_them(store: Store):
    anna, wid = await workspace(store)
    idle = (f"idle:kickoff:{anna}:{DUE.date()}", "idle", "kickoff", anna, DUE)
    await store.run(lambda unit: unit.plan(wid, [monitoring(anna)], DUE))
    await store.run(lambda unit: unit.nudge(wid, idle, DUE))
    fired = await store.run(
        lambda unit: [
            unit.fire(r, ("telegram", "1001", "de"), DUE) for r in unit.due_reminders(DUE) if r.kind != "idle"
        ]
    )
    assert fired[0] is not None

    assert await store.run(lambda unit: unit.plan(wid, [], DUE)) is False
    assert sorted(s for _, s, _ in await states(store, wid)) == ["scheduled", "sent"]
    assert await store.run(lambda unit: unit.nudge(wid, idle, DUE)) is False  # once per key


async def test_a_reminder_fires_once_when_two_processes_take_it_at_the_same_moment(store: Store, other: Store):
    anna, wid = await workspace(store)
    await store.run(lambda unit: unit.plan(wid, [monitoring(anna)], DUE - timedelta(days=1)))
    seen_by_other = await other.run(lambda unit: unit.due_reminders(DUE))

    def fire_all(unit: Unit) -> list[int | None]:
        return [unit.fire(r, ("telegram", "1001", "de"), DUE) for r in unit.due_reminders(DUE)]

    first, second = await asyncio.gather(store.run(fire_all), other.run(fire_all))
    late = await other.run(lambda unit: [unit.fire(r, ("telegram", "1001", "de"), DUE) for r in seen_by_other])

    broadcasts = [b for b in first + second + late if b is not None]
    assert len(broadcasts) == 1
    row = (await store.run(lambda unit: unit.reminders_of(wid)))[0]
    assert (row.state, row.broadcast_id) == ("sent", broadcasts[0])
    deliveries = await store.run(
        lambda unit: unit.conn.execute(
            select(Delivery.user_id, Delivery.channel, Delivery.address, Delivery.state)
        ).all()
    )
    assert [tuple(d) for d in deliveries] == [(anna, "telegram", "1001", "queued")]
    kind = await store.run(lambda unit: unit.broadcast(broadcasts[0]))
    assert kind is not None and (kind.kind, kind.status, kind.body) == (
        "followup",
        "sending",
        {"reminder": str(row.id)},
    )


async def test_a_deferred_reminder_is_due_at_its_new_time_and_a_skipped_one_never(store: Store):
    anna, wid = await workspace(store)
    first, second = monitoring(anna), monitoring(anna, measure="r2")
    await store.run(lambda unit: unit.plan(wid, [first, second], DUE))
    ids = {r.subject: r.id for r in await store.run(lambda unit: unit.due_reminders(DUE))}
    morning = DUE + timedelta(hours=11)

    assert await store.run(lambda unit: unit.defer(ids["r1"], morning)) is True
    assert await store.run(lambda unit: unit.skip(ids["r2"], "off", DUE)) is True
    assert await store.run(lambda unit: unit.skip(ids["r2"], "late", DUE)) is False  # already decided

    assert await store.run(lambda unit: unit.due_reminders(DUE + timedelta(hours=10))) == []
    due = await store.run(lambda unit: unit.due_reminders(morning))
    assert [(r.subject, r.due_at) for r in due] == [("r1", morning)]
    assert await store.run(lambda unit: unit.fire(due[0], ("telegram", "1001", "de"), morning - timedelta(1))) is None
    assert await store.run(lambda unit: unit.plan(wid, [first, second], morning)) is False  # skipped stays skipped
    assert await states(store, wid) == [(second[0], "skipped", "off"), (first[0], "scheduled", None)]


async def test_a_person_is_reached_on_the_messenger_they_linked_last_that_can_still_reach_them(store: Store):
    anna, _ = await workspace(store)

    def link(unit: Unit) -> None:
        unit.conn.execute(
            insert(Identity).values(
                user_id=anna,
                channel="matrix",
                ref="@anna:example.org",
                address="!dm:example.org",
                active=True,
                created_at=datetime.now(UTC) + timedelta(seconds=1),
            )
        )

    await store.run(link)
    assert await store.run(lambda unit: unit.addresses([anna], ["telegram", "matrix"])) == {
        anna: ("matrix", "!dm:example.org", "de")
    }
    assert await store.run(lambda unit: unit.addresses([anna], ["telegram"])) == {anna: ("telegram", "1001", "de")}
    await store.run(lambda unit: unit.set_reachable("telegram", "1001", False, "blocked"))
    assert await store.run(lambda unit: unit.addresses([anna], ["telegram", "console"])) == {}


async def test_a_workspace_left_alone_is_found_once_until_someone_writes_there_again(store: Store):
    anna, wid = await workspace(store)
    ben, _, _ = await put(store, {}, ref="1002")
    await store.run(lambda unit: unit.join(ben.user_id, wid, "editor", "Ben"))
    await put(store, {"ko_goal": "Ziel"}, ref="1002")  # Ben wrote last
    month = datetime.now(UTC)

    stale = await store.run(lambda unit: unit.stale(month))
    assert [(s.workspace_id, s.user_id, s.position["stage"]) for s in stale] == [(wid, ben.user_id, "onboarding")]
    nudge = (f"idle:onboarding:{ben.user_id}", "idle", "onboarding", ben.user_id, month)  # due when found
    assert await store.run(lambda unit: unit.nudge(wid, nudge, month)) is True
    assert await store.run(lambda unit: unit.stale(month)) == []

    await put(store, {"ko_goal": "Neues Ziel"}, ref="1001")  # Anna writes: a new idle period starts
    assert await store.run(lambda unit: unit.stale(month)) == []  # not yet 30 days
    again = await store.run(lambda unit: unit.stale(datetime.now(UTC) + timedelta(seconds=5)))
    assert [(s.workspace_id, s.user_id) for s in again] == [(wid, anna)]


async def test_a_reminder_to_someone_no_longer_in_the_workspace_comes_due_marked_so(store: Store):
    anna, wid = await workspace(store)
    ben, _, _ = await put(store, {}, ref="1002")
    await store.run(lambda unit: unit.join(ben.user_id, wid, "editor", "Ben"))
    await store.run(lambda unit: unit.plan(wid, [monitoring(anna), monitoring(ben.user_id)], DUE))
    await store.run(lambda unit: unit.remove_member(wid, ben.user_id))
    await store.run(
        lambda unit: unit.conn.execute(
            update(Reminder).where(Reminder.user_id == anna).values(due_at=DUE - timedelta(1))
        )
    )

    due = await store.run(lambda unit: unit.due_reminders(DUE))
    assert [(r.user_id, r.member) for r in due] == [(anna, True), (ben.user_id, False)]
