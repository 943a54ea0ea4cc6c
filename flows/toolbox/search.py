"""Free-text search over the toolbox: what an item means (multilingual-e5-small) blended with the words it uses
(BM25 over title and summary, and over its keywords as a field of their own), per language. Nothing is
returned when nothing fits."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import bm25s
import numpy as np

from flows.content.model import LANGUAGES, ToolboxItem
from flows.toolbox import vectors
from flows.toolbox.words import Term, Vocabulary, index_form, tokens, words

logging.getLogger("bm25s").setLevel(logging.WARNING)  # it reports every index it builds at DEBUG

KEYWORD_WEIGHT = 1.5
"""A keyword is what a person would type for the item: it counts more than a word of the summary."""
RANK_DEPTH = 10
"""Reciprocal rank fusion: 1 / (RANK_DEPTH + rank) from each ranking."""
LEXICAL_WEIGHT = 0.7
"""How much the words count against the meaning in the fusion."""
FITS = {"de": 0.827, "fr": 0.837, "en": 0.826}
"""From which cosine similarity an item is about the query by meaning, per language."""
WORDS_FIT = 5.0
"""From which BM25 score the words alone say that an item fits."""
# How FITS and WORDS_FIT were set: a query is judged to have a fitting item when its best item is about it by
# meaning, or shares at least two of its content words, or scores WORDS_FIT by its words. The thresholds are
# the ones that made fewest mistakes (a real query answered "nothing fits" counted twice, an off-topic query
# answered with items once) on tests/flows/toolbox/search_dev.yaml and search_eval.yaml against the off-topic
# queries of search_offtopic.yaml (never the unseen set). e5-small puts every text near 0.8, so the gate is
# imperfect: on those sets about 1 in 20 real queries gets "nothing fits" and 1 in 4 off-topic queries gets
# items.


@dataclass(frozen=True)
class Hit:
    item: ToolboxItem
    score: float
    """The blended score: only for ordering."""
    similarity: float
    """Cosine similarity of the query and the item's passage."""
    about: bool
    """About the query by meaning (similarity at least FITS)."""
    shared: int
    """How many content words of the query the item's text or keywords contain."""

    @property
    def close(self) -> bool:
        """A real match: about the query by meaning, and sharing several of its content words."""
        return self.about and self.shared >= 2


class _Lexical:
    """BM25 over one language: title (counted twice) and summary; the keywords as a second index."""

    def __init__(self, items: list[ToolboxItem], lang: str):
        texts = [_without_places(f"{i.title.get(lang)} {i.title.get(lang)} {i.summary.get(lang)}", i) for i in items]
        keywords = [" ".join(i.keywords.get(lang, [])) for i in items]  # type: ignore[call-overload]
        self.vocabulary = Vocabulary([*texts, *keywords], lang)
        self.places = [{index_form(p).strip() for p in (i.example_of or "").split(";") if p.strip()} for i in items]
        docs = [tokens(t, lang) for t in texts]
        keyword_docs = [tokens(k, lang) for k in keywords]
        self.stems = [set(a) | set(b) for a, b in zip(docs, keyword_docs, strict=True)]
        self.text = _Field(docs)
        self.keywords = _Field(keyword_docs)

    def scores(self, terms: list[Term], query: str) -> tuple[np.ndarray, np.ndarray]:
        """BM25 scores and, per item, how many query words it contains (a compound: all its parts)."""
        stems = [s for term in terms for s in term.stems]
        score = self.text.scores(stems) + KEYWORD_WEIGHT * self.keywords.scores(stems)
        shared = np.array(
            [sum(1 for t in terms if t.stems and set(t.stems) <= mine) for mine in self.stems], dtype=np.int32
        )
        folded = f" {' '.join(_WORDS_ONLY(index_form(query)))} "
        for i, places in enumerate(self.places):
            if any(f" {place} " in folded for place in places):
                shared[i] += 1
                score[i] += float(score.max(initial=0.0)) + 1.0
        return score, shared


def _WORDS_ONLY(text: str) -> list[str]:  # noqa: N802  (a tiny tokenizer, named for what it keeps)
    return "".join(c if c.isalnum() else " " for c in text).split()


def _without_places(text: str, item: ToolboxItem) -> str:
    """The text without the names of the places a good practice comes from: "Frankfurt am Main" is where it
    happened, not what it is about (and "main" is no topic). A query naming the place still finds it."""
    for place in (item.example_of or "").split(";"):
        for word in place.split():
            text = " ".join(w for w in text.split() if index_form(w).strip(".,;:()") != index_form(word))
    return text


class _Field:
    """BM25 over one field of every item; scores 0 when no item has a word in it (no keywords yet)."""

    def __init__(self, docs: list[list[str]]):
        self.size = len(docs)
        self.bm25: bm25s.BM25 | None = None
        if any(docs):
            self.bm25 = bm25s.BM25()
            self.bm25.index(docs, show_progress=False)

    def scores(self, stems: list[str]) -> np.ndarray:
        if self.bm25 is None or not stems:
            return np.zeros(self.size, dtype=np.float32)
        return np.asarray(self.bm25.get_scores(stems), dtype=np.float32)


class ToolboxIndex:
    """The toolbox's search: a lexical index per language, and item vectors loaded on the first search."""

    def __init__(
        self,
        items: list[ToolboxItem],
        embedder: vectors.Embedder | None = None,
        shipped: Path | None = None,
        cache: Path | None = None,
    ):
        self.items = items
        self.embedder = embedder
        self._files = (shipped, cache)
        self._lexical = {lang: _Lexical(items, lang) for lang in LANGUAGES}
        self._vectors: dict[str, np.ndarray] | None = None

    def vectors(self) -> dict[str, np.ndarray] | None:
        """The item vectors per language, loaded (and the stale ones embedded) on first use."""
        if self._vectors is None and self.embedder is not None and self.items:
            shipped, cache = self._files
            self._vectors = vectors.load(self.items, self.embedder, shipped or Path("/nonexistent"), cache)
        return self._vectors

    def search(self, query: str, lang: str, limit: int = 5) -> list[Hit]:
        """The best items for ``query``, best first; [] when nothing fits (neither meaning nor words)."""
        lexical = self._lexical.get(lang)
        if lexical is None or not self.items or not words(query, lang):
            return []
        terms = lexical.vocabulary.read(query)
        lex, shared = lexical.scores(terms, query)
        similarity = self._similarity(query, lang)
        about = similarity >= FITS[lang]
        if not about.any() and shared.max(initial=0) < min(2, len(terms)) and lex.max(initial=0.0) < WORDS_FIT:
            return []
        score = np.zeros(len(self.items))
        if self._vectors is not None:
            by_meaning = np.argsort(-similarity, kind="stable")
            score[by_meaning] += 1.0 / (RANK_DEPTH + np.arange(1, len(self.items) + 1))
        by_words = [i for i in np.argsort(-lex, kind="stable") if lex[i] > 0]
        for rank, i in enumerate(by_words, 1):
            score[i] += LEXICAL_WEIGHT / (RANK_DEPTH + rank)
        found = [i for i in range(len(self.items)) if score[i] > 0]
        ranked = sorted(found, key=lambda i: (-score[i], self.items[i].id))
        return [
            Hit(self.items[i], float(score[i]), float(similarity[i]), bool(about[i]), int(shared[i]))
            for i in ranked[:limit]
        ]

    def _similarity(self, query: str, lang: str) -> np.ndarray:
        matrix = self.vectors()
        if matrix is None or self.embedder is None:
            return np.zeros(len(self.items), dtype=np.float32)
        return matrix[lang] @ self.embedder.query(query)
