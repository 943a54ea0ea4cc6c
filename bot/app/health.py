"""/healthz, /readyz and /metrics for `daks serve`.

``/healthz``: the process is up. ``/readyz``: the database answers and every configured channel
is connected (200 with a JSON body naming each check, else 503). ``/metrics``: Prometheus text.
In webhook mode the routes sit on the webhook port; with ``DAKS_METRICS_LISTEN`` (host:port)
they are also served there (polling mode, Matrix only). bot/cli/healthcheck.py is the container's probe.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST

from bot.app.metrics import METRICS, Metrics
from storage.database import ping
from storage.store import Store

log = logging.getLogger(__name__)
TIMEOUT = 2.0
"""Seconds a check may take; slower counts as failed."""


@dataclass
class Probes:
    """The three endpoints over the store, the configured channels' readiness and the metrics."""

    store: Store
    metrics: Metrics = METRICS
    checks: dict[str, Callable[[], bool]] = field(default_factory=dict)
    """Channel name -> whether it is connected (added by `daks serve` for each configured channel)."""
    _runner: web.AppRunner | None = field(default=None, init=False)

    @property
    def routes(self) -> list[web.RouteDef]:
        return [web.get("/healthz", self.healthz), web.get("/readyz", self.readyz), web.get("/metrics", self.scrape)]

    async def listen(self, address: str) -> None:
        """Serve the routes on ``host:port`` (an empty host or 0.0.0.0: every interface)."""
        app = web.Application()
        app.add_routes(self.routes)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await self._runner.setup()
        host, _, port = address.rpartition(":")
        await web.TCPSite(self._runner, host.strip("[]") or None, int(port)).start()

    async def close(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    async def healthz(self, _: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    async def readyz(self, _: web.Request) -> web.Response:
        checks = {"database": await self._database_ready(), **{name: ready() for name, ready in self.checks.items()}}
        ready = all(checks.values())
        return web.json_response(
            {"status": "ready" if ready else "not ready", "checks": checks}, status=200 if ready else 503
        )

    async def scrape(self, _: web.Request) -> web.Response:
        try:
            rows = await asyncio.wait_for(self.store.run(lambda unit: unit.outbox_rows()), TIMEOUT)
        except Exception as exc:  # the other metrics are still worth having
            log.warning("outbox not counted: the database did not answer (%s)", type(exc).__name__)
            rows = None
        self.metrics.outbox.rows = rows
        return web.Response(body=self.metrics.exposition(), headers={"Content-Type": CONTENT_TYPE_LATEST})

    async def _database_ready(self) -> bool:
        try:
            await asyncio.wait_for(self.store.run_connection(ping), TIMEOUT)
        except Exception as exc:
            log.warning("not ready: the database did not answer (%s)", type(exc).__name__)
            return False
        return True
