"""Introductions through the app shell, on SQLite and PostgreSQL: Anna (Wolfach, Telegram) asks to be introduced to
Grabow, whose coordinators are Bea (Telegram) and Carl (Matrix). Each coordinator gets one request through the paced
outbox, rendered by the courier in their language; Bea accepts, Carl's later tap is "already answered"; Anna gets one
message with Grabow's contact and Bea's reply carries Wolfach's. Before that, nothing Anna is sent or shown names
Grabow. A decline reads as no answer; after 14 days (the file clock) housekeeping closes what nobody answered."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.app import clock
from bot.app.companion import Companion
from bot.app.courier import SENT, Courier, Outcome
from bot.app.effects import Actor, apply
from bot.app.introductions import StoredIntroductions
from flows.content.content import Content
from flows.conversation.actions import AskIntroduction
from flows.exchange import introducing
from flows.exchange.model import Reason
from flows.messages import Outbound
from storage.models import Broadcast, Delivery, Introduction
from storage.outbox import Parcel
from storage.store import Store
from tests.bot.talk import Person, rows, user_id
from tests.storage.test_introductions import leave, opt_in

NOW = datetime(2026, 12, 7, 10, tzinfo=UTC)
WHY = (Reason("size", ("s",)), Reason("fields", ("health",)))
GRABOW_SAYS = ("Grabow", "Bea Beispiel", "038 2")
"""What identifies Grabow: its name and the contact it shares."""
WOLFACH_CONTACT = "Anna Muster, Demografiebeauftragte, 07834 1"


@dataclass
class Recorder:
    """A channel's postman that keeps what it was given to deliver."""

    channel: str
    resendable: bool = False
    group: int = 10
    sent: list[tuple[Parcel, Outbound]] = field(default_factory=list)

    async def deliver(self, parcel: Parcel, message: Outbound) -> Outcome:
        self.sent.append((parcel, message))
        return SENT

    async def show(self, address: str, message: Outbound, shown: str | None) -> str | None:
        return None


@dataclass
class World:
    companion: Companion
    store: Store
    content: Content
    anna: Person
    bea: Person
    carl: Person
    ids: dict[str, int]
    wolfach: int
    grabow: int
    postmen: dict[str, Recorder]

    async def deliver(self) -> list[tuple[Parcel, Outbound]]:
        """Send what the outbox holds, through the courier's own rendering; what went out now."""
        courier = Courier(self.store, self.content, dict(self.postmen))
        out = []
        for channel, postman in self.postmen.items():
            before = len(postman.sent)
            parcels = await self.store.run(lambda unit: unit.claim(channel, courier.worker, 100))  # noqa: B023
            if parcels:
                ids = [p.id for p in parcels]
                verdict = await self.store.run(lambda unit: unit.begin_sending(ids, courier.worker))  # noqa: B023
                await courier._group(postman, [p for p in parcels if verdict.get(p.id) is None])
            out += postman.sent[before:]
        return out

    async def ask(self, by: str = "anna") -> list[Outbound]:
        """Anna presses "introduce us" beside Grabow on her /austausch list: the action the engine hands the shell."""
        actor = Actor(self.ids[by], "telegram", "1001", "de", None)
        action = AskIntroduction(self.wolfach, self.grabow, WHY)
        return await self.store.run(lambda unit: apply(unit, self.content, actor, [action], clock.now()))

    async def status(self, wid: int, lang: str = "de") -> str:
        """What a member of ``wid`` reads under /austausch, from the stored port."""
        t = self.content.catalogues.translator(lang)

        def read(unit) -> str:  # type: ignore[no-untyped-def]
            mine = StoredIntroductions(unit, wid).mine()
            return "\n".join(introducing.status_lines(self.content, t, wid, mine, clock.now(), coordinates=True))

        return await self.store.run(read)


@pytest.fixture
async def world(
    companion: Companion, store: Store, content: Content, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> World:
    monkeypatch.setenv(clock.VARIABLE, str(tmp_path / "clock"))
    clock.set_to(tmp_path / "clock", NOW)
    anna, bea = Person(companion, "1001"), Person(companion, "2001")
    carl = Person(companion, "@carl:example.org", channel="matrix", lang="fr")
    for person, town in ((anna, "Wolfach"), (bea, "Grabow")):
        await person.says("/start")
        await person.says(town)
    await carl.says("/start")
    ids = {name: await user_id(store, p) for name, p in (("anna", anna), ("bea", bea), ("carl", carl))}
    wolfach = await store.run(lambda unit: unit.memberships(ids["anna"])[0][0])
    grabow = await store.run(lambda unit: unit.memberships(ids["bea"])[0][0])
    await store.run(lambda unit: unit.join(ids["carl"], grabow, "coordinator", "Carl"))
    await opt_in(store, wolfach, ids["anna"], WOLFACH_CONTACT, name="Wolfach", kind="gemeinde", region="bw", size="s")
    await opt_in(
        store, grabow, ids["bea"], "Bea Beispiel, 038 2", name="Grabow", kind="stadt", region="sn", size="s", key="1"
    )
    postmen = {"telegram": Recorder("telegram"), "matrix": Recorder("matrix")}
    return World(companion, store, content, anna, bea, carl, ids, wolfach, grabow, postmen)


def naming(texts: list[str], words: tuple[str, ...]) -> list[str]:
    return [t for t in texts if any(w in t for w in words)]


async def test_a_request_reaches_each_coordinator_once_and_only_acceptance_releases_both_contacts(world: World):
    assert await world.ask() == []
    [intro] = await rows(world.store, Introduction)
    assert (intro["asking"], intro["asked"], intro["asked_by"], intro["status"]) == (
        world.wolfach,
        world.grabow,
        world.ids["anna"],
        "asked",
    )
    sent = await world.deliver()
    assert sorted((p.user_id, p.channel, p.language) for p, _ in sent) == sorted(
        [(world.ids["bea"], "telegram", "de"), (world.ids["carl"], "matrix", "fr")]
    )
    to = {p.channel: m for p, m in sent}
    german, french = to["telegram"].text(), to["matrix"].text()
    number = intro["id"]
    assert f"Eine Kommune möchte Ihrer Kommune vorgestellt werden (Anfrage {number}):" in german
    assert "Gemeinde in Baden-Württemberg (5.000 bis 20.000 Einwohner)" in german
    assert f"/austausch annehmen {number} oder /austausch ablehnen {number}" in german
    assert f"/echange accepter {number} ou /echange refuser {number}" in french  # Matrix shows no buttons
    assert [c.id for c in to["telegram"].choices] == [f"exchange accept {number}", f"exchange decline {number}"]
    assert naming([german, french], ("Wolfach", "Anna Muster")) == []  # B does not learn A's name before either

    before = [await world.anna.says("/austausch"), await world.anna.says(f"/austausch annehmen {number}")]
    before.append(await world.status(world.wolfach))
    assert "angefragt am 07.12.2026, noch keine Antwort" in before[-1]
    mine = await world.store.run(lambda unit: StoredIntroductions(unit, world.wolfach).mine())
    assert naming([repr(mine)], GRABOW_SAYS) == [] and "'1'" not in repr(mine[0].asked_facts)  # not even its key

    reply = await world.bea.taps(f"exchange accept {number}")
    assert f"Danke. Sie sind einander vorgestellt. Kontakt: Wolfach: {WOLFACH_CONTACT}" in reply
    reply = await world.carl.taps(f"exchange accept {number}")
    assert f"La demande {number} a déjà reçu une réponse." in reply
    sent = await world.deliver()
    [(parcel, message)] = sent
    assert (parcel.user_id, parcel.channel, parcel.address) == (world.ids["anna"], "telegram", "1001")
    assert "Ihr Kontakt: Grabow: Bea Beispiel, 038 2" in message.text()
    assert "Vorgestellt (angefragt am 07.12.2026): Grabow: Bea Beispiel, 038 2" in await world.status(world.wolfach)
    assert await world.deliver() == []  # once
    assert (await rows(world.store, Introduction))[0]["answered_by"] == world.ids["bea"]
    before_acceptance = [m.text() for p, m in world.postmen["telegram"].sent if p.user_id == world.ids["anna"]][:-1]
    assert naming(before + before_acceptance, GRABOW_SAYS) == []


async def test_a_decline_reads_as_no_answer_and_housekeeping_closes_it_after_14_days(world: World, tmp_path: Path):
    await world.ask()
    [intro] = await rows(world.store, Introduction)
    reply = await world.bea.says(f"/austausch ablehnen {intro['id']}")
    assert "Die anfragende Kommune erfährt nichts von einer Absage" in reply
    await world.deliver()
    assert [p for p, _ in world.postmen["telegram"].sent if p.user_id == world.ids["anna"]] == []
    status = await world.status(world.wolfach)
    assert "angefragt am 07.12.2026, noch keine Antwort" in status and "abgelehnt" not in status
    assert [m.text() for m in await world.ask()] == ["Sie haben diese Kommune bereits angefragt."]
    assert len(await rows(world.store, Introduction)) == 1

    clock.set_to(tmp_path / "clock", NOW + timedelta(days=14, hours=1))
    assert "angefragt am 07.12.2026, geschlossen, keine Antwort" in await world.status(world.wolfach)


async def test_housekeeping_closes_what_nobody_answered_within_14_days(world: World, tmp_path: Path):
    await world.ask()
    [intro] = await rows(world.store, Introduction)
    courier = Courier(world.store, world.content, dict(world.postmen))
    await world.store.run(lambda unit: courier._tick(unit, frozenset()))
    assert (await rows(world.store, Introduction))[0]["status"] == "asked"
    clock.set_to(tmp_path / "clock", NOW + timedelta(days=14, minutes=1))
    await world.store.run(lambda unit: courier._tick(unit, frozenset()))
    assert (await rows(world.store, Introduction))[0]["status"] == "closed"
    reply = await world.bea.taps(f"exchange accept {intro['id']}")
    assert f"Anfrage {intro['id']} ist geschlossen: Sie wurde nicht innerhalb von 14 Tagen beantwortet." in reply
    assert "geschlossen, keine Antwort" in await world.status(world.wolfach)


async def test_a_side_that_left_closes_the_request_and_its_message_is_not_sent(world: World):
    await world.ask()
    [intro] = await rows(world.store, Introduction)
    await leave(world.store, world.wolfach)
    assert await world.deliver() == []  # the requests no longer apply: nothing goes out
    kinds = {b["id"]: b["kind"] for b in await rows(world.store, Broadcast)}
    assert {(kinds[d["broadcast_id"]], d["reason"]) for d in await rows(world.store, Delivery)} == {
        ("exchange", "no_message")
    }
    reply = await world.bea.taps(f"exchange accept {intro['id']}")
    assert "ist geschlossen: Eine der beiden Kommunen nimmt nicht mehr am Austausch teil." in reply
    assert (await rows(world.store, Introduction))[0]["status"] == "asked"
    await world.store.run(lambda unit: Courier(world.store, world.content, {})._tick(unit, frozenset()))
    assert (await rows(world.store, Introduction))[0]["status"] == "closed"


async def test_an_accepted_introduction_stays_answered_after_a_side_left_and_names_nobody(world: World):
    await world.ask()
    [intro] = await rows(world.store, Introduction)
    await world.bea.taps(f"exchange accept {intro['id']}")
    await world.store.run(lambda unit: Courier(world.store, world.content, {})._tick(unit, frozenset()))
    await leave(world.store, world.grabow)  # Grabow leaves the exchange after both were introduced
    await world.store.run(lambda unit: Courier(world.store, world.content, {})._tick(unit, frozenset()))
    closed = "Vorgestellt (angefragt am 07.12.2026); seither geschlossen: Eine der beiden Kommunen nimmt nicht mehr"
    for side in (world.wolfach, world.grabow):  # Grabow did answer: neither reads "no answer"
        status = await world.status(side)
        assert closed in status and "keine Antwort" not in status, status
    assert naming([await world.status(world.wolfach)], GRABOW_SAYS) == []  # gone with its profile
    assert (await rows(world.store, Introduction))[0]["status"] == "accepted"


async def test_only_members_who_edit_ask_and_only_the_asked_coordinators_answer(world: World):
    await world.store.run(lambda unit: unit.set_role(world.wolfach, world.ids["anna"], "viewer"))
    assert await world.ask() == [] and await rows(world.store, Introduction) == []
    await world.store.run(lambda unit: unit.set_role(world.wolfach, world.ids["anna"], "coordinator"))
    await world.ask()
    [intro] = await rows(world.store, Introduction)
    reply = await world.anna.taps(f"exchange accept {intro['id']}")
    assert f"Für Ihre Kommune gibt es keine Anfrage Nummer {intro['id']}." in reply
    assert (await rows(world.store, Introduction))[0]["status"] == "asked"
