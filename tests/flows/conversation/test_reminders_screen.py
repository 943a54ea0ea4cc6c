"""/erinnerungen as people meet it in the pure engine: what is coming, in the municipality's time, and pausing,
stopping or resuming reminders by button or by a word in any language."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from flows.content.content import Content
from flows.conversation.actions import SetReminders
from flows.practice.model import Due, Reminders
from tests.flows.conversation.test_followup_screen import ANNA, ASKED, NOW, FollowChat


@pytest.fixture
def anna(content: Content) -> FollowChat:
    return FollowChat(content)


def test_the_reminders_screen_shows_what_is_coming_in_local_time_and_pauses_for_four_weeks(anna: FollowChat):
    anna.practice.plan(
        Due("monitoring", "r1", ANNA, datetime(2027, 3, 1, 23, 30, tzinfo=UTC)),  # 2 March, 00:30 in Berlin
        Due("ending", "r3", ANNA, datetime(2027, 6, 23, 7, tzinfo=UTC)),
        Due("review", "", ANNA, datetime(2027, 9, 1, 7, tzinfo=UTC)),
        Due("monitoring", "r8", ANNA, datetime(2027, 9, 2, 7, tzinfo=UTC)),  # a deleted measure's
    )
    reply = anna.says("/erinnerungen")
    assert "Erinnerungen\n\nIhre Erinnerungen sind eingeschaltet. Zwischen 20 und 8 Uhr schicke ich keine." in reply
    assert (
        "Als Nächstes:\n\n• 02.03.2027: Stand von „Dorfladen“\n• 23.06.2027: „Dorffest“ endet bald\n"
        "• 01.09.2027: die Zwischenbilanz\n4 Wochen pausieren\nAlle abbestellen\nZurück zur Frage"
    ) in reply
    reply = anna.presses("4 Wochen pausieren")
    assert anna.actions == [SetReminders("paused", NOW + timedelta(weeks=4))]
    assert reply.startswith("Bis 04.01.2027 keine Erinnerungen. Mit /erinnerungen an schalten Sie sie früher")
    assert ASKED in reply
    reply = anna.says("/erinnerungen")
    assert "Ihre Erinnerungen sind bis 04.01.2027 pausiert." in reply
    assert "Wieder einschalten\nAlle abbestellen\nZurück" in reply
    reply = anna.presses("Wieder einschalten")
    assert anna.actions == [SetReminders("on")]
    assert reply.startswith("Erinnerungen sind eingeschaltet. Die nächste: 02.03.2027: Stand von „Dorfladen“.")


def test_stopped_reminders_can_be_turned_back_on(anna: FollowChat):
    anna.says("/erinnerungen")
    reply = anna.presses("Alle abbestellen")
    assert anna.actions == [SetReminders("off")]
    assert reply.startswith("Erinnerungen sind abbestellt. Mit /erinnerungen an schalten Sie sie wieder ein.")
    reply = anna.says("/erinnerungen")
    assert "Ihre Erinnerungen sind abbestellt." in reply and "Für Sie ist gerade keine Erinnerung geplant." in reply
    assert "Wieder einschalten\nZurück zur Frage" in reply


def test_a_pause_that_has_ended_shows_as_on(anna: FollowChat):
    anna.practice.setting = Reminders("paused", NOW - timedelta(days=1))
    assert "Ihre Erinnerungen sind eingeschaltet." in anna.says("/erinnerungen")


@pytest.mark.parametrize(
    ("lang", "typed", "setting", "said"),
    [
        ("de", "/erinnerungen aus", "off", "Erinnerungen sind abbestellt."),
        ("de", "/erinnerungen an", "on", "Erinnerungen sind eingeschaltet."),
        ("de", "/Erinnerungen Pause", "paused", "Bis 04.01.2027 keine Erinnerungen."),
        ("fr", "/rappels non", "off", "Les rappels sont désactivés. /rappels oui les réactive."),
        (
            "fr",
            "/rappels pause",
            "paused",
            "Plus de rappels jusqu’au 4 janv. 2027. /rappels oui les réactive plus tôt.",
        ),
        ("fr", "/rappels activer", "on", "Les rappels sont activés."),
        ("en", "/reminders stop", "off", "Reminders are off. /reminders on turns them on again."),
        ("en", "/reminders pause", "paused", "No reminders until Jan 4, 2027."),
        ("en", "/reminders on", "on", "Reminders are on."),
    ],
)
def test_reminders_are_set_by_a_word_after_the_command_in_any_language(
    content: Content, lang: str, typed: str, setting: str, said: str
):
    anna = FollowChat(content, lang=lang)
    reply = anna.says(typed)
    until = NOW + timedelta(weeks=4) if setting == "paused" else None
    assert anna.actions == [SetReminders(setting, until)]  # type: ignore[arg-type]
    assert reply.startswith(said)


def test_an_unknown_word_after_the_reminders_command_says_which_ones_and_shows_the_screen(anna: FollowChat):
    reply = anna.says("/erinnerungen vielleicht")
    assert "Bitte schreiben Sie /erinnerungen an, /erinnerungen aus oder /erinnerungen pause." in reply
    assert "Ihre Erinnerungen sind eingeschaltet." in reply and anna.actions == []


def test_reminders_work_without_a_workspace_or_anything_stored(content: Content):
    alone = FollowChat(content, plan=[])
    alone.team = None
    reply = alone.says("/erinnerungen")
    assert "Für Sie ist gerade keine Erinnerung geplant." in reply
    alone.presses("Alle abbestellen")
    assert alone.actions == [SetReminders("off")]
