"""/healthz, /readyz and /metrics of the real `daks serve` against the fake Bot API: polling mode on
DAKS_METRICS_LISTEN, webhook mode on the webhook port, and readiness when the database is gone."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import aiohttp
import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.bot.telegram import conftest as telegram
from tests.bot.telegram.conftest import BotProcess, Person, bot_env
from tests.bot.telegram.test_broadcast import finished, queue, seed
from tests.conftest import POSTGRES_ADMIN_URL, ROOT, _admin, free_port
from tests.fakes.bot_api import FakeBotAPI

api = telegram.api
"""The fake Bot API server fixture of the Telegram tests."""
Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


async def get(url: str) -> tuple[int, str]:
    async with aiohttp.ClientSession() as http, http.get(url) as response:
        return response.status, await response.text()


async def scrape(base: str) -> Samples:
    """/metrics parsed with prometheus_client's own parser."""
    status, text = await get(f"{base}/metrics")
    assert status == 200, text
    return {
        (s.name, frozenset(s.labels.items())): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


def probe(listen: str) -> int:
    """The container's HEALTHCHECK command."""
    return subprocess.run(
        [sys.executable, "-m", "bot.cli.healthcheck"],
        cwd=ROOT,
        capture_output=True,
        timeout=60,
        env={**os.environ, "DAKS_METRICS_LISTEN": listen},
    ).returncode


def successful_sends(api: FakeBotAPI) -> int:
    return sum(1 for c in api.calls if c.method in ("sendMessage", "sendDocument") and c.status == 200)


async def test_polling_mode_answers_health_readiness_and_metrics_on_the_metrics_port(
    api: FakeBotAPI, database_url: str, tmp_path: Path, content
) -> None:
    await seed(database_url, api, 2, content.consent.version)  # subscribers: one blocked the bot, one is gone
    listen = f"127.0.0.1:{free_port()}"
    base = f"http://{listen}"
    bot = BotProcess(
        api,
        bot_env(api, database_url, tmp_path, DAKS_METRICS_LISTEN=listen, TELEGRAM_PACING="true"),
        tmp_path / "bot.log",
    )
    await bot.start()
    try:
        assert await get(f"{base}/healthz") == (200, '{"status": "ok"}')
        anna = Person(api, api.user(1101, "Anna", "de"))
        await anna.says("/start", "Guten Tag")
        api.fail("sendMessage", "retry_after", chat_id=anna.user.id, retry_after=1)
        update = await api.send_text(anna.user, "Musterstadt")
        await api.wait_for(lambda: any("Was für eine Kommune ist Musterstadt?" in m.text for m in anna.chat))
        await api.push(update)  # the same update again: dropped as a duplicate
        await api.wait_for(lambda: not api.pending_updates)
        await anna.answers("2", "In welchem Land")  # a button
        await finished(database_url, await queue(database_url), timeout=60)
        await api.wait_idle(0.3)

        status, body = await get(f"{base}/readyz")
        assert (status, json.loads(body)) == (200, {"status": "ready", "checks": {"database": True, "telegram": True}})
        samples = await scrape(base)
        assert value(samples, "daks_updates_total", channel="telegram", outcome="answered") == 3
        assert value(samples, "daks_updates_total", channel="telegram", outcome="duplicate") == 1
        assert value(samples, "daks_update_seconds_count", channel="telegram") == 4
        assert value(samples, "daks_update_seconds_bucket", channel="telegram", le="+Inf") == 4
        assert value(samples, "daks_sends_total", platform="telegram") == successful_sends(api)
        assert value(samples, "daks_rate_limited_total", platform="telegram") == 1
        assert value(samples, "daks_outbox_deliveries", channel="telegram", state="skipped") == 2
        assert value(samples, "daks_outbox_deliveries", channel="telegram", state="sent") == 0, "nobody to reach"
        assert value(samples, "daks_database_errors_total", error="OperationalError") == 0
        assert value(samples, "process_resident_memory_bytes") > 0
        assert probe(listen) == 0
    finally:
        assert await bot.stop() == 0, bot.output()
    assert probe(listen) == 1, "nothing answers once the process is gone"
    assert "Traceback" not in bot.output()


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_webhook_mode_answers_them_on_the_webhook_port_and_shows_no_secret(
    api: FakeBotAPI, database_url: str, tmp_path: Path
) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = bot_env(
        api,
        database_url,
        tmp_path,
        TELEGRAM_WEBHOOK_URL=f"{base}/telegram/hook",
        TELEGRAM_WEBHOOK_LISTEN=f"127.0.0.1:{port}",
        TELEGRAM_WEBHOOK_SECRET="s3cret_-token",
    )
    bot = BotProcess(api, env, tmp_path / "bot.log")
    await bot.start(ready="setwebhook")
    try:
        mia = Person(api, api.user(1102, "Mia", "de"))
        await mia.says("/start", "Guten Tag")
        await mia.says("Musterstadt", "Was für eine Kommune ist Musterstadt?")
        assert await get(f"{base}/healthz") == (200, '{"status": "ok"}')
        status, body = await get(f"{base}/readyz")
        assert status == 200 and json.loads(body)["checks"] == {"database": True, "telegram": True}
        status, text = await get(f"{base}/metrics")
        assert status == 200 and api.token not in text and "s3cret_-token" not in text
        samples = await scrape(base)
        assert value(samples, "daks_updates_total", channel="telegram", outcome="answered") == 2
        assert value(samples, "daks_sends_total", platform="telegram") == successful_sends(api)
    finally:
        assert await bot.stop() == 0, bot.output()
    assert "Traceback" not in bot.output()


async def test_readiness_fails_while_the_database_is_gone_and_liveness_does_not(
    api: FakeBotAPI, postgres_url: str, tmp_path: Path
) -> None:
    listen = f"127.0.0.1:{free_port()}"
    base = f"http://{listen}"
    bot = BotProcess(api, bot_env(api, postgres_url, tmp_path, DAKS_METRICS_LISTEN=listen), tmp_path / "bot.log")
    await bot.start()
    try:
        await Person(api, api.user(1103, "Ole", "de")).says("/start", "Guten Tag")
        assert (await get(f"{base}/readyz"))[0] == 200
        name = postgres_url.rsplit("/", 1)[1]
        assert POSTGRES_ADMIN_URL.rsplit("/", 1)[0] in postgres_url
        await _admin(f'DROP DATABASE "{name}" WITH (FORCE)')
        status, body = await get(f"{base}/readyz")
        assert (status, json.loads(body)) == (
            503,
            {"status": "not ready", "checks": {"database": False, "telegram": True}},
        )
        assert await get(f"{base}/healthz") == (200, '{"status": "ok"}')
        samples = await scrape(base)  # still scraped, without the outbox
        assert value(samples, "daks_updates_total", channel="telegram", outcome="answered") == 1
        assert not [key for key in samples if key[0] == "daks_outbox_deliveries"]
    finally:
        assert await bot.stop() == 0, bot.output()


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_a_metrics_address_already_in_use_is_one_line_and_exit_code_2(
    api: FakeBotAPI, database_url: str, tmp_path: Path
) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        listen = f"127.0.0.1:{taken.getsockname()[1]}"
        env = bot_env(api, database_url, tmp_path, DAKS_METRICS_LISTEN=listen, DAKS_LOG_LEVEL="WARNING")
        result = subprocess.run(
            [sys.executable, "-m", "bot", "serve"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
        )
    assert result.returncode == 2
    [line] = result.stderr.strip().splitlines()
    assert line.startswith(f"DAKS_METRICS_LISTEN={listen}: cannot listen there (") and "already in use" in line
