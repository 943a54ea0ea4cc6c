"""Sending a file in the terminal chat: a line ``/datei PATH`` (``/fichier``, ``/file``) sends the file at PATH."""

from __future__ import annotations

import mimetypes
import re
from dataclasses import dataclass
from pathlib import Path

from flows.messages import FILE_LIMIT, Inbound, Upload

_SEND = re.compile(r"^/(?:datei|fichier|file)(?:\s+(.*))?$", re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True)
class Unreadable:
    """A ``/datei`` line naming no file that can be read (missing, a folder, not permitted); ``path`` as typed,
    empty when the line named none."""

    path: str


def file_line(text: str, name: str | None = None) -> Inbound | Unreadable | None:
    """The file a ``/datei PATH`` line sends (``~`` expanded, quotes around the path dropped), else None.

    A file bigger than ``FILE_LIMIT`` arrives with its size only, as on the other channels; a path that
    names no readable file is ``Unreadable`` and never reaches the companion."""
    match = _SEND.match(text.strip())
    if match is None:
        return None
    typed = (match.group(1) or "").strip().strip("\"'")
    if not typed:
        return Unreadable("")
    path = Path(typed).expanduser()
    try:
        if not path.is_file():  # checked before opening: a named pipe would block
            return Unreadable(typed)
        with path.open("rb") as file:
            data = file.read(FILE_LIMIT + 1)  # no more than that, whatever the file grows to meanwhile
            size = max(path.stat().st_size, len(data))
    except (OSError, ValueError):  # missing, a folder, not permitted, a NUL in the path
        return Unreadable(typed)
    media = mimetypes.guess_type(path.name, strict=False)[0] or "application/octet-stream"
    upload = Upload(media, size, data if len(data) <= FILE_LIMIT else None)
    return Inbound(file_name=path.name, file=upload, name=name)
