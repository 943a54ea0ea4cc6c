"""Delivers broadcast messages on Matrix, with transaction ids that make a resend after a crash safe."""

from __future__ import annotations

import asyncio
import logging
import time

from nio import RoomSendError

from bot.courier import SENT, Outcome
from bot.matrix.channel import CHANNEL, MatrixChannel
from bot.matrix.render import notices
from flows.io import Outbound
from storage.outbox import Parcel

log = logging.getLogger(__name__)
RETRIES = 8


class MatrixPostman:
    """Sends into each subscriber's direct chat room; the homeserver deduplicates by transaction id."""

    channel = CHANNEL
    resendable = True

    def __init__(self, matrix: MatrixChannel):
        self.matrix = matrix
        rate = matrix.pace.rate if matrix.pace else 50.0
        self.group = max(1, round(rate / 2))

    async def deliver(self, parcel: Parcel, message: Outbound) -> Outcome:
        client = self.matrix.client
        room = client.rooms.get(parcel.address)
        if room is None or not [u for u in room.users if u != client.user_id]:
            reason = "no_room" if room is None else "left"
            await self.matrix.companion.unreachable_at(CHANNEL, parcel.address, reason)
            return Outcome("skipped", reason)
        n = 0
        for content in notices(message):
            outcome = await self._post(parcel.address, content, f"daks-d{parcel.id}-{n}")
            if outcome is not SENT:
                return outcome
            n += 1
        for attachment in message.attachments:
            await self.matrix._file(parcel.address, attachment, f"daks-d{parcel.id}-{n}")
            n += 1
        return SENT

    async def _post(self, room_id: str, content: dict[str, object], txn: str) -> Outcome:
        for _ in range(RETRIES):
            if self.matrix.pace is not None:
                wait = self.matrix.pace.reserve(time.monotonic())
                if wait > 0:
                    await asyncio.sleep(wait)
            response = await self.matrix.client.room_send(room_id, "m.room.message", content, tx_id=txn,
                                                          ignore_unverified_devices=True)
            if not isinstance(response, RoomSendError):
                return SENT
            if response.status_code == "M_LIMIT_EXCEEDED":
                await asyncio.sleep((response.retry_after_ms or 1000) / 1000)
                continue
            if response.status_code == "M_FORBIDDEN":
                return Outcome("skipped", "forbidden")
            log.error("could not send a broadcast to %s: %s %s", room_id, response.status_code, response.message)
            return Outcome("failed", (response.status_code or "error")[:64])
        return Outcome("queued", "rate_limited")

    async def show(self, address: str, message: Outbound, shown: str | None) -> str | None:
        parts = notices(message)
        if not parts:
            return shown
        content = dict(parts[0])
        if shown is not None:  # an edit (m.replace) of the first progress message
            content = {**{k: f"* {v}" if k == "body" else v for k, v in content.items()},
                       "m.new_content": parts[0], "m.relates_to": {"rel_type": "m.replace", "event_id": shown}}
        response = await self.matrix.client.room_send(address, "m.room.message", content,
                                                      ignore_unverified_devices=True)
        if isinstance(response, RoomSendError):
            log.warning("progress message not shown in %s: %s", address, response.message)
            return shown
        return shown or response.event_id

