"""Logs of the real `daks serve`: one line per handled message, as text or JSON, never with what was
said and never with a token; a wrong DAKS_LOG_FORMAT is a configuration error."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from pathlib import Path

import pytest

from bot.app.logs import HIDDEN, TEXT, Redacting
from tests.bot.telegram import conftest as telegram
from tests.bot.telegram.conftest import BotProcess, Person, bot_env
from tests.conftest import ROOT
from tests.fakes.bot_api import FakeBotAPI

api = telegram.api
"""The fake Bot API server fixture of the Telegram tests."""
SAID = ("Musterstadt", "Was für eine Kommune ist", "Guten Tag")
"""What the user wrote and fragments of what the bot answered."""


async def conversation(api: FakeBotAPI, env: dict[str, str], log: Path) -> str:
    """/start, a typed answer and a tapped button through `daks serve`; its whole output."""
    bot = BotProcess(api, env, log)
    await bot.start()
    try:
        anna = Person(api, api.user(1201, "Anna", "de"))
        await anna.says("/start", "Guten Tag")
        await anna.says("Musterstadt", "Was für eine Kommune ist Musterstadt?")
        await anna.answers("2", "In welchem Land")
    finally:
        assert await bot.stop() == 0, bot.output()
    return bot.output()


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_json_lines_name_channel_kind_latency_and_outcome_and_nothing_said_or_secret(
    api: FakeBotAPI, database_url: str, tmp_path: Path
) -> None:
    env = bot_env(api, database_url, tmp_path, DAKS_LOG_FORMAT="json", DAKS_LOG_LEVEL="DEBUG")
    output = await conversation(api, env, tmp_path / "bot.log")
    records = [json.loads(line) for line in output.splitlines() if line.strip()]  # every line is JSON
    handled = [r for r in records if r.get("logger") == "bot.updates"]
    assert [(r["channel"], r["kind"], r["outcome"]) for r in handled] == [
        ("telegram", "command", "answered"),
        ("telegram", "text", "answered"),
        ("telegram", "button", "answered"),
    ]
    assert all(
        isinstance(r["latency_ms"], float) and r["latency_ms"] >= 0 and r["level"] == "INFO" and r["time"]
        for r in handled
    )
    assert any("Telegram channel running as @daks_test_bot" in r["message"] for r in records)
    for secret in (api.token, api.token.partition(":")[2]):
        assert secret not in output
    for said in SAID:
        assert said not in output


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_text_lines_by_default(api: FakeBotAPI, database_url: str, tmp_path: Path) -> None:
    output = await conversation(api, bot_env(api, database_url, tmp_path), tmp_path / "bot.log")
    lines = [line for line in output.splitlines() if " INFO bot.updates: " in line]
    assert [line.split(": ", 1)[1].split(" handled in ")[0] for line in lines] == [
        "telegram command",
        "telegram text",
        "telegram button",
    ]
    assert all(line.endswith(" ms: answered") for line in lines)
    assert "Telegram channel running as @daks_test_bot (polling). Stop with Ctrl+C or SIGTERM." in output.splitlines()


@pytest.mark.parametrize("variable, value", [("DAKS_LOG_FORMAT", "xml"), ("DAKS_LOG_LEVEL", "LOUD")])
def test_a_wrong_log_setting_is_a_configuration_error(variable: str, value: str, tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "serve"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "DAKS_DATA_DIR": str(tmp_path), variable: value},
    )
    assert result.returncode == 2
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("Configuration problem: ") and variable in line


def test_secrets_and_token_shapes_are_blanked_out_of_every_line_and_traceback() -> None:
    formatter = Redacting(logging.Formatter(TEXT), ['pa"ss-word-1'])
    try:
        raise ValueError("GET https://api.telegram.org/bot1234567:AAH5Jq0Zm3xY9bG7rT2vW4sK8nP1cL6dE0f/getMe")
    except ValueError:
        record = logging.LogRecord(
            "x",
            logging.ERROR,
            __file__,
            1,
            "login with %s, token %s",
            ('pa"ss-word-1', "syt_ZGFrcw_pVbYUwQrnXmvEtSTFlLq_1W2bPq"),
            sys.exc_info(),
        )
    text = formatter.format(record)
    assert 'pa"ss-word-1' not in text and "syt_" not in text and "AAH5Jq0Z" not in text
    assert f"login with {HIDDEN}, token {HIDDEN}" in text
    assert f"ValueError: GET https://api.telegram.org/bot{HIDDEN}/getMe" in text
