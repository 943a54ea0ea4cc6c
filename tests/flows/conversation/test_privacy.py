"""Linking a messenger and deleting data as the pure engine sees them (the shell: tests/bot/app/test_privacy.py)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from flows.conversation.actions import DeleteWorkspace, Facts, Link, MakeLinkCode
from flows.conversation.engine import Engine, Turn
from flows.conversation.state import State
from flows.messages import Inbound
from flows.team.view import Mate, Team


def team(role: str = "coordinator", shared: bool = True) -> Team:
    members = (Mate(1, "coordinator", "Anna"), Mate(2, "editor", "Bruno"))
    return Team(7, me=1 if role == "coordinator" else 2, role=role, name="Musterstadt", members=members[: 1 + shared])  # type: ignore[arg-type]


@pytest.fixture
def engine(content) -> Engine:
    return Engine(content)


def says(engine: Engine, state: State | None, text: str, facts: Facts, lang: str = "en") -> Turn:
    return engine.handle(state, Inbound(text=text), lang=lang, facts=facts)


def presses(engine: Engine, turn: Turn, choice: str, facts: Facts) -> Turn:
    closing = turn.closing
    assert closing is not None and choice in [c.id for c in closing.choices], closing
    return engine.handle(turn.state, Inbound(choice=choice, turn=closing.turn), facts=facts)


def started(engine: Engine, facts: Facts) -> State:
    return says(engine, None, "/start", facts).state


@pytest.mark.parametrize("command", ["/link", "/lier", "/verknuepfen", "/verknüpfen"])
def test_link_alone_asks_for_a_code_named_in_the_persons_language(engine, command):
    turn = says(engine, started(engine, Facts()), command, Facts(), lang="fr")
    assert turn.actions == [MakeLinkCode("lier")]


def test_link_with_a_code_links_however_it_is_typed(engine):
    turn = says(engine, started(engine, Facts()), "/link abcd efgh", Facts())
    assert turn.actions == [Link("ABCDEFGH")]


def test_a_mistyped_code_is_explained_and_nothing_is_tried(engine):
    turn = says(engine, started(engine, Facts()), "/link Musterstadt", Facts())
    assert turn.actions == []
    assert "That is not a code" in "\n".join(r.text() for r in turn.replies)


def test_a_member_deletes_only_their_personal_data_and_hears_that_the_answers_stay(engine):
    facts = Facts(team=team("editor"))
    turn = says(engine, started(engine, facts), "/delete", facts)
    assert turn.closing is not None and "stays for your team, without your name" in turn.closing.text()
    assert [c.id for c in turn.closing.choices] == ["_yes", "_no"]


def test_alone_in_a_workspace_deleting_everything_is_one_choice(engine):
    facts = Facts(team=team(shared=False))
    turn = says(engine, started(engine, facts), "/delete", facts)
    assert turn.closing is not None and [c.id for c in turn.closing.choices] == ["_yes", "_no"]


def test_the_coordinator_deletes_the_workspace_only_when_it_is_named(engine):
    facts = Facts(team=team())
    turn = says(engine, started(engine, facts), "/delete", facts)
    turn = presses(engine, turn, "_workspace", facts)
    assert turn.closing is not None and "type the name: Musterstadt" in turn.closing.text()
    kept = says(engine, turn.state, "Musterdorf", facts)
    assert kept.actions == [] and "Nothing was deleted" in kept.closing.text()  # type: ignore[union-attr]
    gone = presses(engine, turn, "_delete", facts)
    assert gone.actions == [DeleteWorkspace(7)] and gone.state.mode == "new"


def test_after_the_workspace_was_deleted_the_member_hears_it_and_starts_afresh(engine):
    facts = Facts(deleted="Musterstadt", now=datetime(2026, 12, 7, tzinfo=UTC))
    turn = says(engine, None, "hello", facts)
    assert "The coordinator deleted the workspace Musterstadt" in "\n".join(r.text() for r in turn.replies)
