"""Delivers broadcast messages on Telegram and reports exactly what happened to each."""

from __future__ import annotations

import logging

from bot.app.courier import SENT, Outcome
from bot.telegram.channel import TelegramChannel
from bot.telegram.render import render
from bot.telegram.send import CHANNEL, Lost, Moved, Undeliverable
from flows.messages import Outbound
from storage.outbox import Parcel

log = logging.getLogger(__name__)


class TelegramPostman:
    """Sends through the channel's sender, whose bot's rate limiter keeps the token's pace (shared between
    processes)."""

    channel = CHANNEL
    resendable = False
    """Telegram has no idempotency key: a send that may have arrived is never repeated."""

    def __init__(self, telegram: TelegramChannel, rate: float, paced: bool = True):
        self.sender = telegram.sender
        self.group = max(1, round(rate / 10)) if paced else 50

    async def deliver(self, parcel: Parcel, message: Outbound) -> Outcome:
        chat_id = int(parcel.address)
        for _ in range(2):
            try:
                await self._send(chat_id, message)
                return SENT
            except Moved as moved:  # not delivered; the group has a new id: send there
                chat_id = moved.new_chat_id
            except (Undeliverable, Lost) as refused:
                return refused.outcome
        return Outcome("failed", "migrated_twice")

    async def _send(self, chat_id: int, message: Outbound) -> None:
        for part in render(message):
            await self.sender.call(chat_id, "broadcast message", self.sender.message(chat_id, part))
        for attachment in message.attachments:
            try:
                await self.sender.call(chat_id, "broadcast attachment", self.sender.attachment(chat_id, attachment))
            except Lost:  # the message itself has arrived; it counts as sent
                log.warning("the attachment %s to %s was not sent", attachment.filename, chat_id)

    async def show(self, address: str, message: Outbound, shown: str | None) -> str | None:
        parts = render(message)
        if not parts:
            return shown
        part, chat_id = parts[0], int(address)
        if shown is not None:
            try:
                await self.sender.call(chat_id, "progress edit", self.sender.edit(chat_id, int(shown), part))
                return shown
            except Lost as lost:
                if lost.outcome.state != "failed":
                    raise
                log.info("progress message %s could not be edited (%s); sending a new one", shown, lost)
        sent = await self.sender.call(chat_id, "progress message", self.sender.message(chat_id, part))
        return str(sent.message_id) if sent is not None else shown
