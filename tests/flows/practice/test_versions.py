"""Versions of the Werkstattplan: the version now, what changed since a recorded one, what recording does."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flows.practice.model import Version
from flows.practice.versions import Change, changes, current, marked, recording

FIELDS = ("field", "measure", "owner", "start", "end", "budget", "indicators")
AT = datetime(2027, 3, 12, 9, 0, tzinfo=UTC)


def plan(*measures: dict[str, Any], **others: Any) -> dict[str, Any]:
    return {"wp_measures": list(measures), **others}


DORFLADEN = {"uid": "r1", "measure": "Dorfladen", "owner": {"name": "Verein"}, "end": "2028-12", "ideas": ["z2"]}
BUS = {"uid": "r2", "measure": "Bürgerbus", "owner": "Ordnungsamt", "end": None}


def test_a_changed_field_names_the_measure_and_its_old_and_new_value():
    later = {**DORFLADEN, "end": "2029-06"}
    assert changes(plan(DORFLADEN, BUS), plan(later, BUS), FIELDS) == [
        Change("changed", "r1", "Dorfladen", "end", "2028-12", "2029-06")
    ]


def test_measures_added_and_removed_and_other_answers_are_changes_in_the_new_plan_s_order():
    old = plan(DORFLADEN, BUS, wp_adoption="planned", wp_quick_wins=["Fest"])
    new = plan({**DORFLADEN, "measure": "Dorfladen eG"}, {"uid": "r3", "measure": "Mitfahrbank"}, wp_adoption="council")
    assert changes(old, new, FIELDS) == [
        Change("changed", "r1", "Dorfladen eG", "measure", "Dorfladen", "Dorfladen eG"),
        Change("added", "r3", "Mitfahrbank"),
        Change("removed", "r2", "Bürgerbus"),
        Change("answer", field="wp_adoption", old="planned", new="council"),
        Change("answer", field="wp_quick_wins", old=["Fest"], new=None),
    ]


def test_bookkeeping_and_fields_empty_on_both_sides_are_no_change():
    new = plan({**DORFLADEN, "ideas": ["z2", "z3"], "budget": ""}, {**BUS, "end": ""})
    assert changes(plan(DORFLADEN, BUS), new, FIELDS) == []


def test_the_version_now_is_the_last_recorded_one_until_the_plan_changes():
    first = Version(1, plan(DORFLADEN), None, AT)
    assert current([], plan(DORFLADEN), FIELDS) == (1, True)  # nothing recorded: version 1 is a draft
    assert current([first], plan(DORFLADEN), FIELDS) == (1, False)
    assert current([first], plan(DORFLADEN, BUS), FIELDS) == (2, True)
    agreed = Version(2, plan(DORFLADEN, BUS), "2027-05-02", AT)
    assert current([first, agreed], plan(DORFLADEN, BUS), FIELDS) == (2, False)


def test_recording_makes_the_first_version_agrees_a_draft_one_and_makes_the_next_when_an_agreed_plan_changed():
    first = Version(1, plan(DORFLADEN), None, AT)
    assert recording([], plan(DORFLADEN), None, FIELDS) == "new"
    assert recording([], plan(DORFLADEN), "2027-03-12", FIELDS) == "new"
    assert recording([first], plan(DORFLADEN), None, FIELDS) == "none"  # completed again: still version 1
    assert recording([first], plan(DORFLADEN, BUS), None, FIELDS) == "none"
    assert recording([first], plan(DORFLADEN), "2027-03-12", FIELDS) == "agree"  # the plan, now agreed
    assert recording([first], plan(DORFLADEN, BUS), "2027-03-12", FIELDS) == "agree"  # as it is at the approval
    agreed = Version(1, plan(DORFLADEN), "2027-03-12", AT)
    assert recording([agreed], plan(DORFLADEN), "2027-04-01", FIELDS) == "none"  # agreed again: nothing new
    assert recording([agreed], plan(DORFLADEN, BUS), "2027-04-01", FIELDS) == "new"
    assert recording([agreed], plan(DORFLADEN, BUS), None, FIELDS) == "none"


def test_marks_name_each_measure_s_changed_fields_and_its_newness():
    found = [
        Change("changed", "r1", "Dorfladen", "end", "2028-12", "2029-06"),
        Change("changed", "r1", "Dorfladen", "owner", None, {"name": "Anna"}),
        Change("added", "r3", "Mitfahrbank"),
        Change("removed", "r2", "Bürgerbus"),
        Change("answer", field="wp_adoption"),
    ]
    assert marked(found) == {"r1": frozenset({"end", "owner"}), "r3": frozenset({"*"})}
