"""The one Telegram sender: attachments as photos or documents (real python-telegram-bot against the fake Bot API),
and the one reading of Telegram's refusals: what each means for the chat and for a broadcast delivery."""

from __future__ import annotations

import io
from typing import cast

import pytest
from PIL import Image
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter, TelegramError, TimedOut
from telegram.ext import ExtBot

from bot.app.companion import Companion
from bot.app.courier import Outcome
from bot.documents.charts import picture
from bot.telegram.render import CAPTION_LIMIT, units
from bot.telegram.send import Lost, Moved, TelegramSender, Undeliverable
from flows.messages import Attachment
from tests.bot.documents.sample import age_pyramid
from tests.fakes.bot_api import FakeBotAPI


class Records:
    """What the sender told the Companion."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, ...]] = []

    async def reachable(self, channel: str, ref: str, active: bool, status: str | None) -> None:
        self.calls.append(("reachable", channel, ref, str(active), str(status)))

    async def moved(self, channel: str, ref: str, new_ref: str) -> None:
        self.calls.append(("moved", channel, ref, new_ref))


async def refused(error: TelegramError) -> None:
    raise error


def sender() -> tuple[TelegramSender, Records]:
    records = Records()
    return TelegramSender(cast(ExtBot[int], None), cast(Companion, records)), records


async def test_an_answer_passes_through_and_an_unchanged_edit_is_none():
    send, records = sender()

    async def answer() -> str:
        return "sent"

    assert await send.call(7, "message", answer()) == "sent"
    assert await send.call(7, "edit", refused(BadRequest("Message is not modified: same content"))) is None
    assert records.calls == []


@pytest.mark.parametrize(
    ("error", "outcome", "status"),
    [
        (Forbidden("Forbidden: bot was blocked by the user"), Outcome("skipped", "blocked"), "blocked"),
        (BadRequest("Bad Request: chat not found"), Outcome("skipped", "chat_not_found"), "chat_not_found"),
    ],
)
async def test_a_chat_that_takes_nothing_more_is_recorded(error: TelegramError, outcome: Outcome, status: str):
    send, records = sender()
    with pytest.raises(Undeliverable) as raised:
        await send.call(7, "message", refused(error))
    assert raised.value.outcome == outcome
    assert records.calls == [("reachable", "telegram", "7", "False", status)]


async def test_a_migrated_group_is_recorded_with_its_new_id():
    send, records = sender()
    with pytest.raises(Moved) as raised:
        await send.call(-7, "message", refused(ChatMigrated(-1007)))
    assert raised.value.new_chat_id == -1007
    assert records.calls == [("moved", "telegram", "-7", "-1007")]


@pytest.mark.parametrize(
    ("error", "outcome"),
    [
        (BadRequest("Bad Request: can't parse entities"), Outcome("failed", "Can't parse entities")),
        (TimedOut(), Outcome("unknown", "timed_out")),
        (RetryAfter(3), Outcome("queued", "flood")),
        (NetworkError("connection reset"), Outcome("unknown", "network")),
    ],
)
async def test_a_lost_request_leaves_the_chat_alone(error: TelegramError, outcome: Outcome):
    send, records = sender()
    with pytest.raises(Lost) as raised:
        await send.call(7, "message", refused(error))
    assert raised.value.outcome == outcome
    assert records.calls == []


async def test_a_chart_goes_as_a_photo_captioned_with_its_values_and_another_file_as_a_document(api: FakeBotAPI):
    """A pyramid of 40 bands: its text alternative is longer than a caption may be, so it is cut after a word."""
    ages = range(0, 200, 5)
    chart = age_pyramid(
        tuple(1000 + a for a in ages), tuple(1001 + a for a in ages), tuple(f"{a}–{a + 5}" for a in ages)
    )
    assert units(chart.alt) > CAPTION_LIMIT
    dora = api.user(1201, "Dora", "de")
    bot: ExtBot[int] = ExtBot(api.token, base_url=api.base_url, base_file_url=api.base_file_url)
    async with bot:
        send = TelegramSender(bot, cast(Companion, Records()))
        photo = Attachment("altersaufbau.png", "image/png", picture(chart, "de"), chart.alt)
        await send.call(dora.id, "attachment", send.attachment(dora.id, photo))
        table = Attachment("werte.csv", "text/csv", b"Jahr;Wert\n2024;18100\n", "not shown")
        await send.call(dora.id, "attachment", send.attachment(dora.id, table))
    assert [c.method for c in api.calls if c.method.startswith("send")] == ["sendPhoto", "sendDocument"]
    assert all(c.status == 200 for c in api.calls)
    sent_photo, sent_table = api.sent(dora.id)
    assert "photo" in sent_photo.raw and sent_photo.document is not None
    assert Image.open(io.BytesIO(sent_photo.document[1])).info["Description"] == chart.alt, "the picture went whole"
    assert units(sent_photo.text) <= CAPTION_LIMIT and sent_photo.text.endswith("…")
    assert chart.alt.startswith(sent_photo.text.removesuffix("…")) and sent_photo.entities == [], "plain text"
    assert sent_table.raw["document"]["mime_type"] == "text/csv" and sent_table.text == ""
