"""Introductions between workspaces as stored (double opt-in): asked, answered, closed."""

from __future__ import annotations

from storage.base import UnitBase


class Introductions(UnitBase):
    """Reads and writes of this part (a mixin of the unit of work)."""
