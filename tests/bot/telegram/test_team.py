"""Inviting on Telegram: the invitation carries a deep link to the bot, and opening it joins the team."""

from __future__ import annotations

import re

from tests.bot.telegram.conftest import BotProcess, Person
from tests.fakes.bot_api import FakeBotAPI

LINK = re.compile(r"https://t\.me/(\w+)\?start=join-([2-9A-HJKMNP-Z]{8})")


async def test_a_colleague_joins_by_the_deep_link_of_an_invitation(api: FakeBotAPI, bot: BotProcess):
    anna = Person(api, api.user(1101, "Anna", "de"))
    await anna.says("/start", "Für welche Kommune arbeiten Sie?")
    await anna.says("Musterstadt", "Was für eine Kommune ist Musterstadt?")
    await anna.says("/einladen", "Welche Rolle")
    await anna.taps("Lesezugriff", "Einladungscode")
    found = LINK.search(anna.chat[-1].text) or LINK.search("\n".join(m.text for m in anna.chat[-3:]))
    assert found, [m.text for m in anna.chat[-3:]]
    assert found.group(1) == api.username
    ben = Person(api, api.user(1102, "Ben", "de"))
    await ben.says(f"/start join-{found.group(2)}", "Willkommen im Team von Musterstadt!")
    await anna.says("/team", "Ben: Lesezugriff (Telegram)")
