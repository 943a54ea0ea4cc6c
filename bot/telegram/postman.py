"""Delivers broadcast messages on Telegram and reports exactly what happened to each."""

from __future__ import annotations

import logging

from telegram import InputFile, LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.app.courier import SENT, Outcome
from bot.telegram.channel import CHANNEL, TelegramChannel
from bot.telegram.render import render
from flows.messages import Outbound
from storage.outbox import Parcel

log = logging.getLogger(__name__)
_NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


class TelegramPostman:
    """Sends through the channel's bot, whose rate limiter keeps the token's pace (shared between processes)."""

    channel = CHANNEL
    resendable = False
    """Telegram has no idempotency key: a send that may have arrived is never repeated."""

    def __init__(self, telegram: TelegramChannel, rate: float, paced: bool = True):
        self.telegram = telegram
        self.group = max(1, round(rate / 10)) if paced else 50

    async def deliver(self, parcel: Parcel, message: Outbound) -> Outcome:
        chat_id = int(parcel.address)
        for _ in range(2):
            try:
                await self._send(chat_id, message)
                return SENT
            except ChatMigrated as exc:  # not delivered; the group has a new id: send there
                await self.telegram.companion.moved(CHANNEL, str(chat_id), str(exc.new_chat_id))
                chat_id = exc.new_chat_id
            except Forbidden:
                await self.telegram.companion.reachable(CHANNEL, str(chat_id), False, "blocked")
                return Outcome("skipped", "blocked")
            except BadRequest as exc:
                if "chat not found" in exc.message.lower():
                    await self.telegram.companion.reachable(CHANNEL, str(chat_id), False, "chat_not_found")
                    return Outcome("skipped", "chat_not_found")
                log.error("Telegram refused a broadcast message for %s: %s", chat_id, exc.message)
                return Outcome("failed", exc.message[:64])
            except TimedOut:
                return Outcome("unknown", "timed_out")
            except RetryAfter:
                return Outcome("queued", "flood")  # refused, so not delivered: try again later
            except NetworkError as exc:
                log.warning("a broadcast message to %s may not have arrived: %s", chat_id, exc.message)
                return Outcome("unknown", "network")
        return Outcome("failed", "migrated_twice")

    async def _send(self, chat_id: int, message: Outbound) -> None:
        bot = self.telegram.bot
        for part in render(message):
            await bot.send_message(chat_id, part.html, parse_mode=ParseMode.HTML, reply_markup=part.keyboard,
                                   link_preview_options=_NO_PREVIEW)
        for attachment in message.attachments:
            try:
                await bot.send_document(chat_id, InputFile(attachment.data, filename=attachment.filename),
                                        filename=attachment.filename)
            except (BadRequest, NetworkError) as exc:  # the message itself has arrived; it counts as sent
                log.warning("the attachment %s to %s failed: %s", attachment.filename, chat_id, exc.message)

    async def show(self, address: str, message: Outbound, shown: str | None) -> str | None:
        parts = render(message)
        if not parts:
            return shown
        part = parts[0]
        bot = self.telegram.bot
        if shown is not None:
            try:
                await bot.edit_message_text(part.html, int(address), int(shown), parse_mode=ParseMode.HTML,
                                            reply_markup=part.keyboard, link_preview_options=_NO_PREVIEW)
                return shown
            except BadRequest as exc:
                if "not modified" in exc.message:
                    return shown
                log.info("progress message %s could not be edited (%s); sending a new one", shown, exc.message)
        sent = await bot.send_message(int(address), part.html, parse_mode=ParseMode.HTML, reply_markup=part.keyboard,
                                      link_preview_options=_NO_PREVIEW)
        return str(sent.message_id)
