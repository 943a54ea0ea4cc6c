"""The Matrix channel: the bot as a user of the administration's homeserver (matrix-nio, E2EE)."""

from __future__ import annotations

import asyncio
import hashlib
import io
import json
import logging
import os
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from aiohttp import ClientConnectionError
from nio import (
    AsyncClient,
    AsyncClientConfig,
    InviteMemberEvent,
    JoinError,
    LoginResponse,
    MegolmEvent,
    RoomEncryptedMedia,
    RoomMessageMedia,
    RoomMessageText,
    RoomSendError,
    SyncResponse,
    UploadResponse,
)

from bot.app.companion import Companion, Unavailable
from bot.app.failures import Misconfigured, Unreachable, network_reason, reach
from bot.app.metrics import METRICS
from bot.app.pacing import Bucket
from bot.matrix.render import contents
from flows.content.i18n import N_
from flows.messages import Attachment, Inbound, Outbound

log = logging.getLogger(__name__)

CHANNEL = "matrix"
SYNC_MS = 30_000
NOTE_EVERY = 3600.0
RETRIES = 5


def _schema_fallback(record: logging.LogRecord) -> bool:
    """nio reports every error answer (a refused login, a rate limit) as a failed schema check at WARNING
    before reading it as the error it is: shown only at DEBUG."""
    return not record.getMessage().startswith("Error validating response") or log.isEnabledFor(logging.DEBUG)


logging.getLogger("nio.responses").addFilter(_schema_fallback)


@dataclass
class Access:
    """Who may invite the bot: whole servers and single users."""

    servers: frozenset[str]
    users: frozenset[str]

    def allows(self, user_id: str) -> bool:
        return user_id in self.users or user_id.partition(":")[2] in self.servers


class MatrixChannel:
    """Syncs, takes invites from allowed people, hands messages to the Companion and answers as notices.

    The sync token is saved only after a batch is handled, so a crash repeats a batch (dropped by
    event id) instead of losing it. Sends carry transaction ids derived from the inbound event,
    so a resend after a crash is deduplicated by the homeserver.
    """

    def __init__(self, companion: Companion, homeserver: str, user_id: str, store_dir: Path, access: Access, *,
                 password: str | None = None, access_token: str | None = None, device_id: str | None = None,
                 send_rate: float = 5.0):
        self.companion = companion
        self.store_dir = store_dir
        self.homeserver = homeserver
        self.access = access
        self.password, self._token, self._device = password, access_token, device_id
        store_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        self.user_id = user_id
        self.pace = Bucket(send_rate, 10) if send_rate > 0 else None
        self.client = AsyncClient(homeserver, user_id, store_path=str(store_dir),
                                  config=AsyncClientConfig(encryption_enabled=True, store_sync_tokens=False,
                                                           max_limit_exceeded=0, max_timeouts=2))
        self._stopping = False
        self._task: asyncio.Task[None] | None = None
        self._fetch: asyncio.Future[object] | None = None
        self._noted: dict[str, float] = {}
        self._greet: dict[str, str] = {}
        """Rooms joined on an invite, and who invited: greeted once the next sync shows the room."""
        self.cross_signing = "off"
        self.synced_at: float | None = None
        """When the last sync succeeded (monotonic clock)."""

    # -- lifecycle -----------------------------------------------------------
    async def start(self) -> None:
        """Log in (trying again for a few seconds while the homeserver is unreachable) and start syncing.
        Raises Unreachable when the homeserver does not answer, Misconfigured when it refuses the login."""
        try:
            await reach(self._probe, lambda exc: isinstance(exc, (ClientConnectionError, TimeoutError)),
                        "Matrix homeserver")
            await self._login()
        except (ClientConnectionError, TimeoutError) as exc:
            raise Unreachable(f"Cannot reach the Matrix homeserver {self.homeserver}: {network_reason(exc)}.\n"
                              "Check MATRIX_HOMESERVER and the network, then start again.") from exc
        if self.client.should_upload_keys:
            await self.client.keys_upload()
        from bot.matrix.cross_signing import ensure_cross_signing

        self.cross_signing = await ensure_cross_signing(self.client, self.password, self.store_dir)
        self._task = asyncio.get_running_loop().create_task(self._run())

    async def stop(self) -> None:
        """Finish the batch in hand, save the sync token, close."""
        self._stopping = True
        if self._fetch is not None and not self._fetch.done():
            self._fetch.cancel()  # waiting for new events; nothing in hand
        if self._task is not None:
            await self._task
        await self.client.close()

    @property
    def connected(self) -> bool:
        """Syncing, and the last sync succeeded within two long polls."""
        running = self._task is not None and not self._task.done()
        return running and self.synced_at is not None and time.monotonic() - self.synced_at < 2 * SYNC_MS / 1000 + 10

    async def _login(self) -> None:
        session = self.store_dir / "session.json"
        saved = json.loads(session.read_text()) if session.exists() else {}
        token, device = self._token or saved.get("access_token"), self._device or saved.get("device_id")
        if token and device:
            self.client.restore_login(self.user_id, device, token)
            return
        if not self.password:
            raise Misconfigured(f"No stored Matrix session in {self.store_dir} and no MATRIX_PASSWORD to log in "
                                "with; set MATRIX_PASSWORD (or MATRIX_ACCESS_TOKEN with MATRIX_DEVICE_ID).")
        response = await self.client.login(self.password, device_name="DAKS-Begleiter")
        if not isinstance(response, LoginResponse):
            raise Misconfigured(f"The homeserver refused the login of {self.user_id}: "
                                f"{getattr(response, 'message', response)}.\n"
                                "Check MATRIX_USER_ID and MATRIX_PASSWORD.")
        _write_private(session, json.dumps({"device_id": response.device_id, "access_token": response.access_token}))

    async def _probe(self) -> None:
        """Is a Matrix homeserver answering at that URL? (The client API's unauthenticated version list.)"""
        response = await self.client.send("GET", "/_matrix/client/versions", timeout=10)
        try:
            body = await response.json(content_type=None) if response.status == 200 else None
        except ValueError:  # not JSON
            body = None
        finally:
            response.release()
        versions = body.get("versions") if isinstance(body, dict) else None
        if not versions:
            raise Misconfigured(f"{self.homeserver} does not answer like a Matrix homeserver (HTTP "
                                f"{response.status}).\nSet MATRIX_HOMESERVER to its client URL, "
                                "e.g. https://matrix.example.org")

    # -- sync loop -------------------------------------------------------------
    async def _run(self) -> None:
        token_file = self.store_dir / "sync_token"
        since = token_file.read_text().strip() if token_file.exists() else None
        first = since is None
        full = True  # nio keeps no room list between runs: the first sync of a process asks for full state
        failures = 0
        while not self._stopping:
            self._fetch = asyncio.ensure_future(self.client.sync(timeout=0 if first or full else SYNC_MS,
                                                                 since=since, full_state=full or None))
            try:
                response = await self._fetch
            except asyncio.CancelledError:
                if self._stopping:
                    return
                raise
            if not isinstance(response, SyncResponse):
                self.synced_at = None
                failures += 1
                log.warning("Matrix sync failed: %s", getattr(response, "message", response))
                await asyncio.sleep(min(2 ** failures, 30))
                continue
            self.synced_at = time.monotonic()
            try:
                await self._keys()
                await self._greetings()
                await self._invites(response)
                if not first:  # the first sync shows old history: start from now, never replay it
                    await self._timeline(response)
            except Unavailable:
                failures += 1
                log.warning("database unavailable; this batch is synced again")
                await asyncio.sleep(min(2 ** failures, 30))
                continue
            except Exception:
                failures += 1
                log.exception("a Matrix sync batch could not be handled; it is synced again")
                await asyncio.sleep(min(2 ** failures, 30))
                continue
            failures, first, full, since = 0, False, False, response.next_batch
            _write_private(token_file, since)

    async def _keys(self) -> None:
        client = self.client
        if client.should_upload_keys:
            await client.keys_upload()
        if client.should_query_keys:
            await client.keys_query()
        if client.should_claim_keys:
            await client.keys_claim(client.get_users_for_key_claiming())
        await client.send_to_device_messages()

    async def _invites(self, response: SyncResponse) -> None:
        for room_id, info in response.rooms.invite.items():
            invite = next((e for e in info.invite_state if isinstance(e, InviteMemberEvent)
                           and e.state_key == self.client.user_id and e.membership == "invite"), None)
            inviter = invite.sender if invite else ""
            if not self.access.allows(inviter):
                log.info("invite to %s from %s refused (not an allowed server or user)", room_id, inviter)
                await self.client.room_leave(room_id)
                continue
            joined = await self.client.join(room_id)
            if isinstance(joined, JoinError):
                log.warning("could not join %s: %s", room_id, joined.message)
                continue
            self._greet[room_id] = inviter

    async def _greetings(self) -> None:
        for room_id, inviter in list(self._greet.items()):
            if room_id not in self.client.rooms:
                continue
            reply = await self.companion.handle(CHANNEL, inviter, Inbound(text="/start", message_id=f"join:{room_id}"),
                                                redeliverable=True, address=room_id)
            await self._send(room_id, f"join:{room_id}", reply.replies)
            del self._greet[room_id]

    async def _timeline(self, response: SyncResponse) -> None:
        rooms = [(room_id, info.timeline.events) for room_id, info in response.rooms.join.items()]
        results = await asyncio.gather(*(self._room(room_id, events) for room_id, events in rooms),
                                       return_exceptions=True)
        for result in results:
            if isinstance(result, Unavailable):
                raise result
            if isinstance(result, BaseException):
                log.error("a Matrix room's events could not be handled", exc_info=result)

    async def _room(self, room_id: str, events: Iterable[object]) -> None:
        for event in events:
            try:
                await self._event(room_id, event)
            except Unavailable:
                raise
            except Exception:
                log.exception("a Matrix event in %s could not be handled", room_id)

    async def _event(self, room_id: str, event: object) -> None:
        sender = getattr(event, "sender", None)
        inbound = self._inbound(event) if sender and sender != self.client.user_id else None
        if inbound is None:
            return
        room = self.client.rooms.get(room_id)
        if room is not None and room.member_count > 2:
            await self._note(room_id)
        elif isinstance(event, MegolmEvent):
            await self._undecryptable(room_id, event)
        else:
            reply = await self.companion.handle(CHANNEL, sender, inbound, redeliverable=True, address=room_id)
            await self._send(room_id, inbound.message_id or "", reply.replies)

    def _inbound(self, event: object) -> Inbound | None:
        event_id = getattr(event, "event_id", None)
        if isinstance(event, MegolmEvent):
            return Inbound(message_id=event_id)  # not readable: answered by _undecryptable
        source = getattr(event, "source", {}) or {}
        relation = (source.get("content") or {}).get("m.relates_to") or {}
        if relation.get("rel_type") == "m.replace":
            return Inbound(event="edited", message_id=event_id)
        if isinstance(event, RoomMessageText):
            return Inbound(text=_without_reply_fallback(event.body, relation), message_id=event_id)
        if isinstance(event, RoomMessageMedia | RoomEncryptedMedia):
            return Inbound(file_name=event.body or "file", message_id=event_id)
        return None  # notices of other bots, reactions, redactions, state: nothing to answer

    # -- sending ---------------------------------------------------------------
    async def _send(self, room_id: str, cause: str, replies: list[Outbound]) -> None:
        """Send replies with transaction ids derived from the message they answer."""
        n = 0
        for reply in replies:
            for content in contents(reply):
                await self._post(room_id, content, _txn(cause, n))
                n += 1
            for attachment in reply.attachments:
                await self._file(room_id, attachment, _txn(cause, n))
                n += 1

    async def _post(self, room_id: str, content: dict[str, object], txn: str) -> RoomSendError | None:
        """Send one event, paced, waiting out rate limits; the error it ended with, or None when sent."""
        response: RoomSendError | None = None
        for _ in range(RETRIES):
            if self.pace is not None:
                wait = self.pace.reserve(time.monotonic())
                if wait > 0:
                    await asyncio.sleep(wait)
            sent = await self.client.room_send(room_id, "m.room.message", content, tx_id=txn,
                                               ignore_unverified_devices=True)
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

    async def _file(self, room_id: str, attachment: Attachment, txn: str) -> None:
        room = self.client.rooms.get(room_id)
        encrypted = bool(room and room.encrypted)
        uploaded, keys = await self.client.upload(io.BytesIO(attachment.data), attachment.media_type,
                                                  attachment.filename, encrypt=encrypted,
                                                  filesize=len(attachment.data))
        if not isinstance(uploaded, UploadResponse):
            log.error("could not upload %s: %s", attachment.filename, getattr(uploaded, "message", uploaded))
            return
        content: dict[str, object] = {"msgtype": "m.file", "body": attachment.filename,
                                      "filename": attachment.filename,
                                      "info": {"mimetype": attachment.media_type, "size": len(attachment.data)}}
        if encrypted and keys:
            content["file"] = {**keys, "url": uploaded.content_uri}
        else:
            content["url"] = uploaded.content_uri
        await self._post(room_id, content, txn)

    async def _undecryptable(self, room_id: str, event: MegolmEvent) -> None:
        try:
            await self.client.request_room_key(event)
        except Exception:  # a key request already on its way is fine
            log.info("room key already requested for %s", event.session_id)
        note = self.companion.notice(None, N_(
            "I could not decrypt your last message, so I have not taken it in. Please send it again. If this "
            "keeps happening, allow your app to send keys to unverified devices, or start a new direct chat "
            "with me."))
        await self._send(room_id, f"undecryptable:{event.event_id}", note.replies)

    async def _note(self, room_id: str) -> None:
        now = time.monotonic()
        if now - self._noted.get(room_id, -NOTE_EVERY) < NOTE_EVERY:
            return
        self._noted[room_id] = now
        note = self.companion.notice(None, N_(
            "I work in direct chats only, so that each person's answers stay their own. Please start a direct "
            "chat with me: {bot}"), bot=self.client.user_id)
        await self._send(room_id, f"note:{room_id}:{int(now)}", note.replies)


def _txn(cause: str, n: int) -> str:
    return f"daks-{hashlib.sha256(cause.encode()).hexdigest()[:32]}-{n}"


def _without_reply_fallback(body: str, relation: dict[str, object]) -> str:
    """Older clients quote the message replied to as "> " lines before the answer; drop them."""
    if "m.in_reply_to" not in relation or not body.startswith("> "):
        return body
    lines = body.split("\n")
    while lines and lines[0].startswith(">"):
        lines.pop(0)
    return "\n".join(lines).lstrip("\n")


def _write_private(path: Path, text: str) -> None:
    """Write atomically, readable by this user only (it may hold an access token)."""
    temporary = path.with_suffix(".tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(text)
    os.replace(temporary, path)
