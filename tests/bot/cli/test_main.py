"""The `daks` command line: content check, db upgrade, a refused schema, the benchmark."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import CONTENT, ROOT


def daks(*args: str, env: dict[str, str] | None = None, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        input=stdin,
        timeout=300,
        env={**os.environ, **(env or {})},
    )


def test_content_check_passes_on_the_shipped_content():
    result = daks("content", "check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "content version 1: 6 stages" in result.stdout


def check_edited(tmp_path: Path, rel: str, old: str, new: str) -> tuple[subprocess.CompletedProcess[str], Path]:
    """`daks content check` on a copy of the content with one edit."""
    broken = tmp_path / "content"
    shutil.copytree(CONTENT, broken, dirs_exist_ok=True)
    path = broken / rel
    path.write_text(path.read_text().replace(old, new, 1))
    return daks("content", "check", str(broken)), path


def test_content_check_lists_problems_with_file_and_line(tmp_path: Path):
    result, kickoff = check_edited(tmp_path, "stages/kickoff.yaml", "kind: date", "kind: calendar")
    assert result.returncode == 1
    line = next(i for i, text in enumerate(kickoff.read_text().splitlines(), 1) if "kind: calendar" in text)
    assert f"stages/kickoff.yaml:{line} [steps.5.kind]" in result.stdout


def test_db_upgrade_and_a_schema_from_the_future_is_refused(database_url: str):
    result = daks("db", "upgrade", "--db", database_url)
    assert result.returncode == 0 and "up to date" in result.stdout

    import asyncio

    from sqlalchemy import text

    from storage.store import Store

    async def from_the_future() -> None:
        store = await Store.open(database_url)
        await store.run_connection(lambda conn: conn.execute(text("UPDATE alembic_version SET version_num='9999'")))
        await store.close()

    asyncio.run(from_the_future())
    refused = daks("chat", "--db", database_url, "--user", "x")
    assert refused.returncode == 2
    assert "'9999'" in refused.stderr and "does not" in refused.stderr
    assert "Traceback" not in refused.stderr


def test_bench_prints_its_figures(tmp_path: Path):
    db = f"sqlite:///{tmp_path / 'bench.db'}"
    result = daks("bench", "--users", "1,2", "--rounds", "2", "--db", db)
    assert result.returncode == 0, result.stderr
    for label in ("messages/s", "latency p50", "latency p99", "peak memory", "content load"):
        assert label in result.stdout
    one, two = [int(line.split()[-1]) for line in result.stdout.splitlines() if line.startswith("messages ")]
    assert one > 75 and two == 2 * one  # one user, then two, twice through all five stages
    # the figures recorded before issue 11 (benchmarks/baseline.yaml) are shown where they exist: 1 user
    assert [line.split(")")[0] for line in result.stdout.splitlines() if line.startswith("before (")] == [
        "before (788ea54"
    ]

    import asyncio

    from storage.store import Store

    async def leftovers() -> list[int]:
        store = await Store.open(db)
        try:
            return await store.run(lambda unit: unit.users_of("bench"))
        finally:
            await store.close()

    assert asyncio.run(leftovers()) == []  # the simulated users are removed again


def test_content_check_lists_missing_translations(tmp_path: Path):
    result, _ = check_edited(tmp_path, "stages/kickoff.yaml", ', en: "Agreed goals"', "")
    assert result.returncode == 1
    assert "stages/kickoff.yaml:" in result.stdout and "[steps.7.label]: no text in en" in result.stdout


def test_content_check_finds_unknown_template_variables_and_unreachable_stages(tmp_path: Path):
    result, onboarding = check_edited(
        tmp_path, "stages/onboarding.yaml", "{{ municipality.name }}", "{{ municipality.einwohner }}"
    )
    broken = onboarding.parent.parent
    assert result.returncode == 1
    assert (
        "stages/onboarding.yaml [steps.2.prompt.de]: unknown template variable 'municipality.einwohner'"
        in result.stdout
    )
    shutil.copytree(CONTENT, broken, dirs_exist_ok=True)
    shutil.copy(broken / "stages" / "kickoff.yaml", broken / "stages" / "kickoff_old.yaml")
    result = daks("content", "check", str(broken))
    assert result.returncode == 1 and "stage 'kickoff_old' is unreachable" in result.stdout


def test_content_index_embeds_only_edited_items_and_check_warns_until_then(tmp_path: Path):
    edited = tmp_path / "content"
    shutil.copytree(CONTENT, edited, dirs_exist_ok=True)
    vectors = edited / "toolbox.vectors.npz"
    assert daks("content", "check", str(edited)).stdout.count("warning") == 0
    toolbox = edited / "toolbox.yaml"
    toolbox.write_text(toolbox.read_text().replace('en: "Kick-off"}', 'en: "Kick-off meeting"}', 1))
    before = vectors.stat().st_mtime_ns
    check = daks("content", "check", str(edited))
    assert check.returncode == 0 and "warning: 1 toolbox vectors" in check.stdout, check.stdout
    result = daks("content", "index", str(edited))
    items = toolbox.read_text().count("\n- id: ")
    expected = f"{items * 3} vectors, 1 embedded now"  # one per item and language
    assert result.returncode == 0 and expected in result.stdout, result.stdout + result.stderr
    assert vectors.stat().st_mtime_ns > before
    assert "warning" not in daks("content", "check", str(edited)).stdout
