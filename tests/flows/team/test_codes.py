"""Invitation codes: unambiguous, typed loosely, single use within a week, and not to be guessed."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from flows.team import codes

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)


def test_a_code_has_eight_characters_none_of_them_look_alikes():
    made = {codes.new_code(random.Random(seed)) for seed in range(200)}
    assert len(made) == 200
    for code in made:
        assert len(code) == 8 and not set(code) & set("0O1IL")
        assert codes.normal(code) == code


def test_a_code_may_be_typed_in_lower_case_with_spaces_and_dashes():
    assert codes.normal("k7m2-qx4p") == "K7M2QX4P"
    assert codes.normal(" K7M2 QX4P ") == "K7M2QX4P"


def test_what_cannot_be_a_code_is_none():
    assert codes.normal("K7M2QX4") is None  # seven
    assert codes.normal("K7M2QX4P9") is None  # nine
    assert codes.normal("K7M2QX0P") is None  # a zero
    assert codes.normal("") is None


def test_the_verdict_on_a_code():
    later = NOW + timedelta(days=1)
    assert codes.verdict(False, False, None, NOW) == "unknown"
    assert codes.verdict(True, True, later, NOW) == "used"
    assert codes.verdict(True, False, NOW - timedelta(seconds=1), NOW) == "expired"
    assert codes.verdict(True, False, later, NOW) == "ok"


def test_five_wrong_codes_in_an_hour_make_a_person_wait():
    failures = [NOW - timedelta(minutes=m) for m in (50, 40, 30, 20)]
    assert codes.wait_minutes(failures, NOW) is None
    failures.append(NOW - timedelta(minutes=1))
    assert codes.wait_minutes(failures, NOW) == 10  # the oldest of the five leaves the hour in 10 minutes
    assert codes.wait_minutes(failures, NOW + timedelta(minutes=10)) is None


def test_old_failures_do_not_count():
    failures = [NOW - timedelta(hours=2, minutes=m) for m in range(10)]
    assert codes.wait_minutes(failures, NOW) is None


def test_a_code_is_shown_in_two_halves():
    assert codes.shown("ABCDEFGH") == "ABCD-EFGH"
    assert codes.normal(codes.shown("ABCDEFGH")) == "ABCDEFGH"


def test_why_a_code_is_refused():
    later = NOW + timedelta(hours=1)
    assert codes.refusal(False, False, None, False, NOW) == "unknown"
    assert codes.refusal(True, True, later, False, NOW) == "used"
    assert codes.refusal(True, False, NOW, False, NOW) == "expired"
    assert codes.refusal(True, False, later, True, NOW) == "own"
    assert codes.refusal(True, False, later, False, NOW) is None
