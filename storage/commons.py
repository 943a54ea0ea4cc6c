"""Shared good practice as stored: submissions, reviews, translations and adoptions."""

from __future__ import annotations

from storage.base import UnitBase


class Commons(UnitBase):
    """Reads and writes of this part (a mixin of the unit of work)."""
