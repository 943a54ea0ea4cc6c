"""The content set's cross-checks that `daks content check` reports (beyond loading)."""

from __future__ import annotations

import shutil
from pathlib import Path

from flows.content.checks import short_labels
from flows.content.loader import load_content
from tests.conftest import ROOT

CONTENT = ROOT / "content"


def edited(tmp_path: Path, rel: str, old: str, new: str) -> tuple[Path, int]:
    """A copy of the content with one edit, and the line the edit is on."""
    copy = tmp_path / "content"
    shutil.copytree(CONTENT, copy, dirs_exist_ok=True)
    path = copy / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    line = next(i for i, row in enumerate(text.splitlines(), 1) if new.strip() and new.strip() in row)
    return copy, line


def test_every_option_of_the_shipped_content_fits_a_button():
    assert short_labels(load_content(CONTENT)) == []


def test_a_long_label_without_a_short_one_is_reported_with_file_and_line(tmp_path: Path):
    short = 'short: {de: "Rückhalt der Spitze", fr: "Soutien de l\'exécutif", en: "Leadership backing"}}'
    copy, _ = edited(tmp_path, "stages/kickoff.yaml", ",\n         " + short, "}")
    [problem] = short_labels(load_content(copy))
    text = (copy / "stages/kickoff.yaml").read_text(encoding="utf-8").splitlines()
    line = next(i for i, row in enumerate(text, 1) if "{id: leadership" in row)
    assert problem.file == "stages/kickoff.yaml" and problem.line == line
    assert "label longer than 24 characters in de, fr, en" in problem.message and "short" in problem.message


def test_a_short_label_too_long_for_a_button_is_reported(tmp_path: Path):
    copy, line = edited(
        tmp_path, "handlungsfelder.yaml", 'fr: "Services au public"', 'fr: "Services au public et proximité"'
    )
    [problem] = short_labels(load_content(copy))
    assert str(problem) == (f"handlungsfelder.yaml:{line} [1.short]: short label longer than 24 characters in fr")
