"""Follow-up in the shell, on SQLite and PostgreSQL: a monitoring date answered in the chat plans the owner's
reminder; when due it is sent, deferred (quiet hours, a pause) or skipped (stopped, late, unreachable, gone);
a workspace left alone gets one nudge; a reminder's message is made from the plan as it is when it goes out."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from bot.app import directory, figures, followup
from bot.app.companion import Companion
from flows.content.content import Content
from flows.conversation.actions import RemoveMember, ReportProgress
from flows.conversation.state import State
from flows.practice.zone import deferred
from flows.statistics.model import Place
from storage.models import Delivery
from storage.store import Store, Unit
from tests.bot.app import test_figures
from tests.bot.talk import Person, rows, user_id
from tests.flows.conversation.test_team import ONBOARDING
from tests.storage.test_store import put

TELEGRAM = ("telegram",)
MONDAY = datetime(2027, 9, 27, 7, tzinfo=UTC)
"""09:00 in Berlin (summer time): a monitoring date of 27.09.2027 is due then."""


def dorfladen(owner: int, name: str = "Anna") -> dict[str, Any]:
    return {
        "uid": "r1",
        "measure": "Dorfladen",
        "owner": {"member": owner, "name": name},
        "indicators": [{"name": "Nutzer", "unit": "Personen", "target": 40, "target_date": "2028-12"}],
    }


async def coordinator(companion: Companion, store: Store) -> tuple[Person, int, int]:
    """Anna, who onboarded Musterstadt in the chat: her user id and workspace."""
    anna = Person(companion, "1001")
    for line in ONBOARDING:
        await anna.says(line)
    anna_id = await user_id(store, anna)
    wid = await store.run(lambda unit: unit.memberships(anna_id)[0][0])
    return anna, anna_id, wid


async def at_monitoring(store: Store, content: Content, anna_id: int, **answers: Any) -> None:
    """Anna's plan holds the Dorfladen (hers) and she is asked for the first monitoring date."""
    where = State(version=content.version, mode="step", stage="werkstattplan", step="wp_monitoring", turn=40, seq=40)
    await put(store, {"wp_measures": [dorfladen(anna_id)], **answers}, pos=where.position())


async def planned(store: Store, wid: int) -> list[tuple[str, str, int, datetime, str]]:
    return [
        (r.kind, r.subject, r.user_id, r.due_at.replace(tzinfo=UTC), r.state)
        for r in await store.run(lambda unit: unit.reminders_of(wid))
    ]


async def fire(store: Store, now: datetime, channels: tuple[str, ...] = TELEGRAM) -> dict[str, int]:
    return dict(await store.run(lambda unit: followup.fire_due(unit, channels, now)))


async def seeded(companion: Companion, store: Store, content: Content) -> tuple[Person, int, int]:
    """Anna's Dorfladen with its first monitoring date on Monday 27.09.2027."""
    anna, anna_id, wid = await coordinator(companion, store)
    await at_monitoring(store, content, anna_id)
    await anna.says("27.09.2027")
    return anna, anna_id, wid


async def test_answering_the_monitoring_date_plans_the_owners_reminder_and_a_new_date_replaces_it(
    companion: Companion, store: Store, content: Content
):
    anna, anna_id, wid = await coordinator(companion, store)
    await at_monitoring(store, content, anna_id)
    await anna.says("27.09.2027")
    assert await planned(store, wid) == [("monitoring", "r1", anna_id, MONDAY, "scheduled")]

    await at_monitoring(store, content, anna_id)
    await anna.says("04.10.2027")
    assert await planned(store, wid) == [
        ("monitoring", "r1", anna_id, MONDAY, "cancelled"),
        ("monitoring", "r1", anna_id, MONDAY + timedelta(days=7), "scheduled"),
    ]


async def test_a_due_reminder_is_queued_once_to_the_owner_and_says_how_the_measure_is_going(
    companion: Companion, store: Store, content: Content
):
    _, anna_id, wid = await seeded(companion, store, content)

    assert await fire(store, MONDAY - timedelta(seconds=1)) == {}
    assert await fire(store, MONDAY) == {"sent": 1}
    assert await fire(store, MONDAY + timedelta(minutes=1)) == {}

    [delivery] = await rows(store, Delivery)
    assert (delivery["user_id"], delivery["channel"], delivery["address"], delivery["state"]) == (
        anna_id,
        "telegram",
        "1001",
        "queued",
    )
    broadcast = await store.run(lambda unit: unit.broadcast(delivery["broadcast_id"]))
    assert broadcast is not None
    about = await store.run(lambda unit: followup.about(unit, broadcast))
    message = followup.message(content, about, "de")
    assert message is not None and message.kind == "broadcast"
    assert message.text().startswith("Wie steht es um „Dorfladen“?\nIndikator: Nutzer (Personen) · Ziel 40")
    assert [c.id for c in message.choices] == [f"status r1 {s}" for s in ("running", "done", "delayed", "stopped")]
    french = followup.message(content, about, "fr")
    assert french is not None and [c.label for c in french.choices] == ["en cours", "terminée", "en retard", "arrêtée"]


async def test_a_reminder_on_an_official_indicator_gives_its_value_from_the_imported_statistics(
    store: Store, content: Content
):
    grabow = {"name": "Grabow", "key": "13076052", "country": "de"}
    measure = {
        "uid": "r1",
        "measure": "Zuzug fördern",
        "indicators": [{"name": "Einwohner", "statistic": "population", "target": 6000, "target_date": "2030"}],
    }
    account, _, _ = await put(store, {"ob_name": grabow, "wp_measures": [measure], "wp_monitoring": "2027-09-27"})

    def imported(unit: Unit) -> None:
        place = Place("de", "13076052", "gemeinde", "Grabow, Stadt", kreis="13076", land="13")
        directory.store_places(unit, [place])
        figures.store_sheet(unit, test_figures.grabow(), test_figures.FILE, "grabow.csv", "cli", None)
        followup.replan(unit, unit.memberships(account.user_id)[0][0], MONDAY)

    await store.run(imported)
    assert await fire(store, MONDAY) == {"sent": 1}
    [delivery] = await rows(store, Delivery)
    broadcast = await store.run(lambda unit: unit.broadcast(delivery["broadcast_id"]))
    about = await store.run(lambda unit: followup.about(unit, broadcast))
    assert about is not None and about.current == 5760
    message = followup.message(content, about, "de")
    assert message is not None
    assert "Indikator: Einwohner · Ziel 6.000 bis 2030 · amtliche Statistik aktuell 5.760" in message.text()


async def test_stopped_reminders_are_skipped_and_paused_ones_come_after_the_pause(
    companion: Companion, store: Store, content: Content
):
    _, anna_id, wid = await seeded(companion, store, content)
    back = MONDAY + timedelta(days=14)
    await store.run(lambda unit: unit.set_reminder_setting(anna_id, "paused", back))

    assert await fire(store, MONDAY) == {"deferred": 1}
    assert await planned(store, wid) == [("monitoring", "r1", anna_id, back, "scheduled")]
    assert await fire(store, back - timedelta(seconds=1)) == {}

    await store.run(lambda unit: unit.set_reminder_setting(anna_id, "off"))
    assert await fire(store, back) == {"off": 1}
    assert await rows(store, Delivery) == []


async def test_inside_quiet_hours_a_reminder_waits_for_eight_in_the_morning_in_the_municipality(
    companion: Companion, store: Store, content: Content
):
    _, anna_id, wid = await seeded(companion, store, content)
    evening = MONDAY + timedelta(hours=12)  # 21:00 in Berlin
    morning = datetime(2027, 9, 28, 6, tzinfo=UTC)  # 08:00 in Berlin

    assert await fire(store, evening) == {"deferred": 1}
    assert await planned(store, wid) == [("monitoring", "r1", anna_id, morning, "scheduled")]
    assert await fire(store, morning - timedelta(seconds=1)) == {}
    assert await fire(store, morning) == {"sent": 1}


async def test_a_reminder_for_someone_not_on_the_senders_messengers_is_skipped(
    companion: Companion, store: Store, content: Content
):
    await seeded(companion, store, content)
    assert await fire(store, MONDAY, channels=("matrix", "console")) == {"unreachable": 1}
    assert await rows(store, Delivery) == []


async def test_a_reminder_more_than_a_week_overdue_is_skipped(companion: Companion, store: Store, content: Content):
    await seeded(companion, store, content)
    assert await fire(store, MONDAY + timedelta(days=7, seconds=1)) == {"late": 1}
    assert await rows(store, Delivery) == []


async def test_a_measure_reported_done_or_an_owner_removed_gets_no_more_reminders(
    companion: Companion, store: Store, content: Content
):
    anna, anna_id, wid = await seeded(companion, store, content)
    ben = Person(companion, "1002")
    await ben.says("/start")
    ben_id = await user_id(store, ben)
    answers = {"wp_monitoring": "2027-09-27", "wp_measures": [dorfladen(ben_id, "Ben")]}

    def ben_owns_it(unit: Unit) -> None:
        unit.join(ben_id, wid, "editor", "Ben")
        followup.replan(unit, wid, MONDAY, answers)

    await store.run(ben_owns_it)
    assert [(k, u, s) for k, _, u, _, s in await planned(store, wid)] == [
        ("monitoring", anna_id, "cancelled"),
        ("monitoring", ben_id, "scheduled"),
    ]
    await store.run(lambda unit: unit.remove_member(wid, ben_id))
    assert await fire(store, MONDAY) == {"gone": 1}  # removed before a replan: never sent to him

    await store.run(lambda unit: followup.after_turn(unit, None, [], [RemoveMember(wid, ben_id)], answers, MONDAY))
    assert [(u, s) for _, _, u, _, s in await planned(store, wid)] == [(anna_id, "scheduled"), (ben_id, "skipped")]

    def reported_done(unit: Unit) -> None:
        unit.add_report(wid, "r1", "done", None, anna_id, "Anna")
        followup.after_turn(unit, None, [], [ReportProgress(wid, "r1", "done")], answers, MONDAY)

    await store.run(reported_done)
    assert [(u, s) for _, _, u, _, s in await planned(store, wid)] == [(anna_id, "cancelled"), (ben_id, "skipped")]


async def test_a_workspace_left_alone_for_a_month_gets_one_nudge_to_whoever_was_there_last(
    companion: Companion, store: Store, content: Content
):
    anna, anna_id, wid = await coordinator(companion, store)
    await anna.says("/phase 1")
    month = datetime.now(UTC) + timedelta(days=30, minutes=1)

    assert await store.run(lambda unit: followup.nudge_idle(unit, content, month - timedelta(minutes=2))) == 0
    assert await store.run(lambda unit: followup.nudge_idle(unit, content, month)) == 1
    assert await store.run(lambda unit: followup.nudge_idle(unit, content, month + timedelta(hours=1))) == 0
    [(kind, subject, to, _, state)] = await planned(store, wid)
    assert (kind, subject, to, state) == ("idle", "kickoff", anna_id, "scheduled")

    daytime = deferred(month, "Europe/Berlin") or month
    assert await fire(store, daytime) == {"sent": 1}
    [delivery] = await rows(store, Delivery)
    broadcast = await store.run(lambda unit: unit.broadcast(delivery["broadcast_id"]))
    message = followup.message(content, await store.run(lambda unit: followup.about(unit, broadcast)), "de")
    assert message is not None and message.text().startswith("In „Kick-Off“ ist seit 30 Tagen nichts passiert.")


async def test_tapping_done_under_a_reminder_cancels_the_measures_next_reminders(
    companion: Companion, store: Store, content: Content
):
    anna, anna_id, wid = await seeded(companion, store, content)
    await anna.taps("status r1 done")
    assert await planned(store, wid) == [("monitoring", "r1", anna_id, MONDAY, "cancelled")]
    assert await fire(store, MONDAY) == {}
