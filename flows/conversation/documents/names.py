"""File names for exports: the document, the municipality transliterated, the moment: unique per export."""

from __future__ import annotations

from datetime import datetime

from slugify import slugify

from flows.conversation.context import Ctx, place_name
from flows.documents.model import Format, Kind

_GERMAN = [["Ä", "Ae"], ["Ö", "Oe"], ["Ü", "Ue"], ["ä", "ae"], ["ö", "oe"], ["ü", "ue"], ["ß", "ss"], ["ẞ", "SS"]]
WORDS: dict[str, dict[Kind, str]] = {
    "de": {"strategy": "strategie", "resolution": "beschlussvorlage"},
    "fr": {"strategy": "strategie", "resolution": "deliberation"},
    "en": {"strategy": "strategy", "resolution": "resolution"},
}
"""The document in the file name, in the reader's language (ASCII, as file names travel best)."""


def slug(name: object) -> str:
    """A municipality in lowercase ASCII: umlauts as ae, oe, ue; accents dropped; "export" when nothing is left."""
    return slugify(str(name or ""), replacements=_GERMAN, max_length=40, word_boundary=True) or "export"


def file_name(ctx: Ctx, kind: Kind, fmt: Format, now: datetime) -> str:
    """``daks-strategie-amt-suederbrarup-2026-12-07-143205.odt``: to the second, so each export has its own."""
    name = place_name(ctx.state.answers.get(ctx.content.profile_steps.get("name", "")))
    word = WORDS.get(ctx.state.lang, WORDS["en"])[kind]
    return f"daks-{word}-{slug(name)}-{now:%Y-%m-%d-%H%M%S}.{fmt}"
