"""The Telegram channel: updates in (polling or webhook), the Companion, replies out in order per chat."""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar
from urllib.parse import urlsplit

from telegram import BotCommand, Update
from telegram.error import InvalidToken, NetworkError, TelegramError
from telegram.ext import ExtBot

from bot.app.companion import Companion, Response, Unavailable
from bot.app.failures import Misconfigured, Unreachable, network_reason, reach
from bot.app.pacing import Budget
from bot.telegram.inbound import Incoming, Press, group_command, incoming, language, with_file
from bot.telegram.pacing import Pacing
from bot.telegram.render import Part, answered, button, keyboard, page_of, render, units
from bot.telegram.send import CHANNEL, Lost, Moved, TelegramSender, Undeliverable
from bot.telegram.transport import AiohttpRequest
from flows import notices
from flows.conversation.actions import Effect
from flows.messages import Outbound
from flows.team import rooms

log = logging.getLogger(__name__)
T = TypeVar("T")

ALLOWED_UPDATES = ["message", "edited_message", "callback_query", "my_chat_member"]
POLL_SECONDS = 25
NOTE_EVERY = 3600.0
"""Seconds between two notes to the same group that the bot only works in private chats."""
OUTAGE_NOTE_EVERY = 60.0
_COMMAND_NAME = re.compile(r"^[a-z0-9_]{1,32}$")


class Refused(Misconfigured):
    """Telegram will not let the bot in at all (a wrong token); the message says what to do."""


class TelegramChannel:
    """Hands Telegram updates to the Companion and renders its replies.

    One chat's updates are handled one after the other and its replies sent in the same order;
    different chats run concurrently. An update counts as taken once its answer is committed.
    """

    def __init__(
        self,
        companion: Companion,
        token: str,
        *,
        base_url: str,
        base_file_url: str,
        pacing: bool = True,
        timeout: float = 10.0,
        budget: Budget | None = None,
    ):
        self.companion = companion
        self.languages = tuple(companion.content.manifest.languages)
        request = AiohttpRequest(
            connections=32, read_timeout=timeout, write_timeout=timeout, connect_timeout=timeout, pool_timeout=timeout
        )
        polling = AiohttpRequest(connections=2, read_timeout=POLL_SECONDS + timeout, connect_timeout=timeout)
        self._requests = (request, polling)
        self._api = urlsplit(base_url).netloc
        self.bot = ExtBot(
            token,
            base_url=base_url,
            base_file_url=base_file_url,
            request=request,
            get_updates_request=polling,
            rate_limiter=Pacing(budget=budget) if pacing else None,
        )
        self.sender = TelegramSender(self.bot, companion)
        self._tails: dict[int, asyncio.Task[None]] = {}
        self._noted: dict[int, float] = {}
        self._asking: dict[int, tuple[int, Part]] = {}
        """Per chat, the message whose buttons answer the current question, as sent (older ones lose their
        buttons). Its own HTML and button labels record the answer, not what the Bot API echoes of it: a
        server may leave the formatting (entities) out of a pressed message, or the whole message when it is
        no longer accessible, and the bold header would be lost."""
        self._stopping = asyncio.Event()

    # -- lifecycle -----------------------------------------------------------
    async def start(self) -> None:
        """Connect (trying again for a few seconds while the Bot API is unreachable) and publish the command
        menus. Raises Refused for a wrong token and Unreachable when the Bot API does not answer."""
        try:
            await reach(self.bot.initialize, lambda exc: isinstance(exc, NetworkError), "Telegram Bot API")
        except InvalidToken:  # its message holds the token: not chained
            raise Refused("Telegram refused the bot token (TELEGRAM_TOKEN); check it with @BotFather.") from None
        except NetworkError as exc:
            raise Unreachable(
                f"Cannot reach the Telegram Bot API at {self._api}: {network_reason(exc)}.\n"
                "Check the network (or TELEGRAM_BASE_URL), then start again."
            ) from exc
        self.companion.join_links[CHANNEL] = f"https://t.me/{self.username}?start=join-{{code}}"
        await self._publish_commands()
        await self._describe()

    async def stop(self) -> None:
        """Finish sending what was already taken in, then close the connections (also after a failed start)."""
        self._stopping.set()
        pending = [task for task in self._tails.values() if not task.done()]
        if pending:
            await asyncio.wait(pending, timeout=20)
        await self.bot.shutdown()
        for request in self._requests:  # shutdown() skips them when the bot never got past getMe
            await request.shutdown()

    @property
    def username(self) -> str:
        return self.bot.username

    async def _publish_commands(self) -> None:
        content = self.companion.content
        for lang in (None, *self.languages):
            code = lang or self.companion.default_language
            commands = []
            for command in content.commands:
                if command.hidden:
                    continue
                names = [n for n in command.names.get(code, command.names["de"]) if _COMMAND_NAME.match(n)]
                summary = command.summary.root.get(code) or command.summary.root["de"]
                if names:
                    commands.append(BotCommand(names[0], summary[:256]))
            try:
                await self.bot.set_my_commands(commands[:100], language_code=lang)
            except TelegramError as exc:
                log.warning("could not set the %s command menu: %s", lang or "default", exc.message)

    async def _describe(self) -> None:
        """What the empty chat shows before Start, per language; without a language code in the default one."""
        catalogues = self.companion.content.catalogues
        for lang in (None, *self.languages):
            t = catalogues.translator(lang or self.companion.default_language)
            try:
                await self.bot.set_my_description(t(notices.DESCRIPTION)[:512], language_code=lang)
                await self.bot.set_my_short_description(t(notices.SHORT_DESCRIPTION)[:120], language_code=lang)
            except TelegramError as exc:
                log.warning("could not set the %s description: %s", lang or "default", exc.message)

    # -- updates in ------------------------------------------------------------
    async def take(self, updates: list[Update]) -> None:
        """Handle a batch: chats concurrently, each chat in order. Raises Unavailable if any was not stored."""
        chats: dict[int | tuple[str, int], list[Update]] = {}
        for update in updates:
            chat = update.effective_chat
            chats.setdefault(chat.id if chat else ("update", update.update_id), []).append(update)
        results = await asyncio.gather(*(self._in_order(batch) for batch in chats.values()), return_exceptions=True)
        for result in results:
            if isinstance(result, BaseException):
                raise result

    async def _in_order(self, updates: list[Update]) -> None:
        for update in updates:
            await self.process(update)

    async def process(self, update: Update) -> None:
        """Take one update. Raises only Unavailable (not stored: the platform must deliver it again)."""
        try:
            if update.my_chat_member is not None:
                return await self._membership(update)
            item = incoming(update, self.bot.id, self.username, self.languages)
            if item is None:
                return self._elsewhere(update)
            item = await with_file(item, update, self.bot)
            if item.press is not None and item.press.page is not None and await self._turn_page(item):
                return None
            if item.press is not None and item.inbound.choice == "_done":
                await self._name_the_picks(item)
            try:
                response = await self.companion.handle(
                    CHANNEL, str(item.chat_id), item.inbound, hint=item.hint, redeliverable=True, documents=False
                )
            except Unavailable:
                self._outage_note(item)
                raise
            self._queue(item.chat_id, lambda: self._deliver(item, response))
        except Unavailable:
            raise
        except Exception:
            log.exception("update %s could not be handled", update.update_id)
        return None

    async def _turn_page(self, item: Incoming) -> bool:
        """Show another page of the current question's buttons; False when that question is gone."""
        press = item.press
        assert press is not None and press.page is not None
        try:
            current = await self.companion.current(CHANNEL, str(item.chat_id))
        except Exception:
            log.exception("could not read the current question for a page turn")
            return False
        if press.turn is None or current.turn != press.turn or not current.choices or press.message_id is None:
            return False
        markup = keyboard(current.choices, press.turn, press.page)
        message_id = press.message_id

        async def turn() -> None:
            await self._answer_query(press.query_id)
            await self._call(
                item.chat_id,
                "page turn",
                self.bot.edit_message_reply_markup(item.chat_id, message_id, reply_markup=markup),
            )

        self._queue(item.chat_id, turn)
        return True

    async def _name_the_picks(self, item: Incoming) -> None:
        """A multiple choice's Done is recorded under the question as what was picked, not as "Done"."""
        press = item.press
        assert press is not None
        try:
            current = await self.companion.current(CHANNEL, str(item.chat_id))
        except Exception:
            log.exception("could not read the current question for its picks")
            return
        if current.turn != press.turn or all(c.selected is None for c in current.choices):
            return
        press.label = ", ".join(button(c) for c in current.choices if c.selected) or "–"

    async def _membership(self, update: Update) -> None:
        member = update.my_chat_member
        assert member is not None
        chat, status = member.chat, member.new_chat_member.status
        if chat.type == "private":
            blocked = status in ("kicked", "left")
            await self.sender.reachable(chat.id, not blocked, "blocked" if blocked else None)
        elif status in ("member", "administrator"):
            self._group_note(chat.id, member.from_user.language_code if member.from_user else None)

    def _elsewhere(self, update: Update) -> None:
        """Groups get a note that the bot works in private chats; button presses there are answered."""
        chat, user = update.effective_chat, update.effective_user
        if update.callback_query is not None:
            query_id = update.callback_query.id
            self._queue(chat.id if chat else 0, lambda: self._answer_query(query_id))
        if chat is not None and chat.type != "private" and update.message is not None:
            name = group_command(update, self.username)
            if user is not None and self.companion.content.command_names.get(name or "") in rooms.BINDS:
                return self._bind(chat.id, str(user.id), language(user.language_code, self.languages))
            self._group_note(chat.id, user.language_code if user else None)

    def _bind(self, chat_id: int, ref: str, hint: str | None) -> None:
        """The room command in a group: its coordinator binds the group to their team, which hears about it there."""

        async def bind() -> None:
            response = await self.companion.bind_room(CHANNEL, str(chat_id), ref, hint)
            for reply in response.replies:
                await self._send(chat_id, reply)

        self._queue(chat_id, bind)

    # -- replies out -------------------------------------------------------------
    def _queue(self, chat_id: int, job: Callable[[], Awaitable[None]]) -> None:
        """Run ``job`` after everything queued for this chat before it."""
        previous = self._tails.get(chat_id)

        async def after() -> None:
            if previous is not None:
                await asyncio.wait([previous])
            try:
                await job()
            except Undeliverable:
                pass
            except Exception:
                log.exception("sending to a Telegram chat failed")

        task = asyncio.get_running_loop().create_task(after())
        self._tails[chat_id] = task
        task.add_done_callback(
            lambda done: self._tails.pop(chat_id, None) if self._tails.get(chat_id) is done else None
        )

    async def _deliver(self, item: Incoming, response: Response) -> None:
        await self.companion.make_documents(CHANNEL, response)  # here, not in the intake: polling goes on meanwhile
        replies = list(response.replies)
        press = item.press
        if press is not None:
            await self._answer_query(press.query_id)
            if (
                item.inbound.command is None
                and press.message_id is not None
                and await self._settle(item.chat_id, press, replies, response.effects)
            ):
                return
        for reply in replies:
            await self._send(item.chat_id, reply)

    async def _settle(self, chat_id: int, press: Press, replies: list[Outbound], effects: list[Effect]) -> bool:
        """Update the message whose button was pressed; True when that edit was the whole reply."""
        assert press.message_id is not None
        last = replies[-1] if replies else None
        if (
            Effect.STALE not in effects
            and len(replies) == 1
            and last is not None
            and last.turn == press.turn
            and last.choices
        ):
            parts = render(last, page=page_of(last.choices, press.data.partition(":")[2]))
            if len(parts) == 1:  # the same question, changed (a tick set): edit it in place
                await self._edit(chat_id, press.message_id, parts[0])
                if self._asking.get(chat_id, (None,))[0] == press.message_id:
                    self._asking[chat_id] = (press.message_id, parts[0])
                return True
        html, label = press.html, press.label
        asked = self._asking.get(chat_id)
        if asked is not None and asked[0] == press.message_id:
            del self._asking[chat_id]
            html, label = asked[1].html, label or _label(asked[1], press.data)
        if Effect.STALE in effects or not label or units(press.text) + units(label) + 4 > 4096:
            await self._call(
                chat_id,
                "keyboard removal",
                self.bot.edit_message_reply_markup(chat_id, press.message_id, reply_markup=None),
            )
        else:
            await self._edit(chat_id, press.message_id, Part(answered(html, label)))
        return False

    async def _send(self, chat_id: int, reply: Outbound) -> None:
        parts = render(reply)
        asks = reply.turn is not None and any(part.keyboard is not None for part in parts)
        if asks:
            await self._retire_buttons(chat_id)
        for part in parts:
            sent = await self._call(chat_id, "message", self.sender.message(chat_id, part))
            if asks and part.keyboard is not None and sent is not None:
                self._asking[chat_id] = (sent.message_id, part)
        for attachment in reply.attachments:
            await self._call(chat_id, "attachment", self.sender.attachment(chat_id, attachment))

    async def _retire_buttons(self, chat_id: int) -> None:
        """A new question is coming: the buttons of the one before it go, so that one set of buttons is active."""
        previous = self._asking.pop(chat_id, None)
        if previous is not None:
            await self._call(
                chat_id,
                "keyboard removal",
                self.bot.edit_message_reply_markup(chat_id, previous[0], reply_markup=None),
            )

    async def _edit(self, chat_id: int, message_id: int, part: Part) -> None:
        await self._call(chat_id, "edit", self.sender.edit(chat_id, message_id, part))

    async def _answer_query(self, query_id: str) -> None:
        try:
            await self.bot.answer_callback_query(query_id)
        except TelegramError as exc:  # an old query cannot be answered any more; nothing to do
            log.info("callback query not answered: %s", exc.message)

    async def _call(self, chat_id: int, what: str, request: Awaitable[T]) -> T | None:
        """One request to Telegram and its answer; a lost one is logged by the sender, never reaches the user,
        and gives None. Raises Undeliverable when the chat takes no more messages."""
        try:
            return await self.sender.call(chat_id, what, request)
        except Lost:
            return None

    # -- notes ---------------------------------------------------------------
    def _group_note(self, chat_id: int, code: str | None) -> None:
        if not self._due(chat_id, NOTE_EVERY):
            return
        note = self.companion.notice(language(code, self.languages), notices.PRIVATE_CHATS_ONLY, bot=self.username)

        async def send() -> None:
            try:
                await self._send(chat_id, note.replies[0])
            except Moved as moved:
                await self._send(moved.new_chat_id, note.replies[0])

        self._queue(chat_id, send)

    def _outage_note(self, item: Incoming) -> None:
        if not self._due(item.chat_id, OUTAGE_NOTE_EVERY):
            return
        note = self.companion.notice(item.hint, notices.NOT_SAVED_LATER)
        self._queue(item.chat_id, lambda: self._send(item.chat_id, note.replies[0]))

    def _due(self, chat_id: int, every: float) -> bool:
        now = time.monotonic()
        if now - self._noted.get(chat_id, -every) < every:
            return False
        if len(self._noted) > 10_000:
            self._noted = {k: v for k, v in self._noted.items() if now - v < every}
        self._noted[chat_id] = now
        return True


def _label(part: Part, data: str) -> str:
    """The text of the button with callback data ``data`` in a message as sent."""
    rows = part.keyboard.inline_keyboard if part.keyboard else ()
    return next((str(b.text) for row in rows for b in row if b.callback_data == data), "")
