"""Exports on Telegram: the real `daks serve` renders the document in its worker and sends it with sendDocument."""

from __future__ import annotations

import io

import pytest

from tests.bot.telegram.conftest import BotProcess, Person
from tests.fakes.bot_api import FakeBotAPI

ODT = "application/vnd.oasis.opendocument.text"


def documents(api: FakeBotAPI, person: Person) -> list[tuple[str, str, bytes]]:
    """(file name, MIME type of the multipart part, bytes) of every document sent to ``person``."""
    return [
        (m.document[0], m.raw["document"]["mime_type"], m.document[1]) for m in person.chat if m.document is not None
    ]


async def test_export_odt_strategy_arrives_as_a_document_that_opens(api: FakeBotAPI, bot: BotProcess):
    pytest.importorskip("bot.documents.odt", reason="the ODT renderer is not there yet")
    from odfdo import Document as Odt

    anna = Person(api, api.user(1101, "Anna", "de"))
    await anna.says("/start")
    await anna.says("Amt Süderbrarup", "Was für eine Kommune ist Amt Süderbrarup?")
    await anna.says("/export odt strategie", "als ODT")
    await api.wait_for(lambda: bool(documents(api, anna)))
    [(name, mime, data)] = documents(api, anna)
    assert name.endswith(".odt") and "suederbrarup" in name and name.isascii()
    assert mime == ODT
    assert "Amt Süderbrarup" in Odt(io.BytesIO(data)).body.text_recursive
    assert [c for c in api.calls if c.method.lower() == "senddocument" and c.status != 200] == []


async def test_export_buttons_lead_to_the_document(api: FakeBotAPI, bot: BotProcess):
    pytest.importorskip("bot.documents.odt", reason="the ODT renderer is not there yet")
    ben = Person(api, api.user(1102, "Ben", "de"))
    await ben.says("/start")
    await ben.says("Musterstadt", "Was für eine Kommune ist Musterstadt?")
    await ben.says("/export", "In welchem Format")
    assert [t for row in ben.question.buttons() for t, _ in row][:4] == ["ODT", "DOCX", "PDF", "Markdown"]
    await ben.taps("ODT", "Welches Dokument")
    await ben.taps("Beschlussvorlage", "als ODT")
    await api.wait_for(lambda: bool(documents(api, ben)))
    [(name, mime, _)] = documents(api, ben)
    assert name.endswith(".odt") and mime == ODT
