"""What blocks municipalities, as stored for the pooled report: the opted-in workspaces' answers and editors'
decisions on quotes."""

from __future__ import annotations

from storage.base import UnitBase


class Obstacles(UnitBase):
    """Reads and writes of this part (a mixin of the unit of work)."""
