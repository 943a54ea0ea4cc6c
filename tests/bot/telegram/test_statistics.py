"""Official statistics on Telegram, through the real `daks serve` and the fake Bot API: a coordinator picks Grabow
in the imported directory, sends the Regionaldatenbank's CSV files as documents in the Kommunalprofil, sees the
values, gets the charts as captioned photos with /kennzahlen, puts the indicators into the profile and exports the
strategy as ODT, whose indicator table holds the same values beside the Kreis and the Land."""

from __future__ import annotations

import io

import pytest
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
from tests.bot.telegram.conftest import BotProcess, Person
from tests.bot.telegram.test_documents import ODT
from tests.fakes.bot_api import FakeBotAPI, Sent


@pytest.fixture
async def directory(database_url: str) -> None:
    await import_directory(database_url)


def photos(person: Person) -> list[Sent]:
    return [m for m in person.chat if "photo" in m.raw]


def files(person: Person) -> list[Sent]:
    """The documents (not photos) sent to ``person``."""
    return [m for m in person.chat if "document" in m.raw]


def said(messages: list[Sent]) -> str:
    return plain("\n".join(m.text for m in messages))


async def test_statistics_sent_as_documents_reach_the_reply_the_photos_and_the_odt(
    api: FakeBotAPI, directory: None, bot: BotProcess
):
    anna = Person(api, api.user(1601, "Anna", "de"))
    await anna.says("/start", "Für welche Kommune arbeiten Sie?")
    await anna.says("Grabow", "Mehrere Kommunen passen zu „Grabow“")
    offered = anna.question.text  # the whole names above the buttons, which have room for less
    assert "Grabow (Ludwigslust-Parchim, Mecklenburg-Vorpommern)" in offered
    assert "Grabow (Prignitz, Brandenburg)" in offered
    picked = await anna.taps("Grabow (Ludwigslust", "Welche Handlungsfelder")
    assert f"Grabow, Stadt — {KREIS}, {LAND} (Gemeindeschlüssel 13076052)" in said(picked)
    assert "Land: Mecklenburg-Vorpommern" in said(picked), "the Land and the size come from the directory"
    await anna.answers("2, 5, 9", "Kick-Off · Frage 1 von 10")
    await anna.says("/phase 2", "Aus welcher Quelle stammen Ihre Bevölkerungsdaten?")

    reply = said(await anna.sends(POPULATION, (FIXTURES / POPULATION).read_bytes(), "Für Ihr Team gespeichert"))
    assert "Ich habe „12411-02-03-5-long.csv“ gelesen" in reply
    for line in REPLY:
        assert line in reply, line
    for name in EVENTS:
        reply = said(await anna.sends(name, (FIXTURES / name).read_bytes(), "Für Ihr Team gespeichert"))
    for line in (*REPLY, *BALANCES):
        assert line in reply, line
    await api.wait_for(lambda: len(photos(anna)) == 2 * (1 + len(EVENTS)), timeout=60)  # two charts a file

    shown = len(photos(anna))
    await anna.says("/kennzahlen", "Soll ich diese Kennzahlen in Ihr Kommunalprofil übernehmen")
    await api.wait_for(lambda: len(photos(anna)) == shown + 2, timeout=60)
    captions = {}
    for photo in photos(anna)[shown:]:
        assert photo.document is not None
        image = Image.open(io.BytesIO(photo.document[1]))
        assert image.format == "PNG" and image.width > 0
        assert photo.text == image.info["Description"], "the caption is the chart's text alternative"
        captions[photo.document[0].split("-")[-1]] = photo.text
    assert set(captions) == {"population.png", "pyramid.png"}
    assert captions["population.png"] == POPULATION_ALT
    assert captions["pyramid.png"] == PYRAMID_ALT

    await anna.taps("Ins Profil übernehmen", "Ich habe 7 Kennzahlen in Ihr Kommunalprofil übernommen")
    await anna.says("/export odt strategie", "als ODT")
    await api.wait_for(lambda: bool(files(anna)), timeout=60)
    [odt] = files(anna)
    assert odt.document is not None and odt.document[0].endswith(".odt") and odt.raw["document"]["mime_type"] == ODT
    assert indicator_table(odt.document[1]) == TABLE
    assert [c.status for c in api.calls if c.method in ("sendPhoto", "sendDocument") and c.status != 200] == []
