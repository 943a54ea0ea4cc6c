"""Broadcasts through the real `daks serve` on a real Synapse: event announcements with their .ics in plain and
encrypted direct chats, attending and declining in chat, and ending a subscription with one word."""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from nio import RoomEncryptedFile, RoomMessageFile, RoomMessageNotice, RoomMessageText
from nio.crypto.attachments import decrypt_attachment
from sqlalchemy import select

from bot.app.effects import publish_event
from flows.content.content import Content
from flows.news.broadcasting import event_of
from storage.models import Identity, utcnow
from storage.store import Store, Unit
from tests.bot.matrix import test_channel
from tests.bot.matrix.test_channel import Member

matrix = test_channel.matrix
"""The fixture: the running bot on the test Synapse, and a factory for members with their own E2EE clients."""

TITLE = "Test-Seminar Demografie"
SECOND = "Zweites Test-Seminar Demografie"
ALL_TOPICS = r"^(\d+)\) (?:All topics|Alle Themen)$"
CONSENT = r"\n1\) [^\n]+\n2\) [^\n]+\Z"
"""The consent question: its text, then exactly two options (yes, no)."""

MakeMember = Callable[[str], Awaitable[Member]]


@pytest.fixture(autouse=True)
def fast_sends(monkeypatch: pytest.MonkeyPatch) -> None:
    """The bot sends up to 50 messages a second (Synapse's own limits are lifted for the tests)."""
    monkeypatch.setenv("MATRIX_SEND_RATE", "50")


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Store]:
    """The bot's database, opened by the test next to the running bot (waits for its write locks)."""
    store = await Store.open(database_url, busy_timeout=5.0)
    yield store
    await store.close()


@dataclass
class Reader:
    """A subscriber in their direct chat with the bot."""

    person: Member
    room: str
    user_id: int
    encrypted: bool

    @property
    def mxid(self) -> str:
        return str(self.person.client.user_id)

    def notices(self, fragment: str) -> list[str]:
        return [body for body in self.person.texts(self.room) if fragment in body]

    def files(self, name: str) -> list[RoomMessageFile | RoomEncryptedFile]:
        return [
            e
            for r, e in self.person.notices
            if r == self.room and isinstance(e, RoomMessageFile | RoomEncryptedFile) and e.body == name
        ]


# -- helpers -----------------------------------------------------------------------------------
async def answer(person: Member, room: str, text: str, pattern: str, timeout: float = 30) -> re.Match[str]:
    """Send ``text``; return the first match of ``pattern`` in a notice the bot sends after it."""
    since = len(person.notices)
    await person.client.room_send(
        room, "m.room.message", {"msgtype": "m.text", "body": text}, ignore_unverified_devices=True
    )
    deadline = time.monotonic() + timeout
    while True:
        bodies = [e.body for r, e in person.notices[since:] if r == room and isinstance(e, RoomMessageNotice)]
        for body in bodies:
            if found := re.search(pattern, body, re.MULTILINE):
                return found
        assert time.monotonic() < deadline, f"{text!r}: no {pattern!r} in {bodies}"
        await asyncio.sleep(0.1)


async def until(check: Callable[[], Awaitable[object]], what: str, timeout: float = 60) -> object:
    """Poll ``check`` until it returns something true."""
    deadline = time.monotonic() + timeout
    while not (result := await check()):
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.2)
    return result


def identity(unit: Unit, mxid: str) -> tuple[int, str | None]:
    """(user id, address) of a Matrix identity."""
    row = unit.conn.execute(
        select(Identity.user_id, Identity.address).where(Identity.channel == "matrix", Identity.ref == mxid)
    ).one()
    return int(row[0]), row[1]


async def subscribe_in_chat(person: Member, room: str) -> None:
    """/newsletter, all topics, German, yes: the way a member subscribes."""
    everything = await answer(person, room, "/newsletter", ALL_TOPICS)
    await answer(person, room, everything.group(1), r"^1\) Deutsch$")
    await answer(person, room, "1", CONSENT)
    await answer(person, room, "1", r".")  # confirmed; stored before the bot answers


async def readers(
    member: MakeMember, bot_id: str, db: Store, version: str, encrypted: list[bool], in_chat: int = 0
) -> list[Reader]:
    """One member per entry of ``encrypted``, each in a new direct chat with the bot; the first ``in_chat``
    subscribe in the chat, the others' confirmed subscriptions are stored directly."""
    people = await asyncio.gather(*(member(f"reader{i}") for i in range(len(encrypted))))
    rooms = await asyncio.gather(*(p.dm(bot_id, e) for p, e in zip(people, encrypted, strict=True)))
    await asyncio.gather(*(subscribe_in_chat(p, r) for p, r in zip(people[:in_chat], rooms[:in_chat], strict=True)))

    def subscribe(unit: Unit) -> list[int]:
        ids = []
        for n, (person, room) in enumerate(zip(people, rooms, strict=True)):
            mxid = str(person.client.user_id)
            user_id, address = identity(unit, mxid)
            assert address == room, "the greeting (or the member's messages) recorded the direct chat"
            if n >= in_chat:
                unit.confirm_subscription(user_id, "matrix", mxid, "de", [], version)
            subscribed = unit.subscription(user_id)
            assert subscribed is not None and subscribed.active and subscribed.channel == "matrix"
            ids.append(user_id)
        return ids

    ids = await db.run(subscribe)
    return [Reader(*row) for row in zip(people, rooms, ids, encrypted, strict=True)]


async def publish(db: Store, title: str) -> tuple[int, int]:
    """Publish an online seminar three days ahead; return its id and its announcement's broadcast id."""
    starts = datetime.now(ZoneInfo("Europe/Berlin")).replace(second=0, microsecond=0) + timedelta(days=3)
    event = event_of(
        {
            "kind": "online_seminar",
            "title": {"de": title, "en": "Test seminar"},
            "starts": starts,
            "online_url": "https://example.org/seminar",
            "topics": [],
        }
    )
    event_id = await db.run(lambda unit: publish_event(unit, event, "cli:test", utcnow()))
    [broadcast] = await db.run(
        lambda unit: [b.id for b in unit.broadcasts() if b.event_id == event_id and b.kind == "event"]
    )
    return event_id, broadcast


async def finished(db: Store, broadcast_id: int) -> dict[str, int]:
    """Wait until the broadcast is done; return its deliveries by state."""

    async def done() -> bool:
        row = await db.run(lambda unit: unit.broadcast(broadcast_id))
        return row is not None and row.status == "done"

    await until(done, f"broadcast {broadcast_id} to finish")
    return dict(await db.run(lambda unit: unit.counts(broadcast_id)))


async def announced(everyone: list[Reader], title: str, event_id: int) -> None:
    """Wait until each reader has the announcement and its .ics."""

    async def arrived() -> bool:
        return all(r.notices(title) and r.files(f"event-{event_id}.ics") for r in everyone)

    try:
        await until(arrived, "the announcements")
    except AssertionError:
        missing = [
            (r.mxid, r.encrypted, len(r.notices(title)), len(r.files(f"event-{event_id}.ics")))
            for r in everyone
            if not (r.notices(title) and r.files(f"event-{event_id}.ics"))
        ]
        raise AssertionError(f"not announced to (member, encrypted, notices, files): {missing}") from None


# -- tests -------------------------------------------------------------------------------------
async def test_an_announcement_reaches_twenty_subscribers_once_each_with_its_calendar_file(
    matrix, db: Store, content: Content
) -> None:
    bot_id, bot, member = matrix
    encrypted = [False, True] + [i % 3 == 0 for i in range(18)]  # 8 of 20 in encrypted rooms
    everyone = await readers(member, bot_id, db, content.consent.version, encrypted, in_chat=2)
    assert sum(encrypted) >= 5 and not everyone[0].encrypted and everyone[1].encrypted

    event_id, broadcast_id = await publish(db, TITLE)
    await announced(everyone, TITLE, event_id)
    assert await finished(db, broadcast_id) == {"sent": 20}
    await asyncio.sleep(1)  # time for a copy too many to arrive

    for r in everyone:
        [notice] = r.notices(TITLE)
        assert f"/zusage {event_id}" in notice and "/abbestellen" in notice, notice
        [file] = r.files(f"event-{event_id}.ics")
        assert isinstance(file, RoomEncryptedFile) == r.encrypted, (r.mxid, type(file))
    reader = next(r for r in everyone[2:] if r.encrypted)
    [file] = reader.files(f"event-{event_id}.ics")
    downloaded = await reader.person.client.download(file.url)
    data = decrypt_attachment(downloaded.body, file.key["k"], file.hashes["sha256"], file.iv)  # type: ignore[union-attr]
    assert data.startswith(b"BEGIN:VCALENDAR") and TITLE.encode() in data
    assert f"broadcast {broadcast_id} started for 20 recipients" in bot.output()


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_a_member_attends_and_declines_an_event_from_an_encrypted_chat(
    matrix, db: Store, content: Content
) -> None:
    bot_id, _, member = matrix
    [eva] = await readers(member, bot_id, db, content.consent.version, [True])
    event_id, _ = await publish(db, TITLE)
    await announced([eva], TITLE, event_id)

    await answer(eva.person, eva.room, f"/zusage {event_id}", re.escape(TITLE))
    assert await db.run(lambda unit: (event_id in unit.attending(eva.user_id), unit.rsvp_counts([event_id]))) == (
        True,
        {event_id: 1},
    )
    await answer(eva.person, eva.room, f"/absage {event_id}", re.escape(TITLE))
    assert await db.run(lambda unit: (event_id in unit.attending(eva.user_id), unit.rsvp_counts([event_id]))) == (
        False,
        {},
    )


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_stop_ends_a_subscription_and_the_next_announcement_passes_the_member_by(
    matrix, db: Store, content: Content
) -> None:
    bot_id, _, member = matrix
    quitter, *others = await readers(member, bot_id, db, content.consent.version, [False, True, False])
    first, _ = await publish(db, TITLE)
    await announced([quitter, *others], TITLE, first)

    await answer(quitter.person, quitter.room, "stop", r".")
    assert await db.run(lambda unit: unit.subscription(quitter.user_id)) is None

    second, broadcast_id = await publish(db, SECOND)
    await announced(others, SECOND, second)
    assert await finished(db, broadcast_id) == {"sent": 2}
    await asyncio.sleep(1)  # time for a stray copy to arrive
    assert quitter.notices(SECOND) == [] and quitter.files(f"event-{second}.ics") == []
    assert [len(r.notices(SECOND)) for r in others] == [1, 1]


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_after_a_restart_the_bot_still_knows_every_subscribers_room(matrix, db: Store, content: Content) -> None:
    bot_id, bot, member = matrix
    everyone = await readers(member, bot_id, db, content.consent.version, [False, True])
    await asyncio.sleep(4)  # quiet rooms: nothing about them in the next sync after the restart
    assert await bot.stop() == 0, bot.output()
    await bot.start()
    event_id, broadcast_id = await publish(db, TITLE)
    await announced(everyone, TITLE, event_id)
    assert await finished(db, broadcast_id) == {"sent": 2}


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_an_announcement_notifies_as_text_while_replies_stay_notices(matrix, db: Store, content: Content) -> None:
    bot_id, _, member = matrix
    [reader] = await readers(member, bot_id, db, content.consent.version, [True], in_chat=1)
    event_id, _ = await publish(db, TITLE)
    await announced([reader], TITLE, event_id)
    events = [e for r, e in reader.person.notices if r == reader.room]
    [announcement] = [e for e in events if TITLE in getattr(e, "body", "")]
    assert isinstance(announcement, RoomMessageText), "m.notice is silenced by the default push rules"
    assert announcement.source["content"]["msgtype"] == "m.text"
    replies = [e for e in events if e is not announcement and not isinstance(e, RoomMessageFile | RoomEncryptedFile)]
    assert len(replies) >= 4, "greeting and the subscription dialogue"
    assert {e.source["content"]["msgtype"] for e in replies} == {"m.notice"}
