"""After /loeschen through the real `daks serve` and the fake Bot API: no silent new user, no "welcome back"."""

from __future__ import annotations

from tests.bot.telegram.conftest import BotProcess, Person
from tests.fakes.bot_api import FakeBotAPI


async def test_after_deleting_everything_the_next_message_offers_a_fresh_start(api: FakeBotAPI, bot: BotProcess):
    erna = Person(api, api.user(1031, "Erna", "de"))
    await erna.says("/start", "Ich bin der DAKS-Begleiter")
    await erna.says("Musterstadt", "Was für eine Kommune ist Musterstadt?")
    await erna.says("/loeschen", "Möchten Sie wirklich alle Ihre Daten löschen")
    await erna.taps("Ja, alles löschen", "senden Sie /start")
    [reply] = await erna.says("Hallo", "Sie haben hier alle Ihre Daten gelöscht")
    assert "Willkommen zurück" not in reply.text and "Musterstadt" not in reply.text
    replies = await erna.says("/start", "Ein Neuanfang")
    text = "\n".join(m.text for m in replies)
    assert "Ich bin der DAKS-Begleiter" in text and "Willkommen zurück" not in text
    await erna.says("Neustadt", "Was für eine Kommune ist Neustadt?")
