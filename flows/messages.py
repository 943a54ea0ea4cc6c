"""Platform-neutral input and output of the engine."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, fields
from typing import Any, Literal

from flows.documents.model import Rendering

_SURROGATE = re.compile(r"[\ud800-\udfff]")
_INVISIBLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b\u200e\u200f\u2028-\u202e\u2060\u2066-\u2069\ufeff]")
"""Control characters but tab and newline (NUL, ESC …), bidi controls, invisible separators."""


def clean_text(text: str) -> str:
    """Text as it may enter the engine, the database or a terminal.

    Lone surrogates (undecodable bytes under ``surrogateescape``, or a JSON ``"\\ud800"``) become
    U+FFFD; control characters other than tab and newline, bidi controls (U+202A–U+202E,
    U+2066–U+2069, U+200E, U+200F, U+061C) and invisible separators are dropped; line breaks
    become ``\\n``; the result is in NFC.
    """
    if _SURROGATE.search(text):
        text = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    text = _INVISIBLE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    return unicodedata.normalize("NFC", text)


def clean_values(data: Any) -> Any:
    """``data`` read from a file (YAML, front matter) with :func:`clean_text` applied to every string in it."""
    if isinstance(data, str):
        return clean_text(data)
    if isinstance(data, dict):
        return {clean_values(k): clean_values(v) for k, v in data.items()}
    if isinstance(data, list):
        return [clean_values(v) for v in data]
    return data


FILE_LIMIT = 10 * 1024 * 1024
"""Bytes of a sent file that channels fetch and hand on; a bigger file arrives without its bytes."""


@dataclass(frozen=True)
class Upload:
    """A file a person sent: its media type, size (when the platform says) and bytes.

    ``data`` is None when the file was bigger than ``FILE_LIMIT`` (``too_big``) or could not be fetched.
    """

    media_type: str = "application/octet-stream"
    size: int | None = None
    data: bytes | None = None
    kind: str | None = None
    """``docx`` or ``odt`` when the shell recognised a document template in ``data`` (bot/documents/templates.py)."""
    problem: tuple[str, tuple[tuple[str, str], ...]] | None = None
    """Why that template cannot be used, or None: a msgid (the check's reason, for the person) and its values."""

    @property
    def too_big(self) -> bool:
        return self.data is None and self.size is not None and self.size > FILE_LIMIT


@dataclass(frozen=True)
class Inbound:
    """One thing a user did: typed text, pressed a button (``choice`` on the question of ``turn``), sent a file,
    or edited a message.

    Every text field is passed through :func:`clean_text` on construction, whatever the channel.
    """

    text: str | None = None
    choice: str | None = None
    turn: int | None = None
    """The turn of the question the pressed button sat on: buttons of older questions are stale."""
    file_name: str | None = None
    file: Upload | None = None
    """The sent file's type and bytes (with ``file_name``); None for platforms or files that give only a name."""
    event: Literal["message", "start", "resume", "edited"] = "message"
    message_id: str | None = None
    command: str | None = None
    """A command by id with its argument (``rsvp 3``): buttons on broadcasts, which never go stale."""
    name: str | None = None
    """How the sender is called on their messenger (first name, display name): how their team sees them."""

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, str):
                object.__setattr__(self, f.name, clean_text(value))


@dataclass(frozen=True)
class Heading:
    text: str


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class Bullets:
    items: tuple[str, ...]
    numbered: bool = False

    @property
    def text(self) -> str:
        """The list as plain lines, ``• item`` or ``1. item``: the one plain rendering every channel shares."""
        return "\n".join(f"{i}. {item}" if self.numbered else f"• {item}" for i, item in enumerate(self.items, 1))


Block = Heading | Paragraph | Bullets


BUTTON = 24
"""Characters a button label may have so that it is not cut on a phone (360 dp wide)."""


@dataclass(frozen=True)
class Choice:
    """An answer offered as a button or numbered line; ``selected`` is set for toggles.

    ``short`` is what fits on a button (at most ``BUTTON`` characters) when ``label`` is longer; channels that
    show buttons put the full labels into the message then, so nothing is lost.
    """

    id: str
    label: str
    selected: bool | None = None
    short: str | None = None

    @property
    def button(self) -> str:
        """The text for a button: the short label, else the label."""
        return self.short or self.label


@dataclass(frozen=True)
class Attachment:
    filename: str
    media_type: str
    data: bytes
    alt: str = ""
    """A picture's text alternative (a chart's values): the caption or the event body where a platform has one."""


@dataclass
class Outbound:
    """One message to the user. Texts are plain; renderers escape them for their platform."""

    blocks: list[Block] = field(default_factory=list)
    choices: list[Choice] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    documents: list[Rendering] = field(default_factory=list)
    """Documents still to be rendered; the shell turns them into attachments off the event loop, after the commit."""
    turn: int | None = None
    expects: str | None = None
    """What answer the question wants: a step kind (text, date, single, multi, list, checklist,
    records), or stage_end, menu. A hint for renderers (e.g. a date keyboard), never required."""
    typing_hint: str | None = None
    """How to answer by typing (``Type the numbers …``): shown by channels that list the choices as numbered
    lines, left out by those that show buttons."""
    kind: Literal["question", "note", "broadcast"] = "note"
    """A question (its choices answer it while ``turn`` is current), a note, or a broadcast (its choices
    are commands, valid for as long as the message)."""

    def text(self) -> str:
        """A plain-text rendering, for logs, tests and simple channels."""
        return "\n\n".join(block.text for block in self.blocks)
