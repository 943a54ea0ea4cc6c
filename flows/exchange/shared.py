"""Approved good practice in the toolbox: each shared practice as a toolbox item (type praxisbeispiel, "eingereicht
von <Kommune>"), and its search index beside the content's, built once per revision of the commons.

A language the practice has no text in gets the submitter's text, so it is found (and shown, marked as not yet
translated) in every language."""

from __future__ import annotations

from typing import Final
from weakref import WeakKeyDictionary

from flows.content.content import Content
from flows.content.i18n import N_, Translator
from flows.content.model import LANGUAGES, LocalText, ToolboxItem
from flows.exchange.model import SHARED_PREFIX, Commons, SharedPractice
from flows.toolbox import vectors
from flows.toolbox.search import Hit, ToolboxIndex

TYPE: Final = "praxisbeispiel"
STAGE = "werkstattplan"
"""The stage a shared practice serves: it was a measure of a Werkstattplan."""
SUMMARY_PARTS = ("what", "for_whom", "helped")
"""The parts a practice's summary (and what its search reads) is made of."""
PART_NAMES = {
    "title": N_("Title"),
    "what": N_("What was done"),
    "for_whom": N_("For whom"),
    "cost": N_("Cost"),
    "helped": N_("What helped"),
    "hindered": N_("What hindered"),
}
"""Each part of PRACTICE_PARTS as people read it (msgids)."""
NOT_TRANSLATED = {
    "de": N_("(not yet translated into German)"),
    "fr": N_("(not yet translated into French)"),
    "en": N_("(not yet translated into English)"),
}
"""The marker beside a practice shown in the submitter's language, by the language it lacks (msgids)."""


def item_of(practice: SharedPractice) -> ToolboxItem:
    """The practice as a toolbox item: its title and summary in every language (the submitter's where missing)."""
    title = {lang: practice.text(lang).get("title", "").strip() or "…" for lang in LANGUAGES}
    summary = {lang: _summary(practice.text(lang)) or title[lang] for lang in LANGUAGES}
    return ToolboxItem.model_construct(  # "gp-12" is no content identifier: the item is built, never read from YAML
        id=practice.toolbox_id,
        title=LocalText(title),
        summary=LocalText(summary),
        type=TYPE,
        fields=[practice.field],
        stages=[STAGE],
        sizes=[],
        source=None,
        url=None,
        verified=False,
        example_of=practice.municipality or None,
        keywords={},
    )


def _summary(parts: dict[str, str]) -> str:
    return " ".join(p.strip() if p.strip().endswith((".", "!", "?")) else f"{p.strip()}." for p in _filled(parts))


def _filled(parts: dict[str, str]) -> list[str]:
    return [parts[k] for k in SUMMARY_PARTS if (parts.get(k) or "").strip()]


def parts_text(t: Translator, parts: dict[str, str]) -> list[str]:
    """The filled parts but the title, one labelled line each ("Was getan wurde: …")."""
    return [
        t("{label}: {value}", label=t(PART_NAMES[k]), value=parts[k].strip())
        for k in PART_NAMES
        if k != "title" and (parts.get(k) or "").strip()
    ]


def not_translated(t: Translator, practice: SharedPractice, lang: str) -> str | None:
    """The marker for a practice shown in another language than ``lang`` (None: it has a text in ``lang``)."""
    return t(NOT_TRANSLATED[lang]) if practice.missing(lang) and lang in NOT_TRANSLATED else None


def is_shared(item_id: str) -> bool:
    return item_id.startswith(SHARED_PREFIX)


def approved(commons: Commons, item_id: str) -> SharedPractice | None:
    """The approved practice of a toolbox id (None: not one, or no longer approved)."""
    return next((p for p in commons.approved if p.toolbox_id == item_id), None)


_INDEXES: WeakKeyDictionary[Content, tuple[str, ToolboxIndex]] = WeakKeyDictionary()
"""Per content set, the index of the approved practices at one revision of the commons."""


def index_of(content: Content, commons: Commons, embedder: vectors.Embedder | None = None) -> ToolboxIndex:
    """The search over the approved practices, built once per revision (their vectors are embedded on the first
    search after a change: there is no shipped file for them)."""
    kept = _INDEXES.get(content)
    if kept is not None and kept[0] == commons.revision:
        return kept[1]
    index = ToolboxIndex([item_of(p) for p in commons.approved], embedder or vectors.E5())
    _INDEXES[content] = (commons.revision, index)
    return index


def search(content_index: ToolboxIndex, shared_index: ToolboxIndex, query: str, lang: str, limit: int) -> list[Hit]:
    """The content's items and the shared practices fitting ``query``, best first. A practice counts only where it
    is about the query by meaning or shares a word with it (a small index passes its "nothing fits" gate on any
    near item and then ranks every item)."""
    theirs = [h for h in shared_index.search(query, lang, limit) if h.about or h.shared]
    ours = content_index.search(query, lang, limit)
    return sorted([*theirs, *ours], key=lambda h: -h.score)[:limit]
