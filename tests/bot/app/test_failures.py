"""Start-up and configuration failures of the real `daks` process: one or two lines saying what is wrong and
what to do, the documented exit code (2 configuration, 3 unreachable dependency), the traceback only at DEBUG,
and never a secret."""

from __future__ import annotations

import os
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest

from tests.conftest import POSTGRES_ADMIN_URL, ROOT, free_port, postgres_problem

PASSWORD = "s3cret-pw-4711"
CHANNELS = ("TELEGRAM_TOKEN", "DAKS_TELEGRAM_TOKEN", "MATRIX_HOMESERVER", "DAKS_MATRIX_HOMESERVER")


def daks(*args: str, env: dict[str, str] | None = None, timeout: float = 90) -> subprocess.CompletedProcess[str]:
    """`python -m bot ARGS` with empty standard input (not a terminal) and no messenger configured."""
    base = {k: v for k, v in os.environ.items() if k not in CHANNELS and not k.startswith("DAKS_")}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        input="",
        timeout=timeout,
        env={**base, "PYTHONUTF8": "1", **(env or {})},
    )


def fails(result: subprocess.CompletedProcess[str], code: int, *names: str) -> str:
    """The process exited with ``code`` and said so in one or two lines naming every one of ``names``."""
    err = result.stderr
    assert result.returncode == code, err
    assert "Traceback" not in err and 1 <= len(err.strip().splitlines()) <= 2, err
    for name in names:
        assert name in err, err
    assert PASSWORD not in err + result.stdout
    return err


def test_version_and_short_help():
    shown = daks("--version")
    assert shown.returncode == 0 and shown.stdout.strip() == f"daks-begleiter {version('daks-begleiter')}"
    for args in (["-h"], ["chat", "-h"], ["db", "upgrade", "-h"], ["admin", "broadcast", "status", "-h"]):
        result = daks(*args)
        assert result.returncode == 0 and "Usage:" in result.stdout, (args, result.stderr)
    assert "--user" in daks("chat", "-h").stdout


@pytest.mark.parametrize(
    ("url", "named"),
    [
        ("not a url", "not a database URL"),
        (f"mysql://daks:{PASSWORD}@db.example.org/daks", "mysql"),
    ],
)
def test_a_database_url_that_cannot_work_is_a_configuration_error(url: str, named: str, tmp_path: Path):
    fails(daks("chat", "--db", url, env={"DAKS_DATA_DIR": str(tmp_path)}), 2, named, "sqlite:///", "postgresql://")
    fails(daks("db", "upgrade", env={"DAKS_DATABASE_URL": url}), 2, named, "DAKS_DATABASE_URL")


@pytest.mark.parametrize(
    ("host", "named"),
    [
        ("127.0.0.1:{port}", "connection refused"),
        ("db.invalid:5432", "unknown host"),
    ],
)
def test_an_unreachable_postgresql_exits_3_naming_host_and_port(host: str, named: str, tmp_path: Path):
    where = host.format(port=free_port())
    url = f"postgresql://daks:{PASSWORD}@{where}/daks"
    err = fails(daks("chat", "--db", url, env={"DAKS_DATA_DIR": str(tmp_path)}), 3, where, named)
    assert "DAKS_DATABASE_URL" in err


def test_a_postgresql_database_that_does_not_exist_exits_3():
    if postgres_problem():
        pytest.skip(f"PostgreSQL not reachable at {POSTGRES_ADMIN_URL}")
    url = f"{POSTGRES_ADMIN_URL.rsplit('/', 1)[0]}/daks_missing_4711"
    fails(daks("db", "upgrade", "--db", url), 3, "'daks_missing_4711' does not exist", "createdb")


def test_debug_shows_the_traceback_but_never_the_password(tmp_path: Path):
    where = f"127.0.0.1:{free_port()}"
    result = daks(
        "chat",
        "--db",
        f"postgresql://daks:{PASSWORD}@{where}/daks",
        env={"DAKS_DATA_DIR": str(tmp_path), "DAKS_LOG_LEVEL": "debug"},
    )
    assert result.returncode == 3
    assert "Traceback (most recent call last)" in result.stderr
    assert where in "".join(result.stderr.strip().splitlines()[-2:])  # the friendly lines come last
    assert PASSWORD not in result.stderr


def test_an_unknown_log_level_is_a_configuration_error(tmp_path: Path):
    fails(daks("chat", env={"DAKS_LOG_LEVEL": "LOUD", "DAKS_DATA_DIR": str(tmp_path)}), 2, "DAKS_LOG_LEVEL", "WARNING")


def test_folders_that_cannot_be_written_are_a_configuration_error(tmp_path: Path):
    in_the_way = tmp_path / "a-file"
    in_the_way.write_text("not a folder")
    fails(daks("chat", env={"DAKS_DATA_DIR": str(in_the_way / "data")}), 2, "DAKS_DATA_DIR", str(in_the_way))
    fails(daks("chat", "--db", f"sqlite:///{in_the_way / 'daks.db'}"), 2, str(in_the_way), "SQLite")
    fails(
        daks("chat", env={"DAKS_DATA_DIR": str(tmp_path), "DAKS_EXPORT_DIR": str(in_the_way / "exports")}),
        2,
        "DAKS_EXPORT_DIR",
    )


def test_a_folder_without_write_permission_is_a_configuration_error(tmp_path: Path):
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o555)
    if os.access(locked, os.W_OK):  # root may write anyway; a read-only file system stops root too
        locked = Path("/proc/sys")
    if os.access(locked, os.W_OK):
        pytest.skip("no folder here that this user cannot write")
    fails(daks("chat", env={"DAKS_DATA_DIR": str(locked / "data")}), 2, f"{locked} is not writable", "DAKS_DATA_DIR")


def test_a_telegram_token_in_the_wrong_format_is_refused_before_any_request(tmp_path: Path):
    token = "abc-not-a-token"
    result = daks(
        "serve",
        env={
            "TELEGRAM_TOKEN": token,
            "TELEGRAM_BASE_URL": f"http://127.0.0.1:{free_port()}/bot",
            "DAKS_DATA_DIR": str(tmp_path),
        },
        timeout=60,
    )
    err = fails(result, 2, "TELEGRAM_TOKEN", "@BotFather")
    assert token not in err


def test_serve_without_a_channel_and_without_a_terminal_says_so(tmp_path: Path):
    fails(
        daks("serve", env={"DAKS_DATA_DIR": str(tmp_path)}),
        2,
        "no channel is configured",
        "TELEGRAM_TOKEN",
        "MATRIX_HOMESERVER",
    )
