"""What changed in a stage since the steering group agreed it: compared with the answers kept then."""

from __future__ import annotations

from flows.content.content import Content
from flows.team.approval import APPROVABLE, changed_since, snapshot

AGREED = {
    "kp_sources": "landesamt",
    "kp_strengths": ["Lage am Fluss"],
    "kp_weaknesses": ["Leerstand"],
    "kp_interviews": None,
}


def test_the_snapshot_keeps_only_the_stages_answers(content: Content):
    stage = content.stage("kommunalprofil")
    kept = snapshot(stage, {**AGREED, "ko_sponsor": "Bürgermeisterin"})
    assert kept == AGREED


def test_nothing_changed_means_no_changes(content: Content):
    assert changed_since(content.stage("kommunalprofil"), AGREED, dict(AGREED)) == []


def test_changed_added_and_removed_answers_count_in_the_stages_order(content: Content):
    stage = content.stage("kommunalprofil")
    now = {**AGREED, "kp_strengths": ["Lage am Fluss", "Vereinsleben"], "kp_threats": ["Abwanderung"]}
    del now["kp_sources"]
    assert changed_since(stage, AGREED, now) == ["kp_sources", "kp_strengths", "kp_threats"]


def test_a_skipped_answer_differs_from_one_never_given(content: Content):
    stage = content.stage("kommunalprofil")
    now = dict(AGREED)
    del now["kp_interviews"]
    assert changed_since(stage, AGREED, now) == ["kp_interviews"]


def test_answers_of_other_stages_do_not_count(content: Content):
    stage = content.stage("kommunalprofil")
    assert changed_since(stage, AGREED, {**AGREED, "ko_sponsor": "Landrat"}) == []


def test_the_swot_and_the_workshop_plan_can_be_approved(content: Content):
    assert [content.stage(s).number for s in APPROVABLE] == [2, 4]
