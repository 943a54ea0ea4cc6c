"""A turn is complete when it leaves the engine: classified answer changes, typed effects, a slot for results."""

from __future__ import annotations

from datetime import UTC, datetime

from flows.content.loader import Content
from flows.conversation.actions import Effect, PublishEvent, ShowEvents, allowed, logged_view, role_of
from flows.conversation.engine import Engine, Stored
from flows.messages import Inbound, Outbound, Paragraph
from flows.news.broadcasting import admin_time, on_publish
from flows.news.events import EventSpec
from tests.conftest import EngineChat
from tests.flows.conversation.test_engine import onboard


def test_each_changed_answer_is_classified_once_answer_skip_or_remove(chat: EngineChat) -> None:
    chat.says("Musterstadt")
    assert [(c.step_id, c.old, c.new, c.kind) for c in chat.changes] == [("ob_name", None, "Musterstadt", "answer")]
    onboard_rest = [
        "2",
        "Sachsen",
        "3",
        "2, 5 und 9",
        "Bürgermeisterin",
        "Hauptamt",
        "Sozialamt",
        "fertig",
        "Seniorenbeirat",
        "fertig",
    ]
    for line in onboard_rest:
        chat.says(line)
    chat.says("/skip")
    assert [(c.step_id, c.new, c.kind) for c in chat.changes] == [("ko_existing", None, "skip")]
    chat.says("/loeschen")
    chat.presses("Ja")
    assert chat.changes and {c.kind for c in chat.changes} == {"remove"}
    assert all(c.new is None for c in chat.changes)


def test_effects_are_typed_and_read_as_their_names(chat: EngineChat) -> None:
    onboard(chat)
    chat.says("/meinedaten")
    assert chat.effects == [Effect.SHOW_MY_DATA] == ["show_data"]


def test_results_go_between_the_messages_on_the_way_and_the_question(content: Content) -> None:
    engine = Engine(content)
    turn = engine.handle(Stored(None, {}, "de"), Inbound(event="start"))
    result = Outbound([Paragraph("result")])
    turn.results.append(result)
    assert turn.replies[-1] is turn.closing and turn.replies[-2] is result
    assert turn.closing is not None and turn.closing.kind == "question"


def test_a_stored_conversation_is_read_without_changing_its_dicts(content: Content) -> None:
    engine = Engine(content)
    first = engine.handle(None, Inbound(event="start"), lang="de")
    position, answers = first.state.position(), {"ob_name": "Musterstadt"}
    turn = engine.handle(Stored(position, answers, "de"), Inbound(text="2"))
    assert answers == {"ob_name": "Musterstadt"} and turn.state.answers is not answers


def test_roles_gates_and_views_are_rules_of_flows() -> None:
    assert role_of(True, None) == "admin" and role_of(False, "editor") == "editor" and role_of(False, None) is None
    assert not allowed(PublishEvent({}), None) and allowed(PublishEvent({}), "editor") and allowed(ShowEvents(), None)
    assert logged_view(ShowEvents(), "admin") == "view_events" and logged_view(ShowEvents(), None) is None


def test_publishing_queues_the_announcement_now_and_the_reminder_the_day_before() -> None:
    now = datetime(2030, 12, 1, 8, tzinfo=UTC)
    event = EventSpec.model_validate(
        {
            "kind": "conference",
            "place": "Halle",
            "title": {"de": "W"},
            "topics": ["labour"],
            "starts": datetime(2030, 12, 24, 9, tzinfo=UTC),
        }
    )
    announcement, reminder = on_publish(event, now)
    assert (announcement.kind, announcement.due) == ("event", now)
    assert announcement.target is not None and announcement.target.topics == ("labour", "conference")
    assert reminder.kind == "reminder" and reminder.due.day == 23 and reminder.target is None
    assert admin_time(datetime(2030, 12, 24, 8)) == "2030-12-24 09:00 CET"
