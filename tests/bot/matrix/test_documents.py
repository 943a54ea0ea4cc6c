"""Exports on Matrix (real Synapse): the document arrives as a file, encrypted in an encrypted room, and opens."""

from __future__ import annotations

import asyncio
import io
import time

import pytest
from nio import RoomEncryptedFile, RoomMessageFile
from nio.crypto.attachments import decrypt_attachment

from tests.bot.matrix.test_channel import Member, matrix  # noqa: F401  (the fixture: the bot on the test Synapse)

ODT = "application/vnd.oasis.opendocument.text"


async def file_in(person: Member, room: str) -> RoomMessageFile | RoomEncryptedFile:
    deadline = time.monotonic() + 30
    while True:
        files = [e for r, e in person.notices if r == room and isinstance(e, RoomMessageFile | RoomEncryptedFile)]
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
