"""Deleting a workspace: only its coordinator, confirmed by its name."""

from __future__ import annotations

from flows.team.deletion import confirms, may_delete_workspace


def test_only_a_coordinator_deletes_a_workspace():
    assert may_delete_workspace("coordinator")
    assert not any(may_delete_workspace(r) for r in ("editor", "viewer", "owner", None))


def test_the_name_confirms_however_it_is_typed():
    assert confirms("  musterstadt ", "Musterstadt")
    assert confirms("MUSTERSTADT!", "Musterstadt")
    assert not confirms("Musterdorf", "Musterstadt")
    assert not confirms("", "")
