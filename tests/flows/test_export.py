"""Markdown escaping keeps user text literal."""

from __future__ import annotations

import pytest

from flows.export import md


@pytest.mark.parametrize(("text", "expected"), [
    ("# Überschrift", "\\# Überschrift"),
    ("[Link](http://x)", "\\[Link\\](http://x)"),
    ("<script>alert(1)</script>", "\\<script\\>alert(1)\\</script\\>"),
    ("**fett** und _kursiv_", "\\*\\*fett\\*\\* und \\_kursiv\\_"),
    ("- kein Punkt\n1. keine Zahl", "\\- kein Punkt  \n1\\. keine Zahl"),
    ("a | b", "a \\| b"),
    ("ganz normal", "ganz normal"),
])
def test_md_escapes_markdown_and_html(text: str, expected: str):
    assert md(text) == expected
