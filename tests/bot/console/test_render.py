"""The terminal's rendering of messages."""

from __future__ import annotations

import sys
from pathlib import Path

from bot.console.render import BOLD, ConsoleRenderer
from flows.messages import Bullets, Choice, Heading, Outbound, Paragraph


def test_the_terminal_never_shows_control_characters_from_any_text(tmp_path: Path):
    hostile = "x\x1b]0;pwned\x07\u202e\x1b[2J\x00\ud800"
    message = Outbound([Heading(hostile), Paragraph(hostile), Bullets((hostile,))], [Choice("a", f"→ {hostile}")])
    for interactive in (False, True):
        out = ConsoleRenderer(sys.stdout, tmp_path, interactive=interactive).render(message)
        shown = out.replace(BOLD, "").replace("\033[0m", "")
        assert "\x1b" not in shown and "\u202e" not in shown and "\x00" not in shown and "\x07" not in shown
        assert shown.count("x]0;pwned[2J\ufffd") == 4
        out.encode("utf-8")


def test_the_terminal_numbers_the_full_labels_and_says_how_to_type_several(tmp_path: Path):
    checklist = Outbound(
        [Paragraph("Was davon ist erledigt?")],
        [
            Choice("held", "Die Veranstaltung hat stattgefunden.", False, "Veranstaltung gehalten"),
            Choice("_done", "Fertig"),
        ],
        turn=3,
        typing_hint="Tippen Sie die Nummern, zum Beispiel „1, 2, 4“, oder „alle“.",
    )
    out = ConsoleRenderer(sys.stdout, tmp_path, interactive=False).render(checklist)
    assert out.endswith(
        "1) [ ] Die Veranstaltung hat stattgefunden.\n2) Fertig\n\n"
        "Tippen Sie die Nummern, zum Beispiel „1, 2, 4“, oder „alle“."
    )
