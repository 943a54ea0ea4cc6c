"""Two `daks chat` processes write one conversation at once: every acknowledged point is stored.

Each process types list points; the companion acknowledges each with "Notiert (n)", n being
the point's place in the list. Afterwards every acknowledged point must be stored, at the place
its acknowledgement named: nothing lost, nothing reordered, on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import sys
from pathlib import Path

import yaml

from tests.conftest import CONTENT, ROOT

LISTS = 5
PER_LIST = 40
"""Points per list: half from each process (lists hold up to 50)."""
_ACK = re.compile(r"Notiert \((\d+)\)\. [^\n]*\n\n")
_STEERING = "Wer gehört zur Steuerungsgruppe?"


def many_lists_content(target: Path) -> Path:
    """The real content with the steering-group list repeated ``LISTS`` times, 50 points each."""
    shutil.copytree(CONTENT, target)
    path = target / "stages" / "kickoff.yaml"
    stage = yaml.safe_load(path.read_text(encoding="utf-8"))
    at = next(i for i, step in enumerate(stage["steps"]) if step["id"] == "ko_steering")
    steering = {**stage["steps"][at], "max_items": 50}
    copies = [{**steering, "id": f"ko_steering_{n}" if n else "ko_steering"} for n in range(LISTS)]
    stage["steps"][at : at + 1] = copies
    path.write_text(yaml.safe_dump(stage, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return target


class ChatProcess:
    """A real `daks chat` process, driven line by line: each line waits for the reply it expects."""

    def __init__(self, proc: asyncio.subprocess.Process):
        self.proc = proc
        self.output = ""

    @classmethod
    async def start(cls, user: str, db: str, env: dict[str, str]) -> ChatProcess:
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "chat",
            "--user",
            user,
            "--db",
            db,
            cwd=ROOT,
            env=env,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        return cls(proc)

    async def expect(self, pattern: re.Pattern[str] | str, since: int = 0, timeout: float = 30) -> re.Match[str]:
        """Read until ``pattern`` appears in the output after position ``since``."""
        regex = re.compile(re.escape(pattern)) if isinstance(pattern, str) else pattern
        assert self.proc.stdout is not None
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while (match := regex.search(self.output, since)) is None:
            try:
                chunk = await asyncio.wait_for(self.proc.stdout.read(4096), deadline - loop.time())
            except TimeoutError:
                raise AssertionError(f"expected {regex.pattern!r}; got:\n{self.output[since:]}") from None
            if not chunk:
                stderr = await self.proc.stderr.read() if self.proc.stderr else b""
                raise AssertionError(
                    f"the chat ended; expected {regex.pattern!r}; got:\n{self.output[since:]}\n"
                    f"{stderr.decode(errors='replace')}"
                )
            self.output += chunk.decode()
        return match

    async def says(self, line: str, expect: re.Pattern[str] | str) -> re.Match[str]:
        since = len(self.output)
        assert self.proc.stdin is not None
        self.proc.stdin.write(f"{line}\n".encode())
        await self.proc.stdin.drain()
        return await self.expect(expect, since)

    async def close(self) -> str:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        _, err = await asyncio.wait_for(self.proc.communicate(), 30)
        assert self.proc.returncode == 0, err.decode(errors="replace")
        return err.decode(errors="replace")


async def types_points(chat: ChatProcess, points: list[str], acks: dict[str, int]) -> None:
    """One person typing points one after the other, each after the previous one was acknowledged."""
    for point in points:
        acks[point] = int((await chat.says(point, _ACK)).group(1))


async def stored_lists(db: str, user: str, channel: str = "console") -> list[list[str]]:
    from storage.store import Store

    store = await Store.open(db)
    try:
        _, saved = await store.run(lambda unit: unit.open_conversation(channel, user, "de"))
    finally:
        await store.close()
    return [saved.answers.get(f"ko_steering_{n}" if n else "ko_steering", []) for n in range(LISTS)]


async def test_two_processes_typing_into_one_conversation_lose_nothing(database_url: str, tmp_path: Path) -> None:
    env = {
        **os.environ,
        "DAKS_CONTENT_DIR": str(many_lists_content(tmp_path / "content")),
        "DAKS_DATA_DIR": str(tmp_path),
        "PYTHONUTF8": "1",
    }
    first = await ChatProcess.start("gemeinsam", database_url, env)
    await first.expect("Für welche Kommune arbeiten Sie?")
    for line, expect in [
        ("Musterstadt", "Was für eine Kommune"),
        ("2", "In welchem Land"),
        ("13", "Wie viele Menschen"),
        ("3", "Welche Handlungsfelder"),
        ("2, 5, 9", "Kick-Off · Frage 1"),
        ("Bürgermeisterin", "Wer koordiniert"),
        ("Hauptamt", _STEERING),
    ]:
        await first.says(line, expect)
    second = await ChatProcess.start("gemeinsam", database_url, env)
    await second.expect(_STEERING)

    expected: list[list[str]] = []
    acks: list[dict[str, int]] = []
    for n in range(LISTS):
        a = [f"A{n}-{i:02d}" for i in range(PER_LIST // 2)]
        b = [f"B{n}-{i:02d}" for i in range(PER_LIST // 2)]
        acked: dict[str, int] = {}
        if n % 2 == 0:  # in turn: each point waits for the other process's acknowledgement
            for x, y in zip(a, b, strict=True):
                await types_points(first, [x], acked)
                await types_points(second, [y], acked)
            expected.append([p for pair in zip(a, b, strict=True) for p in pair])
        else:  # at once: both type as fast as their own acknowledgements come back
            await asyncio.gather(types_points(first, a, acked), types_points(second, b, acked))
            expected.append(sorted(acked, key=acked.__getitem__))
        acks.append(acked)
        await (first if n % 2 else second).says("fertig", _STEERING if n < LISTS - 1 else "Wen laden Sie")
    await first.close()
    await second.close()

    stored = await stored_lists(database_url, "gemeinsam")
    for n in range(LISTS):
        assert sorted(acks[n].values()) == list(range(1, PER_LIST + 1)), f"list {n}: acknowledged places {acks[n]}"
        assert stored[n] == expected[n], f"list {n}"
        assert all(stored[n][place - 1] == point for point, place in acks[n].items())


def test_the_many_lists_content_is_valid(tmp_path: Path) -> None:
    from flows.content.loader import load_content

    content = load_content(many_lists_content(tmp_path / "content"))
    assert [s for s in content.steps if s.startswith("ko_steering")] == [
        "ko_steering",
        *(f"ko_steering_{n}" for n in range(1, LISTS)),
    ]
