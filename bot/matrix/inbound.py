"""Matrix room events as the engine's Inbound."""

from __future__ import annotations

import logging
from dataclasses import replace

from aiohttp import ClientError
from nio import (
    AsyncClient,
    MegolmEvent,
    MemoryDownloadResponse,
    RoomEncryptedFile,
    RoomEncryptedMedia,
    RoomMessageFile,
    RoomMessageMedia,
    RoomMessageText,
)
from nio.crypto.attachments import decrypt_attachment
from nio.exceptions import EncryptionError

from flows.messages import FILE_LIMIT, Inbound, Upload

log = logging.getLogger(__name__)


def inbound(event: object) -> Inbound | None:
    """What a person did in a room; an undecryptable event as an Inbound with only its id (the channel asks them
    to send it again), None for what needs no answer."""
    event_id = getattr(event, "event_id", None)
    if isinstance(event, MegolmEvent):
        return Inbound(message_id=event_id)
    source = getattr(event, "source", {}) or {}
    relation = (source.get("content") or {}).get("m.relates_to") or {}
    if relation.get("rel_type") == "m.replace":
        return Inbound(event="edited", message_id=event_id)
    if isinstance(event, RoomMessageText):
        return Inbound(text=_without_reply_fallback(event.body, relation), message_id=event_id)
    if isinstance(event, RoomMessageMedia | RoomEncryptedMedia):
        return Inbound(file_name=event.body or "file", message_id=event_id)
    return None  # notices of other bots, reactions, redactions, state: nothing to answer


async def with_file(client: AsyncClient, event: object, message: Inbound) -> Inbound:
    """An ``m.file`` with its media type and bytes: downloaded from the homeserver (authenticated media) and, in an
    encrypted room, decrypted and checked against its hash. A file over ``FILE_LIMIT`` comes with its size only;
    one that cannot be fetched without bytes (the flow asks for it again). Images and the like stay a name."""
    if not isinstance(event, RoomMessageFile | RoomEncryptedFile):
        return message
    info = (getattr(event, "source", {}).get("content") or {}).get("info") or {}
    size = info.get("size") if isinstance(info.get("size"), int) else None
    media = str(info.get("mimetype") or getattr(event, "mimetype", None) or "application/octet-stream")
    data = None
    if size is None or size <= FILE_LIMIT:
        try:
            data = await _download(client, event)
            size = len(data) if data is not None else size
        except (ClientError, OSError, EncryptionError, KeyError, TypeError, ValueError) as exc:
            log.warning("a sent file could not be fetched (%s)", type(exc).__name__)
    if data is not None and len(data) > FILE_LIMIT:
        data = None
    return replace(message, file=Upload(media, size, data))


async def _download(client: AsyncClient, event: RoomMessageFile | RoomEncryptedFile) -> bytes | None:
    response = await client.download(mxc=event.url)
    if not isinstance(response, MemoryDownloadResponse):
        log.warning("the homeserver refused a file download (%s)", getattr(response, "status_code", None))
        return None
    if isinstance(event, RoomEncryptedFile):
        return bytes(decrypt_attachment(response.body, event.key["k"], event.hashes["sha256"], event.iv))
    return bytes(response.body)


def _without_reply_fallback(body: str, relation: dict[str, object]) -> str:
    """Older clients quote the message replied to as "> " lines before the answer; drop them."""
    if "m.in_reply_to" not in relation or not body.startswith("> "):
        return body
    lines = body.split("\n")
    while lines and lines[0].startswith(">"):
        lines.pop(0)
    return "\n".join(lines).lstrip("\n")


def localpart(user_id: str) -> str:
    """``@anna:example.org`` as ``anna``: how to call a person whose display name is unknown."""
    return user_id.removeprefix("@").split(":", 1)[0]
