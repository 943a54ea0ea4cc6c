"""How updates reach the channel: long polling, or a webhook that Telegram calls."""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
from collections.abc import Iterable
from urllib.parse import urlsplit

from aiohttp import web
from telegram import Update
from telegram.error import Conflict, InvalidToken, NetworkError, TelegramError

from bot.app.companion import Unavailable
from bot.app.failures import Misconfigured
from bot.telegram.channel import ALLOWED_UPDATES, POLL_SECONDS, TelegramChannel

log = logging.getLogger(__name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
BACKOFF = (1.0, 2.0, 5.0, 10.0, 30.0)


class Polling:
    """getUpdates in a loop. An update is confirmed (by the next offset) only once it is stored,
    so a crash or a database outage makes Telegram deliver it again; duplicates are dropped by id."""

    def __init__(self, channel: TelegramChannel):
        self.channel = channel
        self.offset: int | None = None
        self._task: asyncio.Task[None] | None = None
        self._fetch: asyncio.Future[tuple[Update, ...]] | None = None
        self._stopping = False
        self._failing = False

    async def start(self) -> None:
        await self.channel.bot.delete_webhook(drop_pending_updates=False)
        self._task = asyncio.get_running_loop().create_task(self._run())

    @property
    def running(self) -> bool:
        """Polling, and the last getUpdates reached Telegram."""
        return self._task is not None and not self._task.done() and not self._failing

    async def stop(self) -> None:
        """Stop asking for updates; the batch in hand is finished and confirmed."""
        self._stopping = True
        if self._fetch is not None and not self._fetch.done():
            self._fetch.cancel()
        if self._task is not None:
            await self._task
        if self.offset is not None:  # confirm what was taken, so a restart does not fetch it again
            try:
                await self.channel.bot.get_updates(
                    offset=self.offset, limit=1, timeout=0, allowed_updates=ALLOWED_UPDATES
                )
            except TelegramError as exc:
                log.info("could not confirm the last updates: %s", exc.message)

    async def _run(self) -> None:
        failures = 0
        while not self._stopping:
            try:
                self._fetch = asyncio.ensure_future(
                    self.channel.bot.get_updates(
                        offset=self.offset, timeout=POLL_SECONDS, allowed_updates=ALLOWED_UPDATES
                    )
                )
                updates = await self._fetch
            except asyncio.CancelledError:
                if self._stopping:
                    return
                raise
            except InvalidToken:
                log.error("Telegram refused the bot token; polling stops")
                return
            except (Conflict, NetworkError) as exc:
                delay = BACKOFF[min(failures, len(BACKOFF) - 1)]
                failures += 1
                self._failing = True
                log.warning("getUpdates failed (%s: %s); again in %.0f s", type(exc).__name__, exc.message, delay)
                await asyncio.sleep(delay)
                continue
            self._failing = False
            try:
                await self.channel.take(list(updates))
            except Unavailable:
                delay = BACKOFF[min(failures, len(BACKOFF) - 1)]
                failures += 1
                log.warning("database unavailable; the updates stay unconfirmed and come again in %.0f s", delay)
                await asyncio.sleep(delay)
                continue
            failures = 0
            if updates:
                self.offset = updates[-1].update_id + 1


class Webhook:
    """An HTTP endpoint for Telegram. It answers 200 once the update is stored, 503 when it cannot
    be, so Telegram sends it again, and 403 without the right secret header."""

    def __init__(
        self, channel: TelegramChannel, url: str, listen: str, secret: str, routes: Iterable[web.RouteDef] = ()
    ):
        self.channel, self.url, self.secret = channel, url, secret.encode()
        self.routes = list(routes)
        """More routes on the same port (health and metrics)."""
        self.host, _, port = listen.rpartition(":")
        self.port = int(port)
        self.path = urlsplit(url).path or "/"
        self._runner: web.AppRunner | None = None

    async def start(self) -> None:
        app = web.Application(client_max_size=1 << 20)
        app.router.add_post(self.path, self.receive)
        app.add_routes(self.routes)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await self._runner.setup()
        try:
            await web.TCPSite(self._runner, self.host.strip("[]") or None, self.port).start()
        except OSError as exc:
            raise Misconfigured(
                f"The webhook cannot listen on {self.host}:{self.port}: {exc.strerror}.\n"
                "Set TELEGRAM_WEBHOOK_LISTEN to a free host:port."
            ) from exc
        await self.channel.bot.set_webhook(
            self.url, secret_token=self.secret.decode(), allowed_updates=ALLOWED_UPDATES, max_connections=40
        )

    @property
    def running(self) -> bool:
        return self._runner is not None and bool(self._runner.sites)

    async def stop(self) -> None:
        """Stop taking requests; the ones in hand finish first. The webhook stays registered."""
        if self._runner is not None:
            await self._runner.cleanup()

    async def receive(self, request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, self.secret):
            log.warning("webhook request without the right secret from %s", request.remote)
            return web.Response(status=403, text="forbidden")
        try:
            update = Update.de_json(json.loads(await request.read()), self.channel.bot)
        except (ValueError, TypeError, KeyError) as exc:
            log.warning("webhook request with a body that is not an update: %s", exc)
            return web.Response(status=400, text="not an update")
        if update is None:
            return web.Response(status=400, text="not an update")
        try:
            await self.channel.process(update)
        except Unavailable:
            return web.Response(status=503, text="cannot store the update now; send it again")
        return web.Response(status=200)
