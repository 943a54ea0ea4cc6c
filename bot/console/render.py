"""The terminal's messages: plain text, colour and prompts only on a terminal, exports saved as private files."""

from __future__ import annotations

import logging
import secrets
from pathlib import Path
from typing import TextIO

from flows.messages import Attachment, Bullets, Heading, Outbound, Paragraph, clean_text
from storage.files import create_in, private_folder, remove_folder

BOLD, RESET = "\033[1m", "\033[0m"
log = logging.getLogger(__name__)


class ConsoleRenderer:
    """Renders outbound messages as plain text; colour and prompts only on a terminal.

    Every text is shown through :func:`clean_text`, so nothing printed can carry a terminal escape
    sequence or a bidi control. Exports go into ``exports``, the user's own folder (0700), as new
    0600 files with a short random part in their names; a chart's text alternative (its values) is
    shown under its file's path.
    """

    def __init__(self, out: TextIO, exports: Path, interactive: bool):
        self.out = out
        self.exports = exports
        self.interactive = interactive

    def render(self, message: Outbound) -> str:
        parts: list[str] = []
        for block in message.blocks:
            if isinstance(block, Heading):
                text = clean_text(block.text)
                parts.append(f"{BOLD}{text}{RESET}" if self.interactive else f"== {text} ==")
            elif isinstance(block, Paragraph):
                parts.append(clean_text(block.text))
            elif isinstance(block, Bullets):
                parts.append(Bullets(tuple(map(clean_text, block.items)), block.numbered).text)
        for attachment in message.attachments:
            path = self.save(attachment)
            if path is not None:
                alt = f"\n{clean_text(attachment.alt)}" if attachment.alt else ""
                parts.append(f"📎 {clean_text(str(path))}{alt}")
        if message.choices:
            parts.append(
                "\n".join(
                    f"{i}) " + ("" if c.selected is None else "[x] " if c.selected else "[ ] ") + clean_text(c.label)
                    for i, c in enumerate(message.choices, 1)
                )
            )
            if message.typing_hint:
                parts.append(clean_text(message.typing_hint))
        return "\n\n".join(parts)

    def save(self, attachment: Attachment) -> Path | None:
        """Write an export as a new file, never over another one or through a symlink."""
        given = Path(attachment.filename)
        try:
            private_folder(self.exports)
            while True:
                name = f"{given.stem}-{secrets.token_hex(3)}{given.suffix}"
                if create_in(self.exports, name, attachment.data):
                    return self.exports / name
        except OSError as exc:
            log.error("an export could not be written into %s: %s", self.exports, exc.strerror or exc)
            return None

    def erase_exports(self) -> None:
        """The user's data was erased: their export files go too."""
        remove_folder(self.exports)

    def show(self, messages: list[Outbound]) -> None:
        for message in messages:
            self.out.write(self.render(message) + "\n\n")
        self.out.flush()
