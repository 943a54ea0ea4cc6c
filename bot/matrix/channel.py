"""The Matrix channel: the bot as a user of the administration's homeserver (matrix-nio, E2EE)."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from aiohttp import ClientConnectionError
from nio import AsyncClient, AsyncClientConfig, InviteMemberEvent, JoinError, MegolmEvent, SyncResponse

from bot.app.companion import Companion, Unavailable
from bot.app.failures import Unreachable, network_reason, reach
from bot.matrix.inbound import inbound, localpart, with_file
from bot.matrix.send import CHANNEL, MatrixSender
from bot.matrix.session import log_in, probe
from bot.matrix.sync import SyncLoop
from flows import notices
from flows.messages import Inbound
from flows.team import rooms

log = logging.getLogger(__name__)

NOTE_EVERY = 3600.0


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
    """Logs in, takes invites from allowed people, hands messages to the Companion and answers as notices.

    Batches come from the sync loop (bot/matrix/sync.py), which saves its token once a batch is handled;
    replies go through the sender (bot/matrix/send.py) with transaction ids derived from the inbound event,
    so a resend after a crash is deduplicated by the homeserver.
    """

    def __init__(
        self,
        companion: Companion,
        homeserver: str,
        user_id: str,
        store_dir: Path,
        access: Access,
        *,
        password: str | None = None,
        access_token: str | None = None,
        device_id: str | None = None,
        send_rate: float = 5.0,
    ):
        self.companion = companion
        self.store_dir = store_dir
        self.homeserver = homeserver
        self.access = access
        self.password, self._token, self._device = password, access_token, device_id
        store_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        self.user_id = user_id
        self.client = AsyncClient(
            homeserver,
            user_id,
            store_path=str(store_dir),
            config=AsyncClientConfig(
                encryption_enabled=True, store_sync_tokens=False, max_limit_exceeded=0, max_timeouts=2
            ),
        )
        self.sender = MatrixSender(self.client, send_rate)
        self.sync = SyncLoop(self.client, store_dir / "sync_token", self._batch)
        self._noted: dict[str, float] = {}
        self._greet: dict[str, str] = {}
        """Rooms joined on an invite, and who invited: greeted once the next sync shows the room."""
        self.cross_signing = "off"

    # -- lifecycle -----------------------------------------------------------
    async def start(self) -> None:
        """Log in (trying again for a few seconds while the homeserver is unreachable) and start syncing.
        Raises Unreachable when the homeserver does not answer, Misconfigured when it refuses the login."""
        try:
            await reach(
                lambda: probe(self.client),
                lambda exc: isinstance(exc, (ClientConnectionError, TimeoutError)),
                "Matrix homeserver",
            )
            await log_in(self.client, self.store_dir / "session.json", self.password, self._token, self._device)
        except (ClientConnectionError, TimeoutError) as exc:
            raise Unreachable(
                f"Cannot reach the Matrix homeserver {self.homeserver}: {network_reason(exc)}.\n"
                "Check MATRIX_HOMESERVER and the network, then start again."
            ) from exc
        if self.client.should_upload_keys:
            await self.client.keys_upload()
        from bot.matrix.cross_signing import ensure_cross_signing

        self.cross_signing = await ensure_cross_signing(self.client, self.password, self.store_dir)
        self.sync.start()

    async def stop(self) -> None:
        """Finish the batch in hand, save the sync token, close."""
        await self.sync.stop()
        await self.client.close()

    @property
    def connected(self) -> bool:
        """Syncing, and the last sync succeeded within two long polls."""
        return self.sync.connected

    # -- batches -------------------------------------------------------------
    async def _batch(self, response: SyncResponse, first: bool) -> None:
        await self._greetings()
        await self._invites(response)
        if not first:  # the first sync shows old history: start from now, never replay it
            await self._timeline(response)

    async def _invites(self, response: SyncResponse) -> None:
        for room_id, info in response.rooms.invite.items():
            invite = next(
                (
                    e
                    for e in info.invite_state
                    if isinstance(e, InviteMemberEvent)
                    and e.state_key == self.client.user_id
                    and e.membership == "invite"
                ),
                None,
            )
            inviter = invite.sender if invite else ""
            if not self.access.allows(inviter):
                log.info("invite to %s from %s refused (not an allowed server or user)", room_id, inviter)
                await self.client.room_leave(room_id)
                continue
            joined = await self.client.join(room_id)
            if isinstance(joined, JoinError):
                log.warning("could not join %s: %s", room_id, joined.message)
                continue
            if invite is None or (invite.content or {}).get("is_direct"):
                self._greet[room_id] = inviter  # a group room (a team's) is not greeted as the inviter's chat

    async def _greetings(self) -> None:
        for room_id, inviter in list(self._greet.items()):
            if room_id not in self.client.rooms:
                continue
            reply = await self.companion.handle(
                CHANNEL,
                inviter,
                Inbound(text="/start", message_id=f"join:{room_id}"),
                redeliverable=True,
                address=room_id,
            )
            await self.sender.replies(room_id, f"join:{room_id}", reply.replies)
            del self._greet[room_id]

    async def _timeline(self, response: SyncResponse) -> None:
        rooms = [(room_id, info.timeline.events) for room_id, info in response.rooms.join.items()]
        results = await asyncio.gather(
            *(self._room(room_id, events) for room_id, events in rooms), return_exceptions=True
        )
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
        if not isinstance(sender, str) or not sender or sender == self.client.user_id:
            return
        message = inbound(event)
        if message is None:
            return
        room = self.client.rooms.get(room_id)
        message = replace(message, name=(room.user_name(sender) if room is not None else None) or localpart(sender))
        if room is not None and room.member_count > 2:
            if self._names_room_command(message):  # the coordinator binds a team room; it hears the team's notices
                reply = await self.companion.bind_room(CHANNEL, room_id, sender)
                await self.sender.replies(room_id, message.message_id or "", reply.replies)
                return
            await self._note(room_id)
        elif isinstance(event, MegolmEvent):
            await self._undecryptable(room_id, event)
        else:
            message = await with_file(self.client, event, message)
            reply = await self.companion.handle(CHANNEL, sender, message, redeliverable=True, address=room_id)
            await self.sender.replies(room_id, message.message_id or "", reply.replies)

    def _names_room_command(self, message: Inbound) -> bool:
        words = (message.text or "").split(maxsplit=1)
        name = words[0][1:].casefold() if words and words[0].startswith("/") else ""
        return self.companion.content.command_names.get(name) in rooms.BINDS

    async def _undecryptable(self, room_id: str, event: MegolmEvent) -> None:
        try:
            await self.client.request_room_key(event)
        except Exception:  # a key request already on its way is fine
            log.info("room key already requested for %s", event.session_id)
        note = self.companion.notice(None, notices.UNDECRYPTABLE)
        await self.sender.replies(room_id, f"undecryptable:{event.event_id}", note.replies)

    async def _note(self, room_id: str) -> None:
        now = time.monotonic()
        if now - self._noted.get(room_id, -NOTE_EVERY) < NOTE_EVERY:
            return
        self._noted[room_id] = now
        note = self.companion.notice(None, notices.DIRECT_CHATS_ONLY, bot=self.client.user_id)
        await self.sender.replies(room_id, f"note:{room_id}:{int(now)}", note.replies)
