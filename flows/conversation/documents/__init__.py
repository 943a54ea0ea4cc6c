"""The workspace's answers as the strategy document and the draft council resolution (see flows/documents)."""

from __future__ import annotations

from datetime import date

from flows.conversation.context import Ctx
from flows.conversation.documents.resolution import resolution
from flows.conversation.documents.strategy import strategy
from flows.documents.model import Document, Kind

__all__ = ["build", "resolution", "strategy"]


def build(ctx: Ctx, kind: Kind, today: date) -> Document:
    """The document of ``kind`` in the user's language, from what the workspace has so far."""
    return strategy(ctx, today) if kind == "strategy" else resolution(ctx, today)
