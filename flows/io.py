"""Platform-neutral input and output of the engine."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal


@dataclass(frozen=True)
class Inbound:
    """One thing a user did: typed text, pressed a button (``choice``), sent a file, or edited a message."""

    text: str | None = None
    choice: str | None = None
    file_name: str | None = None
    event: Literal["message", "start", "resume", "edited"] = "message"
    message_id: str | None = None
    command: str | None = None
    """A command by id with its argument (``rsvp 3``): buttons on broadcasts, which never go stale."""


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


Block = Heading | Paragraph | Bullets


@dataclass(frozen=True)
class Choice:
    """An answer offered as a button or numbered line; ``selected`` is set for toggles."""

    id: str
    label: str
    selected: bool | None = None


@dataclass(frozen=True)
class Attachment:
    filename: str
    media_type: str
    data: bytes


@dataclass
class Outbound:
    """One message to the user. Texts are plain; renderers escape them for their platform."""

    blocks: list[Block] = field(default_factory=list)
    choices: list[Choice] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    turn: int | None = None
    expects: str | None = None
    """What answer the question wants: a step kind (text, date, single, multi, list, checklist,
    records), or stage_end, menu. A hint for renderers (e.g. a date keyboard), never required."""

    def text(self) -> str:
        """A plain-text rendering, for logs, tests and simple channels."""
        parts: list[str] = []
        for block in self.blocks:
            if isinstance(block, Bullets):
                marks = [f"{i}." if block.numbered else "•" for i in range(1, len(block.items) + 1)]
                parts.append("\n".join(f"{m} {item}" for m, item in zip(marks, block.items, strict=True)))
            else:
                parts.append(block.text)
        return "\n\n".join(parts)
