"""Follow-up benchmark: W workspaces × M measures, each measure owned by its own member, all first monitored on one
day, through the real `daks serve` on a test clock (DAKS_CLOCK) against the fake Bot API with Telegram's limits.

Reports the time to plan every workspace's reminders (``replan``, as a save does), then, with the clock set to the
due time, how long the sender takes to deliver them all: the sustained rate against Telegram's 30 messages per
second, the busiest sliding second, the 429s, and the `daks serve` process's CPU time and peak memory (/proc).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from benchmarks.broadcast import cpu_seconds
from benchmarks.telegram import peak_rss_mb
from bot.app import clock, followup
from flows.content.loader import load_content
from flows.conversation.state import State
from storage.conversations import Change
from storage.store import Store, Unit
from tests.fakes.bot_api import FakeBotAPI, Sent, bot_token

ROOT = Path(__file__).resolve().parent.parent
FIRST = 800_000_000
DUE = datetime(2027, 9, 27, 7, tzinfo=UTC)
"""27.09.2027 09:00 in Berlin: the monitoring date's reminders are due then."""


def seed(workspaces: int, measures: int, version: str) -> Callable[[Unit], list[int]]:
    """Each workspace: a coordinator and ``measures - 1`` members, one measure each, monitored on 27.09.2027."""

    def work(unit: Unit) -> list[int]:
        wids = []
        where = State(version=version, mode="step", stage="werkstattplan", step="wp_approval").position()
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
            delivered: list[Sent] = []
            api.on_message = delivered.append
            moment = Path(tmp) / "clock"
            clock.set_to(moment, DUE - timedelta(minutes=1))
            env = {
                **os.environ,
                "TELEGRAM_TOKEN": api.token,
                "TELEGRAM_BASE_URL": api.base_url,
                "TELEGRAM_BASE_FILE_URL": api.base_file_url,
                "DAKS_DATABASE_URL": url,
                "DAKS_DATA_DIR": tmp,
                "DAKS_CLOCK": str(moment),
                "TELEGRAM_PACING": "true",
                "DAKS_LOG_LEVEL": "WARNING",
            }
            with open(f"{tmp}/bot.log", "wb") as log:
                process = subprocess.Popen(
                    [sys.executable, "-m", "bot", "serve"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
                )
                try:
                    await api.wait_for(lambda: bool(api.called("deleteWebhook")), timeout=60)
                    cpu0 = cpu_seconds(process.pid)
                    started = time.perf_counter()
                    clock.set_to(moment, DUE)
                    try:
                        await api.wait_for(lambda: len(delivered) >= n, timeout=n / 20 + 120)
                    except TimeoutError:
                        pass  # reported: fewer than n delivered
                    wall = time.perf_counter() - started
                    cpu = cpu_seconds(process.pid) - cpu0
                    rss = peak_rss_mb(process.pid)
                finally:
                    process.terminate()
                    process.wait(60)
        sends = sorted(c.at for c in api.calls if c.method == "sendMessage" and c.status == 200)
        refused = sum(1 for c in api.calls if c.status == 429)
        steady = (len(sends) - 1) / (sends[-1] - sends[0]) if len(sends) > 1 else 0.0
    database = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
    return (
        f"{database:<10} {workspaces} workspaces × {measures} measures: planned in {planning:.1f} s; "
        f"{len(sends)} of {n} reminders delivered in {wall:.1f} s: sustained {steady:.1f} msg/s = {steady / 30:.3f} "
        f"of 30/s, busiest sliding second {api.busiest()}, 429s: {refused}, sender CPU {cpu:.1f} s "
        f"({1000 * cpu / n:.2f} ms/reminder), peak RSS {rss:.0f} MB"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--workspaces", type=int, default=2000)
    parser.add_argument("--measures", type=int, default=10)
    parser.add_argument("--db", default="sqlite:///{tmp}/reminders.db", help="{tmp}: a fresh temporary folder")
    args = parser.parse_args()
    print(asyncio.run(run(args.db, args.workspaces, args.measures)), flush=True)
