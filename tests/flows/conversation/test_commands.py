"""Commands as a user meets them; here /start: one greeting for a new user, a welcome back for a returning one."""

from __future__ import annotations

import pytest

from flows.content.content import Content
from flows.conversation.engine import Engine
from flows.messages import Inbound
from tests.conftest import EngineChat

GREETING = "Ich bin der DAKS-Begleiter"
WELCOME_BACK = "Willkommen zurück"


def first_message(content: Content, inbound: Inbound, lang: str = "de") -> str:
    """What a person who never wrote before gets for ``inbound``."""
    turn = Engine(content).handle(None, inbound, lang=lang)
    return "\n\n".join(r.text() for r in turn.replies)


@pytest.mark.parametrize(
    "inbound",
    [
        Inbound(text="/start"),  # Telegram's Start button; Matrix sends it on joining a room
        Inbound(text="/start flyer-2027"),  # a Telegram deep link with a payload
        Inbound(text="/START"),
        Inbound(command="start"),
        Inbound(event="resume"),  # the terminal chat
    ],
)
def test_a_new_user_is_greeted_once_and_asked_the_first_question(content: Content, inbound: Inbound):
    reply = first_message(content, inbound)
    assert reply.count(GREETING) == 1
    assert WELCOME_BACK not in reply and "Hier hatten wir aufgehört" not in reply
    assert reply.rstrip().endswith("Für welche Kommune arbeiten Sie? Bitte nennen Sie den Namen oder die Postleitzahl.")


def test_start_in_french_greets_once_in_french(content: Content):
    reply = first_message(content, Inbound(text="/demarrer"), lang="fr")
    assert reply.count("Je suis le Compagnon DAKS") == 1
    assert "Bon retour" not in reply and "Pour quelle collectivité travaillez-vous" in reply


def test_a_returning_user_is_welcomed_back_where_they_stopped_not_greeted_again(chat: EngineChat):
    chat.says("Musterstadt")
    reply = chat.says("/start")
    assert WELCOME_BACK in reply and GREETING not in reply
    assert reply.index(WELCOME_BACK) < reply.index("Was für eine Kommune ist Musterstadt?")
    assert chat.answers["ob_name"] == "Musterstadt"
    reply = chat.says("/start flyer-2027")
    assert WELCOME_BACK in reply and GREETING not in reply


@pytest.mark.parametrize("number", ["¹", "٣", "²3"])
def test_an_event_number_in_other_digits_is_asked_for_again_not_a_crash(chat: EngineChat, number: str):
    """Superscripts and Arabic-Indic digits count as digits for ``str.isdigit`` but ``int`` cannot read all of them."""
    chat.says("/start")
    reply = chat.says(f"/zusage {number}")
    assert "Welche Veranstaltung?" in reply
    assert chat.changes == []


def test_a_join_with_a_code_that_cannot_be_one_loses_nothing(chat: EngineChat):
    """Found by the property test: a refused join after the greeting dropped what the greeting had marked read."""
    chat.says("/start")
    before = dict(chat.answers)
    assert before  # the welcome is marked read
    chat.says("/join@DaksBot <b>x</b>")
    assert chat.answers == before and chat.changes == []
