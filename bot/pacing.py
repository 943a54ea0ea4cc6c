"""Pacing shared by the channels: a leaky bucket per sender or chat."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Bucket:
    """GCRA (a leaky bucket): ``rate`` per second on average, ``burst`` at once."""

    rate: float
    burst: int
    tat: float = 0.0
    """Theoretical arrival time of the next request."""

    def reserve(self, now: float) -> float:
        """Take the next slot; return how long to wait for it."""
        interval = 1 / self.rate
        tat = max(self.tat, now)
        wait = max(0.0, tat - (self.burst - 1) * interval - now)
        self.tat = tat + interval
        return wait

    def idle(self, now: float) -> bool:
        return self.tat < now
