"""The consent text and the event kind labels in the content directory."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.content.consent import load_consent, load_event_kinds
from flows.content.model import EVENT_KINDS
from tests.conftest import CONTENT

WITHDRAWAL = {
    "de": ("widerrufen", "STOP", "/abbestellen", "/meinedaten", "/loeschen", "Art. 6"),
    "fr": ("retirer", "STOP", "/desabonner", "/mesdonnees", "/supprimer", "art. 6"),
    "en": ("withdraw", "STOP", "/unsubscribe", "/mydata", "/delete", "Art. 6"),
}


def test_the_consent_loads_in_three_languages():
    consent = load_consent(CONTENT)
    assert consent.version == "2026-12-07"
    for lang, words in WITHDRAWAL.items():
        text = consent.text.root[lang]
        assert text.strip() and len(text) < 950
        for word in words:
            assert word in text, (lang, word)


def test_a_broken_consent_file_names_the_file_and_field(tmp_path: Path):
    (tmp_path / "consent.yaml").write_text("version: 2026-11-22\ntext: {fr: 'x'}\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"(?s)consent\.yaml.*text: the 'de' text is required"):
        load_consent(tmp_path)
    (tmp_path / "consent.yaml").write_text("version: 2026-11-22\ntext: {de: 'x'}\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"text: missing language\(s\) \['fr', 'en'\]"):
        load_consent(tmp_path)
    (tmp_path / "consent.yaml").write_text("text: [\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"consent\.yaml: cannot be read"):
        load_consent(tmp_path)


def test_the_event_kinds_load_in_order():
    kinds = load_event_kinds(CONTENT)
    assert tuple(kinds) == EVENT_KINDS
    assert kinds["regional_meeting"].get("de") == "Regionale Werkstatttreffen"
    assert all(not label.missing() for label in kinds.values())


def test_event_kinds_must_be_complete(tmp_path: Path):
    (tmp_path / "event_kinds.yaml").write_text("- id: online_seminar\n  label: {de: X}\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"(?s)event_kinds\.yaml.*ids: expected each of"):
        load_event_kinds(tmp_path)
