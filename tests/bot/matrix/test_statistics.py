"""Official statistics on Matrix, through the real `daks serve` on a real Synapse, in a plain and an encrypted
direct chat: Grabow picked in the imported directory, the Regionaldatenbank's CSV files sent as ``m.file``, the
values in the reply, the charts as ``m.image`` whose body is their text alternative, and the exported ODT's
indicator table beside the Kreis and the Land."""

from __future__ import annotations

import asyncio
import io
import re
import time

import pytest
from nio import RoomEncryptedFile, RoomEncryptedImage, RoomMessageFile, RoomMessageImage
from nio.crypto.attachments import decrypt_attachment
from PIL import Image

from tests.bot.grabow import (
    BALANCES,
    EVENTS,
    FIXTURES,
    KREIS,
    LAND,
    POPULATION,
    POPULATION_ALT,
    PYRAMID_ALT,
    REPLY,
    TABLE,
    import_directory,
    indicator_table,
    plain,
)
from tests.bot.matrix import test_channel
from tests.bot.matrix.test_channel import Member
from tests.bot.matrix.test_files import sends_file

matrix = test_channel.matrix
"""The fixture: the running bot on the test Synapse, and a factory for members with their own E2EE clients."""
ODT = "application/vnd.oasis.opendocument.text"
Chart = RoomMessageImage | RoomEncryptedImage
Attached = RoomMessageFile | RoomEncryptedFile


@pytest.fixture
async def directory(database_url: str) -> None:
    await import_directory(database_url)


def said(events: list[object]) -> str:
    return plain("\n".join(getattr(e, "body", "") for e in events))


async def sent(person: Member, room: str, kind: type, count: int, timeout: float = 60) -> list:
    """The first ``count`` events of ``kind`` the bot sent into ``room``, once that many have arrived."""
    deadline = time.monotonic() + timeout
    while True:
        found = [e for r, e in person.notices if r == room and isinstance(e, kind)]
        if len(found) >= count:
            return found[:count]
        assert time.monotonic() < deadline, f"{len(found)} of {count}: {[getattr(e, 'body', e) for e in found]}"
        await asyncio.sleep(0.1)


async def downloaded(person: Member, event: Chart | Attached) -> bytes:
    """The event's file as the person's client gets it: downloaded, and decrypted in an encrypted room."""
    response = await person.client.download(event.url)
    data = response.body  # type: ignore[union-attr]
    if isinstance(event, RoomEncryptedImage | RoomEncryptedFile):
        data = decrypt_attachment(data, event.key["k"], event.hashes["sha256"], event.iv)
    return data


@pytest.mark.parametrize("encrypted", [False, True], ids=["plain", "encrypted"])
async def test_statistics_sent_as_m_file_reach_the_reply_the_images_and_the_odt(
    directory: None, matrix, encrypted: bool
):
    bot_id, bot, member = matrix
    anna = await member("anna")
    room = await anna.dm(bot_id, encrypted)
    offered = said(await anna.says(room, "Grabow", "Mehrere Kommunen passen zu „Grabow“"))
    assert "Grabow (Prignitz, Brandenburg)" in offered
    [number] = re.findall(r"^(\d+)\) Grabow \(Ludwigslust-Parchim, Mecklenburg-Vorpommern\)$", offered, re.M)
    picked = said(await anna.says(room, number, "Welche Handlungsfelder"))
    assert f"Grabow, Stadt — {KREIS}, {LAND} (Gemeindeschlüssel 13076052)" in picked
    await anna.says(room, "2, 5, 9", "Kick-Off · Frage 1 von 10")  # Land and size came from the directory
    await anna.says(room, "/phase 2", "Aus welcher Quelle stammen Ihre Bevölkerungsdaten?")

    data = (FIXTURES / POPULATION).read_bytes()
    reply = said(await sends_file(anna, room, POPULATION, data, encrypted, "Für Ihr Team gespeichert", "text/csv"))
    assert "Ich habe „12411-02-03-5-long.csv“ gelesen" in reply
    for line in REPLY:
        assert line in reply, line
    for name in EVENTS:
        data = (FIXTURES / name).read_bytes()
        reply = said(await sends_file(anna, room, name, data, encrypted, "Für Ihr Team gespeichert", "text/csv"))
    for line in (*REPLY, *BALANCES):
        assert line in reply, line
    shown = 2 * (1 + len(EVENTS))  # two charts a file
    await sent(anna, room, Chart, shown)

    overlay = said(await anna.says(room, "/kennzahlen", "Soll ich diese Kennzahlen in Ihr Kommunalprofil übernehmen"))
    charts = (await sent(anna, room, Chart, shown + 2))[shown:]
    assert all(isinstance(c, RoomEncryptedImage if encrypted else RoomMessageImage) for c in charts)
    assert [c.body for c in charts] == [POPULATION_ALT, PYRAMID_ALT], "each body is its chart's text alternative"
    for chart in charts:
        picture = Image.open(io.BytesIO(await downloaded(anna, chart)))
        assert picture.format == "PNG" and picture.info["Description"] == chart.body

    [fill] = re.findall(r"^(\d+)\) Ins Profil übernehmen$", overlay, re.M)
    await anna.says(room, fill, "Ich habe 7 Kennzahlen in Ihr Kommunalprofil übernommen")
    await anna.says(room, "/export odt strategie", "als ODT")
    [odt] = await sent(anna, room, Attached, 1)
    assert odt.body.endswith(".odt") and odt.source["content"]["info"]["mimetype"] == ODT
    assert indicator_table(await downloaded(anna, odt)) == TABLE
    assert "could not be fetched" not in bot.output()
