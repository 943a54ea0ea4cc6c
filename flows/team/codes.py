"""Single-use codes (invites and links): their alphabet, how they are made and read, and when one is refused."""

from __future__ import annotations

import random
import re
from datetime import datetime, timedelta
from typing import Literal

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
"""No 0/O, 1/I/L: nothing that reads like something else."""
LENGTH = 8
LINK_VALID = timedelta(days=1)
"""How long a code to link another messenger stays valid."""
FAILURES = 5
"""Failed attempts (unknown, used or expired codes) allowed per person within ``FAILURE_WINDOW``."""
FAILURE_WINDOW = timedelta(hours=1)

Refusal = Literal["unknown", "used", "expired", "own", "too_many"]
_SEPARATORS = re.compile(r"[\s\-_.]+")


def new_code(rng: random.Random | random.SystemRandom) -> str:
    """A fresh code (pass ``random.SystemRandom()`` outside tests)."""
    return "".join(rng.choice(ALPHABET) for _ in range(LENGTH))


def normal(text: str) -> str | None:
    """A typed code in its stored form (any case, spaces and dashes allowed), or None if it cannot be one."""
    code = _SEPARATORS.sub("", text).upper()
    return code if len(code) == LENGTH and all(c in ALPHABET for c in code) else None


def shown(code: str) -> str:
    """A code as people read it: ``ABCD-EFGH``."""
    return f"{code[:4]}-{code[4:]}"


def wait_minutes(failures: list[datetime], now: datetime) -> int:
    """Minutes until another attempt is allowed after ``failures`` (their times); 0 when one is allowed now."""
    recent = sorted(at for at in failures if at > now - FAILURE_WINDOW)
    if len(recent) < FAILURES:
        return 0
    free_at = recent[-FAILURES] + FAILURE_WINDOW
    return max(1, -(-int((free_at - now).total_seconds()) // 60))


def refusal(found: bool, used: bool, expires_at: datetime | None, own: bool, now: datetime) -> Refusal | None:
    """Why an entered code is refused, or None when it may be used. ``own``: the person made it themselves."""
    if not found:
        return "unknown"
    if used:
        return "used"
    if expires_at is not None and expires_at <= now:
        return "expired"
    return "own" if own else None
