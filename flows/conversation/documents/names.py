"""File names for exports: the municipality transliterated, the document, the moment: unique per export."""

from __future__ import annotations

from datetime import datetime

from slugify import slugify

from flows.conversation.context import Ctx
from flows.documents.model import Format, Kind

_GERMAN = [["Ä", "Ae"], ["Ö", "Oe"], ["Ü", "Ue"], ["ä", "ae"], ["ö", "oe"], ["ü", "ue"], ["ß", "ss"], ["ẞ", "SS"]]


def file_name(ctx: Ctx, kind: Kind, fmt: Format, now: datetime) -> str:
    """PLACEHOLDER (issue 15, helper A finishes it): ``daks-strategie-amt-suederbrarup-2026-12-07-143205.odt``."""
    name = ctx.state.answers.get(ctx.content.profile_steps.get("name", ""))
    slug = slugify(str(name or ""), replacements=_GERMAN, max_length=40, word_boundary=True) or "export"
    return f"daks-{kind}-{slug}-{now:%Y-%m-%d-%H%M%S}.{fmt}"
