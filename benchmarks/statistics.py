"""Official statistics: importing the municipality directory and a Land's statistics file, and finding a place.

``python -m benchmarks.statistics [--gemeinden 11000] [--land 2100] [--lookups 2000] --db URL [--db URL …]``

1. A GV100AD file of ``--gemeinden`` Gemeinden (with Länder, Regierungsbezirke and Kreise; made-up names,
   tests/fixtures/statistics/gv100ad.py) is read and stored in one unit of work, as `daks data import gv100ad`
   does: wall time and the process's peak RSS.
2. ``--lookups`` lookups by name prefix (2–8 letters of a real name in the file), postcode and key through
   bot.app.directory.find, each in its own unit of work: p50/p99.
3. Table 12411-02-03-5 (long, ISO-8859-1) for a Land of ``--land`` Gemeinden, 17 age groups × 3 sexes × 5
   years (tests/fixtures/statistics/regionalstatistik.py), read, checked against the directory and stored as
   `daks data import regionalstatistik` does: wall time (of it: reading) and peak RSS; then the same file again
   (nothing changes).
Each import runs in a fresh process, so its peak RSS is its own. Figures only: nothing is asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import random
import resource
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from bot.app.directory import find, store_places
from bot.app.figures import check_regions, store_sheet
from flows.statistics.directory import read_gv100ad
from flows.statistics.model import Place
from flows.statistics.tables import read_table
from storage.store import Store
from tests.fixtures.statistics import gv100ad, regionalstatistik


def _peak_mb() -> float:
    """This process's peak resident memory (VmHWM: unlike ru_maxrss, not inherited from the parent at fork)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def _run(url: str, work: Any) -> Any:
    store = await Store.open(url)
    try:
        return await store.run(work)
    finally:
        await store.close()


def _directory(url: str, path: Path, out: Any) -> None:
    started = time.perf_counter()
    places = read_gv100ad(path.read_bytes())
    asyncio.run(_run(url, lambda unit: store_places(unit, places)))
    out.put((len(places), time.perf_counter() - started, _peak_mb()))


def _statistics(url: str, path: Path, out: Any) -> None:
    started = time.perf_counter()
    data = path.read_bytes()  # as `daks data import regionalstatistik FILE` reads it
    sheet = read_table(data, "12411-02-03-5.csv")
    read = time.perf_counter() - started

    def work(unit: Any) -> Any:
        problems = check_regions(unit, sheet)
        assert not problems, problems[:3]
        return store_sheet(unit, sheet, data, "12411-02-03-5.csv", "bench", None)

    stored = asyncio.run(_run(url, work))
    out.put((len(sheet.figures), stored.new, read, time.perf_counter() - started, _peak_mb()))


def _in_process(target: Any, *args: Any) -> Any:
    """Run ``target`` in a fresh process (its own peak RSS) and return what it puts."""
    context = multiprocessing.get_context("spawn")
    out = context.Queue()
    process = context.Process(target=target, args=(*args, out))
    process.start()
    result = out.get()
    process.join()
    return result


def _land_directory(url: str, data: bytes) -> None:
    """The Land's Kreise and Gemeinden (as the statistics file names them) in the directory, so the check runs."""
    regions = read_table(data, "12411-02-03-5.csv").regions
    level = {2: "land", 5: "kreis", 8: "gemeinde"}
    places = [Place("de", k, level[len(k)], n, k[:5] if len(k) > 5 else "", k[:2]) for k, n in regions.items()]  # type: ignore[arg-type]
    asyncio.run(_run(url, lambda unit: store_places(unit, places)))


def _lookups(url: str, names: list[str], postcodes: list[str], keys: list[str], n: int) -> list[float]:
    pick = random.Random(7)

    async def run() -> list[float]:
        store = await Store.open(url)
        times = []
        try:
            for i in range(n):
                kind = i % 4
                if kind < 2:
                    name = pick.choice(names)
                    query = name[: pick.randint(2, min(8, len(name)))]
                else:
                    query = pick.choice(postcodes if kind == 2 else keys)
                started = time.perf_counter()
                await store.run(lambda unit, q=query: find(unit, q))
                times.append((time.perf_counter() - started) * 1000)
        finally:
            await store.close()
        return times

    return asyncio.run(run())


def _fresh(url: str, folder: Path, name: str) -> str:
    """An empty database: a new SQLite file, or the PostgreSQL database emptied."""
    if url.startswith("sqlite"):
        return f"sqlite:///{folder / name}"

    async def empty() -> None:
        from sqlalchemy import text

        store = await Store.open(url)
        try:
            for table in ("figure", "dataset", "place"):
                await store.run_connection(lambda conn, t=table: conn.execute(text(f"TRUNCATE {t} CASCADE")))
        finally:
            await store.close()

    asyncio.run(empty())
    return url


def bench(url: str, gemeinden: int, land: int, lookups: int, folder: Path) -> None:
    db = _fresh(url, folder, "statistics.db")
    kind = "SQLite" if db.startswith("sqlite") else "PostgreSQL"
    records = gv100ad.directory(gemeinden)
    data = gv100ad.text(records).encode("utf-8")
    directory = folder / "GV100AD.txt"
    directory.write_bytes(data)
    count, seconds, peak = _in_process(_directory, db, directory)
    print(
        f"{kind}: directory of {gemeinden:,} Gemeinden ({count:,} places, {len(data) / 1e6:.1f} MB): "
        f"{seconds:.2f} s, peak RSS {peak:.0f} MB"
    )
    places = read_gv100ad(data)
    names = [p.name.split(",")[0] for p in places if p.level == "gemeinde"]
    postcodes = [p.postcode for p in places if p.postcode]
    keys = [p.key for p in places if p.level == "gemeinde"]
    times = sorted(_lookups(db, names, postcodes, keys, lookups))
    p99 = times[int(len(times) * 0.99) - 1]
    print(
        f"{kind}: lookup by name prefix, postcode or key ({lookups:,}): p50 {statistics.median(times):.2f} ms, "
        f"p99 {p99:.2f} ms"
    )
    table = regionalstatistik.land(land)
    _land_directory(db, table)
    path = folder / "12411-02-03-5.csv"
    path.write_bytes(table)
    for attempt in ("first", "again"):
        figures, new, read, seconds, peak = _in_process(_statistics, db, path)
        print(
            f"{kind}: 12411-02-03-5 for a Land of {land:,} Gemeinden ({figures:,} figures, {len(table) / 1e6:.1f} MB), "
            f"{attempt}: {seconds:.2f} s (reading {read:.2f} s), {'stored' if new else 'nothing new'}, "
            f"peak RSS {peak:.0f} MB"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gemeinden", type=int, default=11_000)
    parser.add_argument("--land", type=int, default=2_100)
    parser.add_argument("--lookups", type=int, default=2_000)
    parser.add_argument("--db", action="append", default=[])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        for url in args.db or ["sqlite:///{tmp}/statistics.db"]:
            try:
                bench(url, args.gemeinden, args.land, args.lookups, Path(folder))
            except Exception as exc:  # noqa: BLE001 (a database that is not there: say so, go on)
                print(f"{url.split(':')[0]}: skipped ({type(exc).__name__}: {str(exc)[:120]})")


if __name__ == "__main__":
    main()
