"""Schema upgrades at start: first starts at the same time on an empty database all succeed."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT

STARTS = 3


def upgrade(url: str) -> subprocess.Popen[str]:
    """A real `daks db upgrade` process."""
    return subprocess.Popen(
        [sys.executable, "-m", "bot", "db", "upgrade", "--db", url],
        cwd=ROOT,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONUTF8": "1"},
    )


@pytest.mark.parametrize("attempt", range(3))
def test_first_starts_at_the_same_time_all_succeed(database_url: str, attempt: int):
    starts = [upgrade(database_url) for _ in range(STARTS)]
    for start in starts:
        out, err = start.communicate(timeout=180)
        assert start.returncode == 0, err
        assert "up to date" in out


def test_a_start_waits_while_another_process_holds_the_sqlite_database(tmp_path: Path):
    """As a second first start does while the first one migrates (which takes longer on a busy machine)."""
    path = tmp_path / "daks.db"
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("PRAGMA journal_mode=WAL")
    holder.execute("BEGIN IMMEDIATE")
    start = upgrade(f"sqlite:///{path}")
    opened = threading.Event()

    def release_once_the_start_has_opened_the_file() -> None:
        while start.poll() is None and not _has_open(start.pid, path):
            time.sleep(0.05)
        opened.set()
        time.sleep(1.0)  # four times the busy timeout a message waits for
        holder.rollback()

    releaser = threading.Thread(target=release_once_the_start_has_opened_the_file)
    releaser.start()
    try:
        out, err = start.communicate(timeout=180)
    finally:
        releaser.join()
        holder.close()
    assert opened.is_set()
    assert start.returncode == 0, err
    assert "up to date" in out


def _has_open(pid: int, path: Path) -> bool:
    try:
        return any(os.readlink(fd) == str(path) for fd in Path(f"/proc/{pid}/fd").iterdir())
    except OSError:
        return False
