"""The draft council resolution (Beschlussvorlage; projet de délibération; council report)."""

from __future__ import annotations

from datetime import date

from flows.conversation.context import Ctx
from flows.conversation.documents.strategy import strategy
from flows.documents.model import Document


def resolution(ctx: Ctx, today: date) -> Document:
    """PLACEHOLDER (issue 15, helper A replaces it)."""
    document = strategy(ctx, today)
    return Document(
        kind="resolution",
        lang=document.lang,
        title=document.title,
        subtitle=document.subtitle,
        cover=(),
        sections=document.sections,
        fields=document.fields,
    )
