from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from flows.content.content import Content
from flows.practice.model import Report
from flows.practice.schedule import idle_nudge, planned, review_day, too_late, unfinished
from flows.team.view import Mate

BERLIN = "Europe/Berlin"
ANNA, BEN, CLARA = 11, 12, 13
TEAM = (Mate(ANNA, "coordinator", "Anna"), Mate(BEN, "owner", "Ben"), Mate(CLARA, "editor", "Clara"))


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def measure(uid: str, title: str, owner: object = None, end: str | None = None) -> dict:
    return {"uid": uid, "measure": title, "owner": owner, "end": end}


def report(uid: str, status: str) -> Report:
    return Report(uid, status, None, utc(2027, 5, 1, 10), BEN, "Ben")  # type: ignore[arg-type]


def kinds(dues: list) -> list[tuple[str, str, int, datetime]]:
    return sorted((d.kind, d.subject, d.user_id, d.due_at) for d in dues)


def test_the_monitoring_date_reminds_each_owner_member_of_their_measure() -> None:
    answers = {
        "wp_monitoring": "2027-06-15",
        "wp_measures": [measure("r1", "Dorfladen", {"member": BEN, "name": "Ben"})],
    }
    assert kinds(planned(answers, TEAM, [], BERLIN)) == [("monitoring", "r1", BEN, utc(2027, 6, 15, 7, 0))]


def test_an_outside_owner_is_followed_up_by_the_coordinators() -> None:
    answers = {
        "wp_monitoring": "2027-06",
        "wp_measures": [
            measure("r1", "Mitfahrbank", {"name": "Bauamt"}),
            measure("r2", "Dorfladen", {"member": 99, "name": "Gone"}),  # no longer in the workspace
            measure("r3", "Treff", "Frau Maier"),  # an older plain name
        ],
    }
    dues = kinds(planned(answers, TEAM, [], BERLIN))
    assert dues == [("monitoring", uid, ANNA, utc(2027, 6, 1, 7, 0)) for uid in ("r1", "r2", "r3")]


def test_a_measure_reported_done_or_stopped_is_not_followed_up() -> None:
    answers = {
        "wp_monitoring": "2027-06-15",
        "wp_measures": [
            measure("r1", "Dorfladen", {"member": BEN, "name": "Ben"}, end="2028-12"),
            measure("r2", "Mitfahrbank", {"member": BEN, "name": "Ben"}, end="2028-12"),
            measure("r3", "Treff", {"member": BEN, "name": "Ben"}, end="2028-12"),
        ],
    }
    reports = [report("r1", "done"), report("r2", "stopped"), report("r3", "stopped"), report("r3", "running")]
    assert {d.subject for d in planned(answers, TEAM, reports, BERLIN)} == {"r3"}


def test_the_end_reminder_comes_a_week_before_the_end_of_the_month_or_year() -> None:
    answers = {
        "wp_measures": [
            measure("r1", "Dorfladen", {"member": BEN, "name": "Ben"}, end="2028-12"),
            measure("r2", "Treff", {"member": BEN, "name": "Ben"}, end="2028"),
            measure("r3", "Bus", {"member": BEN, "name": "Ben"}, end="2028-03-31"),
        ],
    }
    assert kinds(planned(answers, TEAM, [], BERLIN)) == [
        ("ending", "r1", BEN, utc(2028, 12, 24, 8, 0)),
        ("ending", "r2", BEN, utc(2028, 12, 24, 8, 0)),
        ("ending", "r3", BEN, utc(2028, 3, 24, 8, 0)),
    ]


def test_the_review_defaults_to_half_way_from_the_kick_off_to_the_last_end() -> None:
    answers = {
        "ko_date": "2027-01-01",
        "wp_measures": [measure("r1", "Dorfladen", end="2028-12-31"), measure("r2", "Treff", end="2027-06")],
    }
    assert str(review_day(answers)) == "2028-01-01"  # 730 days, half of them after the Kick-Off
    reviews = [d for d in planned(answers, TEAM, [], BERLIN) if d.kind == "review"]
    assert kinds(reviews) == [("review", "", ANNA, utc(2028, 1, 1, 8, 0))]


def test_an_answered_review_date_wins_and_without_dates_there_is_none() -> None:
    answers = {"ko_date": "2027-01-01", "zb_date": "2027-09", "wp_measures": [measure("r1", "D", end="2028")]}
    assert str(review_day(answers)) == "2027-09-01"
    assert review_day({"ko_date": "2027-01-01"}) is None
    assert review_day({"wp_measures": [measure("r1", "D", end="2028")]}) is None


def test_commitments_are_asked_after_six_calendar_months() -> None:
    answers = {
        "zw_date": "2027-08-31",
        "zw_commitments": [
            {"uid": "r1", "who": {"member": CLARA, "name": "Clara"}, "what": "Seniorentreff organisieren"},
            {"uid": "r2", "who": {"name": "Sportverein"}, "what": "Hallenzeiten"},
        ],
    }
    assert kinds(planned(answers, TEAM, [], BERLIN)) == [
        ("commitment", "r1", CLARA, utc(2028, 2, 29, 8, 0)),
        ("commitment", "r2", ANNA, utc(2028, 2, 29, 8, 0)),
    ]
    assert planned({**answers, "zw_date": None}, TEAM, [], BERLIN) == []


def test_a_changed_date_makes_a_new_reminder() -> None:
    answers = {"wp_monitoring": "2027-06-15", "wp_measures": [measure("r1", "D", {"member": BEN, "name": "Ben"})]}
    before = planned(answers, TEAM, [], BERLIN)[0]
    after = planned({**answers, "wp_monitoring": "2027-07-01"}, TEAM, [], BERLIN)[0]
    assert before.key != after.key
    assert before.key == planned(answers, TEAM, [], BERLIN)[0].key


def test_the_idle_nudge_comes_thirty_days_after_the_last_activity() -> None:
    due = idle_nudge("kommunalprofil", CLARA, utc(2027, 3, 1, 12))
    assert (due.kind, due.subject, due.user_id, due.due_at) == ("idle", "kommunalprofil", CLARA, utc(2027, 3, 31, 12))


def test_a_reminder_more_than_a_week_late_is_skipped() -> None:
    due = idle_nudge("kommunalprofil", CLARA, utc(2027, 3, 1, 12))
    assert not too_late(due, due.due_at + timedelta(days=7))
    assert too_late(due, due.due_at + timedelta(days=7, seconds=1))


def test_a_stage_is_unfinished_while_a_question_waits(content: Content) -> None:
    stage = content.stage("kickoff")
    asked = [s.id for s in stage.steps if s.kind != "info"]
    assert unfinished(content, {}, "kickoff")
    assert unfinished(content, {s: "x" for s in asked[1:]}, "kickoff")
    assert not unfinished(content, {s: None for s in asked}, "kickoff")  # skipped counts as answered


dates = st.one_of(
    st.none(),
    st.text(max_size=12),
    st.dates().map(lambda d: d.isoformat()),
    st.dates().map(lambda d: d.isoformat()[:7]),
    st.integers(-5, 10001).map(str),
)


@given(monitoring=dates, end=dates, kick_off=dates, workshop=dates)
def test_any_stored_dates_give_reminders_or_none_but_never_an_error(
    monitoring: str | None, end: str | None, kick_off: str | None, workshop: str | None
) -> None:
    answers = {
        "wp_monitoring": monitoring,
        "ko_date": kick_off,
        "zw_date": workshop,
        "wp_measures": [measure("r1", "D", {"member": BEN, "name": "Ben"}, end=end)],
        "zw_commitments": [{"uid": "r1", "who": "Ben", "what": "x"}],
    }
    for zone in (BERLIN, "America/Cayenne", "Indian/Reunion"):
        for due in planned(answers, TEAM, [], zone):
            assert due.due_at.tzinfo is not None
