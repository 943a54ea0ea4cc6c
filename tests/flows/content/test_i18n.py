"""Numbers with a fixed count of decimals, as each language writes them."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("lang", "value", "digits", "written"),
    [
        ("de", 1234.56, 1, "1.234,6"),
        ("fr", 1234.56, 1, "1\u202f234,6"),
        ("en", 1234.56, 1, "1,234.6"),
        ("de", 42.0, 1, "42,0"),
        ("de", 0.04, 1, "0,0"),
        ("de", 5.25, 2, "5,25"),
        ("en", 1234.5, 0, "1,234"),
    ],
)
def test_a_decimal_has_its_digits_and_the_language_s_separators(content, lang, value, digits, written):
    assert content.catalogues.translator(lang).decimal(value, digits) == written
