"""Single-use codes (joining a workspace, linking a messenger): their alphabet, format, validity and rate limit."""

from __future__ import annotations

import math
import random
import re
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Literal

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
"""Digits and capitals without the look-alikes 0/O and 1/I/L."""
LENGTH = 8
VALID_FOR = timedelta(days=7)
"""How long an invitation code can be used."""
LINK_VALID = timedelta(days=1)
"""How long a code to link another messenger stays valid."""
MAX_FAILURES = 5
"""Wrong codes a person may enter per ``FAILURE_WINDOW`` before they must wait."""
FAILURE_WINDOW = timedelta(hours=1)
_SEPARATORS = re.compile(r"[\s\-_.]+")

Verdict = Literal["ok", "unknown", "used", "expired"]
Refusal = Literal["unknown", "used", "expired", "own", "too_many"]


def new_code(rng: random.Random) -> str:
    """A fresh code (``rng`` should be ``secrets.SystemRandom()`` outside tests)."""
    return "".join(rng.choice(ALPHABET) for _ in range(LENGTH))


def normal(text: str) -> str | None:
    """A typed code as stored (``ab3d-ef 7h`` -> ``AB3DEF7H``); None when it cannot be one."""
    code = _SEPARATORS.sub("", text).upper()
    return code if len(code) == LENGTH and all(c in ALPHABET for c in code) else None


def shown(code: str) -> str:
    """A code as people read it: ``ABCD-EFGH``."""
    return f"{code[:4]}-{code[4:]}"


def verdict(found: bool, used: bool, expires_at: datetime | None, now: datetime) -> Verdict:
    """Whether a code entered now lets its holder in."""
    if not found:
        return "unknown"
    if used:
        return "used"
    if expires_at is not None and expires_at <= now:
        return "expired"
    return "ok"


def wait_minutes(failures: Sequence[datetime], now: datetime) -> int | None:
    """Minutes until a person may enter a code again after their recent failures; None when they may now."""
    recent = sorted(f for f in failures if f > now - FAILURE_WINDOW)
    if len(recent) < MAX_FAILURES:
        return None
    free_at = recent[len(recent) - MAX_FAILURES] + FAILURE_WINDOW
    return max(1, math.ceil((free_at - now).total_seconds() / 60))


def refusal(found: bool, used: bool, expires_at: datetime | None, own: bool, now: datetime) -> Refusal | None:
    """Why an entered link code is refused, or None when it may be used. ``own``: the person made it themselves."""
    said = verdict(found, used, expires_at, now)
    if said != "ok":
        return said
    return "own" if own else None
