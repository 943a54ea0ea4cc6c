"""Exchange profiles as stored: opt in, change, withdraw, and every opted-in workspace's profile for matching."""

from __future__ import annotations

from storage.base import UnitBase


class Profiles(UnitBase):
    """Reads and writes of this part (a mixin of the unit of work)."""
