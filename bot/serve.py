"""`daks serve`: start every configured messenger channel and stop them cleanly on SIGTERM."""

from __future__ import annotations

import asyncio
import logging
import signal
import sys
from typing import Protocol

from bot.companion import Companion
from bot.settings import Settings

log = logging.getLogger(__name__)


class Intake(Protocol):
    async def start(self) -> None: ...
    async def stop(self) -> None: ...


def configured(settings: Settings) -> list[str]:
    """The messengers the settings turn on."""
    return ["telegram"] if settings.telegram_token else []


async def serve(companion: Companion, settings: Settings) -> int:
    """Run until SIGTERM or SIGINT: stop taking updates, finish those in hand, then return."""
    from bot.telegram.channel import TelegramChannel
    from bot.telegram.intake import Polling, Webhook

    assert settings.telegram_token is not None
    channel = TelegramChannel(companion, settings.telegram_token.get_secret_value(),
                              base_url=settings.telegram_base_url, base_file_url=settings.telegram_base_file_url,
                              pacing=settings.telegram_pacing, timeout=settings.telegram_timeout)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    starting = asyncio.ensure_future(channel.start())
    await asyncio.wait([starting, asyncio.ensure_future(stop.wait())], return_when=asyncio.FIRST_COMPLETED)
    if not starting.done():
        starting.cancel()
        return 0
    starting.result()
    intake: Intake
    if settings.telegram_webhook_url:
        assert settings.telegram_webhook_secret is not None
        intake = Webhook(channel, settings.telegram_webhook_url, settings.telegram_webhook_listen,
                         settings.telegram_webhook_secret.get_secret_value())
        mode = f"webhook on {settings.telegram_webhook_listen}"
    else:
        intake = Polling(channel)
        mode = "polling"
    await intake.start()
    print(f"Telegram channel running as @{channel.username} ({mode}). Stop with Ctrl+C or SIGTERM.",
          file=sys.stderr, flush=True)
    await stop.wait()
    log.info("stopping: no new updates; finishing those in hand")
    await intake.stop()
    await channel.stop()
    print("Telegram channel stopped.", file=sys.stderr, flush=True)
    return 0
