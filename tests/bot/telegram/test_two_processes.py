"""Two `daks serve` processes in webhook mode behind one load balancer, one person's conversation.

Telegram delivers one chat's updates one after the other; the balancer hands them to the two
processes in turn, so every message is read by the process that did not write the one before.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from tests.bot.app.test_concurrent_writers import many_lists_content, stored_lists
from tests.bot.telegram.conftest import BotProcess, Person, bot_env
from tests.conftest import free_port
from tests.fakes.bot_api import FakeBotAPI

POINTS = 50
_ACK = re.compile(r"Notiert \((\d+)\)")


async def test_two_webhook_processes_take_turns_on_one_conversation_and_lose_nothing(
    api: FakeBotAPI, database_url: str, tmp_path: Path
) -> None:
    content = many_lists_content(tmp_path / "content")
    bots, urls = [], []
    for n in range(2):
        port = free_port()
        urls.append(f"http://127.0.0.1:{port}/telegram/hook")
        env = bot_env(
            api,
            database_url,
            tmp_path / f"p{n}",
            DAKS_CONTENT_DIR=str(content),
            TELEGRAM_WEBHOOK_URL=urls[-1],
            TELEGRAM_WEBHOOK_LISTEN=f"127.0.0.1:{port}",
            TELEGRAM_WEBHOOK_SECRET="zwei_prozesse",
        )
        bot = BotProcess(api, env, tmp_path / f"bot{n}.log")
        await bot.start(ready="setwebhook")
        bots.append(bot)
    api.balance = urls
    try:
        lea = Person(api, api.user(2024, "Lea", "de"))
        for line, expect in [
            ("/start", "Für welche Kommune"),
            ("Musterstadt", "Was für eine Kommune"),
            ("2", "In welchem Land"),
            ("13", "Wie viele Menschen"),
            ("3", "Welche Handlungsfelder"),
            ("2, 5, 9", "Kick-Off · Frage 1"),
            ("Bürgermeisterin", "Wer koordiniert"),
            ("Hauptamt", "Wer gehört zur Steuerungsgruppe?"),
        ]:
            await lea.answers(line, expect)
        typed: list[list[str]] = []
        for n in range(4):
            typed.append([f"Stelle {n}-{i:02d}" for i in range(POINTS)])
            for place, point in enumerate(typed[-1], 1):
                replies = await lea.says(point, "Notiert")
                new = [r for r in replies if r.edits == 0]  # not an older question whose buttons were removed
                acknowledged = [int(m.group(1)) for r in new if (m := _ACK.search(r.text))]
                assert acknowledged == [place], f"{point}: {[r.text for r in replies]}"
            await lea.says("fertig", "Wer gehört zur Steuerungsgruppe?")
    finally:
        for bot in bots:
            assert await bot.stop() == 0, bot.output()
    for bot in bots:
        assert "Traceback" not in bot.output(), bot.output()

    by_process = Counter(api.delivered_to)
    assert set(by_process) == set(urls) and min(by_process.values()) >= 100, by_process
    stored = await stored_lists(database_url, "2024", channel="telegram")
    assert stored[:4] == typed
