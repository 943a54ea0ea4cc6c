"""A local fake of the Telegram Bot API (HTTP) for tests, driven by the real python-telegram-bot client.

It speaks the wire format python-telegram-bot 22 uses (form-urlencoded values with JSON-encoded non-strings,
multipart/form-data for uploads, JSON bodies, query strings), answers with Telegram's envelopes and error
descriptions, parses HTML/MarkdownV2 like Telegram does, enforces text/keyboard/rate limits and can deliver
updates by long polling or by webhook.
"""

from __future__ import annotations

import asyncio
import bisect
import contextvars
import copy
import gc
import hashlib
import json
import math
import mimetypes
import re
import threading
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, NoReturn
from urllib.parse import urlsplit

import aiohttp
from aiohttp import web

JSONDict = dict[str, Any]

MAX_TEXT = 4096
MAX_CAPTION = 1024
NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are exactly the same "
    "as a current content and reply markup of the message"
)
BLOCKED = "Forbidden: bot was blocked by the user"
CHAT_NOT_FOUND = "Bad Request: chat not found"
FAIL_KINDS = frozenset({"timeout", "retry_after", "blocked", "not_found", "migrate", "server"})
DEFAULT_UPDATES = frozenset(
    {
        "message",
        "edited_message",
        "channel_post",
        "edited_channel_post",
        "business_connection",
        "business_message",
        "edited_business_message",
        "deleted_business_messages",
        "inline_query",
        "chosen_inline_result",
        "callback_query",
        "shipping_query",
        "pre_checkout_query",
        "purchased_paid_media",
        "poll",
        "poll_answer",
        "my_chat_member",
        "chat_join_request",
        "chat_boost",
        "removed_chat_boost",
    }
)
_TOKEN_RE = re.compile(r"^\d+:[A-Za-z0-9_-]+$")
_SECRET_RE = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
_COMMAND_RE = re.compile(r"^[a-z0-9_]{1,32}$")
_LANG_RE = re.compile(r"^([a-z]{2})?$")
_CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
_BUTTON_ACTIONS = (
    "callback_data",
    "url",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "callback_game",
    "pay",
    "web_app",
    "copy_text",
)
# Parameters whose form values are plain strings; every other form value is JSON-decoded for `Call.params`.
_STRING_PARAMS = frozenset(
    {
        "text",
        "caption",
        "parse_mode",
        "callback_query_id",
        "url",
        "secret_token",
        "language_code",
        "description",
        "short_description",
        "action",
        "file_id",
        "inline_message_id",
        "name",
        "title",
        "ip_address",
        "emoji",
        "business_connection_id",
        "message_effect_id",
    }
)
# Telegram's ordering of entities that start at the same offset with the same length (tdlib priorities).
_ENTITY_PRIORITY = {
    "blockquote": 0,
    "expandable_blockquote": 0,
    "pre": 11,
    "code": 20,
    "text_link": 49,
    "text_mention": 49,
    "bold": 90,
    "italic": 91,
    "underline": 92,
    "strikethrough": 93,
    "spoiler": 94,
    "custom_emoji": 99,
}
_ENTITY_TYPES = frozenset(
    {
        "mention",
        "hashtag",
        "cashtag",
        "bot_command",
        "url",
        "email",
        "phone_number",
        "bold",
        "italic",
        "underline",
        "strikethrough",
        "spoiler",
        "blockquote",
        "expandable_blockquote",
        "code",
        "pre",
        "text_link",
        "text_mention",
        "custom_emoji",
    }
)


# ----------------------------------------------------------------------------------------------------------------
# Public records
# ----------------------------------------------------------------------------------------------------------------


@dataclass
class FakeUser:
    """A Telegram user that talks to the bot."""

    id: int
    first_name: str
    language_code: str | None


@dataclass
class FakeChat:
    """A chat known to the fake server (private, group or supergroup)."""

    id: int
    type: str
    title: str | None


@dataclass
class Call:
    """One request the bot made, with the decoded parameters and the envelope it got back."""

    method: str
    params: JSONDict
    status: int
    response: JSONDict
    at: float


@dataclass
class Sent:
    """A message the bot sent, reflecting later edits; `raw` is the Message object as Telegram returns it."""

    message_id: int
    chat_id: int
    text: str
    html: str
    entities: list[JSONDict] = field(default_factory=list)
    reply_markup: JSONDict | None = None
    document: tuple[str, bytes] | None = None
    edits: int = 0
    deleted: bool = False
    raw: JSONDict = field(default_factory=dict, repr=False)

    def buttons(self) -> list[list[tuple[str, str]]]:
        """Rows of (text, callback_data) of the inline keyboard; url buttons give their url instead."""
        rows = (self.reply_markup or {}).get("inline_keyboard") or []
        return [
            [(str(b.get("text", "")), str(b.get("callback_data") or b.get("url") or "")) for b in row] for row in rows
        ]

    def button(self, text_fragment: str) -> tuple[str, str]:
        """The first button whose text contains `text_fragment`."""
        for row in self.buttons():
            for text, data in row:
                if text_fragment in text:
                    return text, data
        raise AssertionError(f"no button containing {text_fragment!r} in message {self.message_id}: {self.buttons()}")


class ApiError(Exception):
    """An error answer of the Bot API."""

    def __init__(self, code: int, description: str, parameters: JSONDict | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters

    def body(self) -> JSONDict:
        """The JSON envelope Telegram sends for this error."""
        out: JSONDict = {"ok": False, "error_code": self.code, "description": self.description}
        if self.parameters:
            out["parameters"] = self.parameters
        return out


def bad(description: str) -> ApiError:
    """A 400 Bad Request error."""
    return ApiError(400, f"Bad Request: {description}")


# ----------------------------------------------------------------------------------------------------------------
# Text formatting as Telegram parses it
# ----------------------------------------------------------------------------------------------------------------


def utf16_len(text: str) -> int:
    """Length of `text` in UTF-16 code units (what Telegram's offsets and limits count)."""
    if text.isascii():
        return len(text)
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def _byte_offset(text: str, pos: int) -> int:
    return len(text[:pos].encode("utf-8", "surrogatepass"))


def _entities_error(message: str) -> ApiError:
    return bad(f"can't parse entities: {message}")


def check_link(url: str) -> str | None:
    """Normalise a link like Telegram's LinkManager::check_link; None when Telegram would drop the entity."""
    url = url.strip()
    if not url or any(ch.isspace() for ch in url):
        return None
    if not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", url):
        url = "http://" + url
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme in ("tg", "ton"):
        return url
    if scheme not in ("http", "https"):
        return None
    host = parts.hostname or ""
    if not host or not re.match(r"^[\w.-]+$", host) or ("." not in host and host != "localhost"):
        return None
    if not parts.path and not parts.query and not parts.fragment:
        url += "/"
    return url


def _make_entity(kind: str, offset: int, length: int, argument: str) -> JSONDict | None:
    entity: JSONDict = {"offset": offset, "length": length, "type": kind}
    if kind == "text_link":
        m = re.match(r"^tg://user\?id=(\d+)$", argument)
        if m:
            return {
                "offset": offset,
                "length": length,
                "type": "text_mention",
                "user": {"id": int(m.group(1)), "is_bot": False, "first_name": ""},
            }
        url = check_link(argument)
        if url is None:
            return None
        entity["url"] = url
    elif kind == "pre" and argument:
        entity["language"] = argument
    elif kind == "custom_emoji":
        entity["custom_emoji_id"] = argument
    return entity


def _decode_html_entity(text: str, pos: int) -> tuple[str | None, int]:
    """Decode an HTML entity at `pos` like tdlib (the ';' is optional); (None, pos) if there is none."""
    n = len(text)
    end = pos + 1
    if end < n and text[end] == "#":
        end += 1
        value = 0
        if end < n and text[end] == "x":
            end += 1
            start = end
            while end < n and text[end] in "0123456789abcdefABCDEF":
                end += 1
            value = int(text[start:end], 16) if end > start else 0
        else:
            start = end
            while end < n and text[end].isdigit() and text[end].isascii():
                end += 1
            value = int(text[start:end]) if end > start else 0
        if value == 0 or value >= 0x10FFFF or end - pos >= 10 or 0xD800 <= value <= 0xDFFF:
            return None, pos
        char = chr(value)
    else:
        start = end
        while end < n and text[end].isascii() and text[end].isalpha():
            end += 1
        name = text[start:end]
        char = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}.get(name, "")
        if not char:
            if name and end < n and text[end] == ";":
                raise _entities_error(
                    f'Unsupported entity "&{name};" at byte offset {_byte_offset(text, pos)}; only &lt;, &gt;, '
                    "&amp;, &quot; and numeric character references are supported"
                )
            return None, pos
    if end < n and text[end] == ";":
        end += 1
    return char, end


_HTML_TAGS = frozenset(
    {
        "a",
        "b",
        "strong",
        "i",
        "em",
        "s",
        "strike",
        "del",
        "u",
        "ins",
        "tg-spoiler",
        "tg-emoji",
        "span",
        "pre",
        "code",
        "blockquote",
    }
)
_HTML_TAG_TYPES = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "tg-emoji": "custom_emoji",
    "a": "text_link",
}
_SPECIAL_HTML = re.compile(r"[&<]")
_SPACES = " \t\r\n\v\f\0"
_TAG_NAME = re.compile(r"[^ \t\r\n\v\f\0>]*")


def _tag_name_end(text: str, pos: int) -> int:
    match = _TAG_NAME.match(text, pos)
    return match.end() if match else pos


def parse_html(text: str) -> tuple[str, list[JSONDict]]:
    """Parse Telegram-style HTML into (plain text, entities); raises ApiError like Telegram's parser."""
    out: list[str] = []
    u16 = 0
    n = len(text)
    stack: list[tuple[str, str, int, int]] = []  # tag, argument, utf16 offset, index into `out`
    entities: list[JSONDict] = []
    i = 0

    def at(k: int) -> str:
        return text[k] if k < n else "\0"

    while i < n:
        m = _SPECIAL_HTML.search(text, i)
        stop = m.start() if m else n
        if stop > i:
            chunk = text[i:stop]
            out.append(chunk)
            u16 += utf16_len(chunk)
            i = stop
            continue
        if text[i] == "&":
            char, j = _decode_html_entity(text, i)
            if char is None:
                char, j = "&", i + 1
            out.append(char)
            u16 += utf16_len(char)
            i = j
            continue
        begin = i
        i += 1
        if at(i) != "/":
            i = _tag_name_end(text, i)
            if i >= n:
                raise _entities_error(f"Unclosed start tag at byte offset {_byte_offset(text, begin)}")
            tag = text[begin + 1 : i].lower()
            if tag not in _HTML_TAGS:
                raise _entities_error(f'Unsupported start tag "{tag}" at byte offset {_byte_offset(text, begin)}')
            argument = ""
            while at(i) != ">":
                while i < n and at(i) in _SPACES:
                    i += 1
                if at(i) == ">":
                    break
                attr_begin = i
                while at(i) not in _SPACES and at(i) not in "=>":
                    i += 1
                attr_name = text[attr_begin:i]
                if not attr_name:
                    raise _entities_error(
                        f'Empty attribute name in the tag "{tag}" at byte offset {_byte_offset(text, begin)}'
                    )
                while i < n and at(i) in _SPACES:
                    i += 1
                if at(i) != "=":
                    if tag == "blockquote" and attr_name.lower() == "expandable":
                        argument = "1"
                        continue
                    raise _entities_error(
                        f'Expected equal sign in declaration of an attribute of the tag "{tag}" at byte offset '
                        f"{_byte_offset(text, begin)}"
                    )
                i += 1
                while i < n and at(i) in _SPACES:
                    i += 1
                if i >= n:
                    raise _entities_error(f'Unclosed start tag "{tag}" at byte offset {_byte_offset(text, begin)}')
                value_chars: list[str] = []
                if at(i) not in "'\"":
                    token_begin = i
                    while at(i).isascii() and (at(i).isalnum() or at(i) in ".-"):
                        i += 1
                    value = text[token_begin:i].lower()
                    if at(i) not in _SPACES and at(i) != ">":
                        raise _entities_error(
                            f"Unexpected end of name token at byte offset {_byte_offset(text, token_begin)}"
                        )
                else:
                    quote = text[i]
                    i += 1
                    while i < n and text[i] != quote:
                        if text[i] == "&":
                            char, j = _decode_html_entity(text, i)
                            if char is not None:
                                value_chars.append(char)
                                i = j
                                continue
                        value_chars.append(text[i])
                        i += 1
                    if at(i) == quote:
                        i += 1
                    value = "".join(value_chars)
                if i >= n:
                    raise _entities_error(f"Unclosed start tag at byte offset {_byte_offset(text, begin)}")
                attr = attr_name.lower()
                if tag == "a" and attr == "href":
                    argument = value
                elif tag == "code" and attr == "class" and value.startswith("language-"):
                    argument = value[9:]
                elif tag == "span" and attr == "class" and value.startswith("tg-"):
                    argument = value[3:]
                elif tag == "tg-emoji" and attr == "emoji-id":
                    argument = value
            if tag == "span" and argument != "spoiler":
                raise _entities_error(
                    f'Tag "span" must have class "tg-spoiler" at byte offset {_byte_offset(text, begin)}'
                )
            if tag == "tg-emoji" and not argument.isdigit():
                raise _entities_error(
                    f'Custom emoji entity must have valid "emoji-id" at byte offset {_byte_offset(text, begin)}'
                )
            stack.append((tag, argument, u16, len(out)))
            i += 1
            continue
        # an end tag
        if not stack:
            raise _entities_error(f"Unexpected end tag at byte offset {_byte_offset(text, begin)}")
        i = _tag_name_end(text, i)
        end_name = text[begin + 2 : i].lower()
        while i < n and at(i) in _SPACES:
            i += 1
        if at(i) != ">":
            raise _entities_error(f"Unclosed end tag at byte offset {_byte_offset(text, begin)}")
        i += 1
        tag, argument, start, out_index = stack.pop()
        if end_name and end_name != tag:
            raise _entities_error(
                f'Unmatched end tag at byte offset {_byte_offset(text, begin)}, expected "</{tag}>", '
                f'found "</{end_name}>"'
            )
        length = u16 - start
        if length == 0:
            continue
        if tag == "a":
            entity = _make_entity("text_link", start, length, argument or "".join(out[out_index:]))
        elif tag == "pre":
            last = entities[-1] if entities else None
            if (
                last
                and last["type"] == "code"
                and last["offset"] == start
                and last["length"] == length
                and last.get("_lang")
            ):
                last["type"] = "pre"
                last["language"] = last.pop("_lang")
                continue
            entity = _make_entity("pre", start, length, "")
        elif tag == "code":
            last = entities[-1] if entities else None
            if last and last["type"] == "pre" and last["offset"] == start and last["length"] == length and argument:
                last["language"] = argument
                continue
            entity = _make_entity("code", start, length, "")
            if entity is not None and argument:
                entity["_lang"] = argument
        elif tag == "blockquote":
            entity = _make_entity("expandable_blockquote" if argument else "blockquote", start, length, "")
        else:
            entity = _make_entity(_HTML_TAG_TYPES[tag], start, length, argument)
        if entity is not None:
            entities.append(entity)
    if stack:
        raise _entities_error(f'Can\'t find end tag corresponding to start tag "{stack[-1][0]}"')
    for entity in entities:
        entity.pop("_lang", None)
    return "".join(out), entities


_MD2_RESERVED = "_*[]()~`>#+-=|{}.!"
_MD2_NAMES = {
    "bold": "Bold",
    "italic": "Italic",
    "underline": "Underline",
    "strikethrough": "Strikethrough",
    "spoiler": "Spoiler",
    "code": "Code",
    "pre": "Pre",
    "text_link": "TextUrl",
    "custom_emoji": "CustomEmoji",
}


def parse_markdown_v2(text: str) -> tuple[str, list[JSONDict]]:
    """Parse MarkdownV2 into (plain text, entities) following tdlib's parser; '>' quotes only at line starts."""
    out: list[str] = []
    u16 = 0
    n = len(text)
    stack: list[list[Any]] = []  # [type, argument, utf16 offset, byte-position index, len(out)]
    entities: list[JSONDict] = []
    quote_start: int | None = None
    i = 0

    def at(k: int) -> str:
        return text[k] if k < n else "\0"

    def reserved(ch: str) -> ApiError:
        return _entities_error(f"Character '{ch}' is reserved and must be escaped with the preceding '\\'")

    while i < n:
        c = text[i]
        line_start = i == 0 or text[i - 1] == "\n"
        if line_start and not stack:
            if c == ">":
                if quote_start is None:
                    quote_start = u16
                i += 1
                continue
            if quote_start is not None:
                entities.append({"offset": quote_start, "length": u16 - quote_start, "type": "blockquote"})
                quote_start = None
        if c == "\\" and i + 1 < n and 0 < ord(text[i + 1]) <= 126:
            out.append(text[i + 1])
            u16 += 1
            i += 2
            continue
        in_code = bool(stack) and stack[-1][0] in ("code", "pre")
        if c not in ("`" if in_code else _MD2_RESERVED):
            out.append(c)
            u16 += 2 if ord(c) > 0xFFFF else 1
            i += 1
            continue
        top = stack[-1][0] if stack else None
        is_end = (
            (top == "bold" and c == "*")
            or (top == "italic" and c == "_" and at(i + 1) != "_")
            or (top == "code" and c == "`")
            or (top == "pre" and text.startswith("```", i))
            or (top in ("text_link", "custom_emoji") and c == "]")
            or (top == "underline" and text.startswith("__", i))
            or (top == "strikethrough" and c == "~")
            or (top == "spoiler" and text.startswith("||", i))
        )
        if not is_end:
            begin = i
            argument = ""
            if c == "_":
                kind = "italic"
                if at(i + 1) == "_":
                    kind = "underline"
                    i += 1
            elif c == "*":
                kind = "bold"
            elif c == "~":
                kind = "strikethrough"
            elif c == "|" and at(i + 1) == "|":
                kind = "spoiler"
                i += 1
            elif c == "[":
                kind = "text_link"
            elif c == "!" and at(i + 1) == "[":
                kind = "custom_emoji"
                i += 1
            elif c == "`":
                if text.startswith("```", i):
                    i += 3
                    kind = "pre"
                    lang_end = i
                    while at(lang_end) not in _SPACES and at(lang_end) != "`":
                        lang_end += 1
                    if lang_end != i and lang_end < n and text[lang_end] != "`":
                        argument = text[i:lang_end]
                        i = lang_end
                    if at(i) in "\r\n" and i < n:
                        i += 2 if at(i + 1) in "\r\n" and at(i + 1) != at(i) else 1
                    i -= 1
                else:
                    kind = "code"
            else:
                raise reserved(c)
            stack.append([kind, argument, u16, begin, len(out)])
            i += 1
            continue
        kind, argument, start, _begin, out_index = stack.pop()
        if kind in ("underline", "spoiler"):
            i += 1
        elif kind == "pre":
            i += 2
        elif kind in ("text_link", "custom_emoji"):
            if at(i + 1) != "(":
                if kind == "custom_emoji":
                    raise _entities_error(
                        f"Custom emoji entity must contain a tg://emoji URL at byte offset {_byte_offset(text, i)}"
                    )
                argument = "".join(out[out_index:])
            else:
                i += 2
                url_begin = i
                url: list[str] = []
                while i < n and text[i] != ")":
                    if text[i] == "\\" and i + 1 < n and 0 < ord(text[i + 1]) <= 126:
                        url.append(text[i + 1])
                        i += 2
                        continue
                    url.append(text[i])
                    i += 1
                if at(i) != ")":
                    raise _entities_error(f"Can't find end of a URL at byte offset {_byte_offset(text, url_begin)}")
                argument = "".join(url)
                if kind == "custom_emoji":
                    m = re.match(r"^tg://emoji\?id=(\d+)$", argument)
                    if not m:
                        raise _entities_error(
                            f"Custom emoji URL must have an emoji identifier at byte offset "
                            f"{_byte_offset(text, url_begin)}"
                        )
                    argument = m.group(1)
        i += 1
        if u16 > start:
            entity = _make_entity(kind, start, u16 - start, argument)
            if entity is not None:
                entities.append(entity)
    if stack:
        kind, _arg, _start, begin, _idx = stack[-1]
        raise _entities_error(f"Can't find end of {_MD2_NAMES[kind]} entity at byte offset {_byte_offset(text, begin)}")
    if quote_start is not None and u16 > quote_start:
        entities.append({"offset": quote_start, "length": u16 - quote_start, "type": "blockquote"})
    return "".join(out), entities


def _no_end(text: str, begin: int) -> ApiError:
    return _entities_error(f"Can't find end of the entity starting at byte offset {_byte_offset(text, begin)}")


def parse_markdown(text: str) -> tuple[str, list[JSONDict]]:
    """Parse legacy Markdown (*bold*, _italic_, `code`, ```pre```, [text](url)) like Telegram."""
    out: list[str] = []
    u16 = 0
    n = len(text)
    entities: list[JSONDict] = []
    i = 0
    ends = {"*": "bold", "_": "italic", "`": "code"}
    while i < n:
        c = text[i]
        if c == "\\" and i + 1 < n and text[i + 1] in "_*`[":
            out.append(text[i + 1])
            u16 += 1
            i += 2
            continue
        if c not in "_*`[":
            out.append(c)
            u16 += 2 if ord(c) > 0xFFFF else 1
            i += 1
            continue
        begin = i
        if c == "[":
            close = text.find("]", i + 1)
            if close < 0:
                raise _no_end(text, begin)
            inner = text[i + 1 : close]
            url = ""
            i = close + 1
            if i < n and text[i] == "(":
                url_end = text.find(")", i)
                if url_end < 0:
                    raise _entities_error(f"Can't find end of a URL at byte offset {_byte_offset(text, i + 1)}")
                url = text[i + 1 : url_end]
                i = url_end + 1
            out.append(inner)
            length = utf16_len(inner)
            entity = _make_entity("text_link", u16, length, url or inner) if length else None
            if entity is not None:
                entities.append(entity)
            u16 += length
            continue
        if text.startswith("```", i):
            close = text.find("```", i + 3)
            if close < 0:
                raise _no_end(text, begin)
            inner = text[i + 3 : close]
            language = ""
            first_line, sep, rest = inner.partition("\n")
            if sep and first_line and " " not in first_line:
                language, inner = first_line, rest
            elif inner.startswith("\n"):
                inner = inner[1:]
            i = close + 3
            kind = "pre"
        else:
            close = text.find(c, i + 1)
            if close < 0:
                raise _no_end(text, begin)
            inner = text[i + 1 : close]
            i = close + 1
            kind = ends[c]
        out.append(inner)
        length = utf16_len(inner)
        if length:
            entity = _make_entity(kind, u16, length, language if kind == "pre" else "")
            if entity is not None:
                entities.append(entity)
        u16 += length
    return "".join(out), entities


def _sort_entities(entities: list[JSONDict]) -> list[JSONDict]:
    return sorted(entities, key=lambda e: (e["offset"], -e["length"], _ENTITY_PRIORITY.get(e["type"], 50)))


def _finish_text(text: str, entities: list[JSONDict]) -> tuple[str, list[JSONDict]]:
    """Trim surrounding whitespace like Telegram, clip entities to the result and drop nested code content."""
    stripped = text.strip(_SPACES)
    if stripped == text:
        new_text, total = text, utf16_len(text)
        shift = 0
    else:
        lead = text[: len(text) - len(text.lstrip(_SPACES))]
        shift = utf16_len(lead)
        new_text, total = stripped, utf16_len(stripped)
    kept: list[JSONDict] = []
    for entity in entities:
        start = max(0, entity["offset"] - shift)
        end = min(total, entity["offset"] + entity["length"] - shift)
        if end > start:
            kept.append({**entity, "offset": start, "length": end - start})
    kept = _sort_entities(kept)
    code = [(e["offset"], e["offset"] + e["length"]) for e in kept if e["type"] in ("code", "pre")]
    if code:
        kept = [
            e
            for e in kept
            if e["type"] in ("code", "pre", "blockquote", "expandable_blockquote")
            or not any(s <= e["offset"] and e["offset"] + e["length"] <= t for s, t in code)
        ]
    return new_text, kept


def _check_entities(text: str, raw: Any) -> list[JSONDict]:
    """Validate explicitly passed entities (parse_mode is then ignored, as in Telegram)."""
    if not isinstance(raw, list):
        raise bad("can't parse entities JSON object")
    total = utf16_len(text)
    entities: list[JSONDict] = []
    for item in raw:
        if (
            not isinstance(item, dict)
            or not isinstance(item.get("offset"), int)
            or not isinstance(item.get("length"), int)
            or item.get("type") not in _ENTITY_TYPES
        ):
            raise bad('can\'t parse MessageEntity: Field "type" must be of type String')
        if item["offset"] < 0 or item["length"] <= 0 or item["offset"] + item["length"] > total:
            continue
        if item["type"] == "text_link":
            url = check_link(str(item.get("url", "")))
            if url is None:
                continue
            item = {**item, "url": url}
        entities.append(dict(item))
    return entities


def format_text(text: str, parse_mode: str | None, entities: Any = None) -> tuple[str, list[JSONDict]]:
    """Telegram's processing of a text/caption: explicit entities or parse_mode, then whitespace trimming."""
    if entities is not None:
        plain, found = text, _check_entities(text, entities)
    elif not parse_mode:
        plain, found = text, []
    elif parse_mode.lower() == "html":
        plain, found = parse_html(text)
    elif parse_mode.lower() == "markdownv2":
        plain, found = parse_markdown_v2(text)
    elif parse_mode.lower() == "markdown":
        plain, found = parse_markdown(text)
    else:
        raise bad("unsupported parse_mode")
    return _finish_text(plain, found)


def check_reply_markup(raw: Any, *, inline_only: bool = False) -> JSONDict | None:
    """Validate a reply_markup like Telegram; returns the normalised markup (None for an empty inline keyboard)."""
    if raw is None:
        return None
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError:
            raise bad("can't parse reply keyboard markup JSON object") from None
    if not isinstance(raw, dict):
        raise bad("can't parse reply keyboard markup JSON object")
    if not raw:  # python-telegram-bot serialises InlineKeyboardMarkup([]) as {}; Telegram treats it as no markup
        return None
    if "inline_keyboard" not in raw:
        if inline_only:
            raise bad("inline keyboard expected")
        if not any(k in raw for k in ("keyboard", "remove_keyboard", "force_reply")):
            raise bad("can't parse reply keyboard markup JSON object")
        return dict(raw)
    rows = raw["inline_keyboard"]
    if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
        raise bad("can't parse inline keyboard button: InlineKeyboardButton must be an Object")
    out_rows: list[list[JSONDict]] = []
    total = 0
    for row in rows:
        if not row:
            continue
        if len(row) > 8:
            raise bad("too many buttons")
        out_row: list[JSONDict] = []
        for button in row:
            if not isinstance(button, dict):
                raise bad("can't parse inline keyboard button: InlineKeyboardButton must be an Object")
            text = button.get("text")
            if not isinstance(text, str):
                raise bad('can\'t parse inline keyboard button: Field "text" must be of type String')
            actions = [k for k in _BUTTON_ACTIONS if k in button and button[k] is not None]
            if not text.strip() or not actions:
                raise bad("text buttons are unallowed in the inline keyboard")
            if len(actions) > 1:
                raise bad("can't parse inline keyboard button: only one of the optional fields must be used")
            if "callback_data" in actions:
                data = button["callback_data"]
                if not isinstance(data, str) or not 1 <= len(data.encode("utf-8")) <= 64:
                    raise bad("BUTTON_DATA_INVALID")
            if "url" in actions:
                url = button["url"]
                if not isinstance(url, str) or check_link(url) is None:
                    raise bad(f"inline keyboard button URL '{url}' is invalid: Wrong HTTP URL")
            out_row.append({k: v for k, v in button.items() if v is not None})
            total += 1
        out_rows.append(out_row)
    if total > 100:
        raise bad("BUTTONS_TOO_MUCH")
    if not out_rows:
        return None
    return {"inline_keyboard": out_rows}


# ----------------------------------------------------------------------------------------------------------------
# Request parameters and rate limits
# ----------------------------------------------------------------------------------------------------------------


def _maybe_json(value: str) -> Any:
    if value and (value[0] in '{["-0123456789' or value in ("true", "false", "null")):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


class Params:
    """The parameters of one request (query string, form fields, JSON body and uploaded files)."""

    def __init__(self, raw: JSONDict, files: dict[str, tuple[str, bytes, str]]) -> None:
        self.raw = raw
        self.files = files

    def decoded(self) -> JSONDict:
        """Parameters with JSON-encoded form values decoded; uploads as (file name, bytes)."""
        out = {k: (v if k in _STRING_PARAMS or not isinstance(v, str) else _maybe_json(v)) for k, v in self.raw.items()}
        for name, (file_name, data, _mime) in self.files.items():
            out[name] = (file_name, data)
        return out

    def has(self, name: str) -> bool:
        """Whether the parameter was given (non-empty)."""
        return self.raw.get(name) not in (None, "")

    def string(self, name: str) -> str | None:
        """A string parameter."""
        value = self.raw.get(name)
        if value is None or isinstance(value, str):
            return value
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, dict | list):
            return json.dumps(value)
        return str(value)

    def integer(self, name: str, default: int | None = None) -> int | None:
        """An integer parameter; 400 when it is not one."""
        value = self.raw.get(name)
        if value is None or value == "":
            return default
        if isinstance(value, bool):
            return int(value)
        if isinstance(value, int):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        try:
            return int(str(value).strip())
        except ValueError:
            raise bad(f"invalid {name} specified") from None

    def number(self, name: str, default: float = 0.0) -> float:
        """A number parameter."""
        value = self.raw.get(name)
        if value is None or value == "":
            return default
        try:
            return float(value)
        except (TypeError, ValueError):
            raise bad(f"invalid {name} specified") from None

    def flag(self, name: str) -> bool:
        """A boolean parameter ("true"/"1"/true)."""
        value = self.raw.get(name)
        if isinstance(value, str):
            return value.strip().lower() in ("true", "1")
        return bool(value)

    def json_value(self, name: str) -> Any:
        """A JSON-serialised parameter (form value) or the object itself (JSON body)."""
        value = self.raw.get(name)
        if isinstance(value, str):
            if value == "":
                return None
            try:
                return json.loads(value)
            except ValueError:
                raise bad(f"can't parse {name} JSON object") from None
        return value


class _Gcra:
    """Generic cell rate algorithm: `1/interval` requests per second with a burst of `burst`."""

    __slots__ = ("interval", "tat", "tolerance")

    def __init__(self, interval: float, burst: int) -> None:
        self.interval = interval
        self.tolerance = interval * (burst - 1)
        self.tat = 0.0

    def wait(self, now: float) -> float:
        """Seconds until a request would conform (0 when it does now)."""
        return max(0.0, max(self.tat, now) - self.tolerance - now)

    def commit(self, now: float) -> None:
        """Account one request."""
        self.tat = max(self.tat, now) + self.interval


class _Window:
    """At most `limit` accepted requests in any sliding window of `seconds` (timestamps of accepted requests)."""

    __slots__ = ("limit", "seconds", "times")

    def __init__(self, limit: int, seconds: float) -> None:
        self.limit = limit
        self.seconds = seconds
        self.times: list[float] = []

    def wait(self, now: float) -> float:
        """Seconds until a request would be within the limit (0 when it is now)."""
        times = self.times[bisect.bisect_right(self.times, now - self.seconds) : bisect.bisect_right(self.times, now)]
        return 0.0 if len(times) < self.limit else times[-self.limit] + self.seconds - now

    def commit(self, now: float) -> None:
        bisect.insort(self.times, now)
        del self.times[: bisect.bisect_right(self.times, now - 2 * self.seconds)]


@dataclass
class _Rule:
    method: str
    error: str
    chat_id: int | None
    count: int
    retry_after: int
    migrate_to: int | None
    delay: float


def _update_kind(update: JSONDict) -> str:
    return next((k for k in update if k != "update_id"), "")


def _update_chat_key(update: JSONDict) -> Any:
    body = update.get(_update_kind(update))
    if isinstance(body, dict):
        if isinstance(body.get("chat"), dict):
            return body["chat"].get("id")
        message = body.get("message")
        if isinstance(message, dict) and isinstance(message.get("chat"), dict):
            return message["chat"].get("id")
        if isinstance(body.get("from"), dict):
            return body["from"].get("id")
    return ("update", update.get("update_id"))


_PER_CHAT_LIMITED = frozenset(
    {"sendMessage", "sendDocument", "sendPhoto", "editMessageText", "editMessageReplyMarkup", "editMessageCaption"}
)
_SENDING = frozenset(
    {
        "sendMessage",
        "sendDocument",
        "sendPhoto",
        "sendChatAction",
        "editMessageText",
        "editMessageReplyMarkup",
        "editMessageCaption",
    }
)


# ----------------------------------------------------------------------------------------------------------------
# The server
# ----------------------------------------------------------------------------------------------------------------


class _Described:
    """A successful result that carries Telegram's optional `description`."""

    def __init__(self, result: Any, description: str) -> None:
        self.result = result
        self.description = description


def bot_token(bot_id: int = 123456) -> str:
    """A token in the format @BotFather issues: the bot's id, a colon and 35 characters."""
    return f"{bot_id}:AAH{hashlib.sha256(str(bot_id).encode()).hexdigest()[:32]}"


_STEADY = [0]


def _steady(on: bool) -> None:
    """Pause the garbage collector while a rate-limited server runs (see ``FakeBotAPI.start``)."""
    _STEADY[0] += 1 if on else -1
    if on and _STEADY[0] == 1:
        gc.collect()
        gc.freeze()
        gc.disable()
    elif not on and _STEADY[0] == 0:
        gc.unfreeze()
        gc.enable()


_ARRIVED: contextvars.ContextVar[float] = contextvars.ContextVar("arrived")
"""When the request being handled reached the server (its front door stamps it, see ``FakeBotAPI.start``)."""


class FakeBotAPI:
    """A local Telegram Bot API server: `async with FakeBotAPI() as api: Bot(api.token, base_url=api.base_url)`."""

    def __init__(
        self,
        token: str = bot_token(),
        *,
        username: str = "daks_test_bot",
        limits: bool = True,
        overall: int = 30,
        webhook_retry_delay: float = 0.2,
    ) -> None:
        self.token = token
        self.username = username
        self.bot_id = int(token.split(":", 1)[0])
        self.limits = limits
        self.webhook_retry_delay = webhook_retry_delay
        self.base_url = ""
        self.base_file_url = ""
        self.port = 0
        self.calls: list[Call] = []
        self._asked: Counter[str] = Counter()
        self.on_message: Callable[[Sent], None] | None = None
        """Called with each message the bot sends or edits (benchmarks watch replies with it)."""
        self.commands: dict[str | None, list[JSONDict]] = {}
        self.scoped_commands: dict[tuple[str, str | None], list[JSONDict]] = {}
        self.descriptions: dict[tuple[str, str | None], str] = {}
        self.webhook: JSONDict | None = None
        self.webhook_deliveries: list[tuple[int, int]] = []
        self.balance: list[str] = []
        """URLs a load balancer in front of the webhook spreads deliveries over, in turn (several processes)."""
        self.delivered_to: list[str] = []
        self.users: dict[int, FakeUser] = {}
        self.chats: dict[int, FakeChat] = {}
        self.blocked: set[int] = set()
        self._updates: list[JSONDict] = []
        self._next_update_id = 1
        self._allowed_updates: list[str] | None = None
        self._sent: dict[int, list[Sent]] = {}
        self._sent_by_id: dict[tuple[int, int], Sent] = {}
        self._messages: dict[tuple[int, int], JSONDict] = {}
        self._message_ids: dict[int, int] = {}
        self._files: dict[str, tuple[str, bytes, str]] = {}  # file_id -> (file name, data, mime type)
        self._file_meta: dict[str, JSONDict] = {}  # file_id -> File object
        self._file_paths: dict[str, str] = {}  # file_path -> file_id
        self._file_counter = 0
        self._callbacks: dict[str, bool] = {}  # callback query id -> answered
        self._query_counter = 0
        self._rules: list[_Rule] = []
        self._private_rate: dict[int, _Gcra] = {}
        self._group_rate: dict[int, _Window] = {}
        self._token_rate = _Window(overall, 1.0)
        self._floods: dict[int | None, float] = {}
        self.counted: list[float] = []
        """When each request the token's limit accepted was counted (monotonic seconds)."""
        self.ignored_floods = 0
        """Requests that came while a flood wait for their chat or the token ran."""
        self._updates_event = asyncio.Event()
        self._state_event = asyncio.Event()
        self._webhook_wake = asyncio.Event()
        self._poll_generation = 0
        self._inflight = 0
        self._last_activity = time.monotonic()
        self._tasks: set[asyncio.Task[Any]] = set()
        self._wh_inflight: dict[Any, asyncio.Task[None]] = {}
        self._wh_retry_at: dict[int, float] = {}
        self._wh_last_error: tuple[int, str] | None = None
        self._wh_loop: asyncio.Task[None] | None = None
        self._session: aiohttp.ClientSession | None = None
        self._main: asyncio.AbstractEventLoop | None = None
        self._door: threading.Thread | None = None
        self._door_loop: asyncio.AbstractEventLoop | None = None
        self._closing = False
        self._handlers: dict[str, tuple[str, Callable[[Params], Awaitable[Any]]]] = {}
        for name in (
            "getMe",
            "getUpdates",
            "setWebhook",
            "deleteWebhook",
            "getWebhookInfo",
            "sendMessage",
            "editMessageText",
            "editMessageReplyMarkup",
            "editMessageCaption",
            "deleteMessage",
            "answerCallbackQuery",
            "sendDocument",
            "sendPhoto",
            "sendChatAction",
            "setMyCommands",
            "getMyCommands",
            "deleteMyCommands",
            "setMyDescription",
            "setMyShortDescription",
            "getMyDescription",
            "getMyShortDescription",
            "getChat",
            "getFile",
            "logOut",
            "close",
        ):
            self._handlers[name.lower()] = (name, getattr(self, f"_m_{name}"))

    # -- lifecycle -------------------------------------------------------------------------------------------

    async def start(self) -> None:
        """Bind 127.0.0.1 on a free port and start serving.

        The HTTP side runs in a thread with its own event loop, the front door: it reads each
        request and stamps its arrival even while the test's loop is busy (starting a process,
        opening a database), then hands it to that loop, where all state lives. Rate limits count
        arrivals, as Telegram does, not the moments this loop got round to them. With limits on, the
        garbage collector is paused while the server runs: a full collection of a test process's heap
        stops every thread for 100 ms and more, and arrivals stamped after it would bunch up as no
        real network bunches them.
        """
        if self.limits:
            _steady(True)
        self._main = asyncio.get_running_loop()
        started = threading.Event()
        self._door = threading.Thread(target=self._serve_door, args=(started,), name="fake-bot-api", daemon=True)
        self._door.start()
        await asyncio.to_thread(started.wait, 30)
        if not self.port:
            raise RuntimeError("the fake Bot API could not start listening")
        self.base_url = f"http://127.0.0.1:{self.port}/bot"
        self.base_file_url = f"http://127.0.0.1:{self.port}/file/bot"
        self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30))
        self._wh_loop = asyncio.create_task(self._webhook_loop())

    async def stop(self) -> None:
        """Stop serving; pending deliveries and held requests are cancelled."""
        self._closing = True
        self._notify_updates()
        tasks = [t for t in (self._wh_loop, *self._wh_inflight.values(), *self._tasks) if t is not None]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        if self._session is not None:
            await self._session.close()
        if self._door_loop is not None and self._door is not None:
            self._door_loop.call_soon_threadsafe(self._door_loop.stop)
            await asyncio.to_thread(self._door.join, 10)
        if self.limits:
            _steady(False)

    def _serve_door(self, started: threading.Event) -> None:
        """The front door's thread: an aiohttp server on its own loop until ``stop``."""
        loop = self._door_loop = asyncio.new_event_loop()
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._arrive)
        app.router.add_route("*", "/file/bot{token}/{path:.+}", self._arrive_file)
        app.router.add_route("*", "/{tail:.*}", self._handle_unknown)
        runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.5)
        try:
            loop.run_until_complete(runner.setup())
            loop.run_until_complete(web.TCPSite(runner, "127.0.0.1", 0).start())
            self.port = int(runner.addresses[0][1])
        finally:
            started.set()
        try:
            loop.run_forever()
        finally:
            loop.run_until_complete(runner.cleanup())
            loop.close()

    async def _arrive(self, request: web.Request) -> web.Response:
        """At the front door: stamp, read, and pass the request to the test's loop."""
        at = time.monotonic()
        try:
            params, error = await self._read_params(request), None
        except ApiError as exc:
            params, error = Params({}, {}), exc
        handled = asyncio.run_coroutine_threadsafe(
            self._handle(request.match_info["token"], request.match_info["method"], params, error, at), self._main
        )
        return await asyncio.wrap_future(handled)

    async def _arrive_file(self, request: web.Request) -> web.Response:
        handled = asyncio.run_coroutine_threadsafe(
            self._handle_file(request.match_info["token"], request.match_info["path"]), self._main
        )
        return await asyncio.wrap_future(handled)

    async def __aenter__(self) -> FakeBotAPI:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    # -- people and chats ------------------------------------------------------------------------------------

    def user(self, user_id: int, first_name: str = "Anna", language_code: str | None = "de") -> FakeUser:
        """A user with a private chat to the bot (chat id = user id)."""
        user = FakeUser(user_id, first_name, language_code)
        self.users[user_id] = user
        self.chats[user_id] = FakeChat(user_id, "private", None)
        return user

    def group(self, chat_id: int, title: str = "Team") -> FakeChat:
        """A group the bot is a member of (ids starting with -100 are supergroups)."""
        if chat_id >= 0:
            raise ValueError("group chat ids are negative")
        chat = FakeChat(chat_id, "supergroup" if str(chat_id).startswith("-100") else "group", title)
        self.chats[chat_id] = chat
        return chat

    # -- JSON objects ----------------------------------------------------------------------------------------

    def bot_user(self) -> JSONDict:
        """The bot as a User object."""
        return {"id": self.bot_id, "is_bot": True, "first_name": "DAKS Test Bot", "username": self.username}

    @staticmethod
    def user_json(user: FakeUser) -> JSONDict:
        """A user as a User object."""
        out: JSONDict = {"id": user.id, "is_bot": False, "first_name": user.first_name}
        if user.language_code:
            out["language_code"] = user.language_code
        return out

    def chat_json(self, chat: FakeChat) -> JSONDict:
        """A chat as a Chat object."""
        if chat.type == "private":
            user = self.users.get(chat.id)
            return {"id": chat.id, "first_name": user.first_name if user else "", "type": "private"}
        out: JSONDict = {"id": chat.id, "title": chat.title or "", "type": chat.type}
        if chat.type == "group":
            out["all_members_are_administrators"] = True
        return out

    def _private_chat(self, user: FakeUser) -> FakeChat:
        if user.id not in self.users:
            self.user(user.id, user.first_name, user.language_code)
        return self.chats[user.id]

    def _next_message_id(self, chat_id: int) -> int:
        self._message_ids[chat_id] = self._message_ids.get(chat_id, 0) + 1
        return self._message_ids[chat_id]

    def _store_file(self, file_name: str, data: bytes, mime: str, kind: str = "documents") -> JSONDict:
        self._file_counter += 1
        file_id = f"BQACAgIAAxkBAAI{self._file_counter:06d}{kind[:3]}"
        unique = f"AgAD{self._file_counter:06d}"
        path = f"{kind}/file_{self._file_counter}{mimetypes.guess_extension(mime) or ''}"
        self._files[file_id] = (file_name, data, mime)
        self._file_paths[path] = file_id
        meta = {"file_id": file_id, "file_unique_id": unique, "file_size": len(data)}
        self._file_meta[file_id] = {**meta, "file_path": path}
        return meta

    # -- updates ---------------------------------------------------------------------------------------------

    def _new_update(self, kind: str, body: JSONDict) -> JSONDict:
        update = {"update_id": self._next_update_id, kind: copy.deepcopy(body)}
        self._next_update_id += 1
        self._queue(update)
        return update

    def _queue(self, update: JSONDict) -> None:
        allowed = set(self._allowed_updates) if self._allowed_updates else DEFAULT_UPDATES
        if _update_kind(update) in allowed:
            self._updates.append(update)
            self._last_activity = time.monotonic()
            self._notify_updates()
            self._webhook_wake.set()

    def _notify_updates(self) -> None:
        self._updates_event.set()
        self._updates_event = asyncio.Event()

    def _notify_state(self) -> None:
        self._state_event.set()
        self._state_event = asyncio.Event()

    def _user_message(self, user: FakeUser, chat: FakeChat | None) -> JSONDict:
        chat = chat or self._private_chat(user)
        if chat.type == "private" and chat.id in self.blocked:
            self.unblock(user)
        message = {
            "message_id": self._next_message_id(chat.id),
            "from": self.user_json(user),
            "chat": self.chat_json(chat),
            "date": int(time.time()),
        }
        self._messages[(chat.id, message["message_id"])] = message
        return message

    async def send_text(self, user: FakeUser, text: str, chat: FakeChat | None = None) -> JSONDict:
        """The user writes `text` (commands get a bot_command entity)."""
        message = self._user_message(user, chat)
        message["text"] = text
        if text.startswith("/"):
            command = re.split(r"\s", text, maxsplit=1)[0]
            message["entities"] = [{"offset": 0, "length": utf16_len(command), "type": "bot_command"}]
        return self._new_update("message", message)

    async def edit_text(self, user: FakeUser, message_id: int, text: str, chat: FakeChat | None = None) -> JSONDict:
        """The user edits one of their text messages: an edited_message update."""
        chat = chat or self._private_chat(user)
        message = self._messages.get((chat.id, message_id))
        if message is None or message.get("from", {}).get("id") != user.id or "text" not in message:
            raise AssertionError(f"user {user.id} has no text message {message_id} in chat {chat.id}")
        message["text"] = text
        message.pop("entities", None)
        if text.startswith("/"):
            command = re.split(r"\s", text, maxsplit=1)[0]
            message["entities"] = [{"offset": 0, "length": utf16_len(command), "type": "bot_command"}]
        message["edit_date"] = int(time.time())
        return self._new_update("edited_message", message)

    async def send_file(
        self, user: FakeUser, file_name: str, data: bytes = b"x", chat: FakeChat | None = None
    ) -> JSONDict:
        """The user sends a document."""
        mime = mimetypes.guess_type(file_name, strict=False)[0] or "application/octet-stream"
        message = self._user_message(user, chat)
        message["document"] = {"file_name": file_name, "mime_type": mime, **self._store_file(file_name, data, mime)}
        return self._new_update("message", message)

    async def send_photo(self, user: FakeUser, chat: FakeChat | None = None) -> JSONDict:
        """The user sends a photo (three sizes, like Telegram)."""
        message = self._user_message(user, chat)
        sizes = []
        for width, height in ((90, 67), (320, 240), (800, 600)):
            stored = self._store_file("photo.jpg", b"\xff\xd8" + bytes(width), "image/jpeg", "photos")
            sizes.append({**stored, "width": width, "height": height})
        message["photo"] = sizes
        return self._new_update("message", message)

    async def press(self, user: FakeUser, message: Sent, data: str, formatting: bool = True) -> JSONDict:
        """The user presses the inline button with callback data `data` under a bot message. `formatting=False`
        sends the message without its entities, as a server may (the text's formatting is then unknown)."""
        sent = self._sent_by_id.get((message.chat_id, message.message_id))
        if sent is None or sent.deleted:
            raise AssertionError(f"no bot message {message.message_id} in chat {message.chat_id} to press")
        datas = [b.get("callback_data") for row in (sent.reply_markup or {}).get("inline_keyboard", []) for b in row]
        if data not in datas:
            raise AssertionError(f"message {sent.message_id} has no button with data {data!r}: {sent.buttons()}")
        self._query_counter += 1
        query_id = str(4_700_000_000_000_000_000 + self._query_counter)
        self._callbacks[query_id] = False
        query = {
            "id": query_id,
            "from": self.user_json(user),
            "message": sent.raw if formatting else {k: v for k, v in sent.raw.items() if k != "entities"},
            "chat_instance": str(-(abs(sent.chat_id) * 7919 + 1_000_003)),
            "data": data,
        }
        return self._new_update("callback_query", query)

    async def push(self, update: JSONDict) -> None:
        """Queue a raw update (e.g. a duplicate with an update_id seen before)."""
        self._next_update_id = max(self._next_update_id, int(update.get("update_id", 0)) + 1)
        self._queue(copy.deepcopy(update))

    def _member_update(self, user: FakeUser, old: str, new: str) -> JSONDict:
        chat = self._private_chat(user)
        new_member: JSONDict = {"user": self.bot_user(), "status": new}
        if new == "kicked":
            new_member["until_date"] = 0
        body = {
            "chat": self.chat_json(chat),
            "from": self.user_json(user),
            "date": int(time.time()),
            "old_chat_member": {"user": self.bot_user(), "status": old},
            "new_chat_member": new_member,
        }
        return self._new_update("my_chat_member", body)

    async def block(self, user: FakeUser) -> JSONDict:
        """The user blocks the bot: a my_chat_member update; later sends to the chat get 403."""
        self.blocked.add(user.id)
        return self._member_update(user, "member", "kicked")

    def unblock(self, user: FakeUser) -> JSONDict:
        """The user restarts the bot: a my_chat_member update (kicked -> member)."""
        self.blocked.discard(user.id)
        return self._member_update(user, "kicked", "member")

    # -- what the bot did ------------------------------------------------------------------------------------

    def sent(self, chat_id: int) -> list[Sent]:
        """Bot messages in that chat, in order (deleted ones stay, with deleted=True)."""
        return list(self._sent.get(chat_id, ()))

    def asked(self, method: str) -> int:
        """How often the bot asked for a method, answered or not yet (case-insensitive)."""
        return self._asked[method.lower()]

    def called(self, method: str) -> list[Call]:
        """The recorded calls of one method (case-insensitive)."""
        name = method.lower()
        return [c for c in self.calls if c.method.lower() == name]

    @property
    def pending_updates(self) -> list[JSONDict]:
        """Updates not yet confirmed (getUpdates) or delivered (webhook)."""
        return list(self._updates)

    async def wait_for(self, predicate: Callable[[], bool], timeout: float = 10) -> None:
        """Wait until `predicate()` holds (checked after every request and state change)."""
        deadline = time.monotonic() + timeout
        while True:
            event = self._state_event
            if predicate():
                return
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"condition not met within {timeout} s")
            try:
                await asyncio.wait_for(event.wait(), min(remaining, 0.25))
            except TimeoutError:
                pass

    async def wait_sent(self, chat_id: int, count: int, timeout: float = 10) -> list[Sent]:
        """Wait until the bot sent at least `count` messages to the chat; returns them."""
        try:
            await self.wait_for(lambda: len(self._sent.get(chat_id, ())) >= count, timeout)
        except TimeoutError:
            texts = [s.text[:60] for s in self._sent.get(chat_id, ())]
            raise TimeoutError(f"expected {count} messages in chat {chat_id} within {timeout} s, got {texts}") from None
        return self.sent(chat_id)

    async def wait_idle(self, quiet: float = 0.3, timeout: float = 10) -> None:
        """Wait until no request (long polls excluded) and no new update happened for `quiet` seconds."""
        deadline = time.monotonic() + timeout
        while True:
            now = time.monotonic()
            idle_for = now - self._last_activity
            if self._inflight == 0 and idle_for >= quiet:
                return
            if now >= deadline:
                raise TimeoutError(f"the bot was not idle for {quiet} s within {timeout} s")
            step = quiet - idle_for if self._inflight == 0 else 0.02
            await asyncio.sleep(max(0.005, min(step, deadline - now)))

    # -- failures --------------------------------------------------------------------------------------------

    def fail(
        self,
        method: str,
        error: str,
        *,
        chat_id: int | None = None,
        count: int = 1,
        retry_after: int = 1,
        migrate_to: int | None = None,
        delay: float = 0.0,
    ) -> None:
        """Make the next `count` matching requests fail (rules are consumed in order, before anything else)."""
        if error not in FAIL_KINDS:
            raise ValueError(f"unknown failure {error!r}; expected one of {sorted(FAIL_KINDS)}")
        self._rules.append(_Rule(method.lower(), error, chat_id, count, retry_after, migrate_to, delay))

    def _take_rule(self, method: str, params: Params) -> _Rule | None:
        if not self._rules:
            return None
        name = method.lower()
        chat_id: int | None
        try:
            chat_id = params.integer("chat_id")
        except ApiError:
            chat_id = None
        for rule in self._rules:
            if rule.method == name and (rule.chat_id is None or rule.chat_id == chat_id):
                rule.count -= 1
                if rule.count <= 0:
                    self._rules.remove(rule)
                return rule
        return None

    def _rule_error(self, rule: _Rule, params: Params) -> ApiError:
        if rule.error == "retry_after":
            return ApiError(
                429, f"Too Many Requests: retry after {rule.retry_after}", {"retry_after": rule.retry_after}
            )
        if rule.error == "blocked":
            return ApiError(403, BLOCKED)
        if rule.error == "not_found":
            return bad("chat not found")
        if rule.error == "migrate":
            old = params.integer("chat_id") or 0
            new = rule.migrate_to if rule.migrate_to is not None else int(f"-100{abs(old)}")
            if new not in self.chats:
                title = self.chats[old].title if old in self.chats else "Team"
                self.chats[new] = FakeChat(new, "supergroup", title)
            return ApiError(
                400, "Bad Request: group chat was upgraded to a supergroup chat", {"migrate_to_chat_id": new}
            )
        return ApiError(500, "Internal Server Error")

    # -- HTTP ------------------------------------------------------------------------------------------------

    async def _read_params(self, request: web.Request) -> Params:
        raw: JSONDict = dict(request.query)
        files: dict[str, tuple[str, bytes, str]] = {}
        if request.can_read_body:
            ctype = request.content_type
            if ctype == "application/json":
                try:
                    body = await request.json()
                except ValueError:
                    raise bad("can't parse JSON encoded request body") from None
                if isinstance(body, dict):
                    raw.update(body)
            elif ctype in ("application/x-www-form-urlencoded", "multipart/form-data"):
                form = await request.post()
                for key, value in form.items():
                    if isinstance(value, web.FileField):
                        files[key] = (value.filename, value.file.read(), value.content_type)
                    else:
                        raw[key] = value
            else:
                await request.read()
        return Params(raw, files)

    async def _handle_unknown(self, request: web.Request) -> web.Response:
        return web.json_response({"ok": False, "error_code": 404, "description": "Not Found"}, status=404)

    async def _handle(self, token: str, method: str, params: Params, error: ApiError | None, at: float) -> web.Response:
        _ARRIVED.set(at)
        entry = self._handlers.get(method.lower())
        name = entry[0] if entry else method
        long_poll = name == "getUpdates"
        if not long_poll:
            self._inflight += 1
            self._last_activity = at
        try:
            if error is not None:
                return self._respond(name, params, error.code, error.body(), at)
            if not _TOKEN_RE.match(token) or entry is None:
                return self._respond(
                    name, params, 404, {"ok": False, "error_code": 404, "description": "Not Found"}, at
                )
            if token != self.token:
                return self._respond(
                    name, params, 401, {"ok": False, "error_code": 401, "description": "Unauthorized"}, at
                )
            self._asked[name.lower()] += 1
            rule = self._take_rule(name, params)
            if rule is not None and rule.error == "timeout":
                task = asyncio.create_task(self._held(rule, name, entry[1], params, at))
                self._tasks.add(task)
                task.add_done_callback(self._tasks.discard)
                status, body = await asyncio.shield(task)
            else:
                status, body = await self._run(name, entry[1], params, at, rule)
            return web.json_response(body, status=status, dumps=_dumps)
        finally:
            if not long_poll:
                self._inflight -= 1
                self._last_activity = time.monotonic()

    def _respond(self, name: str, params: Params, status: int, body: JSONDict, at: float) -> web.Response:
        self._record(name, params, status, body, at)
        return web.json_response(body, status=status, dumps=_dumps)

    def _record(self, name: str, params: Params, status: int, body: JSONDict, at: float) -> None:
        self.calls.append(Call(name, params.decoded(), status, body, at))
        self._notify_state()

    async def _held(
        self, rule: _Rule, name: str, handler: Callable[[Params], Awaitable[Any]], params: Params, at: float
    ) -> tuple[int, JSONDict]:
        self._inflight += 1
        try:
            await asyncio.sleep(rule.delay or 10.0)
            return await self._run(name, handler, params, at, None)
        finally:
            self._inflight -= 1
            self._last_activity = time.monotonic()

    async def _run(
        self, name: str, handler: Callable[[Params], Awaitable[Any]], params: Params, at: float, rule: _Rule | None
    ) -> tuple[int, JSONDict]:
        try:
            if rule is not None:
                raise self._rule_error(rule, params)
            if self.limits and name not in _PER_CHAT_LIMITED and params.has("chat_id"):
                self._throttle(None)
            result = await handler(params)
            if isinstance(result, _Described):
                body: JSONDict = {"ok": True, "result": result.result, "description": result.description}
            else:
                body = {"ok": True, "result": result}
            status = 200
        except ApiError as exc:
            status, body = exc.code, exc.body()
        self._record(name, params, status, body, at)
        return status, body

    async def _handle_file(self, token: str, path: str) -> web.Response:
        if token != self.token:
            return web.json_response({"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401)
        file_id = self._file_paths.get(path)
        if file_id is None:
            return web.json_response({"ok": False, "error_code": 404, "description": "Not Found"}, status=404)
        _name, data, mime = self._files[file_id]
        return web.Response(body=data, content_type=mime)

    # -- shared checks ---------------------------------------------------------------------------------------

    def _throttle(self, chat_id: int | None) -> None:
        """429 when the request exceeds the token's or (when chat_id is given) the chat's limit.

        The token may make `overall` requests in any sliding second; a private chat about one a second with a
        burst of 5; a group 20 in any sliding minute. A request refused for the token starts a flood wait for
        every chat, one refused for a chat a flood wait for that chat; a request that comes while its flood
        wait runs is refused and lengthens it by a second, as Telegram lengthens the waits of bots that flood.
        """
        if not self.limits:
            return
        now = _ARRIVED.get(time.monotonic())
        for key in (None, chat_id) if chat_id is not None else (None,):
            left = self._floods.get(key, 0.0) - now
            if left > 0:
                self.ignored_floods += 1
                self._refuse(key, now, left + 1)
        limit: _Window | _Gcra | None = None
        if chat_id is not None and chat_id < 0:
            limit = self._group_rate.setdefault(chat_id, _Window(20, 60.0))
        elif chat_id is not None:
            limit = self._private_rate.setdefault(chat_id, _Gcra(1.0, 5))
        wait = self._token_rate.wait(now)
        if wait > 0:
            self._refuse(None, now, wait)
        if limit is not None and (wait := limit.wait(now)) > 0:
            self._refuse(chat_id, now, wait)
        self._token_rate.commit(now)
        bisect.insort(self.counted, now)
        if limit is not None:
            limit.commit(now)

    def _refuse(self, key: int | None, now: float, wait: float) -> NoReturn:
        """A 429 with Telegram's whole-second retry_after; `key` (a chat, or None for the token) waits that long."""
        seconds = max(1, math.ceil(wait))
        self._floods[key] = now + seconds
        raise ApiError(429, f"Too Many Requests: retry after {seconds}", {"retry_after": seconds})

    def busiest(self, seconds: float = 1.0) -> int:
        """The most requests the token's limit counted within any sliding window of `seconds`."""
        most, first = 0, 0
        for last, at in enumerate(self.counted):
            while at - self.counted[first] >= seconds:
                first += 1
            most = max(most, last - first + 1)
        return most

    def _chat(self, params: Params, *, sending: bool = True) -> FakeChat:
        """The chat named by chat_id; 400 when unknown, 403 when the user blocked the bot."""
        if not params.has("chat_id"):
            raise bad("chat_id is empty")
        try:
            chat_id = params.integer("chat_id")
        except ApiError:
            raise bad("chat not found") from None
        chat = self.chats.get(chat_id or 0)
        if chat is None:
            raise bad("chat not found")
        if sending and chat.id in self.blocked:
            raise ApiError(403, BLOCKED)
        return chat

    def _format(self, params: Params, key: str, entities_key: str, caption: bool) -> tuple[str, str, list[JSONDict]]:
        raw = params.string(key) or ""
        text, entities = format_text(raw, params.string("parse_mode"), params.json_value(entities_key))
        size = utf16_len(text)
        if caption:
            if size > MAX_CAPTION:
                raise bad("message caption is too long")
        elif size == 0:
            raise bad("message text is empty")
        elif size > MAX_TEXT:
            raise bad("message is too long")
        return raw, text, entities

    def _reply_to(self, params: Params, chat: FakeChat) -> JSONDict | None:
        reply = params.json_value("reply_parameters")
        message_id = params.integer("reply_to_message_id")
        allow = params.flag("allow_sending_without_reply")
        if isinstance(reply, dict):
            message_id = reply.get("message_id")
            allow = allow or bool(reply.get("allow_sending_without_reply"))
        if not message_id:
            return None
        target = self._messages.get((chat.id, int(message_id)))
        if target is None:
            if allow:
                return None
            raise bad("message to be replied not found")
        return {k: v for k, v in target.items() if k != "reply_to_message"}

    def _bot_message(
        self,
        chat: FakeChat,
        params: Params,
        raw_text: str,
        text: str,
        entities: list[JSONDict],
        markup: JSONDict | None,
        content: JSONDict,
        text_key: str,
        document: tuple[str, bytes] | None = None,
    ) -> JSONDict:
        reply_to = self._reply_to(params, chat)
        self._throttle(chat.id)
        message_id = self._next_message_id(chat.id)
        message: JSONDict = {
            "message_id": message_id,
            "from": self.bot_user(),
            "chat": self.chat_json(chat),
            "date": int(time.time()),
        }
        if reply_to is not None:
            message["reply_to_message"] = reply_to
        message.update(content)
        if text or text_key == "text":
            message[text_key] = text
        if entities:
            message["entities" if text_key == "text" else "caption_entities"] = entities
        if markup is not None and "inline_keyboard" in markup:
            message["reply_markup"] = markup
        sent = Sent(message_id, chat.id, text, raw_text, entities, markup, document, raw=message)
        self._sent.setdefault(chat.id, []).append(sent)
        self._sent_by_id[(chat.id, message_id)] = sent
        self._messages[(chat.id, message_id)] = message
        if self.on_message is not None:
            self.on_message(sent)
        return message

    def _editable(self, params: Params) -> tuple[FakeChat, Sent]:
        if params.has("inline_message_id") and not params.has("chat_id"):
            raise bad("MESSAGE_ID_INVALID")
        chat = self._chat(params)
        message_id = params.integer("message_id")
        if not message_id:
            raise bad("message identifier is not specified")
        sent = self._sent_by_id.get((chat.id, message_id))
        if sent is None or sent.deleted:
            if (chat.id, message_id) in self._messages:
                raise bad("message can't be edited")
            raise bad("message to edit not found")
        return chat, sent

    def _apply_edit(
        self,
        chat: FakeChat,
        sent: Sent,
        text_key: str,
        raw_text: str | None,
        text: str | None,
        entities: list[JSONDict] | None,
        markup: JSONDict | None,
    ) -> JSONDict:
        new_text = sent.text if text is None else text
        new_entities = sent.entities if entities is None else entities
        if new_text == sent.text and new_entities == sent.entities and markup == sent.reply_markup:
            raise bad(NOT_MODIFIED.removeprefix("Bad Request: "))
        self._throttle(chat.id)
        message = dict(sent.raw)  # copy on write: earlier responses and updates keep their snapshot
        if text is not None and raw_text is not None and entities is not None:
            sent.text, sent.html, sent.entities = text, raw_text, entities
            entities_key = "entities" if text_key == "text" else "caption_entities"
            if text or text_key == "text":
                message[text_key] = text
            else:
                message.pop(text_key, None)
            if entities:
                message[entities_key] = entities
            else:
                message.pop(entities_key, None)
        sent.reply_markup = markup
        if markup is not None and "inline_keyboard" in markup:
            message["reply_markup"] = markup
        else:
            message.pop("reply_markup", None)
        message["edit_date"] = int(time.time())
        sent.edits += 1
        sent.raw = message
        self._messages[(chat.id, sent.message_id)] = message
        if self.on_message is not None:
            self.on_message(sent)
        return message

    def _upload(self, params: Params, key: str) -> tuple[str, bytes, str]:
        """The file of a send* request: an upload, attach://name, a known file_id or a URL."""
        if key in params.files:
            return params.files[key]
        value = params.string(key) or ""
        if value.startswith("attach://") and value[9:] in params.files:
            return params.files[value[9:]]
        if value in self._files:
            return self._files[value]
        if value.startswith(("http://", "https://")):
            name = value.rstrip("/").rsplit("/", 1)[-1] or "file"
            return name, b"", mimetypes.guess_type(name, strict=False)[0] or "application/octet-stream"
        if value:
            raise bad("wrong file identifier/HTTP URL specified")
        raise bad(f"there is no {key} in the request")

    # -- methods ---------------------------------------------------------------------------------------------

    async def _m_getMe(self, params: Params) -> JSONDict:
        return {
            **self.bot_user(),
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def _m_logOut(self, params: Params) -> bool:
        return True

    async def _m_close(self, params: Params) -> bool:
        return True

    async def _m_getUpdates(self, params: Params) -> list[JSONDict]:
        if self.webhook is not None:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook "
                "to delete the webhook first",
            )
        offset = params.integer("offset", 0) or 0
        limit = min(100, max(1, params.integer("limit", 100) or 100))
        timeout = max(0.0, params.number("timeout", 0.0))
        if "allowed_updates" in params.raw:
            allowed = params.json_value("allowed_updates")
            self._allowed_updates = list(allowed) if allowed else None
        if offset > 0:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        elif offset < 0:
            self._updates = self._updates[offset:]
        self._poll_generation += 1
        generation = self._poll_generation
        self._notify_updates()
        deadline = time.monotonic() + timeout
        while True:
            event = self._updates_event
            if self._updates:
                self._last_activity = time.monotonic()
                return self._updates[:limit]
            remaining = deadline - time.monotonic()
            if remaining <= 0 or self._closing:
                return []
            if generation != self._poll_generation:
                raise ApiError(
                    409,
                    "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
                )
            try:
                await asyncio.wait_for(event.wait(), remaining)
            except TimeoutError:
                pass
            if self.webhook is not None:
                return []

    async def _m_setWebhook(self, params: Params) -> _Described:
        url = params.string("url") or ""
        if not url:
            return await self._m_deleteWebhook(params)
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise bad("bad webhook: An HTTPS URL must be provided for webhook")
        secret = params.string("secret_token") or None
        if secret is not None and not _SECRET_RE.match(secret):
            raise bad("secret token contains unallowed characters")
        if params.flag("drop_pending_updates"):
            self._updates.clear()
            self._wh_retry_at.clear()
        if "allowed_updates" in params.raw:
            allowed = params.json_value("allowed_updates")
            self._allowed_updates = list(allowed) if allowed else None
        same = self.webhook is not None and self.webhook.get("url") == url
        self.webhook = {"url": url, "secret_token": secret}
        self._webhook_wake.set()
        self._notify_updates()
        return _Described(True, "Webhook is already set" if same else "Webhook was set")

    async def _m_deleteWebhook(self, params: Params) -> _Described:
        if params.flag("drop_pending_updates"):
            self._updates.clear()
            self._wh_retry_at.clear()
        was_set = self.webhook is not None
        self.webhook = None
        return _Described(True, "Webhook was deleted" if was_set else "Webhook is already deleted")

    async def _m_getWebhookInfo(self, params: Params) -> JSONDict:
        info: JSONDict = {"url": "", "has_custom_certificate": False, "pending_update_count": len(self._updates)}
        if self.webhook is not None:
            info.update(url=self.webhook["url"], max_connections=40, ip_address="127.0.0.1")
            if self._allowed_updates:
                info["allowed_updates"] = self._allowed_updates
            if self._wh_last_error is not None:
                info["last_error_date"], info["last_error_message"] = self._wh_last_error
        return info

    async def _m_sendMessage(self, params: Params) -> JSONDict:
        chat = self._chat(params)
        raw, text, entities = self._format(params, "text", "entities", caption=False)
        markup = check_reply_markup(params.json_value("reply_markup"))
        return self._bot_message(chat, params, raw, text, entities, markup, {}, "text")

    async def _m_sendDocument(self, params: Params) -> JSONDict:
        return await self._send_file(params, "document")

    async def _m_sendPhoto(self, params: Params) -> JSONDict:
        return await self._send_file(params, "photo")

    async def _send_file(self, params: Params, key: str) -> JSONDict:
        chat = self._chat(params)
        file_name, data, mime = self._upload(params, key)
        raw, text, entities = self._format(params, "caption", "caption_entities", caption=True)
        markup = check_reply_markup(params.json_value("reply_markup"))
        if key == "photo":
            stored = self._store_file(file_name, data, "image/jpeg", "photos")
            content: JSONDict = {"photo": [{**stored, "width": 800, "height": 600}]}
        else:
            if params.has("file_name"):
                file_name = params.string("file_name") or file_name
            stored = self._store_file(file_name, data, mime)
            content = {"document": {"file_name": file_name, "mime_type": mime, **stored}}
        return self._bot_message(chat, params, raw, text, entities, markup, content, "caption", (file_name, data))

    async def _m_editMessageText(self, params: Params) -> JSONDict:
        chat, sent = self._editable(params)
        if sent.document is not None:
            raise bad("there is no text in the message to edit")
        raw, text, entities = self._format(params, "text", "entities", caption=False)
        markup = check_reply_markup(params.json_value("reply_markup"), inline_only=True)
        return self._apply_edit(chat, sent, "text", raw, text, entities, markup)

    async def _m_editMessageCaption(self, params: Params) -> JSONDict:
        chat, sent = self._editable(params)
        if sent.document is None:
            raise bad("there is no caption in the message to edit")
        raw, text, entities = self._format(params, "caption", "caption_entities", caption=True)
        markup = check_reply_markup(params.json_value("reply_markup"), inline_only=True)
        return self._apply_edit(chat, sent, "caption", raw, text, entities, markup)

    async def _m_editMessageReplyMarkup(self, params: Params) -> JSONDict:
        chat, sent = self._editable(params)
        markup = check_reply_markup(params.json_value("reply_markup"), inline_only=True)
        return self._apply_edit(chat, sent, "text", None, None, None, markup)

    async def _m_deleteMessage(self, params: Params) -> bool:
        chat = self._chat(params, sending=False)
        message_id = params.integer("message_id")
        if not message_id or self._messages.pop((chat.id, message_id), None) is None:
            raise bad("message to delete not found")
        sent = self._sent_by_id.get((chat.id, message_id))
        if sent is not None:
            sent.deleted = True
        return True

    async def _m_answerCallbackQuery(self, params: Params) -> bool:
        query_id = params.string("callback_query_id") or ""
        if self._callbacks.get(query_id, True):
            raise bad("query is too old and response timeout expired or query ID is invalid")
        if len(params.string("text") or "") > 200:
            raise bad("MESSAGE_TOO_LONG")
        self._callbacks[query_id] = True
        return True

    async def _m_sendChatAction(self, params: Params) -> bool:
        self._chat(params)
        if params.string("action") not in _CHAT_ACTIONS:
            raise bad("wrong parameter action in request")
        return True

    @staticmethod
    def _scope_key(params: Params) -> str:
        scope = params.json_value("scope") or {"type": "default"}
        if not isinstance(scope, dict) or "type" not in scope:
            raise bad("can't parse BotCommandScope JSON object")
        return json.dumps(scope, sort_keys=True)

    @staticmethod
    def _language(params: Params) -> str | None:
        language = params.string("language_code") or ""
        if not _LANG_RE.match(language):
            raise bad("invalid language code specified")
        return language or None

    async def _m_setMyCommands(self, params: Params) -> bool:
        commands = params.json_value("commands")
        if not isinstance(commands, list):
            raise bad("can't parse commands JSON object")
        if len(commands) > 100:
            raise bad("BOT_COMMANDS_TOO_MUCH")
        clean: list[JSONDict] = []
        for command in commands:
            if not isinstance(command, dict) or not isinstance(command.get("command"), str):
                raise bad("can't parse BotCommand JSON object")
            if not _COMMAND_RE.match(command["command"]):
                raise bad("BOT_COMMAND_INVALID")
            description = command.get("description")
            if not isinstance(description, str) or not 1 <= len(description.strip()) <= 256:
                raise bad("BOT_COMMAND_DESCRIPTION_INVALID")
            clean.append({"command": command["command"], "description": description})
        scope, language = self._scope_key(params), self._language(params)
        if clean:
            self.scoped_commands[(scope, language)] = clean
        else:
            self.scoped_commands.pop((scope, language), None)
        if json.loads(scope) == {"type": "default"}:
            if clean:
                self.commands[language] = clean
            else:
                self.commands.pop(language, None)
        return True

    async def _m_getMyCommands(self, params: Params) -> list[JSONDict]:
        return copy.deepcopy(self.scoped_commands.get((self._scope_key(params), self._language(params)), []))

    async def _m_deleteMyCommands(self, params: Params) -> bool:
        scope, language = self._scope_key(params), self._language(params)
        self.scoped_commands.pop((scope, language), None)
        if json.loads(scope) == {"type": "default"}:
            self.commands.pop(language, None)
        return True

    async def _set_description(self, params: Params, kind: str, limit: int) -> bool:
        text = params.string(kind) or ""
        if len(text) > limit:
            raise bad(f"{kind.replace('_', ' ')} is too long")
        self.descriptions[(kind, self._language(params))] = text
        return True

    async def _m_setMyDescription(self, params: Params) -> bool:
        return await self._set_description(params, "description", 512)

    async def _m_setMyShortDescription(self, params: Params) -> bool:
        return await self._set_description(params, "short_description", 120)

    async def _m_getMyDescription(self, params: Params) -> JSONDict:
        return {"description": self.descriptions.get(("description", self._language(params)), "")}

    async def _m_getMyShortDescription(self, params: Params) -> JSONDict:
        return {"short_description": self.descriptions.get(("short_description", self._language(params)), "")}

    async def _m_getChat(self, params: Params) -> JSONDict:
        chat = self._chat(params, sending=False)
        gifts = {
            "unlimited_gifts": False,
            "limited_gifts": False,
            "unique_gifts": False,
            "premium_subscription": False,
            "gifts_from_channels": False,
        }
        return {**self.chat_json(chat), "accent_color_id": 0, "max_reaction_count": 11, "accepted_gift_types": gifts}

    async def _m_getFile(self, params: Params) -> JSONDict:
        file_id = params.string("file_id") or ""
        if file_id not in self._files:
            raise bad("invalid file_id")
        return dict(self._file_meta[file_id])

    # -- webhook delivery ------------------------------------------------------------------------------------

    async def _webhook_loop(self) -> None:
        while True:
            self._webhook_wake.clear()
            wait = self._dispatch_webhook()
            try:
                await asyncio.wait_for(self._webhook_wake.wait(), wait)
            except TimeoutError:
                pass

    def _dispatch_webhook(self) -> float | None:
        """Start deliveries (one in flight per chat, in order); seconds until the next retry is due."""
        if self.webhook is None:
            return None
        now = time.monotonic()
        next_due: float | None = None
        seen: set[Any] = set()
        for update in self._updates:
            key = _update_chat_key(update)
            if key in seen:
                continue
            seen.add(key)
            if key in self._wh_inflight:
                continue
            due = self._wh_retry_at.get(id(update), 0.0)
            if due > now:
                next_due = due if next_due is None else min(next_due, due)
                continue
            self._wh_inflight[key] = asyncio.create_task(self._deliver(update, key, dict(self.webhook)))
        return None if next_due is None else max(0.0, next_due - now)

    async def _deliver(self, update: JSONDict, key: Any, webhook: JSONDict) -> None:
        status = 0
        error = ""
        try:
            headers = {"Content-Type": "application/json"}
            if webhook.get("secret_token"):
                headers["X-Telegram-Bot-Api-Secret-Token"] = webhook["secret_token"]
            assert self._session is not None
            url = self.balance[len(self.delivered_to) % len(self.balance)] if self.balance else webhook["url"]
            self.delivered_to.append(url)
            async with self._session.post(url, data=_dumps(update), headers=headers) as response:
                status = response.status
                await response.read()
                if not 200 <= status < 300:
                    error = f"Wrong response from the webhook: {status} {response.reason}"
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # any transport failure counts as a failed delivery, like in Telegram
            error = f"Connection failed: {exc!r}"
        finally:
            self._wh_inflight.pop(key, None)
            self._webhook_wake.set()
        self.webhook_deliveries.append((int(update.get("update_id", 0)), status))
        self._last_activity = time.monotonic()
        if 200 <= status < 300:
            self._wh_retry_at.pop(id(update), None)
            for index, queued in enumerate(self._updates):
                if queued is update:
                    del self._updates[index]
                    break
        else:
            self._wh_retry_at[id(update)] = time.monotonic() + self.webhook_retry_delay
            self._wh_last_error = (int(time.time()), error)
        self._notify_state()


def _dumps(obj: Any) -> str:
    """JSON as Telegram sends it; a lone surrogate in a user's text goes out as its escape (``"\\ud800"``)."""
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    if _SURROGATE.search(text):
        return json.dumps(obj, separators=(",", ":"))
    return text


_SURROGATE = re.compile("[\ud800-\udfff]")
