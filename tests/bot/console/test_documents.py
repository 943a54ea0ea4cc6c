"""Exports in the terminal chat: the document is rendered and written into the user's export folder."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import run_chat


def test_an_odt_resolution_is_written_with_its_name_into_the_export_folder(tmp_path: Path):
    pytest.importorskip("bot.documents.odt", reason="the ODT renderer is not there yet")
    from odfdo import Document as Odt

    db = f"sqlite:///{tmp_path / 'daks.db'}"
    result = run_chat(["Amt Süderbrarup", "/export odt beschluss", "/ende"], user="anna", db=db, data_dir=tmp_path)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert "Hier ist „Beschlussvorlage“ als ODT." in result.stdout
    [shown] = [line.removeprefix("📎 ") for line in result.stdout.splitlines() if line.startswith("📎 ")]
    [written] = (tmp_path / "exports").glob("*/*")
    assert Path(shown) == written
    assert re.fullmatch(r"daks-[a-z]+-amt-suederbrarup-[0-9-]+-[0-9a-f]{6}\.odt", written.name), written.name
    assert "Amt Süderbrarup" in Odt(written).body.text_recursive


def test_a_document_that_cannot_be_made_is_said_and_the_answers_stay(tmp_path: Path):
    """Charts need indicator series; without them the person is told so and nothing is written."""
    db = f"sqlite:///{tmp_path / 'daks.db'}"
    result = run_chat(["Musterstadt", "/export png", "/ende"], user="ben", db=db, data_dir=tmp_path)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert "noch keine Diagramme" in result.stdout and "📎" not in result.stdout
    assert not list((tmp_path / "exports").glob("*/*"))
    again = run_chat(["/ende"], user="ben", db=db, data_dir=tmp_path)
    assert "Musterstadt" in again.stdout


def test_a_chart_is_written_as_a_png_and_its_values_are_shown_under_its_path(tmp_path: Path):
    from PIL import Image

    db = f"sqlite:///{tmp_path / 'daks.db'}"
    lines = ["Musterstadt", "/phase 2", "1", "31.12.2024"]
    lines += ["1", "18.432 Einwohner", "2020", "/ueberspringen", "1", "1", "18.100 Einwohner", "2024", "/ueberspringen"]
    result = run_chat([*lines, "/export png", "/ende"], user="carla", db=db, data_dir=tmp_path)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    said = result.stdout.splitlines()
    [at] = [i for i, line in enumerate(said) if line.startswith("📎 ")]
    [written] = (tmp_path / "exports").glob("*/*")
    assert Path(said[at].removeprefix("📎 ")) == written and written.suffix == ".png"
    with Image.open(written) as image:
        assert said[at + 1] == image.info["Description"], "the text alternative follows the path"
    assert "Bevölkerungsstand" in said[at + 1] and "18.432" in said[at + 1] and "18.100" in said[at + 1]
