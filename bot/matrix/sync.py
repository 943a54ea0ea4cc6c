"""The Matrix sync loop: long polls, the device's keys kept up, and the sync token saved once a batch is handled."""

from __future__ import annotations

import asyncio
import logging
import os
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from nio import AsyncClient, SyncResponse

from bot.app.companion import Unavailable

log = logging.getLogger(__name__)

SYNC_MS = 30_000


class SyncLoop:
    """Hands each sync batch to ``take`` (with True for the first one of a fresh store, whose history is old).

    The token is saved only after ``take`` returned, so a crash repeats a batch (dropped by event id) instead
    of losing it; a batch that fails is synced again after a pause.
    """

    def __init__(self, client: AsyncClient, token_file: Path, take: Callable[[SyncResponse, bool], Awaitable[None]]):
        self.client = client
        self.token_file = token_file
        self.take = take
        self._stopping = False
        self._task: asyncio.Task[None] | None = None
        self._fetch: asyncio.Future[object] | None = None
        self.synced_at: float | None = None
        """When the last sync succeeded (monotonic clock)."""

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run())

    async def stop(self) -> None:
        """Finish the batch in hand and save its token."""
        self._stopping = True
        if self._fetch is not None and not self._fetch.done():
            self._fetch.cancel()  # waiting for new events; nothing in hand
        if self._task is not None:
            await self._task

    @property
    def connected(self) -> bool:
        """Syncing, and the last sync succeeded within two long polls."""
        running = self._task is not None and not self._task.done()
        return running and self.synced_at is not None and time.monotonic() - self.synced_at < 2 * SYNC_MS / 1000 + 10

    async def _run(self) -> None:
        since = self.token_file.read_text().strip() if self.token_file.exists() else None
        first = since is None
        full = True  # nio keeps no room list between runs: the first sync of a process asks for full state
        failures = 0
        while not self._stopping:
            self._fetch = asyncio.ensure_future(
                self.client.sync(timeout=0 if first or full else SYNC_MS, since=since, full_state=full or None)
            )
            try:
                response = await self._fetch
            except asyncio.CancelledError:
                if self._stopping:
                    return
                raise
            if not isinstance(response, SyncResponse):
                self.synced_at = None
                failures += 1
                log.warning("Matrix sync failed: %s", getattr(response, "message", response))
                await asyncio.sleep(min(2**failures, 30))
                continue
            self.synced_at = time.monotonic()
            try:
                await self._keys()
                await self.take(response, first)
            except Unavailable:
                failures += 1
                log.warning("database unavailable; this batch is synced again")
                await asyncio.sleep(min(2**failures, 30))
                continue
            except Exception:
                failures += 1
                log.exception("a Matrix sync batch could not be handled; it is synced again")
                await asyncio.sleep(min(2**failures, 30))
                continue
            failures, first, full, since = 0, False, False, response.next_batch
            write_private(self.token_file, since)

    async def _keys(self) -> None:
        client = self.client
        if client.should_upload_keys:
            await client.keys_upload()
        if client.should_query_keys:
            await client.keys_query()
        if client.should_claim_keys:
            await client.keys_claim(client.get_users_for_key_claiming())
        await client.send_to_device_messages()


def write_private(path: Path, text: str) -> None:
    """Write atomically, readable by this user only (it may hold an access token)."""
    temporary = path.with_suffix(".tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(text)
    os.replace(temporary, path)
