"""The one reading of Telegram's refusals: what each means for the chat and for a broadcast delivery."""

from __future__ import annotations

from typing import cast

import pytest
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter, TelegramError, TimedOut
from telegram.ext import ExtBot

from bot.app.companion import Companion
from bot.app.courier import Outcome
from bot.telegram.send import Lost, Moved, TelegramSender, Undeliverable


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
