"""End-to-end benchmark through the Telegram channel: the real `daks serve` process against the fake
Bot API server (rate limits off), 200 simulated users walking the stages at once; then the same
script against the reference peer (benchmarks/reference_bot.py). Prints both and the ratio.

Usage: python -m benchmarks.telegram [--users 200] [--db URL]...
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bot.cli.bench import SimulatedUser
from flows.content.loader import load_content
from flows.conversation.engine import Engine
from flows.conversation.state import State
from flows.messages import Inbound
from tests.fakes.bot_api import FakeBotAPI, FakeUser, Sent, bot_token

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Run:
    name: str
    updates: int = 0
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    peak_rss_mb: float = 0.0
    failures: int = 0
    requests: dict[str, int] = field(default_factory=dict)
    bot_id: int = 0

    def line(self) -> str:
        q = statistics.quantiles(self.latencies, n=100) if len(self.latencies) > 1 else [0.0] * 99
        return (
            f"{self.name:<34} {self.updates / self.seconds:>8,.0f} updates/s   p50 {q[49] * 1000:6.1f} ms   "
            f"p99 {q[98] * 1000:6.1f} ms   peak RSS {self.peak_rss_mb:5.0f} MB   "
            f"({self.updates:,} updates in {self.seconds:.1f} s"
            f"{f', {self.failures} failures' if self.failures else ''})\n{'':<34} requests per update: "
            + ", ".join(f"{m} {n / max(self.updates, 1):.2f}" for m, n in sorted(self.requests.items()) if n > 10)
        )


class Replies:
    """Signals each chat's reply: a new message, or an edit that carries buttons (a question changed in place)."""

    def __init__(self, api: FakeBotAPI):
        self.waiting: dict[int, tuple[asyncio.Future[Sent], list[int]]] = {}
        api.on_message = self._seen

    def _seen(self, sent: Sent) -> None:
        future, left = self.waiting.get(sent.chat_id, (None, [0]))
        if future is None or future.done() or not (sent.edits == 0 or sent.reply_markup):
            return
        left[0] -= 1
        if left[0] <= 0:
            future.set_result(sent)

    async def after(
        self, chat_id: int, act: Callable[[], object], messages: int = 1, timeout: float = 60
    ) -> tuple[Sent, float]:
        """Do ``act`` and wait for the reply's ``messages`` messages; returns the last and the time taken."""
        future = asyncio.get_running_loop().create_future()
        self.waiting[chat_id] = (future, [messages])
        started = time.perf_counter()
        await act()  # type: ignore[misc]
        sent = await asyncio.wait_for(future, timeout)
        return sent, time.perf_counter() - started


async def walk_daks(api: FakeBotAPI, replies: Replies, user: FakeUser, engine: Engine, run: Run) -> int:
    """A diligent user: decides like the in-process benchmark's user, from a shadow of the conversation."""
    me = SimulatedUser(str(user.id))
    state = State(version=engine.content.version, lang="de")
    inbound = Inbound(text="/start")
    count = 0
    while inbound is not None and count < 400:
        turn = engine.handle(state, inbound)
        state = turn.state
        shown, latency = await replies.after(user.id, lambda i=inbound: _act(api, user, i), len(turn.replies))
        run.latencies.append(latency)
        count += 1
        inbound = me.next(turn.replies[-1])
    return count


async def _act(api: FakeBotAPI, user: FakeUser, inbound: Inbound) -> None:
    if inbound.choice is None:
        await api.send_text(user, inbound.text or "")
        return
    payload = f"{inbound.turn}:{inbound.choice}"  # as bot/telegram/render.py writes it
    for message in reversed(api.sent(user.id)):
        if any(data == payload for row in message.buttons() for _, data in row):
            await api.press(user, message, payload)
            return
    shown = [d for m in api.sent(user.id)[-2:] for row in m.buttons() for _, d in row]
    raise RuntimeError(f"user {user.id}: no button {payload!r} on screen: {shown}")


async def walk_reference(api: FakeBotAPI, replies: Replies, user: FakeUser, run: Run, limit: int) -> int:
    sent, latency = await replies.after(user.id, lambda: api.send_text(user, "/start"))
    run.latencies.append(latency)
    count = 1
    while "Fertig" not in sent.text and count < limit + 5:
        buttons = sent.buttons()
        if buttons:
            act = lambda s=sent, b=buttons: api.press(user, s, b[0][0][1])  # noqa: E731
        else:
            act = lambda c=count: api.send_text(user, f"Antwort {c}")  # noqa: E731
        sent, latency = await replies.after(user.id, act)
        run.latencies.append(latency)
        count += 1
    return count


def peak_rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


async def measure(
    name: str,
    command: list[str],
    env: dict[str, str],
    users: int,
    walk: Callable[[FakeBotAPI, Replies, FakeUser, Run], object],
    first_id: int,
) -> Run:
    run = Run(name)
    # A bot id of its own per run: update ids restart at 1 with every fake server, and a database
    # that outlives the run remembers which (bot, update) pairs it has handled.
    async with FakeBotAPI(bot_token(random.randrange(10**8, 10**9)), limits=False) as api:
        replies = Replies(api)
        run.bot_id = api.bot_id
        log = tempfile.NamedTemporaryFile(prefix="daks-bench-", suffix=".log", delete=False)
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            env={
                **os.environ,
                **env,
                "TELEGRAM_TOKEN": api.token,
                "TELEGRAM_BASE_URL": api.base_url,
                "TELEGRAM_BASE_FILE_URL": api.base_file_url,
            },
        )
        try:
            await api.wait_for(lambda: bool(api.called("deleteWebhook")), timeout=60)
            await asyncio.sleep(0.5)
            people = [api.user(first_id + i, f"User {i}", "de") for i in range(users)]
            started = time.perf_counter()
            results = await asyncio.gather(
                *(walk(api, replies, person, run) for person in people),  # type: ignore
                return_exceptions=True,
            )
            run.seconds = time.perf_counter() - started
            run.updates = sum(r for r in results if isinstance(r, int))
            run.failures = sum(1 for r in results if isinstance(r, BaseException))
            for failure in [r for r in results if isinstance(r, BaseException)][:3]:
                print(f"  failure: {type(failure).__name__}: {failure}", file=sys.stderr)
            run.peak_rss_mb = peak_rss_mb(process.pid)
            for call in api.calls:
                run.requests[call.method] = run.requests.get(call.method, 0) + 1
        finally:
            process.terminate()
            process.wait(60)
            log.close()
    return run


async def _forget(url: str, refs: list[str], bot_id: int) -> None:
    """Remove the simulated users and their handled update ids (the PostgreSQL database outlives the run)."""
    from sqlalchemy import delete, select

    from storage.models import Identity, ProcessedMessage
    from storage.store import Store, Unit

    def work(unit: Unit) -> None:
        for user_id in (
            unit.conn.execute(select(Identity.user_id).where(Identity.channel == "telegram", Identity.ref.in_(refs)))
            .scalars()
            .all()
        ):
            unit.delete_user(user_id)
        unit.conn.execute(
            delete(ProcessedMessage).where(
                ProcessedMessage.channel == "telegram", ProcessedMessage.message_id.like(f"{bot_id}:%")
            )
        )

    store = await Store.open(url, upgrade=False)
    try:
        await store.run(work)
    finally:
        await store.close()


async def _unreachable(url: str) -> str | None:
    """Why a PostgreSQL URL cannot be used here; None when it can (or it is not PostgreSQL)."""
    if not url.startswith("postgresql"):
        return None
    import asyncpg

    try:
        conn = await asyncpg.connect(url.replace("+asyncpg", ""), timeout=3)
        await conn.close()
    except Exception as exc:  # any failure: the run is skipped and says why
        return type(exc).__name__
    return None


async def main(users: int, databases: list[str]) -> int:
    content = load_content(ROOT / "content")
    engine = Engine(content)
    engine.warm()
    runs: list[Run] = []
    with tempfile.TemporaryDirectory(prefix="daks-bench-") as tmp:
        for db in databases:
            url = db.replace("{tmp}", tmp)
            problem = await _unreachable(url)
            if problem:
                print(f"{'DAKS-Begleiter (postgresql)':<34} skipped: no server at that URL ({problem})", flush=True)
                continue
            run = await measure(
                f"DAKS-Begleiter ({url.split(':')[0]})",
                [sys.executable, "-m", "bot", "serve"],
                {
                    "DAKS_DATABASE_URL": url,
                    "DAKS_DATA_DIR": tmp,
                    "TELEGRAM_PACING": "false",
                    "DAKS_LOG_LEVEL": "WARNING",
                },
                users,
                lambda api, r, u, run: walk_daks(api, r, u, engine, run),
                700_000_000,
            )
            print(run.line(), flush=True)
            runs.append(run)
            await _forget(url, [str(700_000_000 + i) for i in range(users)], run.bot_id)
        questions = round(runs[0].updates / users) - 1
        reference = await measure(
            "reference (ConversationHandler+Pickle)",
            [sys.executable, "-m", "benchmarks.reference_bot", f"{tmp}/reference.pickle", str(questions)],
            {},
            users,
            lambda api, r, u, run: walk_reference(api, r, u, run, questions),
            800_000_000,
        )
        print(reference.line(), flush=True)
    ours = runs[0]
    p99 = [statistics.quantiles(r.latencies, n=100)[98] for r in (ours, reference)]
    print(
        f"updates per user: {questions + 1}; DAKS-Begleiter (SQLite) / reference: "
        f"{(ours.updates / ours.seconds) / (reference.updates / reference.seconds):.2f}x the throughput, "
        f"{p99[0] / p99[1]:.2f}x the p99 latency",
        flush=True,
    )
    return 1 if any(r.failures for r in [*runs, reference]) else 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--db", action="append", help="database URL; {tmp} is a fresh temporary directory")
    args = parser.parse_args()
    raise SystemExit(asyncio.run(main(args.users, args.db or ["sqlite:///{tmp}/bench.db"])))
