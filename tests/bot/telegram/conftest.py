"""The real `daks serve` process against the fake Bot API server, and people who chat with it."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import subprocess
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.fakes.bot_api import FakeBotAPI, FakeUser, Sent

_NUMBERS = re.compile(r"^[0-9]+(, ?[0-9]+)*$")
_CONSOLE_OPTION = re.compile(r"^[0-9]+\) (?:\[[ x]\] )?(.*)$")
TICKS = ("✅", "▫️")


@dataclass
class BotProcess:
    """`python -m bot serve` with the Telegram channel pointed at the fake server."""

    api: FakeBotAPI
    env: dict[str, str]
    log: Path
    proc: subprocess.Popen[bytes] | None = None

    async def start(self, ready: str = "deletewebhook", asked: bool = False) -> None:
        """Start and wait until ``ready`` was answered (``asked``: only asked, e.g. one held by ``api.fail``)."""
        seen = len(self.api.called(ready))
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "bot", "serve"], env=self.env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT
            )
        try:
            await self.api.wait_for(
                lambda: (self.api.asked(ready) if asked else len(self.api.called(ready))) > seen, timeout=60
            )
        except TimeoutError:
            raise AssertionError(f"the bot did not start:\n{self.output()}") from None

    async def stop(self, sig: int = signal.SIGTERM) -> int:
        assert self.proc is not None
        self.proc.send_signal(sig)
        code = await asyncio.to_thread(self.proc.wait, 60)
        self.proc = None
        return code

    def output(self) -> str:
        return self.log.read_text(errors="replace")


@dataclass
class Person:
    """Someone chatting with the bot in a private Telegram chat."""

    api: FakeBotAPI
    user: FakeUser
    seen: dict[int, int] = field(default_factory=dict)

    @property
    def chat(self) -> list[Sent]:
        return self.api.sent(self.user.id)

    def message(self, message_id: int) -> Sent:
        return next(m for m in self.chat if m.message_id == message_id)

    def _snapshot(self) -> dict[int, int]:
        return {m.message_id: m.edits for m in self.chat}

    def _changed(self, before: dict[int, int]) -> list[Sent]:
        return [m for m in self.chat if before.get(m.message_id, -1) != m.edits]

    @property
    def question(self) -> Sent:
        """The newest message with buttons."""
        with_buttons = [m for m in self.chat if m.buttons()]
        assert with_buttons, f"no message with buttons; chat: {[m.text[:60] for m in self.chat]}"
        return with_buttons[-1]

    async def says(self, text: str, expect: str | None = None) -> list[Sent]:
        before = self._snapshot()
        await self.api.send_text(self.user, text)
        return await self._reply(before, expect)

    async def sends(self, file_name: str, data: bytes, expect: str | None = None) -> list[Sent]:
        """Sends a document (its MIME type guessed from the name, as a Telegram app does)."""
        before = self._snapshot()
        await self.api.send_file(self.user, file_name, data)
        return await self._reply(before, expect)

    async def taps(
        self, label: str, expect: str | None = None, message: Sent | None = None, formatting: bool = True
    ) -> list[Sent]:
        message = message or self.question
        _, data = message.button(label)
        return await self.presses(message, data, expect, formatting)

    async def presses(self, message: Sent, data: str, expect: str | None = None, formatting: bool = True) -> list[Sent]:
        before = self._snapshot()
        await self.api.press(self.user, message, data, formatting)
        return await self._reply(before, expect)

    async def _reply(self, before: dict[int, int], expect: str | None, timeout: float = 15) -> list[Sent]:
        def arrived() -> bool:
            changed = self._changed(before)
            return bool(changed) and (expect is None or any(expect in _visible(m) for m in changed))

        try:
            await self.api.wait_for(arrived, timeout=timeout)
            await self.api.wait_idle(quiet=0.05, timeout=timeout)
        except TimeoutError:
            shown = "\n---\n".join(_visible(m) for m in self._changed(before)) or "(nothing)"
            raise AssertionError(f"expected {expect!r}; the bot said:\n{shown}") from None
        return self._changed(before)

    async def answers(self, line: str, expect: str | None) -> None:
        """A line of a console transcript, done the Telegram way: numbers become button taps."""
        match = _CONSOLE_OPTION.match(expect or "")
        expect = match.group(1) if match else expect
        last = self.chat[-1] if self.chat else None
        if last is None or not last.buttons() or not (_NUMBERS.match(line) or line == "alle"):
            await self.says(line, expect)
            return
        if line != "alle" and not _answer_buttons(last):  # only controls (Skip): a typed number is the answer
            await self.says(line, expect)
            return
        options = _options(last)
        toggles = any(text.startswith(TICKS) for text, _ in options)
        if not toggles and line == "alle":  # the answers decide every item: nothing to tick, only "Fertig"
            done = next(data for row in last.buttons() for _, data in row if data.endswith(":_done"))
            await self.presses(last, done, expect)
            return
        if not toggles:
            await self._tap_option(int(line), expect)
            return
        wanted = range(1, _count(last) + 1) if line == "alle" else [int(n) for n in line.split(",")]
        for number in wanted:
            text, _ = await self._show_option(number)
            if line == "alle" and text.startswith("✅"):
                continue
            await self._tap_option(number, None)
        done = next(data for row in self.chat[-1].buttons() for _, data in row if data.endswith(":_done"))
        await self.presses(self.chat[-1], done, expect)

    async def _show_option(self, number: int) -> tuple[str, str]:
        """Turn the keyboard's pages until option ``number`` (1-based, over all pages) is on screen."""
        for _ in range(10):
            message = self.chat[-1]
            page, per_page = _page(message)
            wanted = (number - 1) // per_page if per_page else 0
            if wanted == page:
                return _options(message)[(number - 1) - page * per_page]
            arrow = "▶" if wanted > page else "◀"
            await self.taps(arrow, message=message)
        raise AssertionError(f"option {number} not reachable")

    async def _tap_option(self, number: int, expect: str | None) -> None:
        _, data = await self._show_option(number)
        await self.presses(self.chat[-1], data, expect)


def _visible(message: Sent) -> str:
    return message.text + "\n" + "\n".join(text for row in message.buttons() for text, _ in row)


def _answer_buttons(message: Sent) -> list[tuple[str, str]]:
    """The buttons that answer the question: not page turns, not controls (Skip, Done)."""
    buttons = [(t, d) for row in message.buttons() for t, d in row if not d.startswith("p:")]
    return [(t, d) for t, d in buttons if not d.partition(":")[2].startswith("_")]


def _options(message: Sent) -> list[tuple[str, str]]:
    """The answer buttons (not page turns); controls count only when there are no answers."""
    return _answer_buttons(message) or [(t, d) for row in message.buttons() for t, d in row if not d.startswith("p:")]


def _page(message: Sent) -> tuple[int, int]:
    """(current page, answers per page); (0, 0) for an unpaged keyboard."""
    nav = [t for row in message.buttons() for t, d in row if d.startswith("p:") and "/" in t]
    if not nav:
        return 0, 0
    return int(nav[0].split("/")[0]) - 1, 8


def _count(message: Sent) -> int:
    assert _page(message) == (0, 0), "“alle” is only used for short checklists"
    return len(_options(message))


@pytest.fixture
async def api() -> AsyncIterator[FakeBotAPI]:
    async with FakeBotAPI(limits=False) as server:
        yield server


def bot_env(api: FakeBotAPI, database_url: str, data_dir: Path, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "TELEGRAM_TOKEN": api.token,
        "TELEGRAM_BASE_URL": api.base_url,
        "TELEGRAM_BASE_FILE_URL": api.base_file_url,
        "DAKS_DATABASE_URL": database_url,
        "DAKS_DATA_DIR": str(data_dir),
        "DAKS_LOG_LEVEL": "INFO",
        "TELEGRAM_PACING": "false",
        "PYTHONUTF8": "1",
        **extra,
    }


@pytest.fixture
def bot_settings(request: pytest.FixtureRequest) -> dict[str, str]:
    """Extra environment for the bot: ``@pytest.mark.parametrize("bot_settings", [{...}], indirect=True)``."""
    return getattr(request, "param", {})


@pytest.fixture
async def bot(
    api: FakeBotAPI, database_url: str, tmp_path: Path, bot_settings: dict[str, str]
) -> AsyncIterator[BotProcess]:
    process = BotProcess(api, bot_env(api, database_url, tmp_path, **bot_settings), tmp_path / "bot.log")
    await process.start()
    yield process
    if process.proc is not None:
        assert await process.stop() == 0, process.output()
    assert "Traceback" not in process.output() and "Unclosed" not in process.output(), process.output()
