"""The one Matrix sender: paced events with transaction ids, uploads, rate limits waited out, refusals read once."""

from __future__ import annotations

import asyncio
import hashlib
import io
import logging
import time
from collections.abc import Mapping

from nio import AsyncClient, RoomSendError, UploadResponse
from PIL import Image

from bot.app.courier import SENT, Outcome
from bot.app.metrics import METRICS
from bot.app.pacing import Bucket
from bot.matrix.render import contents
from flows.messages import Attachment, Outbound

log = logging.getLogger(__name__)

CHANNEL = "matrix"
RETRIES = 5


def txn(cause: str, n: int) -> str:
    """The transaction id of the ``n``-th event sent for ``cause`` (an inbound event, a delivery): a resend after a
    crash carries the same id, and the homeserver drops it."""
    return f"daks-{hashlib.sha256(cause.encode()).hexdigest()[:32]}-{n}"


def delivery_txn(delivery_id: int, n: int) -> str:
    """The transaction id of the ``n``-th event of a broadcast delivery: a resend after a crash is dropped."""
    return f"daks-d{delivery_id}-{n}"


def outcome(error: RoomSendError | None) -> Outcome:
    """What a send's result means for a broadcast delivery."""
    if error is None:
        return SENT
    if error.status_code == "M_LIMIT_EXCEEDED":
        return Outcome("queued", "rate_limited")  # refused every time, so not delivered: try later
    if error.status_code == "M_FORBIDDEN":
        return Outcome("skipped", "forbidden")
    return Outcome("failed", (error.status_code or "error")[:64])


def picture_size(attachment: Attachment) -> tuple[int, int] | None:
    """Width and height in pixels of a PNG attachment, None for any other file (or a PNG that does not read)."""
    if attachment.media_type != "image/png":
        return None
    try:
        with Image.open(io.BytesIO(attachment.data), formats=["PNG"]) as image:
            return image.size
    except (OSError, ValueError, Image.DecompressionBombError):  # UnidentifiedImageError is an OSError
        log.warning("the picture %s does not read as PNG; it goes as a file", attachment.filename)
        return None


class MatrixSender:
    """Sends events and files for replies and broadcasts alike, at most ``send_rate`` per second (burst 10)."""

    def __init__(self, client: AsyncClient, send_rate: float):
        self.client = client
        self.pace = Bucket(send_rate, 10) if send_rate > 0 else None

    async def replies(self, room_id: str, cause: str, replies: list[Outbound]) -> None:
        """Send replies with transaction ids derived from the message they answer."""
        n = 0
        for reply in replies:
            for content in contents(reply):
                await self.post(room_id, content, txn(cause, n))
                n += 1
            for attachment in reply.attachments:
                await self.file(room_id, attachment, txn(cause, n))
                n += 1

    async def post(self, room_id: str, content: Mapping[str, object], tx_id: str) -> RoomSendError | None:
        """Send one event, paced, waiting out rate limits; the error it ended with, or None when sent."""
        response: RoomSendError | None = None
        for _ in range(RETRIES):
            if self.pace is not None:
                wait = self.pace.reserve(time.monotonic())
                if wait > 0:
                    await asyncio.sleep(wait)
            sent = await self.client.room_send(
                room_id, "m.room.message", dict(content), tx_id=tx_id, ignore_unverified_devices=True
            )
            if not isinstance(sent, RoomSendError):
                METRICS.sends.labels(CHANNEL).inc()
                return None
            response = sent
            if sent.status_code == "M_LIMIT_EXCEEDED":
                METRICS.rate_limited.labels(CHANNEL).inc()
                wait = (sent.retry_after_ms or 1000) / 1000
                log.warning("homeserver asked to wait %.1f s before sending to %s", wait, room_id)
                await asyncio.sleep(wait)
                continue
            log.error("could not send to %s: %s %s", room_id, sent.status_code, sent.message)
            return sent
        log.error("gave up sending to %s after %d rate limits", room_id, RETRIES)
        return response

    async def file(self, room_id: str, attachment: Attachment, tx_id: str) -> None:
        """Upload a file (encrypted in an encrypted room) and post it; a failed upload is logged.

        A PNG (a chart) goes as ``m.image`` whose body is its text alternative (what clients show as the
        caption and read out), with its size in pixels; any other file as ``m.file``.
        """
        room = self.client.rooms.get(room_id)
        encrypted = bool(room and room.encrypted)
        uploaded, keys = await self.client.upload(
            io.BytesIO(attachment.data),
            attachment.media_type,
            attachment.filename,
            encrypt=encrypted,
            filesize=len(attachment.data),
        )
        if not isinstance(uploaded, UploadResponse):
            log.error("could not upload %s: %s", attachment.filename, getattr(uploaded, "message", uploaded))
            return
        content: dict[str, object] = {
            "msgtype": "m.file",
            "body": attachment.filename,
            "filename": attachment.filename,
            "info": {"mimetype": attachment.media_type, "size": len(attachment.data)},
        }
        pixels = picture_size(attachment)
        if pixels is not None:
            width, height = pixels
            content.update(
                msgtype="m.image",
                body=attachment.alt or attachment.filename,
                info={"mimetype": attachment.media_type, "size": len(attachment.data), "w": width, "h": height},
            )
        if encrypted and keys:
            content["file"] = {**keys, "url": uploaded.content_uri}
        else:
            content["url"] = uploaded.content_uri
        await self.post(room_id, content, tx_id)

    async def once(self, room_id: str, content: Mapping[str, object]) -> str | None:
        """Send one event unpaced and without a transaction id (a status message); its event id, or None."""
        response = await self.client.room_send(room_id, "m.room.message", dict(content), ignore_unverified_devices=True)
        if isinstance(response, RoomSendError):
            log.warning("message not sent to %s: %s", room_id, response.message)
            return None
        return str(response.event_id)
