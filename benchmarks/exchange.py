"""The exchange's matching: one `/austausch` among ``--profiles`` opted-in municipalities.

``python -m benchmarks.exchange [--profiles 10000] [--runs 50] --db URL [--db URL …]``

``--profiles`` workspaces with made-up exchange profiles (German and French, every size, Land and région, random
priorities, offers, seeks and languages) are stored; then a coordinator who opted in sends `/austausch` ``--runs``
times through the app shell (Companion.handle: one unit of work, the profiles matched, the list rendered): the
first message reads and packs every profile again (the coordinator's own opt-in changed them), the others use the
profiles this process keeps (one query finds them unchanged). The first message's time, the others' p50/p99, and
this process's peak RSS. Figures only: nothing is asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import delete, insert
from sqlmodel import col

from benchmarks.statistics import _peak_mb
from bot.app.companion import Companion
from flows.content.loader import load_content
from flows.exchange.shown import REGION_STEPS, SIZE_STEP
from flows.messages import Inbound
from storage.models import ExchangeProfile, User, Workspace, utcnow
from storage.store import Store, Unit

ROOT = Path(__file__).resolve().parent.parent
KINDS = {"de": ("gemeinde", "stadt", "landkreis", "amt"), "fr": ("commune", "commune_nouvelle", "epci")}


def seed(
    n: int, fields: list[str], sizes: list[str], regions: dict[str, list[str]]
) -> Callable[[Unit], tuple[list[int], list[int]]]:
    """``n`` workspaces, each opted in by its own coordinator: the ids of the users and of the workspaces."""
    rng = random.Random(18)

    def work(unit: Unit) -> tuple[list[int], list[int]]:
        now = utcnow()
        people = [{"language": "de", "created_at": now} for _ in range(n)]
        towns = [{"name": f"Kommune {i}", "revision": 1, "created_at": now} for i in range(n)]
        users = sorted(unit.conn.execute(insert(User).returning(col(User.id)), people).scalars())
        wids = sorted(unit.conn.execute(insert(Workspace).returning(col(Workspace.id)), towns).scalars())
        rows = []
        for i in range(n):
            country = "fr" if rng.random() < 0.3 else "de"
            facts = {
                "name": f"Kommune {i}",
                "country": country,
                "kind": rng.choice(KINDS[country]),
                "size": rng.choice(sizes),
                "region": rng.choice(regions[country]),
                "kreis": f"{country}{rng.randrange(400)}",
                "fields": rng.sample(fields, rng.randint(1, 6)),
                "stage": rng.choice(["", "kickoff", "kommunalprofil", "zukunftswerkstatt", "werkstattplan"]),
                "has_plan": rng.random() < 0.3,
            }
            languages = [country] + (["de" if country == "fr" else "fr"] if rng.random() < 0.3 else [])
            rows.append(
                {
                    "workspace_id": wids[i],
                    "user_id": users[i],
                    "facts": facts,
                    "offers": rng.sample(fields, rng.randint(0, 3)),
                    "seeks": rng.sample(fields, rng.randint(0, 3)),
                    "languages": languages,
                    "contact": f"Kontakt {i}",
                    "twin_town": "",
                    "consent_version": "2026-12-07",
                    "opted_in_at": now,
                    "updated_at": now,
                }
            )
        unit.conn.execute(insert(ExchangeProfile), rows)
        return users, wids

    return work


def clean(users: list[int], workspaces: list[int], ref: str) -> Callable[[Unit], None]:
    """Remove what the benchmark stored (a shared database stays as it was): profiles go with their workspaces."""

    def work(unit: Unit) -> None:
        unit.conn.execute(delete(Workspace).where(col(Workspace.id).in_(workspaces)))
        unit.conn.execute(delete(User).where(col(User.id).in_(users)))
        account, saved = unit.open_conversation("test", ref, "de")
        if saved.shared is not None:
            unit.delete_workspace(saved.shared.workspace_id, account.user_id)
        unit.delete_user(account.user_id)

    return work


async def measure(companion: Companion, ref: str, runs: int) -> list[float]:
    """A coordinator opts in (typing each answer and button label), then sends /austausch ``runs`` times: ms each."""

    async def says(text: str) -> str:
        response = await companion.handle("test", ref, Inbound(text=text))
        return "\n".join(r.text() for r in response.replies)

    await companion.handle("test", ref, Inbound(event="start"))
    for line in ("Musterstadt", "2", "13", "3", "2, 5, 9", "/austausch", "Teilnehmen", "Fertig", "Fertig", "Fertig"):
        await says(line)
    for line in ("Anna Muster, 030 111", "Keine Partnerstadt", "Zustimmen und teilnehmen"):
        reply = await says(line)
    assert "Vorstellen lassen" in reply or "1. " in reply, reply
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        reply = await says("/austausch")
        times.append(1000 * (time.perf_counter() - started))
    assert "\n5. " in reply, reply
    return times


async def run(url: str, profiles: int, runs: int) -> str:
    content = load_content(ROOT / "content")
    fields = list(content.handlungsfelder)
    sizes = [o.id for o in getattr(content.step(SIZE_STEP), "options", ())]
    regions = {
        country: [o.id for o in getattr(content.step(step), "options", ()) if o.id != "other"]
        for country, step in zip(("de", "fr"), REGION_STEPS, strict=True)
    }
    with tempfile.TemporaryDirectory(prefix="daks-exchange-") as tmp:
        store = await Store.open(url.format(tmp=tmp))
        try:
            started = time.perf_counter()
            users, workspaces = await store.run(seed(profiles, fields, sizes, regions))
            seeded = time.perf_counter() - started
            companion = Companion(content, store)
            ref = f"bench-{random.randrange(10**9)}"
            try:
                times = await measure(companion, ref, runs)
            finally:
                await store.run(clean(users, workspaces, ref))
        finally:
            await store.close()
    database = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
    q = statistics.quantiles(times[1:], n=100)
    return (
        f"{database:<10} /austausch among {profiles} opted-in profiles (stored in {seeded:.1f} s): "
        f"first after a change {times[0]:.0f} ms, then p50 {q[49]:.1f} ms, p99 {q[98]:.1f} ms over {runs - 1} "
        f"messages; peak RSS {_peak_mb():.0f} MB"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--profiles", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=50, help="at least 3")
    parser.add_argument("--db", action="append", help="{tmp}: a fresh temporary folder")
    args = parser.parse_args()
    for url in args.db or ["sqlite:///{tmp}/exchange.db"]:
        try:
            print(asyncio.run(run(url, args.profiles, args.runs)), flush=True)
        except OSError as exc:
            print(f"{url}: skipped ({exc})", flush=True)
