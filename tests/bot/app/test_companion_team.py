"""A municipality's team through the app shell, on SQLite and PostgreSQL: who wrote what, two people
changing one answer, two people appending at once, and what viewers and measure owners may change."""

from __future__ import annotations

import asyncio
import re
import threading
from dataclasses import dataclass, field

import pytest

from bot.app.companion import Companion
from flows.messages import Inbound, Outbound
from storage.store import Store


@dataclass
class Team:
    """People writing to one companion; each remembers the last question they were shown."""

    companion: Companion
    store: Store
    last: dict[str, Outbound] = field(default_factory=dict)
    wid: int = 0

    async def send(self, who: str, inbound: Inbound) -> str:
        response = await self.companion.handle("test", who, inbound)
        if response.replies:
            self.last[who] = response.replies[-1]
        self.replies = response.replies
        return "\n\n".join(
            r.text() + "".join(f"\n{i}) {c.label}" for i, c in enumerate(r.choices, 1)) for r in response.replies
        )

    async def says(self, who: str, text: str) -> str:
        return await self.send(who, Inbound(text=text, name=who.capitalize()))

    async def presses(self, who: str, label: str) -> str:
        last = self.last[who]
        [choice] = [c for c in last.choices if label.casefold() in c.label.casefold()]
        return await self.send(who, Inbound(choice=choice.id, turn=last.turn))

    async def user(self, who: str) -> int:
        return await self.store.run(lambda unit: unit.open_conversation("test", who, "de")[0].user_id)

    async def answers(self) -> dict:
        """The strategy as stored (read through Anna's conversation)."""
        return await self.store.run(lambda unit: unit.open_conversation("test", "anna", "de")[1].answers)

    async def joins(self, who: str, role: str) -> None:
        await self.send(who, Inbound(event="start", name=who.capitalize()))
        uid = await self.user(who)
        await self.store.run(lambda unit: unit.join(uid, self.wid, role, who.capitalize()))


@pytest.fixture
async def team(companion: Companion, store: Store) -> Team:
    """Anna started the strategy of Musterstadt (she coordinates it) and is at its first question."""
    team = Team(companion, store)
    await team.send("anna", Inbound(event="start", name="Anna"))
    for line in ("Musterstadt", "2", "13", "3", "2, 5, 9"):
        await team.says("anna", line)
    team.wid = await store.run(lambda unit: unit.open_conversation("test", "anna", "de")[1].shared.workspace_id)
    return team


async def test_ben_sees_who_wrote_what_and_annas_export_credits_his_entries(team):
    await team.joins("ben", "editor")
    await team.says("ben", "/phase 1")  # the sponsor question, still unanswered
    for line in ("Bürgermeisterin", "Hauptamt", "Sozialamt", "fertig"):
        await team.says("anna", line)
    reply = await team.says("ben", "Landrat")
    assert "Anna hat diese Antwort" in reply and "Antwort von Anna: Bürgermeisterin" in reply
    await team.presses("ben", "Antwort von Anna behalten")  # on to the first open question: the actors
    await team.says("anna", "Vereine")
    assert "Notiert (2)" in await team.says("ben", "Schulen")  # appended to Anna's list
    reply = await team.says("ben", "/zurück")
    assert "Aktuelle Antwort: Bürgermeisterin\nzuletzt geändert von Anna, " in reply
    await team.says("anna", "/export md")
    [file] = [a for r in team.replies for a in r.attachments]
    markdown = file.data.decode()
    assert entries(markdown, "Eingeladene Akteure") == [("Vereine", "Anna"), ("Schulen", "Ben")]
    assert entries(markdown, "Steuerungsgruppe") == [("Sozialamt", "Anna")]
    assert (await team.answers())["ko_sponsor"] == "Bürgermeisterin"


def entries(markdown: str, label: str) -> list[tuple[str, str | None]]:
    """The bullets under a bold label of the Markdown export, each split into its text and its author ("Vereine
    (Anna)")."""
    lines = markdown.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"**{label}**"))
    found = []
    for line in lines[start + 2 :]:  # the label is a paragraph of its own, the list follows a blank line
        if not line.startswith("- "):
            break
        match = re.fullmatch(r"- (.*?)(?: \(([^()]*)\))?", line)
        assert match is not None
        found.append((match[1], match[2]))
    return found


@pytest.mark.parametrize(
    ("choice", "stored"),
    [
        ("Antwort von Anna behalten", "Bürgermeisterin"),
        ("Durch meine ersetzen", "Landrat"),
        ("Beide behalten", "Bürgermeisterin\nLandrat"),
    ],
)
async def test_ben_answers_a_question_anna_answered_since_he_saw_it(team, choice, stored):
    await team.joins("ben", "editor")
    await team.says("ben", "/phase 1")
    await team.says("anna", "Bürgermeisterin")
    reply = await team.says("ben", "Landrat")
    assert "Antwort von Anna: Bürgermeisterin\n\nIhre Antwort: Landrat\n\nWelche soll gelten?" in reply
    assert (await team.answers())["ko_sponsor"] == "Bürgermeisterin"  # nothing overwritten
    reply = await team.presses("ben", choice)
    assert "Wer koordiniert den Prozess" in reply
    assert (await team.answers())["ko_sponsor"] == stored


async def test_a_viewer_reads_and_exports_but_changes_nothing(team):
    await team.says("anna", "Bürgermeisterin")
    await team.joins("carla", "viewer")
    await team.says("carla", "/phase 1")
    before = await team.answers()
    reply = await team.says("carla", "Hauptamt")
    assert "Sie können lesen und exportieren; Änderungen macht Anna." in reply
    await team.says("carla", "/export md")
    [file] = [a for r in team.replies for a in r.attachments]
    assert "Bürgermeisterin" in file.data.decode()
    assert await team.answers() == before


async def test_a_measure_owner_changes_only_their_own_measures(team):
    await team.joins("dora", "owner")
    await team.says("dora", "/phase 4")
    reply = await measure(team, "dora", "Dora")
    assert "Gespeichert" in reply
    [mine] = (await team.answers())["wp_measures"]
    assert mine["owner"]["name"] == "Dora" and isinstance(mine["owner"]["member"], int)  # her, as a member
    await team.presses("dora", "hinzufügen")
    reply = await measure(team, "dora", "Bauamt")
    assert "Als verantwortliche Person einer Maßnahme können Sie nur" in reply and "an Anna" in reply
    assert (await team.answers())["wp_measures"] == [mine]
    await team.says("dora", "/phase 1")
    assert "Als verantwortliche Person" in await team.says("dora", "Landrat")
    assert "ko_sponsor" not in await team.answers()


async def measure(team: Team, who: str, owner: str) -> str:
    """Record one measure of the action plan, field by field (None: skipped), with one indicator (no unit, no
    baseline, target 2 by 2029); the reply to the last field."""
    values = ["1", "Mehr Ärztinnen gewinnen", "Praxisbörse", owner, None, None, "03/2027", "12/2028", "20.000 €"]
    for value in [*values, "Praxen", None, None, "2", "2029"]:
        await (team.says(who, value) if value is not None else team.presses(who, "Überspringen"))
    return await team.presses(who, "Fertig")


async def test_two_members_appending_to_one_list_at_the_same_moment_both_land(team, content, database_url):
    """Ben's point comes from another process while Anna's message is being handled. On PostgreSQL his is
    committed before her save, which finds the workspace moved on and runs again on the list as it is now;
    SQLite's writers take turns, so his waits for hers. Either way both land, each where it was acknowledged."""
    await team.joins("ben", "editor")
    await team.says("anna", "Bürgermeisterin")
    await team.says("anna", "Hauptamt")  # Anna is at the steering group
    await team.says("ben", "/phase 1")  # and so is Ben

    def ben_in_another_process() -> None:
        async def say() -> str:
            store = await Store.open(database_url)
            try:
                response = await Companion(content, store).handle("test", "ben", Inbound(text="Planungsamt"))
                return "\n\n".join(r.text() for r in response.replies)
            finally:
                await store.close()

        heard.append(asyncio.run(say()))

    heard: list[str] = []
    worker = threading.Thread(target=ben_in_another_process)
    original = team.companion.engine.handle

    runs: list[str] = []

    def handle(*args, **kwargs):  # Anna's message has read the workspace
        runs.append("anna")
        if not worker.is_alive() and not heard:
            worker.start()
            if not database_url.startswith("sqlite"):
                worker.join()
        return original(*args, **kwargs)

    team.companion.engine.handle = handle
    anna = await team.says("anna", "Sozialamt")
    await asyncio.to_thread(worker.join)
    steering = (await team.answers())["ko_steering"]
    assert sorted(steering) == ["Planungsamt", "Sozialamt"]
    assert f"Notiert ({steering.index('Sozialamt') + 1})" in anna
    assert f"Notiert ({steering.index('Planungsamt') + 1})" in heard[0]
    if not database_url.startswith("sqlite"):
        assert steering == ["Planungsamt", "Sozialamt"] and len(runs) == 2  # Anna's ran again after Ben's commit
    await team.says("anna", "/export md")
    [file] = [a for r in team.replies for a in r.attachments]
    by = {"Planungsamt": "Ben", "Sozialamt": "Anna"}
    assert entries(file.data.decode(), "Steuerungsgruppe") == [(point, by[point]) for point in steering]
