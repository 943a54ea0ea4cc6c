"""Outbound messages as Telegram HTML with inline keyboards, within Telegram's limits."""

from __future__ import annotations

import html
import logging
import re
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.telegram.inbound import choice_data, command_data, page_data
from flows.messages import BUTTON, Block, Bullets, Choice, Heading, Outbound

log = logging.getLogger(__name__)

TEXT_LIMIT = 4096
"""Characters per message after entity parsing, counted in UTF-16 code units."""
CAPTION_LIMIT = 1024
"""Characters of a photo's caption, counted like a text's."""
DATA_LIMIT = 64
"""Bytes of callback_data per button."""
PAGE = 8
"""Buttons per page when a question offers more than ``PAGE_AFTER`` answers."""
PAGE_AFTER = 10
ROW = 33
"""Characters of button text (with about three of padding per button) that fit side by side on a phone."""
ALONE = 16
"""A button text longer than this gets a row of its own."""
TICK = {True: "✅ ", False: "▫️ ", None: ""}


@dataclass
class Part:
    """One Telegram message: HTML text and, on the last part of a question, its keyboard."""

    html: str
    keyboard: InlineKeyboardMarkup | None = None


def units(text: str) -> int:
    """Length as Telegram counts it: UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def caption(text: str) -> str:
    """``text`` as a photo's plain caption: within ``CAPTION_LIMIT``, a longer one cut after a whole word with "…"."""
    if units(text) <= CAPTION_LIMIT:
        return text
    head, used = "", 0
    for char in text:
        used += units(char)
        if used > CAPTION_LIMIT - 1:
            break
        head += char
    if not text[len(head)].isspace() and any(c.isspace() for c in head):  # a word cut in two: leave it out
        head = head[: max(i for i, c in enumerate(head) if c.isspace())]
    return re.sub(r"[\s,;:]+$", "", head) + "…"


def escape(text: str) -> str:
    """User or content text made literal for parse_mode HTML."""
    return html.escape(text, quote=False)


def render(message: Outbound, page: int = 0) -> list[Part]:
    """A message as one or more parts; long texts are split on paragraph boundaries."""
    blocks = [*message.blocks, *full_labels(message)]
    pieces = [piece for block in blocks for piece in _pieces(block)]
    parts: list[Part] = []
    plain, marked = "", ""
    for text, markup in pieces:
        joined = f"{plain}\n\n{text}" if plain else text
        if plain and units(joined) > TEXT_LIMIT:
            parts.append(Part(marked))
            plain, marked = text, markup
        else:
            plain, marked = joined, f"{marked}\n\n{markup}" if marked else markup
    if plain.strip():
        parts.append(Part(marked))
    if message.choices and (message.turn is not None or message.kind == "broadcast"):
        if not parts:
            parts.append(Part("…"))
        parts[-1].keyboard = (
            keyboard(message.choices, message.turn, page) if message.turn is not None else commands(message.choices)
        )
    return parts


def button(choice: Choice) -> str:
    """A choice's button text: its short label, else its label cut after a word within ``BUTTON`` characters
    (the message lists the full texts then)."""
    text = choice.button
    if len(text) <= BUTTON:
        return text
    head = text[: BUTTON - 1]
    cut = head.rfind(" ")
    return (head[:cut] if cut > BUTTON // 2 else head).rstrip(" ,;:–-") + "…"


def full_labels(message: Outbound) -> list[Block]:
    """The answers' full texts as a list, when a button of a question shows less than its answer's label."""
    if message.turn is None:
        return []
    options = [c for c in message.choices if not c.id.startswith("_")]
    if all(button(c) == c.label for c in options):
        return []
    return [Bullets(tuple(c.label for c in options))]


def commands(choices: list[Choice]) -> InlineKeyboardMarkup:
    """Buttons that run a command (``c:rsvp 3``): broadcasts' buttons, valid for as long as the message."""
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(button(c), callback_data=command_data(c.id))]
            for c in choices
            if len(command_data(c.id).encode()) <= DATA_LIMIT
        ]
    )


def _pieces(block: Block) -> list[tuple[str, str]]:
    """(plain, html) pieces of a block, none longer than a message."""
    plain = block.text
    if not plain.strip():
        return []
    if units(plain) <= TEXT_LIMIT:
        return [(plain, f"<b>{escape(plain)}</b>" if isinstance(block, Heading) else escape(plain))]
    return [(chunk, escape(chunk)) for chunk in split(plain)]


def split(text: str, limit: int = TEXT_LIMIT) -> list[str]:
    """Cut an over-long text at line breaks, else at spaces, else anywhere; nothing is lost."""
    chunks: list[str] = []
    while units(text) > limit:
        head = _fit(text, limit)
        cut = max(head.rfind("\n"), head.rfind(" "))
        cut = cut if cut > len(head) // 2 else len(head)
        chunks.append(text[:cut])
        text = text[cut:].lstrip("\n ") if cut < len(head) else text[cut:]
    return [*chunks, text] if text else chunks


def _fit(text: str, limit: int) -> str:
    """The longest prefix within ``limit`` UTF-16 units that does not cut a surrogate pair."""
    size, end = 0, 0
    for end, char in enumerate(text):
        size += 2 if ord(char) > 0xFFFF else 1
        if size > limit:
            return text[:end]
    return text


def keyboard(choices: list[Choice], turn: int, page: int = 0) -> InlineKeyboardMarkup:
    """Choices as buttons carrying ``turn:id``.

    More than ``PAGE_AFTER`` buttons are paged, ``PAGE`` answers at a time, when the answers fill
    more than one page; the controls (ids starting with ``_``, such as Done) stay below on every page.
    """
    options = [c for c in choices if not c.id.startswith("_")]
    controls = [c for c in choices if c.id.startswith("_")]
    pages = -(-len(options) // PAGE)
    if len(choices) <= PAGE_AFTER or pages <= 1:
        return InlineKeyboardMarkup([*_rows(options, turn), *_rows(controls, turn)])
    page = min(max(page, 0), pages - 1)
    nav = []
    if page > 0:
        nav.append(InlineKeyboardButton("◀", callback_data=page_data(turn, page - 1)))
    nav.append(InlineKeyboardButton(f"{page + 1}/{pages}", callback_data=page_data(turn, page)))
    if page < pages - 1:
        nav.append(InlineKeyboardButton("▶", callback_data=page_data(turn, page + 1)))
    return InlineKeyboardMarkup([*_rows(options[page * PAGE : (page + 1) * PAGE], turn), nav, *_rows(controls, turn)])


def page_of(choices: list[Choice], choice_id: str) -> int:
    """The page on which a choice's button sits."""
    options = [c.id for c in choices if not c.id.startswith("_")]
    return options.index(choice_id) // PAGE if choice_id in options else 0


def _rows(shown: list[Choice], turn: int) -> list[list[InlineKeyboardButton]]:
    """Buttons in order, two or three to a row while their texts fit side by side; long ones alone."""
    rows: list[list[InlineKeyboardButton]] = []
    width = 0
    for c in shown:
        data = choice_data(turn, c.id)
        if len(data.encode()) > DATA_LIMIT and not _too_long(data):
            continue
        text = TICK[c.selected] + button(c)
        size = len(text) + 3
        if rows and len(text) <= ALONE and width and len(rows[-1]) < 3 and width + size <= ROW:
            rows[-1].append(InlineKeyboardButton(text, callback_data=data))
            width += size
        else:
            rows.append([InlineKeyboardButton(text, callback_data=data)])
            width = size if len(text) <= ALONE else 0
    return rows


def _too_long(data: str) -> bool:
    log.error("button left out: callback data %r is over %d bytes", data, DATA_LIMIT)
    return False


def answered(question_html: str, label: str) -> str:
    """The question message after a button press: its text plus the chosen answer."""
    return f"{question_html}\n\n<b>→ {escape(label)}</b>" if question_html else f"<b>→ {escape(label)}</b>"
