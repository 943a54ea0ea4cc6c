"""Who may manage a team, and that a workspace keeps a coordinator."""

from __future__ import annotations

from flows.team import rules
from flows.team.view import Mate, Team


def team(me: int, *roles: str) -> Team:
    members = tuple(Mate(i + 1, role) for i, role in enumerate(roles))  # type: ignore[arg-type]
    return Team(1, me, members[me - 1].role, members=members)


def test_only_coordinators_manage_the_team():
    assert rules.may_manage(team(1, "coordinator", "editor"))
    assert not rules.may_manage(team(2, "coordinator", "editor"))
    assert not rules.may_manage(team(2, "coordinator", "viewer"))
    assert rules.may_manage(None)  # no team yet: their first answer makes them its coordinator
    assert [m.user_id for m in rules.coordinators(team(3, "coordinator", "editor", "coordinator"))] == [1, 3]


def test_the_last_coordinator_can_be_neither_demoted_nor_removed():
    roles = ["coordinator", "editor"]
    assert rules.leaves_no_coordinator(roles, "coordinator", "editor")
    assert rules.leaves_no_coordinator(roles, "coordinator", None)
    assert not rules.leaves_no_coordinator(roles, "editor", None)
    assert not rules.leaves_no_coordinator(roles, "coordinator", "coordinator")
    assert not rules.leaves_no_coordinator(["coordinator", "coordinator"], "coordinator", "viewer")
