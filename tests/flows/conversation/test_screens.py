"""Every mode of the conversation is declared once: one screen each, in one table."""

from __future__ import annotations

from typing import get_args

from flows.content.loader import Content
from flows.conversation.actions import Facts, Identities, SetEditor
from flows.conversation.context import Ctx
from flows.conversation.engine import Engine, Turn
from flows.conversation.screens import SCREENS
from flows.conversation.session import Session
from flows.conversation.state import Mode, State
from flows.messages import Inbound


def test_every_mode_has_a_screen():
    assert set(SCREENS) == set(get_args(Mode))


def test_every_mode_but_the_questions_is_an_overlay():
    assert {mode for mode, screen in SCREENS.items() if not screen.overlay} == {"new", "step", "stage_end"}


SHELL = Identities(
    prefixes=("here:",), commands="Admin commands: name people as here:ID", editor="Write /admin editor add here:ID"
)


def admin(content: Content, text: str, identities: Identities = SHELL) -> Turn:
    engine = Engine(content)
    state = engine.handle(None, Inbound(text="/start")).state
    return engine.handle(state, Inbound(text=text), lang="en", facts=Facts(role="admin", identities=identities))


def test_the_shell_says_which_references_name_a_person(content: Content):
    assert admin(content, "/admin editor add here:42").actions == [SetEditor("here:42", granted=True)]
    refused = admin(content, "/admin editor add telegram:42")
    assert refused.actions == [] and "Write /admin editor add here:ID" in refused.replies[-1].text()
    assert "Admin commands: name people as here:ID" in admin(content, "/admin whatever").replies[-1].text()


def test_without_the_shell_no_one_can_be_named(content: Content):
    turn = admin(content, "/admin editor add telegram:42", Identities())
    assert turn.actions == [] and turn.state.mode == "step"


def test_the_choices_on_screen_are_computed_once_until_the_position_changes(content: Content):
    ctx = Ctx(content, State(version=content.version))
    session = Session(content, ctx, Facts(), SCREENS)
    session.start()
    shown = session.choices()
    assert session.choices() is shown
    session.open_overlay("menu")
    menu = session.choices()
    assert menu is not shown and [c.id for c in menu][-1] == "_close"
    session.close_overlay()
    assert session.choices() == shown


def test_a_stage_goal_is_said_when_the_stage_begins_not_again_after_a_detour(content: Content):
    from tests.conftest import EngineChat
    from tests.flows.conversation.test_engine import onboard

    chat = EngineChat(content)
    goal = content.stage("kickoff").goal.get("de")
    onboard(chat)
    assert chat.text.count(goal) == 1
    for detour in ("/hilfe", "/fortschritt"):
        reply = chat.says(detour)
        assert goal not in reply and "Wer aus der Verwaltungsspitze" in reply
    chat.says("Bürgermeisterin")
    assert goal in chat.says("/zurueck")  # back at the stage's first question, as a new visit to it
