"""Free-text search over the toolbox: BM25 on Snowball stems, per language, forgiving typos and compounds."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer
from rank_bm25 import BM25Okapi
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from flows.model import LANGUAGES, ToolboxItem

_STEMMERS = {"de": "german", "fr": "french", "en": "english"}
_WORD = re.compile(r"[^\W\d_]{2,}|\d{2,}")
_STOP = {
    "de": "der die das und oder ein eine einer eines für mit von zu im in am an auf aus bei wie was wer wir ich ist "
          "sind den dem des nicht auch als es sie man unsere unser kann können gibt",
    "fr": "le la les un une des du de et ou pour avec dans en au aux sur par que qui quoi comment nous je est sont "
          "ce cette ces pas aussi se sa son ses notre nos peut",
    "en": "the a an and or for with of to in on at by how what who we i is are be it this that our can do",
}


def fold(text: str) -> str:
    """Lower case without accents; German umlauts stay for the stemmer, which knows ae/oe/ue too."""
    text = text.casefold().replace("ß", "ss")
    keep = {"ä", "ö", "ü"}
    return "".join(c if c in keep else ch for c in text
                   for ch in [unicodedata.normalize("NFKD", c)[0]])


@lru_cache(maxsize=3)
def _stemmer(lang: str):
    return snowballstemmer.stemmer(_STEMMERS[lang])


def tokens(text: str, lang: str) -> list[str]:
    stop = set(_STOP[lang].split())
    words = [w for w in _WORD.findall(fold(text)) if w not in stop]
    return _stemmer(lang).stemWords(words)


@dataclass(frozen=True)
class Hit:
    item: ToolboxItem
    score: float


class ToolboxIndex:
    """One BM25 index per language over title (counted twice) and summary of every item."""

    def __init__(self, items: list[ToolboxItem]):
        self.items = items
        self._bm25: dict[str, BM25Okapi] = {}
        self._vocabulary: dict[str, list[str]] = {}
        for lang in LANGUAGES:
            docs = [tokens(f"{i.title.get(lang)} {i.title.get(lang)} {i.summary.get(lang)}", lang) for i in items]
            self._bm25[lang] = BM25Okapi(docs) if docs else None  # type: ignore[assignment]
            self._vocabulary[lang] = sorted({t for doc in docs for t in doc})

    def _expand(self, query: list[str], lang: str) -> list[str]:
        """Unknown words: the nearest known stem (typos), or known stems that contain it (compounds)."""
        vocabulary = self._vocabulary[lang]
        known = set(vocabulary)
        expanded: list[str] = []
        for term in query:
            if term in known:
                expanded.append(term)
                continue
            limit = 1 if len(term) <= 5 else 2
            match = process.extractOne(term, vocabulary, scorer=Levenshtein.distance, score_cutoff=limit)
            if match is not None:
                expanded.append(match[0])
            if len(term) >= 4:
                expanded += [v for v in vocabulary if term in v and v != term][:5]
        return expanded

    def search(self, query: str, lang: str, limit: int = 5) -> list[Hit]:
        bm25 = self._bm25.get(lang)
        terms = self._expand(tokens(query, lang), lang) if bm25 is not None else []
        if not terms:
            return []
        scores = bm25.get_scores(terms)
        ranked = sorted(range(len(self.items)), key=lambda i: (-scores[i], self.items[i].id))
        return [Hit(self.items[i], float(scores[i])) for i in ranked[:limit] if scores[i] > 0]
