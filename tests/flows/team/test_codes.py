"""Codes: unambiguous, readable however typed, refused for a reason, and rate-limited."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from flows.team import codes

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)


def test_a_new_code_has_eight_unambiguous_characters():
    made = {codes.new_code(random.Random(seed)) for seed in range(200)}
    assert len(made) == 200
    for code in made:
        assert len(code) == 8 and not set(code) & set("0O1IL")
        assert codes.normal(code) == code


def test_a_code_is_read_in_any_case_with_spaces_and_dashes():
    assert codes.normal("abcd-efgh") == "ABCDEFGH"
    assert codes.normal(" ab cd ef gh ") == "ABCDEFGH"
    assert codes.shown("ABCDEFGH") == "ABCD-EFGH"


def test_what_cannot_be_a_code_is_none():
    assert codes.normal("ABCDEFG") is None  # too short
    assert codes.normal("ABCDEFGHJ") is None  # too long
    assert codes.normal("ABCDEFG0") is None  # 0 is not in the alphabet
    assert codes.normal("Musterstadt") is None


def test_why_a_code_is_refused():
    later = NOW + timedelta(hours=1)
    assert codes.refusal(False, False, None, False, NOW) == "unknown"
    assert codes.refusal(True, True, later, False, NOW) == "used"
    assert codes.refusal(True, False, NOW, False, NOW) == "expired"
    assert codes.refusal(True, False, later, True, NOW) == "own"
    assert codes.refusal(True, False, later, False, NOW) is None


def test_five_failures_within_an_hour_make_the_person_wait():
    four = [NOW - timedelta(minutes=m) for m in (50, 40, 30, 20)]
    assert codes.wait_minutes(four, NOW) == 0
    five = [*four, NOW - timedelta(minutes=1)]
    assert codes.wait_minutes(five, NOW) == 10  # the oldest of the five is an hour old in 10 minutes
    old = [NOW - timedelta(hours=2)] * 10
    assert codes.wait_minutes(old, NOW) == 0
