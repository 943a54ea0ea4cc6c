"""Toolbox search: latency per query (p50/p99 over all evaluation queries, after warm-up), start-up with a warm
and a cold vector cache, and the memory (RSS) that the model and the index add. Prints figures.

    python -m benchmarks.search tests/flows/toolbox/search_eval.yaml [more sets]
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from flows.content.loader import load_content
from flows.toolbox import vectors
from flows.toolbox.evaluate import load_cases
from flows.toolbox.search import ToolboxIndex

CONTENT = Path(__file__).resolve().parent.parent / "content"


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("sets", nargs="+", type=Path)
    parser.add_argument("--cold", type=int, default=6, help="Items to embed for the cold-cache start-up.")
    args = parser.parse_args()
    content = load_content(CONTENT)
    items = list(content.toolbox.values())
    queries = [(c.query, c.lang) for path in args.sets if path.exists() for c in load_cases(path)]
    before = rss_mb()
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        index = ToolboxIndex(items, vectors.E5(), CONTENT / vectors.SHIPPED, Path(tmp) / "cache.npz")
        built = time.perf_counter()
        index.search("Kick-Off", "de")
        warm = time.perf_counter()
        print(
            f"search start-up, warm cache: index {1000 * (built - started):.0f} ms, "
            f"first search (model and vectors loaded) {1000 * (warm - built):.0f} ms"
        )
        shipped = Path(tmp) / "shipped.npz"
        shutil.copy(CONTENT / vectors.SHIPPED, shipped)
        known = vectors.read(shipped)
        drop = {vectors.digest(vectors.passage(i, "de"), index.embedder.model_id) for i in items[: args.cold]}
        vectors.write(shipped, {d: v for d, v in known.items() if d not in drop})
        cold = ToolboxIndex(items, vectors.E5(), shipped, Path(tmp) / "cold.npz")
        started = time.perf_counter()
        cold.search("Kick-Off", "de")
        took = time.perf_counter() - started
        print(
            f"search start-up, {args.cold} stale items: first search {1000 * took:.0f} ms "
            f"(all {3 * len(items)} would take about {took / args.cold * 3 * len(items):.0f} s)"
        )
    print(f"memory growth from the model and the index: {rss_mb() - before:.0f} MB (RSS)")
    for query, lang in queries[:10]:
        index.search(query, lang)
    times = []
    for query, lang in queries:
        started = time.perf_counter()
        index.search(query, lang)
        times.append(1000 * (time.perf_counter() - started))
    times.sort()
    p99 = times[min(len(times) - 1, round(0.99 * len(times)) - 1)]
    print(f"search latency over {len(times)} queries: p50 {statistics.median(times):.1f} ms, p99 {p99:.1f} ms")


if __name__ == "__main__":
    main()
