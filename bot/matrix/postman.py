"""Delivers broadcast messages on Matrix, with transaction ids that make a resend after a crash safe."""

from __future__ import annotations

import logging

from bot.app.courier import SENT, Outcome
from bot.matrix.channel import MatrixChannel
from bot.matrix.render import TEXT, contents
from bot.matrix.send import CHANNEL, delivery_txn, outcome
from flows.messages import Outbound
from storage.outbox import Parcel

log = logging.getLogger(__name__)


class MatrixPostman:
    """Sends into each subscriber's direct chat room through the channel's sender; the homeserver deduplicates by
    transaction id."""

    channel = CHANNEL
    resendable = True

    def __init__(self, matrix: MatrixChannel):
        self.companion = matrix.companion
        self.sender = matrix.sender
        rate = self.sender.pace.rate if self.sender.pace else 50.0
        self.group = max(1, round(rate / 2))

    async def deliver(self, parcel: Parcel, message: Outbound) -> Outcome:
        client = self.sender.client
        room = client.rooms.get(parcel.address)
        if room is None or not [u for u in room.users if u != client.user_id]:
            reason = "no_room" if room is None else "left"
            await self.companion.unreachable_at(CHANNEL, parcel.address, reason)
            return Outcome("skipped", reason)
        n = 0
        for content in contents(message, TEXT):  # m.text: a broadcast must notify
            result = outcome(await self.sender.post(parcel.address, content, delivery_txn(parcel.id, n)))
            if result is not SENT:
                return result
            n += 1
        for attachment in message.attachments:
            await self.sender.file(parcel.address, attachment, delivery_txn(parcel.id, n))
            n += 1
        return SENT

    async def show(self, address: str, message: Outbound, shown: str | None) -> str | None:
        parts = contents(message)
        if not parts:
            return shown
        content: dict[str, object] = dict(parts[0])
        if shown is not None:  # an edit (m.replace) of the first progress message
            content = {
                **{k: f"* {v}" if k == "body" else v for k, v in parts[0].items()},
                "m.new_content": parts[0],
                "m.relates_to": {"rel_type": "m.replace", "event_id": shown},
            }
        event_id = await self.sender.once(address, content)
        return shown or event_id
