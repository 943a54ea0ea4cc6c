"""The time the product acts on: the real clock, or one a test sets.

``DAKS_CLOCK`` names a file holding an ISO time with its offset (``2027-09-30T06:00:00+00:00``): every process
that reads the clock (``daks serve``, ``daks chat``) takes that time, so a test moves time forward for all of
them by rewriting the file, and no test waits for real time. Without it (production), the real UTC time.
Only what people are told and reminded of follows this clock; heartbeats and pacing keep real time.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

from storage.models import utcnow

VARIABLE = "DAKS_CLOCK"


def now() -> datetime:
    """The current time (UTC, aware)."""
    path = os.environ.get(VARIABLE)
    if not path:
        return utcnow()
    try:
        value = datetime.fromisoformat(Path(path).read_text().strip())
    except (OSError, ValueError):
        return utcnow()
    return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)


def set_to(path: Path, when: datetime) -> None:
    """Set a test clock file (written whole, then renamed, so no reader sees half a time)."""
    part = path.with_suffix(".part")
    part.write_text(when.isoformat())
    part.replace(path)
