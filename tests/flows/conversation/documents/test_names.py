"""Export file names: the document in the reader's language, the municipality in ASCII, unique to the second."""

from __future__ import annotations

from datetime import datetime

import pytest

from flows.conversation.context import Ctx
from flows.conversation.documents.names import file_name
from flows.conversation.state import State

NOW = datetime(2026, 12, 7, 14, 32, 5)


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Amt Süderbrarup", "amt-suederbrarup"),
        ("Köln", "koeln"),
        ("Großräschen", "grossraeschen"),
        ("ÜBERLINGEN", "ueberlingen"),
        ("Orléans", "orleans"),
        ("L'Haÿ-les-Roses", "l-hay-les-roses"),
        ("../../etc/passwd", "etc-passwd"),
        (None, "export"),  # no municipality yet: a neutral word, never another user's name
        ("🏘️", "export"),
        ({"name": "Grabow", "key": "13076052", "country": "de"}, "grabow"),  # picked in the directory
        ({"name": "L'Abergement-Clémenciat", "key": "01001", "country": "fr"}, "l-abergement-clemenciat"),
    ],
)
def test_the_municipality_is_transliterated(name: str | dict | None, slug: str, content):
    answers = {} if name is None else {content.profile_steps["name"]: name}
    ctx = Ctx(content, State(version=content.version, answers=answers))
    assert file_name(ctx, "strategy", "odt", NOW) == f"daks-strategie-{slug}-2026-12-07-143205.odt"


@pytest.mark.parametrize(
    ("lang", "kind", "fmt", "expected"),
    [
        ("de", "resolution", "docx", "daks-beschlussvorlage-amt-suederbrarup-2026-12-07-143205.docx"),
        ("fr", "resolution", "pdf", "daks-deliberation-amt-suederbrarup-2026-12-07-143205.pdf"),
        ("fr", "strategy", "md", "daks-strategie-amt-suederbrarup-2026-12-07-143205.md"),
        ("en", "resolution", "odt", "daks-resolution-amt-suederbrarup-2026-12-07-143205.odt"),
        ("en", "strategy", "png", "daks-strategy-amt-suederbrarup-2026-12-07-143205.png"),
    ],
)
def test_the_document_word_is_the_reader_s(lang: str, kind, fmt, expected: str, content):
    ctx = Ctx(content, State(version=content.version, lang=lang, answers={"ob_name": "Amt Süderbrarup"}))
    assert file_name(ctx, kind, fmt, NOW) == expected


def test_two_exports_a_second_apart_get_two_names(content):
    ctx = Ctx(content, State(version=content.version, answers={"ob_name": "Köln"}))
    assert file_name(ctx, "strategy", "md", NOW) != file_name(ctx, "strategy", "md", NOW.replace(second=6))
