"""`daks bench`: simulated users walk all five stages through engine and storage (no terminal I/O).

With a team size, the same number of people also walk once as members of one workspace and once each
in a workspace of their own: saves to one workspace take turns, saves to different ones must not."""

from __future__ import annotations

import asyncio
import resource
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from flows.content.loader import load_content
from flows.messages import Inbound, Outbound

if TYPE_CHECKING:
    from storage.store import Unit


@dataclass
class SimulatedUser:
    """Answers whatever the companion asks, the way a diligent user would; stops at the end."""

    name: str
    lists: int = 0
    records: int = 0
    last_step: str | None = None
    sent: int = field(default=0)

    def next(self, reply: Outbound) -> Inbound | None:
        self.sent += 1
        ids = [c.id for c in reply.choices]
        press = lambda choice_id: Inbound(choice=choice_id, turn=reply.turn)  # noqa: E731
        expects = reply.expects
        if expects == "stage_end":
            return press("_nextstage") if "_nextstage" in ids else None
        if expects in ("text", "place", "owner", "indicator", "unit"):
            return Inbound(text=f"Antwort {self.sent}")
        if expects == "baseline":
            return Inbound(text="12, 2025, Zählung")
        if expects == "number":
            return Inbound(text="40")
        if expects == "more":
            return press("_done")
        if expects == "date":
            return Inbound(text="15.03.2027")
        if expects == "budget":
            return Inbound(text=f"{self.sent}.500 € Fördermittel LEADER 2027–2028")
        if expects == "single":
            return press(next(i for i in ids if not i.startswith("_")))
        if expects == "checklist" and len([i for i in ids if not i.startswith("_")]) < 2:
            return press("_done")  # the items the answers decide are no choice: fewer than two may be left to tick
        if expects in ("multi", "checklist"):
            return Inbound(text="1, 2")
        if expects == "list":
            self.lists += 1
            if self.lists > 2:
                self.lists = 0
                return press("_done")
            return Inbound(text=f"Punkt {self.lists}")
        if expects == "records":
            if "_add" in ids and self.records < 1:
                self.records += 1
                return press("_add")
            self.records = 0
            return press("_done")
        return Inbound(text="/fortschritt")


async def walk(companion, user: SimulatedUser, latencies: list[float], limit: int = 2000) -> int:
    """One user from greeting to the last summary; returns the number of messages sent."""
    response = await companion.handle("bench", user.name, Inbound(event="start"))
    count = 0
    while count < limit:
        inbound = user.next(response.replies[-1])
        if inbound is None:
            return count
        sent = time.perf_counter()
        await asyncio.sleep(0)  # the message arrives: other users' messages queued before it go first
        response = await companion.handle("bench", user.name, inbound)
        latencies.append(time.perf_counter() - sent)
        count += 1
    raise RuntimeError(f"{user.name} did not finish within {limit} messages")


@dataclass
class Figures:
    backend: str
    users: int
    messages: int
    seconds: float
    p50_ms: float
    p99_ms: float
    peak_rss_mb: float
    content_load_ms: float
    workspaces: str | None = None
    """``one shared`` or ``separate`` for the team figures; None for people who never meet."""

    def lines(self) -> list[str]:
        return [
            f"backend            {self.backend}",
            f"users (concurrent) {self.users}",
            *([f"workspaces         {self.workspaces}"] if self.workspaces else []),
            f"messages           {self.messages}",
            f"messages/s         {self.messages / self.seconds:,.0f}",
            f"latency p50        {self.p50_ms:.2f} ms",
            f"latency p99        {self.p99_ms:.2f} ms",
            f"peak memory (RSS)  {self.peak_rss_mb:.0f} MB",
            f"content load       {self.content_load_ms:.1f} ms",
        ]


BASELINE = Path(__file__).resolve().parents[2] / "benchmarks" / "baseline.yaml"


def before(backend: str, users: int, baseline: Path = BASELINE) -> list[str]:
    """The recorded figures of an earlier version at the same level, to compare with (if recorded)."""
    if not baseline.exists():
        return []
    recorded = yaml.safe_load(baseline.read_text(encoding="utf-8"))
    figures = recorded["figures"].get(backend, {}).get(users)
    if figures is None:
        return []
    return [
        f"before ({recorded['commit']})  {figures['messages_per_s']:,} messages/s, p50 {figures['p50_ms']:.2f} ms, "
        f"p99 {figures['p99_ms']:.2f} ms"
    ]


async def measure(companion, backend: str, users: int, content_load_ms: float, rounds: int = 1) -> Figures:
    """``rounds`` times ``users`` people walking all stages at once; figures over all rounds."""
    await walk(companion, SimulatedUser(f"warm-up-{time.time_ns()}"), [])
    latencies: list[float] = []
    messages, seconds = 0, 0.0
    for _ in range(rounds):
        started = time.perf_counter()
        counts = await asyncio.gather(
            *(walk(companion, SimulatedUser(f"u{i}-{time.time_ns()}"), latencies) for i in range(users))
        )
        seconds += time.perf_counter() - started
        messages += sum(counts)
    return _figures(backend, users, messages, seconds, latencies, content_load_ms)


async def measure_team(
    companion, store, members: int, shared: bool, content_load_ms: float, rounds: int = 1
) -> Figures:
    """``members`` people who have just started walk all stages at once, in one workspace (``shared``) or
    each in their own; figures over ``rounds`` runs."""
    latencies: list[float] = []
    messages, seconds = 0, 0.0
    for _ in range(rounds):
        people = [SimulatedUser(f"{'team' if shared else 'solo'}{i}-{time.time_ns()}") for i in range(members)]
        for person in people:
            await companion.handle("bench", person.name, Inbound(event="start"))
        if shared:
            names = [person.name for person in people]
            await store.run(lambda unit, names=names: _one_workspace(unit, names))
        started = time.perf_counter()
        counts = await asyncio.gather(*(walk(companion, person, latencies) for person in people))
        seconds += time.perf_counter() - started
        messages += sum(counts)
    workspaces = "one shared" if shared else "separate"
    return _figures(store.dialect, members, messages, seconds, latencies, content_load_ms, workspaces)


def _one_workspace(unit: Unit, names: list[str]) -> None:
    """Everyone joins the workspace of the first (as editors)."""
    opened = [unit.open_conversation("bench", name, "de") for name in names]
    first = opened[0][1].shared
    assert first is not None, "the first member has no workspace yet"
    for account, _ in opened[1:]:
        unit.join(account.user_id, first.workspace_id, "editor")


def _figures(
    backend: str,
    users: int,
    messages: int,
    seconds: float,
    latencies: list[float],
    content_load_ms: float,
    workspaces: str | None = None,
) -> Figures:
    quantiles = statistics.quantiles(latencies, n=100)
    return Figures(
        backend,
        users,
        messages,
        seconds,
        quantiles[49] * 1000,
        quantiles[98] * 1000,
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        content_load_ms,
        workspaces,
    )


def content_load_ms(directory) -> float:
    timings = []
    for _ in range(5):
        started = time.perf_counter()
        load_content(directory)
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


async def run_bench(settings, levels: list[int], rounds: int = 5, team: int = 0) -> int:
    """Print figures for each level of concurrency (and for a team of ``team`` members in one workspace
    against as many in separate ones), then remove the simulated users again."""
    from bot.app.companion import Companion
    from storage.store import Store

    load_ms = content_load_ms(settings.content_dir)
    content = load_content(settings.content_dir)
    store = await Store.open(settings.database)
    try:
        companion = Companion(content, store)
        for users in levels:
            figures = await measure(companion, store.dialect, users, load_ms, rounds)
            print("\n".join(figures.lines() + before(store.dialect, users)) + "\n", flush=True)
        for shared in (True, False) if team else ():
            figures = await measure_team(companion, store, team, shared, load_ms, rounds)
            print("\n".join(figures.lines()) + "\n", flush=True)
        await store.run(_forget_bench_users)
    finally:
        await store.close()
    return 0


def _forget_bench_users(unit: Unit) -> None:
    for user_id in unit.users_of("bench"):
        unit.delete_user(user_id)
