"""Every toolbox item carries its own search keywords in German, French and English."""

from __future__ import annotations

from collections import Counter

from flows.content.content import Content
from flows.content.model import LANGUAGES


def test_every_toolbox_item_has_keywords_in_every_language(content: Content) -> None:
    assert content.toolbox, "the toolbox is empty"
    thin = [
        f"{item.id} [{language}]: {item.keywords.get(language, [])}"
        for item in content.toolbox.values()
        for language in LANGUAGES
        if len([word for word in item.keywords.get(language, []) if word.strip()]) < 3
    ]
    assert not thin, "fewer than three keywords:\n" + "\n".join(thin)


def test_no_keyword_repeats_within_an_item_and_language(content: Content) -> None:
    repeated = [
        f"{item.id} [{language}]: {word}"
        for item in content.toolbox.values()
        for language, words in item.keywords.items()
        for word, count in Counter(word.strip().casefold() for word in words).items()
        if count > 1
    ]
    assert not repeated, "keyword given twice:\n" + "\n".join(repeated)
