"""Sending a file in the terminal chat: a line ``/datei PATH`` (``/fichier``, ``/file``) sends the file at PATH."""

from __future__ import annotations

import mimetypes
import re
from pathlib import Path

from flows.messages import FILE_LIMIT, Inbound, Upload

_SEND = re.compile(r"^/(datei|fichier|file)\s+(.+)$", re.IGNORECASE)


def file_line(text: str, name: str | None = None) -> Inbound | None:
    """The file a ``/datei PATH`` line sends (``~`` expanded, quotes around the path dropped), else None.

    A file that cannot be read arrives without its bytes (the companion asks for it again); one bigger
    than ``FILE_LIMIT`` only with its size, as on the other channels."""
    match = _SEND.match(text.strip())
    if match is None:
        return None
    path = Path(match.group(2).strip().strip("\"'")).expanduser()
    media = mimetypes.guess_type(path.name, strict=False)[0] or "application/octet-stream"
    try:
        size = path.stat().st_size
        data = path.read_bytes() if size <= FILE_LIMIT and path.is_file() else None
    except OSError:
        size, data = None, None
    return Inbound(file_name=path.name, file=Upload(media, size, data), name=name)
