"""Broadcast benchmark: a newsletter to N subscribers through the real `daks serve` against the fake Bot API.

Two runs: with Telegram's limits enforced by the fake (30 messages in any sliding second per token):
the sustained rate as a fraction of that limit, the busiest sliding second and the number of 429s;
then with limits and our pacing off: the sender's ceiling. CPU time and peak memory are the
`daks serve` process's own (/proc).
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
from dataclasses import dataclass
from pathlib import Path

from benchmarks.telegram import peak_rss_mb
from bot.app.effects import queue_newsletter
from flows.content.loader import load_content
from flows.news.newsletters import NewsletterSpec
from storage.models import utcnow
from storage.store import Store
from tests.fakes.bot_api import FakeBotAPI, Sent, bot_token

ROOT = Path(__file__).resolve().parent.parent
TITLE = "Benchmark-Newsletter"
FIRST = 900_000_000


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def seed(url: str, api: FakeBotAPI, n: int, version: str) -> int:
    for i in range(n):
        api.user(FIRST + i)

    def subscribe(unit):  # type: ignore[no-untyped-def]
        for i in range(n):
            account, _ = unit.open_conversation("telegram", str(FIRST + i), "de")
            unit.confirm_subscription(account.user_id, "telegram", str(FIRST + i), "de", [], version)
        spec = NewsletterSpec(title={"de": TITLE}, body={"de": "Ein **Hinweis** und eine Liste:\n\n- a\n- b"})
        return queue_newsletter(unit, spec, "cli:bench", utcnow())

    store = await Store.open(url)
    try:
        return await store.run(subscribe)
    finally:
        await store.close()


@dataclass
class Served:
    """What one `daks serve` run delivered: wall time, the process's CPU and peak memory, the sends and 429s."""

    wall: float
    cpu: float
    rss: float
    sends: list[float]
    refused: int

    @property
    def steady(self) -> float:
        """Messages per second between the first and the last send."""
        s = self.sends
        return (len(s) - 1) / (s[-1] - s[0]) if len(s) > 1 else 0.0


async def serve(
    api: FakeBotAPI,
    tmp: str,
    url: str,
    n: int,
    *,
    pacing: bool,
    env: dict[str, str] | None = None,
    go: Callable[[], None] | None = None,
) -> Served:
    """Run `daks serve` on ``url`` against ``api`` until ``n`` messages arrived (or a timeout); ``go`` is called once
    it is up (e.g. to move a test clock to the due time)."""
    delivered: list[Sent] = []
    api.on_message = delivered.append
    variables = {
        **os.environ,
        "TELEGRAM_TOKEN": api.token,
        "TELEGRAM_BASE_URL": api.base_url,
        "TELEGRAM_BASE_FILE_URL": api.base_file_url,
        "DAKS_DATABASE_URL": url,
        "DAKS_DATA_DIR": tmp,
        "TELEGRAM_PACING": "true" if pacing else "false",
        "DAKS_LOG_LEVEL": "WARNING",
        **(env or {}),
    }
    with open(f"{tmp}/bot.log", "wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "bot", "serve"], cwd=ROOT, env=variables, stdout=log, stderr=subprocess.STDOUT
        )
        try:
            await api.wait_for(lambda: bool(api.called("deleteWebhook")), timeout=60)
            cpu0 = cpu_seconds(process.pid)
            started = time.perf_counter()
            if go is not None:
                go()
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
    return Served(wall, cpu, rss, sends, sum(1 for c in api.calls if c.status == 429))


async def run(n: int, limits: bool, version: str) -> str:
    with tempfile.TemporaryDirectory(prefix="daks-bcast-") as tmp:
        url = f"sqlite:///{tmp}/bench.db"
        async with FakeBotAPI(bot_token(random.randrange(10**8, 10**9)), limits=limits) as api:
            await seed(url, api, n, version)
            served = await serve(api, tmp, url, n, pacing=limits)
            busiest = api.busiest() if limits else 0
    name = "limits on (30/s)" if limits else "limits off (ceiling)"
    steady = served.steady
    line = (
        f"{name:<22} {len(served.sends):>6} of {n} messages in {served.wall:6.1f} s: sustained {steady:7.1f} msg/s"
        + (f" = {steady / 30:.3f} of 30/s, busiest sliding second {busiest}" if limits else "")
        + f", 429s: {served.refused}, sender CPU {served.cpu:.1f} s ({1000 * served.cpu / n:.2f} ms/message), "
        f"peak RSS {served.rss:.0f} MB"
    )
    return line


async def main(n: int, ceiling: int) -> int:
    version = load_content(ROOT / "content").consent.version
    print(await run(n, True, version), flush=True)
    print(await run(ceiling, False, version), flush=True)
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--subscribers", type=int, default=10_000)
    parser.add_argument("--ceiling", type=int, default=10_000, help="subscribers for the run without limits")
    args = parser.parse_args()
    raise SystemExit(asyncio.run(main(args.subscribers, args.ceiling)))
