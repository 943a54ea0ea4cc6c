"""Follow-up benchmark: W workspaces × M measures, each measure owned by its own member, all first monitored on one
day, through the real `daks serve` on a test clock (DAKS_CLOCK) against the fake Bot API with Telegram's limits.

Reports the time to plan every workspace's reminders (``replan``, as a save does), then, with the clock set to the
due time, how long the sender takes to deliver them all: the sustained rate against Telegram's 30 messages per
second, the busiest sliding second, the 429s, and the `daks serve` process's CPU time and peak memory (/proc).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from benchmarks.broadcast import serve
from bot.app import clock, followup
from flows.content.loader import load_content
from flows.conversation.state import State
from storage.conversations import Change
from storage.store import Store, Unit
from tests.fakes.bot_api import FakeBotAPI, bot_token

ROOT = Path(__file__).resolve().parent.parent
FIRST = 800_000_000
DUE = datetime(2027, 9, 27, 7, tzinfo=UTC)
"""27.09.2027 09:00 in Berlin: the monitoring date's reminders are due then."""


def seed(workspaces: int, measures: int, version: str) -> Callable[[Unit], list[int]]:
    """Each workspace: a coordinator and ``measures - 1`` members, one measure each, monitored on 27.09.2027."""

    def work(unit: Unit) -> list[int]:
        wids = []
        where = State(version=version, mode="step", stage="werkstattplan", step="wp_done").position()
        for w in range(workspaces):
            people = []
            for m in range(measures):
                account, saved = unit.open_conversation("telegram", str(FIRST + w * measures + m), "de")
                people.append((account.user_id, saved))
            coordinator, saved = people[0]
            records = [
                {
                    "uid": f"r{m + 1}",
                    "measure": f"Maßnahme {m + 1}",
                    "owner": {"member": user_id, "name": f"Person {m + 1}"},
                    "indicators": [{"name": "Nutzer", "unit": "Personen", "target": 40, "target_date": "2028-12"}],
                }
                for m, (user_id, _) in enumerate(people)
            ]
            answers = {"ob_name": f"Gemeinde {w}", "wp_measures": records, "wp_monitoring": "2027-09-27"}
            changes = [Change(step, "answer", None, value) for step, value in answers.items()]
            unit.save(coordinator, saved, version, where, changes, "de")
            assert unit.workspace is not None
            wids.append(unit.workspace)
            for user_id, _ in people[1:]:
                unit.join(user_id, unit.workspace, "owner", None)
        return wids

    return work


async def plan(url: str, wids: list[int]) -> float:
    """Plan every workspace's reminders as a save of its plan does, one transaction each; seconds taken."""
    store = await Store.open(url)
    try:
        started = time.perf_counter()
        for wid in wids:
            await store.run(lambda unit, wid=wid: followup.replan(unit, wid, DUE - timedelta(days=30)))
        return time.perf_counter() - started
    finally:
        await store.close()


async def run(url: str, workspaces: int, measures: int) -> str:
    n = workspaces * measures
    content = load_content(ROOT / "content")
    with tempfile.TemporaryDirectory(prefix="daks-remind-") as tmp:
        url = url.format(tmp=tmp)
        async with FakeBotAPI(bot_token(random.randrange(10**8, 10**9)), limits=True) as api:
            for i in range(n):
                api.user(FIRST + i)
            store = await Store.open(url)
            try:
                wids = await store.run(seed(workspaces, measures, content.version))
            finally:
                await store.close()
            planning = await plan(url, wids)
            moment = Path(tmp) / "clock"
            clock.set_to(moment, DUE - timedelta(minutes=1))
            env = {"DAKS_CLOCK": str(moment)}
            served = await serve(api, tmp, url, n, pacing=True, env=env, go=lambda: clock.set_to(moment, DUE))
            busiest = api.busiest()
    database = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
    return (
        f"{database:<10} {workspaces} workspaces × {measures} measures: planned in {planning:.1f} s; "
        f"{len(served.sends)} of {n} reminders delivered in {served.wall:.1f} s: sustained {served.steady:.1f} msg/s "
        f"= {served.steady / 30:.3f} of 30/s, busiest sliding second {busiest}, 429s: {served.refused}, sender CPU "
        f"{served.cpu:.1f} s ({1000 * served.cpu / n:.2f} ms/reminder), peak RSS {served.rss:.0f} MB"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--workspaces", type=int, default=2000)
    parser.add_argument("--measures", type=int, default=10)
    parser.add_argument("--db", default="sqlite:///{tmp}/reminders.db", help="{tmp}: a fresh temporary folder")
    args = parser.parse_args()
    print(asyncio.run(run(args.db, args.workspaces, args.measures)), flush=True)
