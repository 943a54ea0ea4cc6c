"""Files sent in a direct chat with the real `daks serve` on a real Synapse: an ``m.file``, plain or encrypted
(uploaded encrypted, its key in the megolm-encrypted event), reaches the flow as the bytes the person sent."""

from __future__ import annotations

import io

import pytest

from storage.store import Store
from tests.bot.app.test_templates import DOCX_TYPE, docx_template
from tests.bot.matrix import test_channel
from tests.bot.matrix.test_channel import Member

matrix = test_channel.matrix
"""The fixture: the running bot on the test Synapse, and a factory for members with their own E2EE clients."""


async def sends_file(
    person: Member, room_id: str, name: str, data: bytes, encrypted: bool, expect: str, mime: str = DOCX_TYPE
) -> list[object]:
    """Upload ``data`` (encrypted with a fresh key in an encrypted room, as Element does) and send it as ``m.file``;
    the bot's events up to the one that says ``expect``."""
    uploaded, keys = await person.client.upload(
        io.BytesIO(data), content_type=mime, filename=name, encrypt=encrypted, filesize=len(data)
    )
    uri = uploaded.content_uri  # type: ignore[union-attr]
    content: dict[str, object] = {"msgtype": "m.file", "body": name, "info": {"mimetype": mime, "size": len(data)}}
    if encrypted:
        assert keys is not None
        content["file"] = {**keys, "url": uri, "mimetype": mime}
    else:
        content["url"] = uri
    since = len(person.notices)
    await person.client.room_send(room_id, "m.room.message", content, ignore_unverified_devices=True)
    return await person.wait_for(room_id, expect, since)


@pytest.mark.parametrize("encrypted", [False, True], ids=["plain", "encrypted"])
async def test_a_template_sent_as_a_file_is_stored_byte_for_byte(matrix, database_url: str, encrypted: bool):
    bot_id, bot, member = matrix
    anna = await member("anna")
    room = await anna.dm(bot_id, encrypted)
    await anna.says(room, "Musterstadt", "Was für eine Kommune ist Musterstadt?")
    await anna.says(room, "/vorlage", "{{p body }}")
    template = docx_template("Briefkopf Musterstadt", "{{ title }}, {{ date }}", "{{p body }}")
    await sends_file(anna, room, "briefkopf.docx", template, encrypted, "Gespeichert: briefkopf.docx")

    await anna.says(room, "/vorlage", "DOCX: briefkopf.docx")
    not_a_template = docx_template("Nur ein Brief ohne Platzhalter")
    await sends_file(anna, room, "brief.docx", not_a_template, encrypted, "nicht als Vorlage verwenden")

    store = await Store.open(database_url)  # the bot's own database, read beside the running bot
    try:

        def kept(unit):  # type: ignore[no-untyped-def]
            _, _, wid = unit.working_on("matrix", anna.client.user_id)
            return unit.template(wid, "docx"), unit.template(wid, "odt")

        assert await store.run(kept) == (template, None)
    finally:
        await store.close()
    assert "could not be fetched" not in bot.output() and "refused a file download" not in bot.output()
