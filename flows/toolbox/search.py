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

from flows.content.model import LANGUAGES, ToolboxItem

_STEMMERS = {"de": "german", "fr": "french", "en": "english"}
_WORD = re.compile(r"[^\W\d_]{2,}")
_STOP = {
    "de": "der die das und oder ein eine einer eines einen einem für mit von zu zum zur im in am an auf aus bei "
    "wie was wer wo wann warum wir ich ihr ist sind sein war den dem des nicht auch als es sie man unsere "
    "unser unseren kann können gibt geht gut mehr viel viele sehr schon noch nur über unter wieder ins vom "
    "dass damit wenn aber um so machen mache brauchen haben hat",
    "fr": "le la les un une des du de et ou pour avec dans en au aux sur par que qui quoi quand comment où nous "
    "je est sont ce cette ces pas aussi se sa son ses notre nos peut faire jamais plus très tout tous bien "
    "leur leurs vers chez sans après avant",
    "en": "the a an and or for with of to in on at by how what who where when why we i is are be it this that "
    "our can do get make after before too tell our us my more very about into from than then there",
}


def index_form(text: str) -> str:
    """A word as the index keeps it: lower case without accents; German umlauts stay for the stemmer, which knows
    ae/oe/ue too (unlike flows.reading.fold, which compares labels)."""
    text = text.casefold().replace("ß", "ss")
    keep = {"ä", "ö", "ü"}
    return "".join(c if c in keep else ch for c in text for ch in [unicodedata.normalize("NFKD", c)[0]])


@lru_cache(maxsize=3)
def _stemmer(lang: str):
    return snowballstemmer.stemmer(_STEMMERS[lang])


def tokens(text: str, lang: str) -> list[str]:
    stop = set(_STOP[lang].split())
    words = [w for w in _WORD.findall(index_form(text)) if w not in stop]
    return _stemmer(lang).stemWords(words)


@dataclass(frozen=True)
class Hit:
    item: ToolboxItem
    score: float


class ToolboxIndex:
    """One BM25 index per language over title (counted twice) and summary of every item."""

    def __init__(self, items: list[ToolboxItem], synonyms: dict[str, dict[str, str]] | None = None):
        self.items = items
        self.synonyms = {lang: {index_form(k): v for k, v in words.items()} for lang, words in (synonyms or {}).items()}
        self._bm25: dict[str, BM25Okapi | None] = {}
        self._vocabulary: dict[str, list[str]] = {}
        for lang in LANGUAGES:
            docs = [tokens(f"{i.title.get(lang)} {i.title.get(lang)} {i.summary.get(lang)}", lang) for i in items]
            self._bm25[lang] = BM25Okapi(docs) if docs else None
            self._vocabulary[lang] = sorted({t for doc in docs for t in doc})

    def _expand(self, query: list[str], lang: str) -> list[str]:
        """Unknown words: known stems inside them or containing them (compounds), else the nearest known stem."""
        vocabulary = self._vocabulary[lang]
        known = set(vocabulary)
        expanded: list[str] = []
        for term in query:
            if term in known:
                expanded.append(term)
                continue
            parts = [v for v in vocabulary if len(v) >= 4 and (v in term or (len(term) >= 4 and term in v))]
            if parts:
                expanded += sorted(parts, key=len, reverse=True)[:4]
                continue
            limit = 0 if len(term) <= 5 else 1 if len(term) <= 8 else 2
            match = process.extractOne(term, vocabulary, scorer=Levenshtein.distance, score_cutoff=limit)
            if match is not None:
                expanded.append(match[0])
        return expanded

    def search(self, query: str, lang: str, limit: int = 5) -> list[Hit]:
        bm25 = self._bm25.get(lang)
        words = index_form(query)
        extra = [also for word, also in self.synonyms.get(lang, {}).items() if word in words]
        terms = self._expand(tokens(" ".join([query, *extra]), lang), lang) if bm25 is not None else []
        if bm25 is None or not terms:
            return []
        scores = bm25.get_scores(terms)
        ranked = sorted(range(len(self.items)), key=lambda i: (-scores[i], self.items[i].id))
        return [Hit(self.items[i], float(scores[i])) for i in ranked[:limit] if scores[i] > 0]
