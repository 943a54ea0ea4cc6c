"""The official municipality directory (GV100AD, COG): import it, find a place by name, postcode or key."""

from __future__ import annotations

from storage.base import UnitBase


class Places(UnitBase):
    """Mixed into the unit of work: the directory's places (table ``place``)."""
