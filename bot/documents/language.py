"""The document language as office formats write it."""

from __future__ import annotations

from babel import Locale, UnknownLocaleError
from babel.core import get_global


def tag(lang: str) -> str:
    """``de`` → ``de-DE``: the language with its likely country, as Word, LibreOffice (fo:language/fo:country)
    and dc:language want it; an unknown language as given."""
    try:
        locale = Locale.parse(get_global("likely_subtags").get(lang, lang))
    except (ValueError, UnknownLocaleError):
        return lang
    return f"{locale.language}-{locale.territory}" if locale.territory else locale.language
