"""Telegram updates as the engine's Inbound, plus what a button press needs for its follow-up; the callback data
of the buttons (``turn:id``, ``p:turn:page``, ``c:command``) is written and read here."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, replace

from telegram import Bot, Message, Update
from telegram.error import TelegramError

from flows.messages import FILE_LIMIT, Inbound, Upload

log = logging.getLogger(__name__)

PAGE_PREFIX = "p:"
COMMAND_PREFIX = "c:"
_COMMAND = re.compile(r"^/([A-Za-z0-9_]+)@([A-Za-z0-9_]+)")
_PRESS = re.compile(r"^([0-9]{1,9}):")
_PAGE = re.compile(rf"^{PAGE_PREFIX}([0-9]{{1,9}}):([0-9]{{1,4}})$")


@dataclass
class Press:
    """A button press: the query to answer and the message it sat on."""

    query_id: str
    data: str
    message_id: int | None
    text: str
    html: str
    label: str
    turn: int | None
    page: int | None = None
    """Set when the button only turns a page of a long keyboard."""


@dataclass
class Incoming:
    """One update of a private chat, ready for the Companion."""

    chat_id: int
    inbound: Inbound
    hint: str | None
    press: Press | None = None


def choice_data(turn: int, choice_id: str) -> str:
    """A question's answer button: valid while the question with this turn is the current one."""
    return f"{turn}:{choice_id}"


def page_data(turn: int, page: int) -> str:
    """A button that shows another page of a question's answers."""
    return f"{PAGE_PREFIX}{turn}:{page}"


def command_data(command_id: str) -> str:
    """A button that runs a command (``rsvp 3``): valid for as long as the message."""
    return f"{COMMAND_PREFIX}{command_id}"


def language(code: str | None, languages: tuple[str, ...]) -> str | None:
    """Telegram's ``de-AT`` as ``de`` when we speak it."""
    base = (code or "").split("-")[0].lower()
    return base if base in languages else None


def incoming(update: Update, bot_id: int, username: str, languages: tuple[str, ...]) -> Incoming | None:
    """None for updates that are not a person's message or button press in a private chat.

    Update ids count per bot, so the id kept against redelivery names the bot too.
    """
    chat, user = update.effective_chat, update.effective_user
    if chat is None or user is None or chat.type != "private" or user.is_bot:
        return None
    hint = language(user.language_code, languages)
    uid = f"{bot_id}:{update.update_id}"
    called = " ".join(n for n in (user.first_name, user.last_name) if n) or None
    if update.callback_query is not None:
        query = update.callback_query
        data = query.data or ""
        page = _PAGE.match(data)
        message = query.message if isinstance(query.message, Message) else None
        label = next(
            (
                b.text
                for row in (message.reply_markup.inline_keyboard if message and message.reply_markup else ())
                for b in row
                if b.callback_data == data
            ),
            "",
        )
        text = message.text if message and message.text else ""
        press = Press(
            query.id,
            data,
            message.message_id if message else None,
            text,
            message.text_html if message and text else "",
            label,
            int(page.group(1)) if page else _payload(data)[0],
            int(page.group(2)) if page else None,
        )
        if data.startswith(COMMAND_PREFIX):
            inbound = Inbound(command=data[len(COMMAND_PREFIX) :], message_id=uid, name=called)
            return Incoming(chat.id, inbound, hint, press)
        turn, choice = _payload(data)
        return Incoming(chat.id, Inbound(choice=choice, turn=turn, message_id=uid, name=called), hint, press)
    if update.edited_message is not None:
        return Incoming(chat.id, Inbound(event="edited", message_id=uid), hint)
    message = update.message
    if message is None:
        return None
    if message.text is not None:
        return Incoming(chat.id, Inbound(text=command(message.text, username), message_id=uid, name=called), hint)
    attachment = message.effective_attachment
    if attachment:
        name = (
            "photo"
            if isinstance(attachment, tuple)
            else getattr(attachment, "file_name", None) or type(attachment).__name__.lower()
        )
        return Incoming(chat.id, Inbound(file_name=name, message_id=uid), hint)
    return None


async def with_file(item: Incoming, update: Update, bot: Bot) -> Incoming:
    """A sent document with its media type and bytes, fetched through getFile when it is at most ``FILE_LIMIT``
    (a bigger one comes with its size only). Photos, voice and the like stay a name: the flow reads documents."""
    document = update.message.document if update.message is not None else None
    if document is None or item.inbound.file_name is None:
        return item
    size, data = document.file_size, None
    if size is None or size <= FILE_LIMIT:
        try:
            raw = bytes(await (await bot.get_file(document.file_id)).download_as_bytearray())
            size, data = len(raw), raw if len(raw) <= FILE_LIMIT else None
        except (TelegramError, OSError) as exc:  # the flow asks for the file again
            log.warning("a sent document could not be fetched (%s)", type(exc).__name__)
    upload = Upload(document.mime_type or "application/octet-stream", size, data)
    return replace(item, inbound=replace(item.inbound, file=upload))


def command(text: str, username: str) -> str:
    """``/hilfe@DaksBot`` as ``/hilfe`` when addressed to this bot."""
    match = _COMMAND.match(text)
    if match and match.group(2).lower() == username.lower():
        return f"/{match.group(1)}{text[match.end() :]}"
    return text


def _payload(data: str) -> tuple[int | None, str]:
    """A choice button's ``turn:id`` (made by render.keyboard); without a turn the press counts as stale."""
    match = _PRESS.match(data)
    return (int(match.group(1)), data[match.end() :]) if match else (None, data)


def group_command(update: Update, username: str) -> str | None:
    """The command a person wrote in a group (``/teamraum`` or ``/teamraum@ThisBot``), lower case; else None."""
    message, user = update.message, update.effective_user
    if message is None or user is None or user.is_bot or not message.text or not message.text.startswith("/"):
        return None
    name = command(message.text, username)[1:].split(maxsplit=1)[0] if message.text[1:].strip() else ""
    return name.casefold() if name and "@" not in name else None
