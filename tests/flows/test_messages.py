"""What a user types is cleaned before anything else sees it: no undecodable bytes, controls or bidi tricks."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from flows.messages import Inbound, clean_text

BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("K\udcf6ln", "K\ufffdln"),  # an undecodable byte as Python's surrogateescape reads it
        ("Köln\ud800", "Köln\ufffd"),  # a lone surrogate from a JSON "\ud800" escape
        ("\ud83d\ude00", "😀"),  # a proper pair stays the character it stands for
        ("\x1b[31mrot\x1b[0m", "[31mrot[0m"),  # no escape sequence can reach a terminal
        ("Bürger\x00meister\x07in", "Bürgermeisterin"),  # NUL (PostgreSQL refuses it) and BEL
        ("abc\u202edef\u2066g\u2069\u200e", "abcdefg"),  # bidi controls
        ("a\r\nb\rc\td", "a\nb\nc\td"),
        ("e\u0301", "é"),  # NFC
        ("👩\u200d💻", "👩\u200d💻"),  # a zero-width joiner inside an emoji is not hostile
    ],
)
def test_hostile_text_is_cleaned(typed: str, kept: str):
    assert clean_text(typed) == kept


ANY_TEXT = st.text(
    st.one_of(
        st.characters(exclude_categories=()),  # surrogates included
        st.sampled_from(BIDI + "\x00\x1b\r\x85\ufeff"),
    )
)


@given(ANY_TEXT)
@example("\ud800")
@example("a\u2066b\x1b")
def test_any_text_becomes_utf8_without_controls_or_bidi(text: str):
    cleaned = clean_text(text)
    cleaned.encode("utf-8")  # raises on a surrogate
    assert not [c for c in cleaned if unicodedata.category(c) == "Cc" and c not in "\n\t"]
    assert not set(cleaned) & set(BIDI)
    assert clean_text(cleaned) == cleaned


@given(st.text(alphabet=st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF), min_size=1))
@example("\ud87e\uddda")  # a pair: U+2F9DA, which NFC turns into U+8DCB
def test_surrogates_become_replacement_characters(text: str):
    cleaned = clean_text(text)  # a high surrogate followed by a low one pairs up into one character (then NFC)
    cleaned.encode("utf-8")
    assert cleaned and len(cleaned) <= len(text)
    if not re.search("[\ud800-\udbff][\udc00-\udfff]", text):
        assert cleaned == "\ufffd" * len(text)  # nothing pairs up: one replacement character each


def test_every_text_field_of_an_inbound_is_cleaned():
    inbound = Inbound(
        text="a\ud800\x1b", choice="3:x\u202e", file_name="b\x00ericht.pdf", message_id="m\x1b1", command="rsvp\u2066 3"
    )
    assert (inbound.text, inbound.choice, inbound.file_name, inbound.message_id, inbound.command) == (
        "a\ufffd",
        "3:x",
        "bericht.pdf",
        "m1",
        "rsvp 3",
    )
