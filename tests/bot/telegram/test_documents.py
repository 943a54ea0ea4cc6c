"""Exports on Telegram: the real `daks serve` renders the document in its worker and sends it with sendDocument,
a chart with sendPhoto."""

from __future__ import annotations

import io

import pytest
from PIL import Image

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


async def test_a_chart_arrives_as_a_photo_captioned_with_its_values(api: FakeBotAPI, bot: BotProcess):
    carla = Person(api, api.user(1103, "Carla", "de"))
    await carla.says("/start")
    await carla.says("Musterstadt", "Was für eine Kommune ist Musterstadt?")
    await carla.says("/phase 2", "Aus welcher Quelle stammen Ihre Bevölkerungsdaten?")
    await carla.answers("1", "Auf welchen Stichtag")
    await carla.says("31.12.2024", "Um welche Kennzahl geht es?")
    for n, (value, year) in enumerate((("18.432 Einwohner", "2020"), ("18.100 Einwohner", "2024")), 1):
        if n > 1:
            await carla.answers("1", "Um welche Kennzahl geht es?")  # Kennzahl hinzufügen
        await carla.answers("1", "Welchen Wert hat die Kennzahl?")  # Bevölkerungsstand
        await carla.says(value, "Für welches Jahr")
        await carla.says(year, "Wie steht der Wert im Vergleich")
        await carla.says("/ueberspringen", f"Bisher erfasst ({n})")
    await carla.says("/export png", "als PNG-Bild")
    await api.wait_for(lambda: any("photo" in m.raw for m in carla.chat))
    [photo] = [m for m in carla.chat if "photo" in m.raw]
    assert photo.document is not None
    image = Image.open(io.BytesIO(photo.document[1]))
    assert image.format == "PNG" and image.size == (944, 472)
    assert photo.text == image.info["Description"], "the caption is the chart's text alternative"
    assert "Bevölkerungsstand" in photo.text and "18.432" in photo.text and "18.100" in photo.text
    assert [c.status for c in api.calls if c.method == "sendPhoto"] == [200]
    assert not api.called("sendDocument")
