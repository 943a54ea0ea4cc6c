"""Markdown escaping keeps user text literal; export file names are plain ASCII."""

from __future__ import annotations

import pytest

from flows.conversation.export import md


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("# Überschrift", "\\# Überschrift"),
        ("[Link](http://x)", "\\[Link\\](http://x)"),
        ("<script>alert(1)</script>", "\\<script\\>alert(1)\\</script\\>"),
        ("**fett** und _kursiv_", "\\*\\*fett\\*\\* und \\_kursiv\\_"),
        ("- kein Punkt\n1. keine Zahl", "\\- kein Punkt  \n1\\. keine Zahl"),
        ("a | b", "a \\| b"),
        ("ganz normal", "ganz normal"),
    ],
)
def test_md_escapes_markdown_and_html(text: str, expected: str):
    assert md(text) == expected


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Köln", "koeln"),
        ("Großräschen", "grossraeschen"),
        ("ÜBERLINGEN", "ueberlingen"),
        ("Orléans", "orleans"),
        ("L'Haÿ-les-Roses", "l-hay-les-roses"),
        ("Bad Münstereifel", "bad-muenstereifel"),
        ("../../etc/passwd", "etc-passwd"),
        (None, "export"),  # no municipality yet: a neutral word, never another user's name
        ("🏘️", "export"),
    ],
)
def test_export_file_names_are_transliterated(name: str | None, slug: str, content):
    from datetime import date

    from flows.conversation.context import Ctx
    from flows.conversation.export import file_name
    from flows.conversation.state import State

    answers = {} if name is None else {content.profile_steps["name"]: name}
    ctx = Ctx(content, State(version=content.version, answers=answers))
    assert file_name(ctx, date(2026, 5, 4)) == f"daks-{slug}-2026-05-04.md"


def test_each_answer_of_the_export_is_a_paragraph_of_its_own(content):
    """A Markdown reader shows one answer per paragraph (a single line break would join them into one)."""
    from datetime import date

    from markdown_it import MarkdownIt

    from flows.conversation.context import Ctx
    from flows.conversation.export import export_markdown
    from flows.conversation.state import State

    answers = {"kp_sources": "landesamt", "kp_reference_date": "2025-12-31", "kp_inventory": ["Kita"]}
    ctx = Ctx(content, State(version=content.version, answers=answers))
    tokens = MarkdownIt("commonmark").parse(export_markdown(ctx, date(2026, 5, 4)).data.decode())
    paragraphs = [t.content for t in tokens if t.type == "inline" and t.content.startswith("**")]
    assert paragraphs[:3] == [
        "**Datenquelle**: Statistisches Landesamt",
        "**Stichtag der Daten**: 31\\. Dezember 2025",
        "**Bestandsaufnahme**",
    ]
