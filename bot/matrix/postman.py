"""Delivers broadcast messages on Matrix, with transaction ids that make a resend after a crash safe."""

from __future__ import annotations

import logging

from nio import RoomSendError

from bot.app.courier import SENT, Outcome
from bot.matrix.channel import CHANNEL, MatrixChannel
from bot.matrix.render import TEXT, contents
from flows.messages import Outbound
from storage.outbox import Parcel

log = logging.getLogger(__name__)


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
        for content in contents(message, TEXT):  # m.text: a broadcast must notify
            outcome = await self._post(parcel.address, content, f"daks-d{parcel.id}-{n}")
            if outcome is not SENT:
                return outcome
            n += 1
        for attachment in message.attachments:
            await self.matrix._file(parcel.address, attachment, f"daks-d{parcel.id}-{n}")
            n += 1
        return SENT

    async def _post(self, room_id: str, content: dict[str, object], txn: str) -> Outcome:
        error = await self.matrix._post(room_id, content, txn)
        if error is None:
            return SENT
        if error.status_code == "M_LIMIT_EXCEEDED":
            return Outcome("queued", "rate_limited")  # refused every time, so not delivered: try later
        if error.status_code == "M_FORBIDDEN":
            return Outcome("skipped", "forbidden")
        return Outcome("failed", (error.status_code or "error")[:64])

    async def show(self, address: str, message: Outbound, shown: str | None) -> str | None:
        parts = contents(message)
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

