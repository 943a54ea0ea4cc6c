"""One team on three messengers, end to end: one `daks serve` process runs Telegram (against the fake Bot API) and
Matrix (on a real Synapse); the terminal is a `daks chat` process on the same database.

Anna coordinates on Telegram and invites Bea as an editor and Carl as a viewer. Bea joins on Matrix and adds a
strength to the SWOT; Carl joins in the terminal with the English command name and may change nothing. Anna's
export credits Bea's strength to Bea, and Anna's team list shows all three, with roles and messengers.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from markdown_it import MarkdownIt

from storage.models import Answer, Member
from storage.store import Store
from tests.bot.matrix import conftest as matrix_servers
from tests.bot.matrix.conftest import MakeUser
from tests.bot.matrix.test_channel import MatrixBot, matrix_env, signed_in
from tests.bot.matrix.test_channel import Member as MatrixMember
from tests.bot.talk import rows
from tests.bot.telegram import conftest as telegram_servers
from tests.bot.telegram.conftest import Person, bot_env
from tests.conftest import run_chat
from tests.fakes.bot_api import FakeBotAPI
from tests.servers.synapse import Synapse

CODE = r"([2-9A-HJKMNP-Z]{8})"
INVITED = re.compile(rf"Ihr Einladungscode für eine neue Person mit der Rolle „(\w+)“: {CODE}\.")
DEEP_LINK = re.compile(rf"https://t\.me/(\w+)\?start=join-{CODE}")
# The fixtures of the Telegram and the Matrix tests: the fake Bot API, a Synapse and its users.
api, synapse, matrix_user = telegram_servers.api, matrix_servers.synapse, matrix_servers.matrix_user
REFUSED = "Sie können lesen und exportieren; Änderungen macht Anna."


@pytest.fixture
async def both(api: FakeBotAPI, synapse: Synapse, matrix_user: MakeUser, database_url: str, tmp_path: Path):
    """`daks serve` with the Telegram and the Matrix channel in one process; yields it and the bot's Matrix id."""
    bot_id, password, _, _ = await matrix_user("daks")
    env = {
        **bot_env(api, database_url, tmp_path),
        **matrix_env(synapse, bot_id, database_url, tmp_path, MATRIX_PASSWORD=password),
    }
    process = MatrixBot(env, tmp_path / "bot.log")
    await process.start()  # Telegram starts first, then Matrix
    assert "Telegram channel running as @daks_test_bot" in process.output()
    yield process, bot_id
    if process.proc is not None:
        assert await process.stop() == 0, process.output()
    assert "Traceback" not in process.output(), process.output()


async def invitation(anna: Person, role: str) -> tuple[str, str]:
    """Anna asks for an invitation for ``role`` (a button label) and reads the code and the deep link."""
    await anna.says("/einladen", "Welche Rolle soll Ihre Kollegin oder Ihr Kollege haben?")
    said = await anna.taps(role, "Ihr Einladungscode")
    text = "\n".join(m.text for m in said)
    found, link = INVITED.search(text), DEEP_LINK.search(text)
    assert found and link, text
    assert found.group(1) == role
    assert link.group(1) == anna.api.username and link.group(2) == found.group(2)
    assert f"/beitreten {found.group(2)}" in text
    return found.group(2), link.group(0)


async def bea_on_matrix(synapse: Synapse, matrix_user: MakeUser, tmp_path: Path) -> MatrixMember:
    user = await matrix_user("bea")
    bea = await signed_in(synapse, user, tmp_path / "client-bea")
    await bea.client.set_displayname("Bea Beispiel")
    return bea


def swot_cell(document: str, title: str) -> list[str]:
    """The points of one cell of the export's SWOT table, parsed as Markdown: "**Stärken**<br>• point<br>• …"."""
    tokens = MarkdownIt("commonmark").enable("table").parse(document)
    for i, token in enumerate(tokens):
        parts = [n.content if n.type == "text" else "\n" for n in token.children or () if n.type != "strong_close"]
        if token.type == "inline" and tokens[i - 1].type == "td_open" and title in parts:
            points = "".join(parts[parts.index(title) + 1 :]).split("\n")
            return [p.removeprefix("• ") for p in points if p]
    raise AssertionError(f"no SWOT cell {title!r} in the export")


async def answers(store: Store) -> list[dict[str, Any]]:
    return await rows(store, Answer)


async def test_a_team_works_on_telegram_matrix_and_the_terminal(
    api: FakeBotAPI, both, synapse: Synapse, matrix_user: MakeUser, store: Store, database_url: str, tmp_path: Path
):
    process, bot_id = both

    # Anna, on Telegram, starts and tells the companion about her municipality.
    anna = Person(api, api.user(3101, "Anna", "de"))
    await anna.says("/start", "Für welche Kommune arbeiten Sie?")
    await anna.says("Musterstadt", "Was für eine Kommune ist Musterstadt?")
    await anna.answers("2", "In welchem Land liegt Musterstadt?")
    await anna.says("Sachsen", "Wie viele Menschen leben ungefähr in Musterstadt?")
    await anna.answers("3", "Welche Handlungsfelder sind für Musterstadt gerade besonders wichtig?")
    await anna.says("2, 5 und 9", "Kick-Off · Frage 1 von 10")

    # She invites an editor and a viewer: two codes, each also as a t.me deep link.
    editor_code, _ = await invitation(anna, "Bearbeitung")
    viewer_code, _ = await invitation(anna, "Lesezugriff")
    assert editor_code != viewer_code

    # Bea, on Matrix, joins with the editor code and adds a strength to the SWOT.
    bea = await bea_on_matrix(synapse, matrix_user, tmp_path)
    try:
        room = await bea.dm(bot_id, False)
        welcome = "Willkommen im Team von Musterstadt! Ihre Rolle dort: Bearbeitung."
        await bea.says(room, f"/beitreten {editor_code}", welcome)
        await bea.says(room, "/phase 2", "Aus welcher Quelle stammen Ihre Bevölkerungsdaten?")
        await bea.says(room, "1", "Auf welchen Stichtag")
        await bea.says(room, "31.12.2025", "Um welche Kennzahl geht es?")
        await bea.says(room, "1", "Welchen Wert hat die Kennzahl?")
        await bea.says(room, "12.000 Einwohner", "Für welches Jahr")
        await bea.says(room, "2024", "Wie steht der Wert im Vergleich")
        await bea.says(room, "/ueberspringen", "Bisher erfasst (1)")
        await bea.says(room, "fertig", "Welche Angebote, Einrichtungen und Projekte")
        await bea.says(room, "Kita", "Notiert (1).")
        await bea.says(room, "fertig", "Mit wem haben Sie")
        await bea.says(room, "/ueberspringen", "SWOT, Teil 1: Was sind die Stärken von Musterstadt?")
        await bea.says(room, "Starke Vereinslandschaft", "Notiert (1).")
        await bea.says(room, "fertig", "SWOT, Teil 2: Wo liegen die Schwächen?")
    finally:
        await bea.close()
    [strengths] = [a for a in await answers(store) if a["step_id"] == "kp_strengths"]
    assert strengths["value"] == ["Starke Vereinslandschaft"]

    # Carl, in the terminal, joins with the viewer code, written with the English command name.
    before = await answers(store)
    carl = run_chat(
        [f"/join {viewer_code}", "/phase 2", "Zu wenige Ärzte", "/aendern", "6", "Schwache Vereinslandschaft", "2"],
        user="carl",
        db=database_url,
        data_dir=tmp_path,
    )
    assert carl.returncode == 0, carl.stderr
    said = carl.stdout
    assert "Willkommen im Team von Musterstadt! Ihre Rolle dort: Lesezugriff." in said
    assert "SWOT, Teil 2: Wo liegen die Schwächen?" in said  # he sees where the team is
    assert "Welche Antwort möchten Sie ändern?" in said and "1. Starke Vereinslandschaft (Bea Beispiel)" in said
    assert said.count(REFUSED) == 3, said  # no new weakness, no new strength, none removed
    assert await answers(store) == before  # nothing changed in the database

    # Anna exports: Bea's strength is a point in the SWOT table's "Stärken" cell, credited to Bea.
    await anna.says("/export md", "als Markdown")
    [(name, data)] = [m.document for m in anna.chat if m.document]
    assert name.startswith("daks-") and "-musterstadt-" in name and name.endswith(".md")
    assert swot_cell(data.decode(), "Stärken") == ["Starke Vereinslandschaft (Bea Beispiel)"]

    # Anna's team list: three members, each with role and messenger.
    said = await anna.says("/team", "Team von Musterstadt")
    team = "\n".join(m.text for m in said)
    assert "Anna (Sie): Koordination (Telegram)" in team
    assert "Bea Beispiel: Bearbeitung (Matrix)" in team
    assert "carl: Lesezugriff (Terminal)" in team  # the terminal user is called by their --user name
    members = await rows(store, Member)
    assert sorted(m["role"] for m in members) == ["coordinator", "editor", "viewer"]
    assert len({m["workspace_id"] for m in members}) == 1
