"""Documents: time to make each format for a full strategy, and other users' reply latency while exports run.

``python -m benchmarks.documents [--runs 20] [--workers 2] [--users 8] [--exports 5]``

1. A strategy with 20 measures and two indicator series (charts) is built from a real conversation state
   through ``flows.conversation.documents.build``, then rendered ``--runs`` times per format by the
   :class:`~bot.documents.press.Press` in a fresh worker process, as ``daks serve`` runs it (p50/p95 each).
2. ``--users`` people answer questions through a Companion on SQLite, once alone and once while
   ``--exports`` exports of that strategy (PDF, else the first format there is) run at the same time;
   the p50/p95/p99 of their reply latency are printed side by side. Figures only: nothing is asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import statistics
import tempfile
import time
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from bot.app.companion import Companion
from bot.cli.bench import SimulatedUser
from bot.documents.press import RENDERERS, NotMade, Press
from flows.content.content import Content
from flows.content.loader import load_content
from flows.conversation.context import Ctx
from flows.conversation.documents import build, names
from flows.conversation.screens.export import chart_documents
from flows.conversation.state import State
from flows.documents.model import Format, Rendering
from flows.messages import Inbound
from storage.store import Store

ROOT = Path(__file__).resolve().parents[1]
FIELDS = ("labour", "health", "housing", "mobility", "participation")
SERIES = {"population": ("18.432", "18.300", "18.106", "17.950"), "average_age": ("44,1", "45,0", "46,2", "47,8")}


def strategy_answers(measures: int = 20) -> dict[str, Any]:
    """A workspace's answers: profile, kick-off, two indicator series over four years, ``measures`` measures."""
    indicators = [
        {"uid": f"i-{name}-{year}", "indicator": name, "value": value, "year": str(year), "comparison": "Landkreis"}
        for name, values in SERIES.items()
        for year, value in zip((2012, 2016, 2020, 2024), values, strict=True)
    ]
    plan = [
        {
            "uid": f"m{n}",
            "field": FIELDS[n % len(FIELDS)],
            "goal": f"Ziel {n + 1}: Fachkräfte & Familien <halten>",
            "measure": f"Maßnahme {n + 1}: Praxisbörse aufbauen",
            "owner": f"Amt {n + 1} (Wirtschaftsförderung)",
            "partners": "Kassenärztliche Vereinigung, Landkreis",
            "target_group": "Junge Familien",
            "start": "2027-03",
            "end": "2028-12",
            "budget": {
                "text": f"{10_000 + 500 * n} € Fördermittel LEADER",
                "amount": str(10_000 + 500 * n),
                "source": "Fördermittel LEADER",
                "funding": "grant",
                "years": [2027, 2028],
            },
            "indicator": "Neu besetzte Praxen: 0",
            "target": "3 bis 2029",
        }
        for n in range(measures)
    ]
    return {
        "ob_name": "Amt Süderbrarup",
        "ob_kind": "amt",  # an Amt (Schleswig-Holstein): what the example is
        "ob_fields": list(FIELDS),
        "ko_sponsor": "Bürgermeisterin Dr. Beispiel",
        "ko_coordinator": "Demografiebeauftragte im Hauptamt",
        "ko_steering": ["Sozialamt", "Planungsamt", "Seniorenbeirat"],
        "kp_indicators": indicators,
        "kp_strengths": ["Starkes Ehrenamt", "Gute Schulen"],
        "kp_weaknesses": ["Wenig Hausärzte"],
        "kp_opportunities": ["Zuzug junger Familien"],
        "kp_threats": ["Schließung der Praxis 2027"],
        "wp_measures": plan,
    }


def renderings(content: Content, today: date) -> dict[Format, list[Rendering]]:
    """Each format's renderings of the full strategy (PNG: one per chart), as /export makes them."""
    ctx = Ctx(content, State(version=content.version, lang="de", answers=strategy_answers()))
    document = build(ctx, "strategy", today)
    now = datetime.now(UTC)
    made: dict[Format, list[Rendering]] = {
        fmt: [Rendering(document, fmt, names.file_name(ctx, "strategy", fmt, now))]
        for fmt in ("odt", "docx", "pdf", "md")
    }
    made["png"] = [replace(made["md"][0], document=d, format="png") for d in chart_documents(document)]
    return made


def quantiles(values: list[float]) -> tuple[float, float, float]:
    """p50, p95, p99 in milliseconds."""
    if len(values) < 2:
        one = values[0] * 1000 if values else float("nan")
        return one, one, one
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return cuts[49] * 1000, cuts[94] * 1000, cuts[98] * 1000


async def time_formats(press: Press, made: dict[Format, list[Rendering]], runs: int) -> dict[Format, list[float]]:
    """Seconds per document, per format; a format whose renderer is missing or failing is left out."""
    timings: dict[Format, list[float]] = {}
    for fmt, items in made.items():
        if not items:
            print(f"  {fmt:>4}: nothing to render (the strategy has no charts)")
            continue
        try:
            await press.attachment(items[0])  # the first one in this worker: not counted
        except NotMade:
            print(f"  {fmt:>4}: not available (bot/documents/{RENDERERS[fmt]}.py missing or failing)")
            continue
        spent = []
        for _ in range(runs):
            for item in items:
                started = time.perf_counter()
                await press.attachment(item)
                spent.append(time.perf_counter() - started)
        timings[fmt] = spent
    return timings


async def chatting(companion: Companion, users: int, seconds: float) -> list[float]:
    """``users`` people answering as fast as the companion replies, for ``seconds``; each reply's latency."""
    latencies: list[float] = []
    stop = time.perf_counter() + seconds

    async def person(n: int) -> None:
        user = SimulatedUser(f"u{n}-{time.perf_counter_ns()}")
        response = await companion.handle("bench", user.name, Inbound(event="start"))
        while time.perf_counter() < stop:
            inbound = user.next(response.replies[-1])
            if inbound is None:
                user = SimulatedUser(f"u{n}-{time.perf_counter_ns()}")
                response = await companion.handle("bench", user.name, Inbound(event="start"))
                continue
            started = time.perf_counter()
            await asyncio.sleep(0)  # the message arrives: what is queued before it (other users, exports) goes first
            response = await companion.handle("bench", user.name, inbound)
            latencies.append(time.perf_counter() - started)

    await asyncio.gather(*(person(n) for n in range(users)))
    return latencies


async def exporting(press: Press, rendering: Rendering, exports: int, until: asyncio.Event) -> int:
    """``exports`` exports at a time, again and again until ``until`` is set; how many were made."""
    made = 0

    async def one() -> None:
        nonlocal made
        while not until.is_set():
            await press.attachment(rendering)
            made += 1

    await asyncio.gather(*(one() for _ in range(exports)))
    return made


async def main(runs: int, workers: int, users: int, exports: int, seconds: float) -> int:
    content = load_content(ROOT / "content")
    templates = content.root / "templates"
    made = renderings(content, date.today())
    document = made["md"][0].document
    print(
        f"Documents: a strategy with {len(strategy_answers()['wp_measures'])} measures and "
        f"{len(document.charts())} charts; {runs} runs per format, {workers} worker process(es)"
    )
    logging.getLogger("bot.documents.press").setLevel(logging.CRITICAL)  # a missing renderer is said below
    press = Press(templates, workers)
    try:
        timings = await time_formats(press, made, runs)
        for fmt, spent in timings.items():
            p50, p95, _ = quantiles(spent)
            print(f"  {fmt:>4}: p50 {p50:7.1f} ms   p95 {p95:7.1f} ms   ({len(spent)} documents)")
        heavy = next((f for f in ("pdf", "odt", "docx", "md", "png") if f in timings), None)
        with tempfile.TemporaryDirectory() as folder:
            store = await Store.open(f"sqlite:///{folder}/bench.db")
            companion = Companion(content, store, press=press)
            try:
                await chatting(companion, users, 1.0)  # warm caches
                alone = await chatting(companion, users, seconds)
                if heavy is None:
                    p50, p95, p99 = quantiles(alone)
                    print(f"  no format could be made; {users} users alone: p50 {p50:.1f} ms, p99 {p99:.1f} ms")
                    return 0
                until = asyncio.Event()
                load = asyncio.create_task(exporting(press, made[heavy][0], exports, until))
                busy = await chatting(companion, users, seconds)
                until.set()
                count = await load
            finally:
                await store.close()
        print(f"Reply latency of {users} users answering questions (Companion on SQLite, {seconds:.0f} s each):")
        for label, values in (("alone", alone), (f"while {exports} {heavy} exports run ({count} made)", busy)):
            p50, p95, p99 = quantiles(values)
            print(f"  {label}: p50 {p50:6.1f} ms   p95 {p95:6.1f} ms   p99 {p99:6.1f} ms   ({len(values)} replies)")
    finally:
        press.close()
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20, help="documents per format")
    parser.add_argument("--workers", type=int, default=2, help="render worker processes (DAKS_RENDER_WORKERS)")
    parser.add_argument("--users", type=int, default=8, help="people answering questions meanwhile")
    parser.add_argument("--exports", type=int, default=5, help="exports running at the same time")
    parser.add_argument("--seconds", type=float, default=10.0, help="how long each latency run lasts")
    args = parser.parse_args()
    raise SystemExit(asyncio.run(main(args.runs, args.workers, args.users, args.exports, args.seconds)))
