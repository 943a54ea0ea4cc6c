"""The durable outbox on SQLite and PostgreSQL: deliveries of a sender that died on the way."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update

from storage.models import Courier, utcnow
from storage.store import Store, Unit

PEOPLE = [("telegram", "1001"), ("matrix", "@anna:example.org")]
"""Telegram cannot deduplicate a resend (in-flight rows end unknown); Matrix can (they are queued again)."""


def in_flight(unit: Unit) -> tuple[int, list[int]]:
    """A newsletter to one Telegram and one Matrix subscriber, both requests on their way from sender "dead"."""
    users = []
    for channel, ref in PEOPLE:
        account, _ = unit.open_conversation(channel, ref, "de")
        unit.confirm_subscription(account.user_id, channel, ref, "de", [], "1")
        users.append(account.user_id)
    broadcast = unit.add_broadcast("newsletter", utcnow(), "cli:test", title={"de": "T"}, body={"de": "B"})
    unit.start_broadcast(broadcast, [(u, c, r, "de") for u, (c, r) in zip(users, PEOPLE, strict=True)])
    unit.heartbeat("dead")
    for channel, _ in PEOPLE:
        parcels = unit.claim(channel, "dead", 10)
        assert unit.begin_sending([p.id for p in parcels], "dead") == {parcels[0].id: None}
    return broadcast, users


def the_sender_died(unit: Unit) -> None:
    unit.conn.execute(update(Courier).where(Courier.id == "dead").values(seen_at=utcnow() - timedelta(minutes=1)))
    assert unit.recover(timedelta(seconds=10), frozenset({"matrix"})) == {"requeued": 0, "resent": 1, "unknown": 1}


def another_sender_goes_on(unit: Unit) -> dict[int, str | None]:
    unit.heartbeat("alive")
    return unit.begin_sending([p.id for p in unit.claim("matrix", "alive", 10)], "alive")


async def test_a_delivery_in_flight_for_someone_who_unsubscribed_before_the_crash_ends_unknown(store: Store):
    broadcast, users = await store.run(in_flight)
    await store.run(lambda unit: [unit.withdraw_subscription(u) for u in users])
    await store.run(the_sender_died)

    assert list((await store.run(another_sender_goes_on)).values()) == ["unsubscribed"]  # not sent again

    counts = await store.run(lambda unit: unit.counts(broadcast))
    assert (counts["unknown"], counts["skipped"], counts["queued"]) == (2, 0, 0), counts


async def test_a_delivery_queued_again_after_a_crash_ends_unknown_when_the_broadcast_is_cancelled(store: Store):
    broadcast, _ = await store.run(in_flight)
    await store.run(the_sender_died)
    assert await store.run(lambda unit: unit.cancel_broadcast(broadcast))

    assert await store.run(another_sender_goes_on) == {}
    counts = await store.run(lambda unit: unit.counts(broadcast))
    assert (counts["unknown"], counts["skipped"], counts["queued"]) == (2, 0, 0), counts
