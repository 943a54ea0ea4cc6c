"""Shared fixtures: the real content set, a database on SQLite and on PostgreSQL, chat helpers."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from flows.content.content import Content
from flows.content.loader import load_content
from flows.conversation.actions import Facts
from flows.conversation.engine import Engine
from flows.conversation.state import State
from flows.messages import Inbound, Outbound

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
POSTGRES_ADMIN_URL = os.environ.get("DAKS_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")


def free_port() -> int:
    """A TCP port on loopback that nothing listens on right now."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _postgres_problem() -> str | None:
    """None when PostgreSQL answers; otherwise why not (shown as the skip reason)."""
    import asyncpg

    async def probe() -> None:
        conn = await asyncpg.connect(POSTGRES_ADMIN_URL, timeout=3)
        await conn.close()

    try:
        asyncio.run(probe())
    except Exception as exc:  # any failure means: not available here
        return f"{type(exc).__name__}: {exc}"
    return None


_PG_PROBLEM: list[str | None] = []


def postgres_problem() -> str | None:
    if not _PG_PROBLEM:
        _PG_PROBLEM.append(_postgres_problem())
    return _PG_PROBLEM[0]


async def _admin(sql: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(POSTGRES_ADMIN_URL, timeout=5)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


@pytest.fixture(scope="session")
def content() -> Content:
    return load_content(CONTENT)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database: a SQLite file, or a new PostgreSQL database dropped afterwards."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'daks.db'}"
        return
    problem = postgres_problem()
    if problem:
        pytest.skip(f"PostgreSQL not reachable at {POSTGRES_ADMIN_URL} ({problem}); set DAKS_TEST_POSTGRES_URL")
    name = f"daks_test_{uuid.uuid4().hex[:12]}"
    asyncio.run(_admin(f'CREATE DATABASE "{name}"'))
    base = POSTGRES_ADMIN_URL.rsplit("/", 1)[0]
    try:
        yield f"{base}/{name}"
    finally:
        asyncio.run(_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture
def postgres_url(tmp_path: Path) -> Iterator[str]:
    """A fresh PostgreSQL database, for tests that only make sense there."""
    problem = postgres_problem()
    if problem:
        pytest.skip(f"PostgreSQL not reachable at {POSTGRES_ADMIN_URL} ({problem}); set DAKS_TEST_POSTGRES_URL")
    name = f"daks_test_{uuid.uuid4().hex[:12]}"
    asyncio.run(_admin(f'CREATE DATABASE "{name}"'))
    try:
        yield f"{POSTGRES_ADMIN_URL.rsplit('/', 1)[0]}/{name}"
    finally:
        asyncio.run(_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture
async def store(database_url: str) -> AsyncIterator:
    from storage.store import Store

    store = await Store.open(database_url)
    yield store
    await store.close()


@pytest.fixture
def companion(content: Content, store):
    from bot.app.companion import Companion

    return Companion(content, store)


class EngineChat:
    """A user talking to the pure engine, no storage: ``chat.says("Musterstadt")`` returns the reply text."""

    def __init__(self, content: Content, lang: str = "de", facts: Facts | None = None):
        self.engine = Engine(content)
        self.state: State | None = None
        self.lang = lang
        self.facts = facts
        """What the shell would know (a directory, a team); None: nothing."""
        self.replies: list[Outbound] = []
        self.effects: list[str] = []
        self.start()

    def _send(self, inbound: Inbound) -> str:
        turn = self.engine.handle(self.state, inbound, lang=self.lang if self.state is None else None, facts=self.facts)
        self.state, self.replies, self.effects = turn.state, turn.replies, list(turn.effects)
        self.changes = turn.changes
        return self.text

    def start(self) -> str:
        return self._send(Inbound(event="start"))

    def says(self, text: str) -> str:
        return self._send(Inbound(text=text))

    def presses(self, label: str) -> str:
        """Press the button of the last question whose label contains ``label`` (case-insensitive)."""
        last = self.replies[-1]
        matches = [c for c in last.choices if label.casefold() in c.label.casefold() or c.id == label]
        assert matches, f"no button {label!r} in {[c.label for c in last.choices]}"
        return self._send(Inbound(choice=matches[0].id, turn=last.turn))

    def sends_file(self, name: str) -> str:
        return self._send(Inbound(file_name=name))

    @property
    def text(self) -> str:
        return "\n\n".join(
            r.text() + "".join(f"\n{i}) {c.label}" for i, c in enumerate(r.choices, 1)) for r in self.replies
        )

    @property
    def answers(self) -> dict:
        assert self.state is not None
        return self.state.answers


@pytest.fixture
def chat(content: Content) -> EngineChat:
    return EngineChat(content)


def run_chat(
    lines: list[str], *, user: str, db: str, lang: str | None = None, data_dir: Path | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """Pipe a conversation through the real `daks chat` process."""
    done = pipe_chat(
        "".join(f"{line}\n" for line in lines).encode(), user=user, db=db, lang=lang, data_dir=data_dir, timeout=timeout
    )
    return subprocess.CompletedProcess(done.args, done.returncode, done.stdout.decode(), done.stderr.decode())


def pipe_chat(
    data: bytes,
    *,
    user: str | bytes,
    db: str,
    lang: str | None = None,
    data_dir: Path | None = None,
    timeout: float = 120,
) -> subprocess.CompletedProcess[bytes]:
    """Pipe raw bytes (which need not be valid UTF-8) through the real `daks chat` process."""
    args: list[str | bytes] = [sys.executable, "-m", "bot", "chat", "--user", user, "--db", db]
    if lang:
        args += ["--lang", lang]
    env = {**os.environ, "DAKS_DATA_DIR": str(data_dir or ROOT / "data"), "PYTHONUTF8": "1"}
    return subprocess.run(args, input=data, capture_output=True, timeout=timeout, env=env, cwd=ROOT)
