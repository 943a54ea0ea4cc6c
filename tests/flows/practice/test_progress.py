"""A status report as typed and as read: status words in any language, values as people write them, one line."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from flows.content.content import Content
from flows.practice.model import Indicator, Report
from flows.practice.progress import reported, status_of, value_of

NNBSP = "\u202f"


@pytest.mark.parametrize(
    ("word", "status"),
    [
        ("running", "running"),
        ("läuft", "running"),
        ("Laeuft", "running"),
        ("en cours", "running"),
        ("EN  COURS", "running"),
        ("erledigt", "done"),
        ("terminée", "done"),
        ("termine", "done"),
        ("done", "done"),
        ("verzögert", "delayed"),
        ("en retard", "delayed"),
        ("gestoppt", "stopped"),
        ("arrêté", "stopped"),
        ("fertig", None),
        ("", None),
        ("e", None),
    ],
)
def test_a_status_is_read_in_any_language(content: Content, word: str, status: str | None):
    translators = [content.catalogues.translator(lang) for lang in ("de", "fr", "en")]
    assert status_of(word, translators) == status


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("12", 12.0),
        ("12,5", 12.5),
        ("1.234,5", 1234.5),
        ("1,234.5", 1234.5),
        ("18 432", 18432.0),
        ("-3", -3.0),
        ("−3", -3.0),
        ("+4", 4.0),
        ("zwölf", None),
        ("12 Leute", None),
        ("1.2.3", None),
        ("", None),
        ("-", None),
        ("9" * 13, None),
    ],
)
def test_a_value_is_read_as_people_write_it(typed: str, value: float | None):
    assert value_of(typed) == value


def test_a_report_reads_in_the_municipalitys_day_and_language(content: Content):
    late = Report("r1", "running", 1234.5, datetime(2026, 12, 7, 23, 30, tzinfo=UTC), 1, "Anna")
    users = Indicator("Nutzer", unit="Personen")
    de, fr = content.catalogues.translator("de"), content.catalogues.translator("fr")
    assert reported(de, late, "Europe/Berlin", users) == "läuft, 1.234,5 Personen (08.12.2026, Anna)"
    assert reported(de, late, "America/Martinique", users) == "läuft, 1.234,5 Personen (07.12.2026, Anna)"
    assert reported(fr, late, "Europe/Paris") == f"en cours, 1{NNBSP}234,5 (8 déc. 2026, Anna)"
    anonymous = Report("r1", "done", None, datetime(2026, 12, 7, 9, tzinfo=UTC))
    assert reported(de, anonymous, "Europe/Berlin") == "erledigt (07.12.2026)"
