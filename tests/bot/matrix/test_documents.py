"""Exports on Matrix (real Synapse): the document arrives as a file, a chart as an image whose body is its text
alternative; encrypted in an encrypted room; each opens."""

from __future__ import annotations

import asyncio
import io
import time

import pytest
from nio import RoomEncryptedFile, RoomEncryptedImage, RoomMessageFile, RoomMessageImage
from nio.crypto.attachments import decrypt_attachment
from PIL import Image

from bot.documents.charts import picture
from bot.matrix.send import picture_size
from flows.messages import Attachment
from tests.bot.documents.sample import age_pyramid
from tests.bot.matrix.test_channel import Member, matrix  # noqa: F401  (the fixture: the bot on the test Synapse)

ODT = "application/vnd.oasis.opendocument.text"


Sent = RoomMessageFile | RoomEncryptedFile | RoomMessageImage | RoomEncryptedImage


async def file_in(person: Member, room: str) -> Sent:
    """The one file or image the bot sent into ``room``."""
    deadline = time.monotonic() + 30
    while True:
        files = [e for r, e in person.notices if r == room and isinstance(e, Sent)]
        if files:
            [file] = files
            return file
        assert time.monotonic() < deadline, [getattr(e, "body", e) for r, e in person.notices if r == room][-3:]
        await asyncio.sleep(0.1)


@pytest.mark.parametrize("encrypted", [False, True], ids=["plain", "encrypted"])
async def test_an_exported_odt_arrives_as_a_file_and_decrypts_to_a_valid_odt(matrix, encrypted: bool):  # noqa: F811
    pytest.importorskip("bot.documents.odt", reason="the ODT renderer is not there yet")
    from odfdo import Document as Odt

    bot_id, bot, member = matrix
    anna = await member("anna")
    room = await anna.dm(bot_id, encrypted)
    await anna.says(room, "Amt Süderbrarup", "Was für eine Kommune ist Amt Süderbrarup?")
    await anna.says(room, "/export", "In welchem Format")
    await anna.says(room, "1", "Welches Dokument")  # numbered options: 1) ODT, then 1) Strategiedokument
    await anna.says(room, "1", "als ODT")
    file = await file_in(anna, room)
    assert isinstance(file, RoomEncryptedFile) == encrypted
    assert file.body.endswith(".odt") and "suederbrarup" in file.body
    assert file.source["content"]["info"]["mimetype"] == ODT
    downloaded = await anna.client.download(file.url)
    data = downloaded.body  # type: ignore[union-attr]
    if encrypted:
        data = decrypt_attachment(data, file.key["k"], file.hashes["sha256"], file.iv)  # type: ignore[union-attr]
    assert "Amt Süderbrarup" in Odt(io.BytesIO(data)).body.text_recursive


@pytest.mark.parametrize("encrypted", [False, True], ids=["plain", "encrypted"])
async def test_a_chart_arrives_as_an_image_whose_body_is_its_text_alternative(matrix, encrypted: bool):  # noqa: F811
    bot_id, bot, member = matrix
    carla = await member("carla")
    room = await carla.dm(bot_id, encrypted)
    await carla.says(room, "Musterstadt", "Was für eine Kommune ist Musterstadt?")
    await carla.says(room, "/phase 2", "Aus welcher Quelle stammen Ihre Bevölkerungsdaten?")
    await carla.says(room, "1", "Auf welchen Stichtag")
    await carla.says(room, "31.12.2024", "Um welche Kennzahl geht es?")
    for n, (value, year) in enumerate((("18.432 Einwohner", "2020"), ("18.100 Einwohner", "2024")), 1):
        if n > 1:
            await carla.says(room, "1", "Um welche Kennzahl geht es?")  # Kennzahl hinzufügen
        await carla.says(room, "1", "Welchen Wert hat die Kennzahl?")  # Bevölkerungsstand
        await carla.says(room, value, "Für welches Jahr")
        await carla.says(room, year, "Wie steht der Wert im Vergleich")
        await carla.says(room, "/ueberspringen", f"Bisher erfasst ({n})")
    await carla.says(room, "/export png", "als PNG-Bild")
    image = await file_in(carla, room)
    assert isinstance(image, RoomEncryptedImage if encrypted else RoomMessageImage)
    content = image.source["content"]
    assert content["msgtype"] == "m.image" and content["filename"].endswith(".png")
    downloaded = await carla.client.download(image.url)
    data = downloaded.body  # type: ignore[union-attr]
    if encrypted:
        data = decrypt_attachment(data, image.key["k"], image.hashes["sha256"], image.iv)  # type: ignore[union-attr]
    picture = Image.open(io.BytesIO(data))
    assert picture.format == "PNG"
    assert content["info"] == {"mimetype": "image/png", "size": len(data), "w": picture.width, "h": picture.height}
    assert image.body == picture.info["Description"], "the body is the chart's text alternative"
    assert "Bevölkerungsstand" in image.body and "18.432" in image.body and "18.100" in image.body


def test_only_a_png_that_reads_goes_as_an_image():
    chart = picture(age_pyramid(), "de")
    assert picture_size(Attachment("altersaufbau.png", "image/png", chart, "Altersaufbau")) == (944, 767)
    assert picture_size(Attachment("kaputt.png", "image/png", chart[:40])) is None, "a cut PNG goes as a file"
    assert picture_size(Attachment("plan.odt", ODT, chart)) is None
