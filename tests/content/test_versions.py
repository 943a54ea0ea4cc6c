"""Two content versions: a running conversation moves to the new one and keeps what still has a home."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from flows.content.loader import load_content
from flows.content.versions import homeless_steps
from flows.conversation.engine import Engine
from flows.messages import Inbound
from tests.conftest import CONTENT, ROOT, EngineChat

MIGRATION = """\
- from: "1"
  to: "2"
  steps: {ko_resources: ko_budget}
  dropped: [ko_existing]
  note:
    de: "Neu: Die Frage nach laufenden Projekten ist entfallen, die Frage nach Ressourcen heißt jetzt Budget."
    fr: "Nouveau : la question sur les projets en cours a disparu, celle sur les ressources s'appelle budget."
    en: "New: the question on running projects is gone; the one on resources is now called budget."
"""


def version_two(tmp_path: Path, migration: str | None = MIGRATION) -> Path:
    root = tmp_path / "content"
    shutil.copytree(CONTENT, root)
    kickoff = root / "stages" / "kickoff.yaml"
    text = kickoff.read_text(encoding="utf-8")
    start = text.index("  - id: ko_existing")
    end = text.index("  - id: ", start + 10)
    text = text[:start] + text[end:]
    kickoff.write_text(text.replace("id: ko_resources", "id: ko_budget"), encoding="utf-8")
    manifest = root / "content.yaml"
    manifest.write_text(manifest.read_text().replace('version: "1"', 'version: "2"'), encoding="utf-8")
    if migration is not None:
        (root / "migrations.yaml").write_text(migration, encoding="utf-8")
    return root


@pytest.fixture
def at_resources(content) -> EngineChat:
    chat = EngineChat(content)
    for line in (
        "Musterstadt",
        "2",
        "13",
        "3",
        "2, 5",
        "Bürgermeisterin",
        "Hauptamt",
        "Sozialamt",
        "fertig",
        "Vereine",
        "fertig",
        "ISEK 2030",
        "fertig",
        "/ueberspringen",
        "2",
        "Familien halten",
        "fertig",
    ):
        chat.says(line)
    assert chat.state.step == "ko_resources" and chat.answers["ko_existing"] == ["ISEK 2030"]
    return chat


def test_the_shipped_version_is_published():
    content = load_content(CONTENT)
    assert content.published[content.version] == list(content.steps)


def test_a_running_conversation_moves_to_the_new_version(at_resources: EngineChat, tmp_path: Path):
    v2 = load_content(version_two(tmp_path))
    assert homeless_steps(v2) == []
    turn = Engine(v2).handle(at_resources.state, Inbound(text="10.000 Euro und eine halbe Stelle"))
    text = "\n".join(r.text() for r in turn.replies)
    assert "Die Frage nach laufenden Projekten ist entfallen" in text
    assert turn.state.version == "2"
    assert turn.state.answers["ko_budget"] == "10.000 Euro und eine halbe Stelle"  # the renamed step took it
    assert "ko_existing" not in turn.state.answers and "ko_resources" not in turn.state.answers
    assert turn.state.answers["ko_steering"] == ["Sozialamt"]
    assert turn.state.step == "ko_done"
    changed = {c.step_id for c in turn.changes}
    assert {"ko_existing", "ko_budget"} <= changed


def test_a_new_version_without_a_migration_for_removed_steps_is_refused(tmp_path: Path):
    v2 = version_two(tmp_path, migration=None)
    problems = [str(p) for p in homeless_steps(load_content(v2))]
    assert any("no migration leads from version 1 to 2" in p for p in problems)
    (v2 / "migrations.yaml").write_text(MIGRATION.replace("  dropped: [ko_existing]\n", ""), encoding="utf-8")
    problems = [str(p) for p in homeless_steps(load_content(v2))]
    assert problems == ["migrations.yaml: step 'ko_existing' of version 1 has no home in version 2: rename or drop it"]
    result = subprocess.run(
        [sys.executable, "-m", "bot", "content", "check", str(v2)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=os.environ,
    )
    assert result.returncode == 1 and "ko_existing" in result.stdout


async def test_the_move_is_stored(content, database_url: str, tmp_path: Path):
    from bot.app.companion import Companion
    from storage.store import Store

    store = await Store.open(database_url)
    try:
        old = Companion(content, store)
        await old.handle("test", "anna", Inbound(event="start"))
        for line in (
            "Musterstadt",
            "2",
            "13",
            "3",
            "2, 5",
            "Bürgermeisterin",
            "Hauptamt",
            "Sozialamt",
            "fertig",
            "Vereine",
            "fertig",
            "ISEK 2030",
            "fertig",
            "/ueberspringen",
            "2",
            "Familien halten",
            "fertig",
        ):
            await old.handle("test", "anna", Inbound(text=line))
        new = Companion(load_content(version_two(tmp_path)), store)
        response = await new.handle("test", "anna", Inbound(text="10.000 Euro"))
        assert "laufenden Projekten ist entfallen" in "\n".join(r.text() for r in response.replies)
    finally:
        await store.close()
    fresh = await Store.open(database_url)  # an empty cache: what is really stored
    try:
        _, saved = await fresh.run(lambda unit: unit.open_conversation("test", "anna", "de"))
    finally:
        await fresh.close()
    assert saved.content_version == "2"
    assert saved.answers["ko_budget"] == "10.000 Euro"
    assert "ko_existing" not in saved.answers and "ko_resources" not in saved.answers
