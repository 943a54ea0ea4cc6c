"""The one Telegram sender: the requests that put messages into a chat, and the one reading of Telegram's refusals."""

from __future__ import annotations

import logging
from collections.abc import Awaitable
from typing import TypeVar

from telegram import InputFile, LinkPreviewOptions, Message
from telegram.constants import ParseMode
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.ext import ExtBot

from bot.app.companion import Companion
from bot.app.courier import Outcome
from bot.telegram.render import Part, caption
from flows.messages import Attachment

log = logging.getLogger(__name__)
T = TypeVar("T")

CHANNEL = "telegram"
_NO_PREVIEW = LinkPreviewOptions(is_disabled=True)
PHOTO_LIMIT = 10 * 1000 * 1000
"""Bytes of a picture Telegram takes as a photo (10 MB); a bigger one goes as a document."""


class Undeliverable(Exception):
    """Telegram will not take messages for this chat (blocked, gone); stop sending to it."""

    def __init__(self, outcome: Outcome):
        super().__init__(outcome.reason)
        self.outcome = outcome


class Moved(Undeliverable):
    """The group became a supergroup with a new chat id."""

    def __init__(self, new_chat_id: int):
        super().__init__(Outcome("skipped", "migrated"))
        self.new_chat_id = new_chat_id


class Lost(Exception):
    """One request Telegram refused or may not have taken (already logged); the chat itself can still be reached."""

    def __init__(self, outcome: Outcome):
        super().__init__(outcome.reason)
        self.outcome = outcome


class TelegramSender:
    """Sends, edits and attaches for replies and broadcasts alike; a chat that is blocked, gone or moved is
    recorded with the Companion the moment Telegram says so."""

    def __init__(self, bot: ExtBot[int], companion: Companion):
        self.bot = bot
        self.companion = companion

    def message(self, chat_id: int, part: Part) -> Awaitable[Message]:
        return self.bot.send_message(
            chat_id, part.html, parse_mode=ParseMode.HTML, reply_markup=part.keyboard, link_preview_options=_NO_PREVIEW
        )

    def edit(self, chat_id: int, message_id: int, part: Part) -> Awaitable[Message | bool]:
        return self.bot.edit_message_text(
            part.html,
            chat_id,
            message_id,
            parse_mode=ParseMode.HTML,
            reply_markup=part.keyboard,
            link_preview_options=_NO_PREVIEW,
        )

    def attachment(self, chat_id: int, attachment: Attachment) -> Awaitable[Message]:
        """A PNG (a chart) as a photo, its text alternative as the plain caption; any other file as a document."""
        upload = InputFile(attachment.data, filename=attachment.filename)
        upload.mimetype = attachment.media_type  # ours, not a guess from the system's MIME table
        if attachment.media_type == "image/png" and len(attachment.data) <= PHOTO_LIMIT:
            return self.bot.send_photo(chat_id, upload, caption=caption(attachment.alt) or None)
        return self.bot.send_document(chat_id, upload, filename=attachment.filename)

    async def call(self, chat_id: int, what: str, request: Awaitable[T]) -> T | None:
        """One request to Telegram: its answer, or None for an edit that changed nothing.

        Raises Undeliverable (Moved for a migrated group) once recorded, and Lost for this request only.
        """
        try:
            return await request
        except Forbidden as exc:
            log.info("chat %s cannot be reached: %s", chat_id, exc.message)
            await self.reachable(chat_id, False, "blocked")
            raise Undeliverable(Outcome("skipped", "blocked")) from exc
        except ChatMigrated as exc:
            log.info("chat %s moved to %s", chat_id, exc.new_chat_id)
            await self._moved(chat_id, exc.new_chat_id)
            raise Moved(exc.new_chat_id) from exc
        except BadRequest as exc:
            if "not modified" in exc.message:
                return None
            if "chat not found" in exc.message.lower():
                await self.reachable(chat_id, False, "chat_not_found")
                raise Undeliverable(Outcome("skipped", "chat_not_found")) from exc
            log.error("Telegram refused a %s for chat %s: %s", what, chat_id, exc.message)
            raise Lost(Outcome("failed", exc.message[:64])) from exc
        except TimedOut as exc:
            log.warning("a %s to chat %s timed out; it may have arrived, so it is not sent again", what, chat_id)
            raise Lost(Outcome("unknown", "timed_out")) from exc
        except RetryAfter as exc:  # refused, so not delivered
            log.error(
                "a %s to chat %s was refused for flooding (retry after %.0f s)",
                what,
                chat_id,
                exc._retry_after.total_seconds(),
            )  # the exact figure (the public one may round)
            raise Lost(Outcome("queued", "flood")) from exc
        except NetworkError as exc:
            log.warning("a %s to chat %s may not have arrived: %s", what, chat_id, exc.message)
            raise Lost(Outcome("unknown", "network")) from exc

    async def reachable(self, chat_id: int, active: bool, status: str | None) -> None:
        """Record whether the chat takes messages; a failure to record is logged, never raised."""
        try:
            await self.companion.reachable(CHANNEL, str(chat_id), active, status)
        except Exception:
            log.exception("could not record that chat %s is %s", chat_id, status or "reachable")

    async def _moved(self, chat_id: int, new_chat_id: int) -> None:
        try:
            await self.companion.moved(CHANNEL, str(chat_id), str(new_chat_id))
        except Exception:
            log.exception("could not record that chat %s moved", chat_id)
