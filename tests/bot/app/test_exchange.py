"""The exchange through the app shell, on SQLite and PostgreSQL: three municipalities opt in; A's /austausch ranks
B above C by the documented similarity and never names them; B leaves and C erases herself (/loeschen): both are gone
from A's results at once; A's stored facts follow a later answer; /meinedaten shows the profile and its consent.
With the profiles kept between messages, what another process changes (a new, a changed, a withdrawn profile) shows
in A's next /austausch."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import text

from bot.app.companion import Companion
from flows.content.content import Content
from flows.messages import Inbound
from storage.models import ExchangeProfile
from storage.store import Store
from tests.bot.app.test_companion_team import Team
from tests.bot.talk import rows

TOWNS = {
    # who: (municipality, kind, Land, size, fields, contact)
    "anna": ("Musterstadt", "2", "13", "3", "2, 5, 9", "Anna Muster, 030 111"),  # Stadt, Sachsen, 20–100 000
    "bert": ("Grimmelsdorf", "2", "13", "3", "2, 5", "Bert Beispiel, 03437 222"),  # as alike as can be
    "carla": ("Kreis Nordheide", "3", "15", "5", "1", "Carla Cordes, 04131 333"),  # Landkreis in Schleswig-Holstein
}
SECRETS = ("Grimmelsdorf", "Nordheide", "Bert", "Carla", "222", "333")


class Towns(Team):
    """Each person coordinates their own municipality; everything said to Anna is kept."""

    heard: list[str]

    async def send(self, who: str, inbound: Inbound) -> str:
        text = await super().send(who, inbound)
        if who == "anna":
            self.heard.append(text)
        return text

    async def opts_in(self, who: str) -> str:
        await self.says(who, "/austausch")
        await self.presses(who, "Teilnehmen")
        for _ in range(3):
            await self.presses(who, "Fertig")
        await self.says(who, TOWNS[who][5])
        await self.presses(who, "Keine Partnerstadt")
        return await self.presses(who, "Zustimmen und teilnehmen")

    async def choose(self, who: str, choice: str) -> str:
        return await self.send(who, Inbound(choice=choice, turn=self.last[who].turn))

    async def workspace(self, who: str) -> int:
        return await self.store.run(lambda unit: unit.open_conversation("test", who, "de")[1].shared.workspace_id)


@pytest.fixture
async def towns(companion: Companion, store: Store) -> Towns:
    towns = Towns(companion, store)
    towns.heard = []
    for who, (name, kind, land, size, fields, _) in TOWNS.items():
        await towns.send(who, Inbound(event="start", name=who.capitalize()))
        for line in (name, kind, land, size, fields):
            await towns.says(who, line)
    return towns


async def profiles(store: Store) -> dict[int, dict]:
    return {r["workspace_id"]: r for r in await rows(store, ExchangeProfile)}


async def test_a_sees_b_above_c_without_names_and_each_leaving_takes_effect_at_once(towns: Towns, store: Store):
    for who in ("bert", "carla"):
        assert "Danke: Ihre Kommune nimmt am Austausch teil." in await towns.opts_in(who)
    reply = await towns.opts_in("anna")
    b, c = await towns.workspace("bert"), await towns.workspace("carla")
    first, second = reply.split("\n\n1. ")[1].split("\n\n2. ")[:2]
    assert first.startswith("Stadt in Sachsen (20.000 bis 100.000 Einwohner)")
    assert first.endswith(  # size 0.20 before fields 0.25 × 2/3, the Land 0.15 × 0.7, the kind 0.05
        "\nWarum: ebenfalls 20.000 bis 100.000 Einwohner, ebenfalls Schwerpunkt Daseinsvorsorge, Arbeit und "
        "Wirtschaft, im selben Land oder derselben Region, ebenfalls Stadt"
    )
    assert second.startswith("Landkreis in Schleswig-Holstein (über 500.000 Einwohner)")
    stored = await profiles(store)
    assert stored[b]["facts"]["name"] == "Grimmelsdorf" and stored[b]["contact"] == "Bert Beispiel, 03437 222"
    assert stored[b]["consent_version"] == "2026-12-07" and stored[b]["user_id"] == await towns.user("bert")

    await towns.says("bert", "/austausch aus")
    assert b not in await profiles(store)
    reply = await towns.presses("anna", "Nur in Deutschland")  # the list on screen, a moment later
    assert "Stadt in Sachsen" not in reply and "Landkreis in Schleswig-Holstein" in reply

    await towns.says("carla", "/loeschen")
    await towns.choose("carla", "_yes")
    assert c not in await profiles(store)  # it went with the person who agreed to share her contact
    reply = await towns.says("anna", "/austausch")
    assert "Noch nimmt keine andere Kommune teil" in reply
    heard = "\n".join(towns.heard)
    assert [s for s in SECRETS if s in heard] == []


async def test_the_stored_facts_follow_the_answers_after_every_save(towns: Towns, store: Store):
    await towns.opts_in("anna")
    wid = await towns.workspace("anna")
    facts = (await profiles(store))[wid]["facts"]
    assert (facts["name"], facts["kind"], facts["region"], facts["size"], facts["stage"]) == (
        "Musterstadt",
        "stadt",
        "sn",
        "m",
        "",
    )
    assert facts["fields"] == ["daseinsvorsorge", "labour", "participation"]
    await towns.says("anna", "/phase 1")
    await towns.says("anna", "Bürgermeisterin")
    assert (await profiles(store))[wid]["facts"]["stage"] == "kickoff"


async def test_a_member_cannot_opt_in_and_my_data_shows_the_profile(towns: Towns, store: Store):
    towns.wid = await towns.workspace("anna")
    await towns.joins("dora", "editor")
    reply = await towns.says("dora", "/austausch")
    assert "Das kann nur die Koordination des Teams. Bitte wenden Sie sich an Anna." in reply
    assert await profiles(store) == {}
    await towns.opts_in("anna")
    reply = await towns.says("anna", "/meinedaten")
    assert "Austausch zwischen Kommunen: Musterstadt nimmt seit " in reply
    assert "(Einwilligungstext Version 2026-12-07)" in reply
    assert "Kontakt, nur nach einer vereinbarten Vorstellung weitergegeben: Anna Muster, 030 111" in reply
    assert "Austausch zwischen Kommunen: Musterstadt" not in await towns.says("dora", "/meinedaten")


@pytest.fixture
async def elsewhere(content: Content, database_url: str, store: Store) -> AsyncIterator[Towns]:
    """The same towns talking to a second process: its own store and its own kept profiles."""
    second = await Store.open(database_url)
    there = Towns(Companion(content, second), second)
    there.heard = []
    yield there
    await second.close()


async def test_what_another_process_changes_shows_in_the_next_list_at_once(towns: Towns, elsewhere: Towns):
    await elsewhere.opts_in("bert")
    reply = await towns.opts_in("anna")
    assert "Stadt in Sachsen" in reply and "Landkreis in Schleswig-Holstein" not in reply
    b = await towns.workspace("bert")
    await towns.says("anna", "/austausch")  # read after Anna's own opt-in, then kept

    # The list comes from the profiles this process keeps: a change behind the exchange's back (no new
    # updated_at, same profiles) is not read, which shows that the kept profiles answered.
    behind = text("UPDATE exchangeprofile SET languages = :languages WHERE workspace_id = :wid")
    await elsewhere.store.run_connection(lambda conn: conn.execute(behind, {"languages": '["en"]', "wid": b}))
    assert "Stadt in Sachsen" in await towns.says("anna", "/austausch")

    # A new profile, in the other process: in the next list (only it is read: Bert's unchanged profile is kept).
    await elsewhere.opts_in("carla")
    reply = await towns.says("anna", "/austausch")
    assert "Landkreis in Schleswig-Holstein" in reply and "Stadt in Sachsen" in reply
    await elsewhere.store.run_connection(lambda conn: conn.execute(behind, {"languages": '["de"]', "wid": b}))

    # A changed profile (Bert's answers move his stage; the facts follow): in the next list, with its reason.
    await towns.says("anna", "/phase 1")
    await towns.says("anna", "Bürgermeisterin")
    assert "ebenfalls bei „" not in await towns.says("anna", "/austausch")
    await elsewhere.says("bert", "/phase 1")
    await elsewhere.says("bert", "Bürgermeister")
    first = (await towns.says("anna", "/austausch")).split("\n\n1. ")[1].split("\n\n2. ")[0]
    assert first.startswith("Stadt in Sachsen") and "ebenfalls bei „" in first, first

    # A withdrawal in the other process: gone from the next list.
    await elsewhere.says("bert", "/austausch aus")
    reply = await towns.says("anna", "/austausch")
    assert "Stadt in Sachsen" not in reply and "Landkreis in Schleswig-Holstein" in reply
    assert [s for s in SECRETS if s in "\n".join(towns.heard)] == []
