"""A Matrix user without a known display name is called by the local part of their ID."""

from __future__ import annotations

from bot.matrix.inbound import localpart


def test_the_localpart_of_a_matrix_id():
    assert localpart("@anna.muster:example.org") == "anna.muster"
    assert localpart("@bob:matrix.org:8448") == "bob"
