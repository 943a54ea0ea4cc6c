"""Sends broadcasts from the durable outbox: claims rows, paces them, records every outcome.

Each running ``daks serve`` has one courier. It starts due broadcasts (once, even with several
processes), claims queued deliveries in small groups, marks each group as in flight in the
database before its requests go out, and records the results. A courier that dies leaves rows
in flight; once its heartbeat is stale another courier (or its successor) marks them ``unknown``,
or queues them again on channels that deduplicate by transaction id (Matrix).
"""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial
from typing import Protocol

from bot.app import clock, followup, introductions
from bot.app.companion import TRANSIENT
from bot.app.team import TEAM
from flows.content.loader import Content
from flows.messages import Outbound
from flows.news import broadcasting
from flows.team.telling import notice_message
from storage.models import Broadcast, Event, utcnow
from storage.outbox import Parcel
from storage.store import Store, Unit

log = logging.getLogger(__name__)

HEARTBEAT = 2.0
STALE = timedelta(seconds=10)
"""A courier silent this long is taken for dead; its in-flight rows are settled by others."""
PROGRESS_EVERY = 3.0
PRUNE_EVERY = 3600.0
IDLE_EVERY = timedelta(hours=1)
"""How often (by the product's clock) workspaces left alone are looked for."""
CLOSE_EVERY = timedelta(minutes=10)
"""How often (by the product's clock) introductions nobody answered are closed."""


@dataclass(frozen=True)
class Outcome:
    state: str
    reason: str | None = None


SENT = Outcome("sent")


class Postman(Protocol):
    """One channel's way of delivering broadcast messages."""

    channel: str
    resendable: bool
    """True when a resend after a crash is deduplicated by the platform (Matrix transaction ids)."""
    group: int
    """Deliveries marked in flight at once (about 0.1 s of the channel's pace)."""

    async def deliver(self, parcel: Parcel, message: Outbound) -> Outcome: ...

    async def show(self, address: str, message: Outbound, shown: str | None) -> str | None:
        """Send (or, with ``shown``, edit in place) a status message; return its id."""
        ...


@dataclass
class Courier:
    store: Store
    content: Content
    postmen: dict[str, Postman]
    worker: str = field(default_factory=lambda: f"{os.uname().nodename[:20]}-{os.getpid()}-{secrets.token_hex(4)}")
    poll: float = 1.0

    def __post_init__(self) -> None:
        self._stopping = asyncio.Event()
        self._wake = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []
        self._messages: dict[tuple[int, str], Outbound | None] = {}
        self._shown: dict[int, float] = {}
        self._idle_seen: datetime | None = None
        self._closed_seen: datetime | None = None

    # -- lifecycle -------------------------------------------------------------
    async def start(self) -> None:
        await self.store.run(lambda unit: unit.heartbeat(self.worker))
        loop = asyncio.get_running_loop()
        self._tasks = [loop.create_task(self._guard(self._housekeeping, "housekeeping"))] + [
            loop.create_task(self._guard(partial(self._send, p), f"{p.channel} sending")) for p in self.postmen.values()
        ]

    async def stop(self) -> None:
        """Finish the groups in flight, give back what was claimed but not started."""
        self._stopping.set()
        self._wake.set()
        if self._tasks:
            await asyncio.wait(self._tasks, timeout=30)
        try:
            await self.store.run(lambda unit: unit.release(self.worker))
        except Exception:
            log.exception(
                "could not give back claimed deliveries; another courier takes them once this one is seen as stopped"
            )

    def wake(self) -> None:
        """Something was queued: look now rather than at the next poll."""
        self._wake.set()

    async def _guard(self, loop: Callable[[], Awaitable[None]], name: str) -> None:
        while not self._stopping.is_set():
            try:
                await loop()
                return
            except TRANSIENT as exc:
                log.warning("the courier's %s loop cannot reach the database (%s); retrying", name, type(exc).__name__)
                await self._pause(2.0)
            except Exception:
                log.exception("the courier's %s loop failed; restarting it", name)
                await self._pause(5.0)

    async def _pause(self, seconds: float) -> None:
        try:
            await asyncio.wait_for(self._wake.wait(), timeout=seconds)
        except TimeoutError:
            pass
        self._wake.clear()

    # -- housekeeping: heartbeats, recovery, schedules, progress --------------------------
    async def _housekeeping(self) -> None:
        pruned = 0.0
        resendable = frozenset(c for c, p in self.postmen.items() if p.resendable)
        while not self._stopping.is_set():
            recovered = await self.store.run(lambda unit: self._tick(unit, resendable))
            if any(recovered.values()):
                log.warning("settled deliveries of a stopped sender: %s", dict(recovered))
            started = await self._start_due()
            if await self._follow_up() or started:
                self.wake()
            await self._progress()
            if time.monotonic() - pruned > PRUNE_EVERY:
                pruned = time.monotonic()
                await self.store.run(lambda unit: unit.prune_processed(utcnow() - timedelta(days=2)))
            await self._pause_housekeeping()

    async def _pause_housekeeping(self) -> None:
        try:
            await asyncio.wait_for(self._stopping.wait(), timeout=min(HEARTBEAT, self.poll))
        except TimeoutError:
            pass

    def _tick(self, unit: Unit, resendable: frozenset[str]) -> Counter[str]:
        unit.heartbeat(self.worker)
        now = clock.now()
        if self._closed_seen is None or not self._closed_seen <= now < self._closed_seen + CLOSE_EVERY:
            introductions.close_unanswered(unit, now)
            self._closed_seen = now
        return unit.recover(STALE, resendable)

    async def _start_due(self) -> bool:
        channels = set(self.postmen)

        def start(unit: Unit) -> bool:
            started = False
            for broadcast_id in unit.due(utcnow()):
                row = unit.broadcast(broadcast_id)
                if row is None:
                    continue
                if row.kind == "reminder":
                    people = (
                        broadcasting.reminded(unit.attendees(row.event_id), channels)
                        if row.event_id is not None
                        else []
                    )
                else:
                    readers = [
                        broadcasting.Reader(s.user_id, s.channel, s.ref, s.language, s.topics, land, size, tuple(ids))
                        for s, land, size, ids in unit.subscribers()
                    ]
                    target = broadcasting.Target(
                        tuple(row.topics), tuple(row.languages), tuple(row.lands), tuple(row.sizes)
                    )
                    people = broadcasting.recipients(self.content, target, readers, channels)
                if unit.start_broadcast(broadcast_id, people):
                    log.info("broadcast %s started for %d recipients", broadcast_id, len(people))
                    started = True
            unit.finish_broadcasts()
            return started

        return await self.store.run(start)

    async def _follow_up(self) -> bool:
        """Nudge about workspaces left alone (hourly), then fire the reminders due now; True when any was sent."""
        now, channels = clock.now(), frozenset(self.postmen)
        if self._idle_seen is None or not self._idle_seen <= now < self._idle_seen + IDLE_EVERY:
            await self.store.run(lambda unit: followup.nudge_idle(unit, self.content, now))
            self._idle_seen = now
        sent = False
        while True:
            outcomes = await self.store.run(lambda unit: followup.fire_due(unit, channels, now))
            sent = sent or outcomes["sent"] > 0
            if outcomes.total() < followup.BATCH:
                return sent

    async def _progress(self) -> None:
        """Keep each running broadcast's progress message up to date, editing it in place."""

        def due(unit: Unit) -> list[tuple[int, Broadcast, Counter[str], str]]:
            shown = []
            for b in unit.broadcasts(20):
                if b.id is None:
                    continue
                changed = b.status == "sending" or (b.progress or {}).get("status") != b.status
                ready = time.monotonic() - self._shown.get(b.id, 0) > PROGRESS_EVERY
                if changed and ready and b.status != "scheduled" and b.created_by.partition(":")[0] in self.postmen:
                    address = _address(unit, b.created_by)
                    if address is not None:
                        shown.append((b.id, b, unit.counts(b.id), address))
            return shown

        for broadcast_id, broadcast, counts, address in await self.store.run(due):
            postman = self.postmen[broadcast.created_by.partition(":")[0]]
            self._shown[broadcast_id] = time.monotonic()
            t = self.content.catalogues.translator(await self._language(broadcast.created_by))
            message = broadcasting.progress(t, broadcast_id, broadcast.status, counts)
            shown = (broadcast.progress or {}).get("ref")
            try:
                ref = await postman.show(address, message, shown)
            except Exception:
                log.exception("could not show the progress of broadcast %s", broadcast_id)
                continue
            final = broadcast.status in ("done", "cancelled")
            progress = {"ref": ref or shown, "status": broadcast.status if final else "sending"}
            await self.store.run(partial(Unit.set_progress, broadcast_id=broadcast_id, progress=progress))

    async def _language(self, actor: str) -> str:
        channel, _, ref = actor.partition(":")
        found = await self.store.run(lambda unit: unit.reach(channel, ref))
        return found[1] if found else "de"

    # -- sending -----------------------------------------------------------------
    async def _send(self, postman: Postman) -> None:
        in_flight: set[asyncio.Task[None]] = set()
        while not self._stopping.is_set():
            parcels = await self.store.run(lambda unit: unit.claim(postman.channel, self.worker, postman.group * 4))
            if not parcels:
                await self._pause(self.poll)
                continue
            for start in range(0, len(parcels), postman.group):
                if self._stopping.is_set():
                    break
                group = parcels[start : start + postman.group]
                verdict = await self.store.run(
                    partial(Unit.begin_sending, ids=[p.id for p in group], worker=self.worker)
                )
                going = [p for p in group if p.id in verdict and verdict[p.id] is None]
                if not going:
                    continue
                task = asyncio.get_running_loop().create_task(self._group(postman, going))
                in_flight.add(task)
                task.add_done_callback(in_flight.discard)
                while len(in_flight) >= 2:
                    await asyncio.wait(in_flight, return_when=asyncio.FIRST_COMPLETED)
            if self._stopping.is_set():
                break
        if in_flight:
            await asyncio.wait(in_flight)

    async def _group(self, postman: Postman, parcels: list[Parcel]) -> None:
        messages = await self._render(parcels)
        outcomes = await asyncio.gather(
            *(self._one(postman, p, messages[(p.broadcast_id, p.language)]) for p in parcels)
        )
        results = [(p.id, o.state, o.reason) for p, o in zip(parcels, outcomes, strict=True)]
        for delay in (0.5, 2, 5, 10, 30, 60):
            try:
                await self.store.run(lambda unit: unit.settle(results))
                return
            except Exception:
                log.warning("could not record %d delivery results; retrying in %s s", len(results), delay)
                await asyncio.sleep(delay)
        log.error("gave up recording %d delivery results; they will be marked unknown", len(results))

    async def _one(self, postman: Postman, parcel: Parcel, message: Outbound | None) -> Outcome:
        if message is None:
            return Outcome("failed", "no_message")
        try:
            return await postman.deliver(parcel, message)
        except Exception:
            log.exception("delivery %s failed unexpectedly; it may have arrived", parcel.id)
            return Outcome("unknown", "error")

    async def _render(self, parcels: list[Parcel]) -> dict[tuple[int, str], Outbound | None]:
        wanted = {(p.broadcast_id, p.language) for p in parcels} - set(self._messages)
        if wanted:

            def rows(unit: Unit) -> dict[int, tuple[Broadcast | None, Event | None, About]]:
                found = {b: unit.broadcast(b) for b, _ in wanted}
                return {
                    b: (
                        row,
                        unit.event(row.event_id) if row and row.event_id else None,
                        _about(unit, row),
                    )
                    for b, row in found.items()
                }

            loaded = await self.store.run(rows)
            for broadcast_id, lang in wanted:
                self._messages[(broadcast_id, lang)] = self._message(*loaded[broadcast_id], lang)
            if len(self._messages) > 200:
                for key in list(self._messages)[:100]:
                    del self._messages[key]
        return {(p.broadcast_id, p.language): self._messages.get((p.broadcast_id, p.language)) for p in parcels}

    def _message(self, row: Broadcast | None, event: Event | None, about: About, lang: str) -> Outbound | None:
        if row is None:
            return None
        lang = lang if lang in self.content.manifest.languages else "de"
        try:
            if row.kind == followup.FOLLOWUP:
                return followup.message(self.content, about if isinstance(about, followup.About) else None, lang)
            if row.kind == introductions.EXCHANGE:
                found = about if isinstance(about, introductions.About) else None
                return introductions.message(self.content, found, lang)
            if row.kind == TEAM:
                return notice_message(row.body, lang)
            if row.kind == "newsletter":
                spec = broadcasting.newsletter_of({"title": row.title, "body": row.body})
                return broadcasting.message(self.content, "newsletter", lang, newsletter=spec)
            return broadcasting.message(
                self.content, row.kind, lang, event_id=row.event_id, event=broadcasting.stored_event(event)
            )
        except Exception:
            log.exception("broadcast %s cannot be rendered in %s", row.id, lang)
            return None


About = followup.About | introductions.About | None
"""What a follow-up or an introduction's delivery is made of, read when it goes out."""


def _about(unit: Unit, row: Broadcast | None) -> About:
    if row is not None and row.kind == followup.FOLLOWUP:
        return followup.about(unit, row)
    if row is not None and row.kind == introductions.EXCHANGE:
        return introductions.about(unit, row)
    return None


def _address(unit: Unit, actor: str) -> str | None:
    """Where an admin's progress message goes (``telegram:123`` -> its chat); None for the CLI."""
    channel, _, ref = actor.partition(":")
    found = unit.reach(channel, ref)
    return found[0] if found else None
