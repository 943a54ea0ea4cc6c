"""`daks serve`: start every configured messenger channel and stop them cleanly on SIGTERM."""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Callable, Iterable
from typing import Protocol

from aiohttp import web

from bot.app.companion import Companion
from bot.app.courier import Courier, Postman
from bot.app.health import Probes
from bot.app.logs import status
from bot.app.pacing import SharedBudget
from bot.app.settings import Settings

log = logging.getLogger(__name__)


class Running(Protocol):
    name: str

    @property
    def postman(self) -> Postman:
        """The channel's way of delivering broadcasts."""
        ...

    @property
    def ready(self) -> bool:
        """Connected and taking messages."""
        ...

    async def start(self) -> str:
        """Connect and start taking messages; returns a line saying how it runs."""
        ...

    async def stop(self) -> None:
        """Stop taking messages, finish those in hand."""
        ...


def configured(settings: Settings) -> list[str]:
    """The messengers the settings turn on."""
    return [name for name, on in (("telegram", settings.telegram_token), ("matrix", settings.matrix_homeserver)) if on]


class Telegram:
    name = "Telegram"

    def __init__(self, companion: Companion, settings: Settings, routes: Iterable[web.RouteDef] = ()):
        """``routes`` are served on the webhook port too (health and metrics)."""
        from bot.telegram.channel import TelegramChannel
        from bot.telegram.postman import TelegramPostman
        from bot.telegram.updates import Polling, Webhook

        assert settings.telegram_token is not None
        token = settings.telegram_token.get_secret_value()
        key = f"telegram:{token.partition(':')[0]}"
        store = companion.store

        async def reserve(slots: int, interval: float, now: float) -> float:
            return await store.run(lambda unit: unit.reserve(key, slots, interval, now))

        budget = SharedBudget(reserve, settings.telegram_pace)
        self.channel = TelegramChannel(
            companion,
            token,
            base_url=settings.telegram_base_url,
            base_file_url=settings.telegram_base_file_url,
            pacing=settings.telegram_pacing,
            timeout=settings.telegram_timeout,
            budget=budget,
        )
        self.postman = TelegramPostman(self.channel, settings.telegram_pace, settings.telegram_pacing)
        self.intake: Polling | Webhook
        if settings.telegram_webhook_url:
            assert settings.telegram_webhook_secret is not None
            self.intake = Webhook(
                self.channel,
                settings.telegram_webhook_url,
                settings.telegram_webhook_listen,
                settings.telegram_webhook_secret.get_secret_value(),
                routes,
            )
            self.mode = f"webhook on {settings.telegram_webhook_listen}"
        else:
            self.intake = Polling(self.channel)
            self.mode = "polling"

    async def start(self) -> str:
        await self.channel.start()
        await self.intake.start()
        return f"Telegram channel running as @{self.channel.username} ({self.mode})."

    @property
    def ready(self) -> bool:
        return self.intake.running

    async def stop(self) -> None:
        await self.intake.stop()
        await self.channel.stop()


class Matrix:
    name = "Matrix"

    def __init__(self, companion: Companion, settings: Settings):
        from bot.matrix.channel import Access, MatrixChannel

        assert settings.matrix_homeserver and settings.matrix_user_id
        own = settings.matrix_user_id.partition(":")[2]
        servers = {s.strip() for s in settings.matrix_allowed_servers.split(",") if s.strip()} or {own}
        users = {u.strip() for u in settings.matrix_allowed_users.split(",") if u.strip()}
        secret = lambda value: value.get_secret_value() if value else None  # noqa: E731
        self.channel = MatrixChannel(
            companion,
            settings.matrix_homeserver,
            settings.matrix_user_id,
            settings.matrix_store,
            Access(frozenset(servers), frozenset(users)),
            password=secret(settings.matrix_password),
            access_token=secret(settings.matrix_access_token),
            device_id=settings.matrix_device_id,
            send_rate=settings.matrix_send_rate,
        )
        from bot.matrix.postman import MatrixPostman

        self.postman = MatrixPostman(self.channel)

    async def start(self) -> str:
        await self.channel.start()
        return (
            f"Matrix channel running as {self.channel.client.user_id} (device {self.channel.client.device_id}, "
            f"cross-signing {self.channel.cross_signing})."
        )

    @property
    def ready(self) -> bool:
        return self.channel.connected

    async def stop(self) -> None:
        await self.channel.stop()


async def serve(companion: Companion, settings: Settings) -> int:
    """Run until SIGTERM or SIGINT: stop taking messages, finish those in hand, then return."""
    names = configured(settings)
    probes = Probes(companion.store)
    channels: list[Running] = []
    if "telegram" in names:
        channels.append(Telegram(companion, settings, probes.routes))
    if "matrix" in names:
        channels.append(Matrix(companion, settings))
    probes.checks.update({c.name.lower(): _readiness(c) for c in channels})
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    if settings.metrics_listen:
        try:
            await probes.listen(settings.metrics_listen)
        except OSError as exc:
            status.error("DAKS_METRICS_LISTEN=%s: cannot listen there (%s).", settings.metrics_listen, exc.strerror)
            return 2
        status.info("Health and metrics on http://%s (/healthz, /readyz, /metrics).", settings.metrics_listen)
    started: list[Running] = []
    courier: Courier | None = None
    try:
        for channel in channels:
            if not await _start(channel, stop):
                return 0
            started.append(channel)
        courier = Courier(companion.store, companion.content, {c.postman.channel: c.postman for c in started})
        await courier.start()
        status.info("Broadcast sender running.")
        await stop.wait()
        log.info("stopping: no new messages; finishing those in hand")
    finally:
        if courier is not None:
            await courier.stop()
        for channel in reversed(started):
            await channel.stop()
            status.info("%s channel stopped.", channel.name)
        await probes.close()
    return 0


async def _start(channel: Running, stop: asyncio.Event) -> bool:
    """Start ``channel``; False when a stop came first. A channel that does not get going is closed again."""
    starting = asyncio.ensure_future(channel.start())
    stopping = asyncio.ensure_future(stop.wait())
    await asyncio.wait([starting, stopping], return_when=asyncio.FIRST_COMPLETED)
    stopping.cancel()
    if not starting.done():
        starting.cancel()
        await asyncio.gather(starting, return_exceptions=True)
    if starting.cancelled() or starting.exception() is not None:
        await channel.stop()
        error = None if starting.cancelled() else starting.exception()
        if error is not None:
            raise error
        return False
    status.info("%s Stop with Ctrl+C or SIGTERM.", starting.result())
    return True


def _readiness(channel: Running) -> Callable[[], bool]:
    """The health probe's check of ``channel``."""
    return lambda: channel.ready
