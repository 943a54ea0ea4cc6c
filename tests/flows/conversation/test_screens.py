"""Every mode of the conversation is declared once: one screen each, in one table."""

from __future__ import annotations

from typing import get_args

from flows.conversation.screens import SCREENS
from flows.conversation.state import Mode


def test_every_mode_has_a_screen():
    assert set(SCREENS) == set(get_args(Mode))


def test_every_mode_but_the_questions_is_an_overlay():
    assert {mode for mode, screen in SCREENS.items() if not screen.overlay} == {"new", "step", "stage_end"}
