"""How the toolbox search reads words: folding, full stop-word lists, Snowball stems, German compounds, typos."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer
from bm25s.stopwords import STOPWORDS_EN_PLUS, STOPWORDS_FRENCH, STOPWORDS_GERMAN
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

_STEMMERS = {"de": "german", "fr": "french", "en": "english"}
_WORD = re.compile(r"[^\W\d_]{2,}")
_MORE_STOP = {
    # What people type around their question in a chat, beyond the usual function words.
    "de": "gibt geht gehen gut mehr viele vielen schon wer wann warum wieso weshalb kriegen kriege bekommen tun "
    "mal bitte gerne eigentlich immer ganz ja nein okay ok unsere unserer euer eure sowas etwas bzw usw",
    "fr": "faire fait peut peuvent plus très tout tous toute toutes bien comment quand quoi jamais vers chez sans "
    "après avant cela ça comme donc alors aussi encore trop quel quelle quels quelles où svp merci",
    "en": "get gets got getting make makes made do does did cant dont wont isnt arent doesnt didnt shouldnt couldnt "
    "wouldnt ive im youre theyre anywhere anything anyone somehow really also please thanks lot lots way "
    "us tell want",
}
MIN_PART = 4
"""A compound part must be a known word of at least this many letters ("Rathaus" is no "rat" + "haus")."""
MIN_TYPO = 6
"""Only words this long are corrected to the nearest known word (one edit; two from 9 letters)."""


def index_form(text: str) -> str:
    """A word as the index keeps it: lower case without accents; German umlauts stay for the stemmer, which knows
    ae/oe/ue too (unlike flows.reading.fold, which compares labels)."""
    text = text.casefold().replace("ß", "ss")
    keep = {"ä", "ö", "ü"}
    return "".join(c if c in keep else ch for c in text for ch in [unicodedata.normalize("NFKD", c)[0]])


@lru_cache(maxsize=3)
def stop_words(lang: str) -> frozenset[str]:
    lists = {"de": STOPWORDS_GERMAN, "fr": STOPWORDS_FRENCH, "en": STOPWORDS_EN_PLUS}
    return frozenset(index_form(w) for w in (*lists[lang], *_MORE_STOP[lang].split()))


@lru_cache(maxsize=3)
def _stemmer(lang: str) -> snowballstemmer.stemmer:
    return snowballstemmer.stemmer(_STEMMERS[lang])


def words(text: str, lang: str) -> list[str]:
    """The content words of ``text``, folded, stop words left out."""
    stop = stop_words(lang)
    return [w for w in _WORD.findall(index_form(text).replace("'", " ").replace("’", " ")) if w not in stop]


def stem(word: str, lang: str) -> str:
    return _stemmer(lang).stemWord(word)


def tokens(text: str, lang: str) -> list[str]:
    """The stems of the content words of ``text``."""
    return _stemmer(lang).stemWords(words(text, lang))


@dataclass(frozen=True)
class Term:
    """One query word and the index stems it stands for (itself, its compound parts, or the nearest known stem)."""

    word: str
    stems: tuple[str, ...]


class Vocabulary:
    """The words and stems of one language's index: what a query word may be read as."""

    def __init__(self, texts: Iterable[str], lang: str):
        self.lang = lang
        surface = {w for text in texts for w in words(text, lang)}
        self.stems = {stem(w, lang) for w in surface}
        self._parts = {w for w in surface if len(w) >= MIN_PART}
        self._sorted = sorted(self.stems)

    def read(self, query: str) -> list[Term]:
        """Each content word of ``query`` with the known stems it matches; unknown words match nothing."""
        terms = []
        for word in words(query, self.lang):
            own = stem(word, self.lang)
            if own in self.stems:
                terms.append(Term(word, (own,)))
            elif self.lang == "de" and (parts := self.split(word)):
                terms.append(Term(word, tuple(stem(p, self.lang) for p in parts)))
            else:
                terms.append(Term(word, self._nearest(own)))
        return terms

    def split(self, word: str) -> list[str]:
        """A German compound as two or three known words of at least MIN_PART letters ("dorfladen" → dorf, laden),
        allowing a linking s/n/e/en/es; [] when it is no such compound."""
        for cut in range(MIN_PART, len(word) - MIN_PART + 1):
            head, tail = word[:cut], word[cut:]
            if not self._known_part(head):
                continue
            for link in ("", "s", "n", "e", "en", "es"):
                rest = tail[len(link) :] if tail.startswith(link) else None
                if rest is None or len(rest) < MIN_PART:
                    continue
                if self._known_part(rest):
                    return [head, rest]
                if deeper := self.split(rest):
                    return [head, *deeper]
        return []

    def _known_part(self, word: str) -> bool:
        return word in self._parts or (len(word) >= MIN_PART and stem(word, self.lang) in self.stems)

    def _nearest(self, own: str) -> tuple[str, ...]:
        if len(own) < MIN_TYPO:
            return ()
        limit = 1 if len(own) < 9 else 2
        match = process.extractOne(own, self._sorted, scorer=Levenshtein.distance, score_cutoff=limit)
        return (match[0],) if match is not None else ()
