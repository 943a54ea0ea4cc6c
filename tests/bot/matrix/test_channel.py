"""Conversations with the real `daks serve` process on a real Synapse, in plain and encrypted direct chats."""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from nio import (
    AsyncClient,
    AsyncClientConfig,
    RoomEncryptedFile,
    RoomEncryptedImage,
    RoomMessageFile,
    RoomMessageImage,
    RoomMessageNotice,
    RoomMessageText,
)
from nio.crypto.attachments import decrypt_attachment

from bot.matrix.cross_signing import device_is_cross_signed
from tests.bot.app.test_health import get, scrape, value
from tests.bot.console.test_channel import FIVE_STAGES
from tests.bot.matrix.conftest import MakeUser
from tests.conftest import ROOT, free_port
from tests.servers.synapse import Synapse


@dataclass
class MatrixBot:
    """`python -m bot serve` with the Matrix channel on the test Synapse."""

    env: dict[str, str]
    log: Path
    proc: subprocess.Popen[bytes] | None = None

    async def start(self) -> None:
        seen = self.output().count("Matrix channel running")
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "bot", "serve"], env=self.env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + 90
        while self.output().count("Matrix channel running") == seen:
            assert self.proc.poll() is None, self.output()
            assert time.monotonic() < deadline, self.output()
            await asyncio.sleep(0.1)

    async def stop(self) -> int:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGTERM)
        code = await asyncio.to_thread(self.proc.wait, 60)
        self.proc = None
        return code

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""


@dataclass
class Member:
    """A staff member's Matrix client (matrix-nio with encryption)."""

    client: AsyncClient
    notices: list[tuple[str, object]] = field(default_factory=list)
    arrived: asyncio.Event = field(default_factory=asyncio.Event)
    task: asyncio.Task[None] | None = None
    poll_ms: int = 500
    """How long each sync waits for news; it returns at once when an event arrives."""

    def on_event(self, room: object, event: object) -> None:
        if getattr(event, "sender", None) == self.client.user_id:
            return  # what this member wrote
        if any(getattr(e, "event_id", None) == getattr(event, "event_id", 0) for _, e in self.notices[-20:]):
            return  # the same event from an overlapping sync
        self.notices.append((getattr(room, "room_id", ""), event))
        self.arrived.set()

    async def open(self) -> None:
        self.client.add_event_callback(
            self.on_event,
            (
                RoomMessageNotice,
                RoomMessageText,
                RoomMessageFile,
                RoomEncryptedFile,
                RoomMessageImage,
                RoomEncryptedImage,
            ),
        )
        await self.client.sync(timeout=0, full_state=True)
        if self.client.should_upload_keys:
            await self.client.keys_upload()
        self.task = asyncio.get_running_loop().create_task(self.client.sync_forever(timeout=self.poll_ms))

    async def close(self) -> None:
        if self.task is not None:
            self.task.cancel()
        await self.client.close()

    def texts(self, room_id: str) -> list[str]:
        """What the bot wrote in the room: notices (replies) and texts (broadcasts)."""
        return [e.body for r, e in self.notices if r == room_id and isinstance(e, RoomMessageNotice | RoomMessageText)]

    async def wait_for(self, room_id: str, fragment: str | None, since: int, timeout: float = 20) -> list[object]:
        deadline = time.monotonic() + timeout
        while True:
            self.arrived.clear()  # before looking, so that an event arriving meanwhile wakes us
            new = [e for r, e in self.notices[since:] if r == room_id]
            if new and (fragment is None or any(fragment in getattr(e, "body", "") for e in new)):
                return new
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"expected {fragment!r}; got {[getattr(e, 'body', e) for e in new]}")
            try:
                await asyncio.wait_for(self.arrived.wait(), min(remaining, 0.5))
            except TimeoutError:
                pass

    async def dm(self, bot_id: str, encrypted: bool) -> str:
        state = [{"type": "m.room.encryption", "state_key": "", "content": {"algorithm": "m.megolm.v1.aes-sha2"}}]
        since = len(self.notices)
        room = await self.client.room_create(is_direct=True, invite=[bot_id], initial_state=state if encrypted else [])
        room_id = room.room_id  # type: ignore[union-attr]
        await self.wait_for(room_id, None, since, timeout=30)  # the greeting
        return room_id

    async def says(self, room_id: str, text: str, expect: str | None = None, **extra: object) -> list[object]:
        since = len(self.notices)
        content = {"msgtype": "m.text", "body": text, **extra}
        await self.client.room_send(room_id, "m.room.message", content, ignore_unverified_devices=True)
        return await self.wait_for(room_id, expect, since)


def matrix_env(synapse: Synapse, bot_id: str, database_url: str, tmp_path: Path, **extra: str) -> dict[str, str]:
    """The bot's environment on the test Synapse; ``extra`` adds or overrides variables."""
    return {
        **os.environ,
        "MATRIX_HOMESERVER": synapse.url,
        "MATRIX_USER_ID": bot_id,
        "MATRIX_STORE_DIR": str(tmp_path / "matrix"),
        "DAKS_DATABASE_URL": database_url,
        "DAKS_DATA_DIR": str(tmp_path),
        "DAKS_LOG_LEVEL": "INFO",
        "PYTHONUTF8": "1",
        **extra,
    }


async def signed_in(synapse: Synapse, user: tuple[str, str, str, str], store: Path) -> Member:
    """A member's client on its own crypto store, logged in with the token from registration, syncing."""
    user_id, _, token, device = user
    store.mkdir(parents=True, exist_ok=True)
    client = AsyncClient(
        synapse.url,
        user_id,
        store_path=str(store),
        config=AsyncClientConfig(encryption_enabled=True, store_sync_tokens=True),
    )
    client.restore_login(user_id, device, token)
    person = Member(client)
    await person.open()
    return person


@pytest.fixture
async def matrix(synapse: Synapse, matrix_user: MakeUser, database_url: str, tmp_path: Path):
    bot_id, password, _, _ = await matrix_user("daks")
    bot = MatrixBot(matrix_env(synapse, bot_id, database_url, tmp_path, MATRIX_PASSWORD=password), tmp_path / "bot.log")
    await bot.start()
    members: list[Member] = []

    async def member(prefix: str = "staff") -> Member:
        user = await matrix_user(prefix)
        person = await signed_in(synapse, user, tmp_path / f"client-{user[0].split(':')[0][1:]}")
        members.append(person)
        return person

    yield bot_id, bot, member
    for person in members:
        await person.close()
    if bot.proc is not None:
        assert await bot.stop() == 0, bot.output()
    assert "Traceback" not in bot.output() and "Unclosed" not in bot.output(), bot.output()


@pytest.mark.parametrize("encrypted", [False, True], ids=["plain", "encrypted"])
async def test_a_staff_member_walks_all_five_stages_in_a_direct_chat(matrix, encrypted: bool):
    bot_id, bot, member = matrix
    anna = await member("anna")
    room = await anna.dm(bot_id, encrypted)
    assert "Guten Tag! Ich bin der DAKS-Begleiter" in anna.texts(room)[0]
    for line, expect in FIVE_STAGES:
        await anna.says(room, line, expect)
    new = await anna.says(room, "/export md", None)
    deadline = time.monotonic() + 20
    while not [e for r, e in anna.notices if r == room and isinstance(e, RoomMessageFile | RoomEncryptedFile)]:
        assert time.monotonic() < deadline, new
        await asyncio.sleep(0.1)
    [file] = [e for r, e in anna.notices if r == room and isinstance(e, RoomMessageFile | RoomEncryptedFile)]
    assert isinstance(file, RoomEncryptedFile) == encrypted
    downloaded = await anna.client.download(file.url)
    data = downloaded.body  # type: ignore[union-attr]
    if encrypted:
        data = decrypt_attachment(data, file.key["k"], file.hashes["sha256"], file.iv)  # type: ignore[union-attr]
    shown = MarkdownIt("commonmark").enable("table").render(data.decode())  # as a Markdown reader shows it
    assert "<h2>5. Zwischenbilanz</h2>" in shown and "Praxisbörse aufbauen" in shown
    assert "cross-signing bootstrapped" in bot.output()
    device = re.search(r"Matrix channel running as \S+ \(device (\w+)", bot.output()).group(1)  # type: ignore[union-attr]
    assert await device_is_cross_signed(anna.client, bot_id, device), "seen by the user through /keys/query"


async def test_a_restart_mid_stage_neither_replays_nor_misses_a_message(matrix):
    bot_id, bot, member = matrix
    ben = await member("ben")
    room = await ben.dm(bot_id, encrypted=True)
    for line, expect in FIVE_STAGES[:7]:
        await ben.says(room, line, expect)
    assert await bot.stop() == 0
    before = len(ben.notices)
    await ben.client.room_send(
        room, "m.room.message", {"msgtype": "m.text", "body": "Sozialamt"}, ignore_unverified_devices=True
    )
    await bot.start()
    assert "cross-signing verified" in bot.output()
    await ben.wait_for(room, "Notiert (1)", before)
    await ben.says(room, "Planungsamt", "Notiert (2)")
    await asyncio.sleep(1)
    texts = ben.texts(room)
    assert sum("Notiert (1)" in t for t in texts) == 1 and sum("Notiert (2)" in t for t in texts) == 1
    assert sum("Guten Tag" in t for t in texts) == 1, "nothing from before the restart was answered again"
    fields = next(t for t in texts if "Welche Handlungsfelder" in t)
    assert "1) [ ] Demografiestrategie, Steuerung und Monitoring" in fields, "numbered lines carry the full labels"
    assert fields.endswith("Sie können auch die Nummern schreiben, zum Beispiel „1, 3“."), "the typing hint stays here"


async def test_bad_input_is_answered_kindly_and_escaped(matrix):
    bot_id, bot, member = matrix
    cleo = await member("cleo")
    room = await cleo.dm(bot_id, encrypted=False)
    replies = await cleo.says(room, "<b>Muster</b>stadt & Co", "Was für eine Kommune ist")
    [reply] = [r for r in replies if "Was für eine Kommune ist" in r.body]  # type: ignore[attr-defined]
    assert "&lt;b&gt;Muster&lt;/b&gt;stadt &amp; Co" in reply.formatted_body  # type: ignore[attr-defined]
    assert "<b>Muster</b>stadt & Co" in reply.body  # type: ignore[attr-defined]
    await cleo.says(room, "x" * 30_000, "30.000 Zeichen")
    sent = await cleo.client.room_send(room, "m.room.message", {"msgtype": "m.text", "body": "Gemeinde"})
    await cleo.wait_for(room, "In welchem Land", 0)
    await cleo.says(
        room,
        "* Stadt",
        "Bearbeiten",
        **{
            "m.new_content": {"msgtype": "m.text", "body": "Stadt"},
            "m.relates_to": {"rel_type": "m.replace", "event_id": sent.event_id},
        },
    )
    await cleo.client.room_redact(room, sent.event_id)
    await cleo.client.room_send(
        room, "m.reaction", {"m.relates_to": {"rel_type": "m.annotation", "event_id": sent.event_id, "key": "👍"}}
    )
    await cleo.says(room, "/fortschritt", "Fortschritt")
    since = len(cleo.notices)
    await cleo.client.room_send(
        room,
        "m.room.encrypted",
        {  # a message for a session the bot never got
            "algorithm": "m.megolm.v1.aes-sha2",
            "ciphertext": "AwgAEnB" + "x" * 40,
            "device_id": "NOTHERE",
            "sender_key": "a" * 43,
            "session_id": "b" * 43,
        },
    )
    await cleo.wait_for(room, "nicht entschlüsseln", since)


async def test_the_homeservers_rate_limit_is_waited_out_and_nothing_is_lost(synapse: Synapse, matrix):
    bot_id, bot, member = matrix
    _, admin_token, _ = await synapse.register(f"root-{bot_id[6:16]}", "admin-password-1", admin=True)
    await synapse.override_ratelimit(admin_token, bot_id, per_second=1, burst=1)
    dora = await member("dora")
    room = await dora.dm(bot_id, encrypted=False)
    for line, expect in FIVE_STAGES[:5]:  # several notices in a row: some are refused at first
        await dora.says(room, line, expect)
    assert "homeserver asked to wait" in bot.output()
    assert sum("Kick-Off · Frage 1 von 10" in t for t in dora.texts(room)) == 1


@pytest.fixture
def metrics_listen(monkeypatch: pytest.MonkeyPatch) -> str:
    """DAKS_METRICS_LISTEN for the bot (ask for it before ``matrix``)."""
    listen = f"127.0.0.1:{free_port()}"
    monkeypatch.setenv("DAKS_METRICS_LISTEN", listen)
    return listen


async def test_readiness_and_metrics_count_messages_sends_and_rate_limits(
    synapse: Synapse, metrics_listen: str, matrix
):
    bot_id, bot, member = matrix
    base = f"http://{metrics_listen}"
    _, admin_token, _ = await synapse.register(f"root-{bot_id[6:16]}", "admin-password-1", admin=True)
    await synapse.override_ratelimit(admin_token, bot_id, per_second=1, burst=1)
    dora = await member("dora")
    room = await dora.dm(bot_id, encrypted=False)
    for line, expect in FIVE_STAGES[:5]:
        await dora.says(room, line, expect)
    status, body = await get(f"{base}/readyz")
    assert (status, json.loads(body)["checks"]) == (200, {"database": True, "matrix": True})
    samples = await scrape(base)
    assert value(samples, "daks_updates_total", channel="matrix", outcome="answered") == 6, "greeting and 5 answers"
    assert value(samples, "daks_update_seconds_count", channel="matrix") == 6
    assert value(samples, "daks_rate_limited_total", platform="matrix") >= 1
    assert value(samples, "daks_sends_total", platform="matrix") >= len(dora.texts(room)) >= 6


async def test_the_bot_can_log_in_with_an_access_token_instead_of_a_password(
    synapse: Synapse, matrix_user: MakeUser, database_url: str, tmp_path: Path
):
    bot_id, _, token, device = await matrix_user("daks")
    env = matrix_env(synapse, bot_id, database_url, tmp_path, MATRIX_ACCESS_TOKEN=token, MATRIX_DEVICE_ID=device)
    env.pop("MATRIX_PASSWORD", None)
    bot = MatrixBot(env, tmp_path / "bot.log")
    await bot.start()
    try:
        assert f"device {device}" in bot.output()
        eva = await signed_in(synapse, await matrix_user("eva"), tmp_path / "eva")
        room = await eva.dm(bot_id, encrypted=True)
        await eva.says(room, "Musterstadt", "Was für eine Kommune ist Musterstadt?")
        await eva.close()
    finally:
        assert await bot.stop() == 0
    assert "Traceback" not in bot.output()


async def test_invites_from_people_not_allowed_are_refused(
    synapse: Synapse, matrix_user: MakeUser, database_url: str, tmp_path: Path
):
    bot_id, password, _, _ = await matrix_user("daks")
    allowed = await matrix_user("allowed")
    env = matrix_env(
        synapse,
        bot_id,
        database_url,
        tmp_path,
        MATRIX_PASSWORD=password,
        MATRIX_ALLOWED_SERVERS="bund.example",
        MATRIX_ALLOWED_USERS=allowed[0],
    )
    bot = MatrixBot(env, tmp_path / "bot.log")
    await bot.start()
    try:
        stranger_id, _, token, device = await matrix_user("stranger")
        stranger = AsyncClient(synapse.url, stranger_id)
        stranger.restore_login(stranger_id, device, token)
        room = await stranger.room_create(is_direct=True, invite=[bot_id])
        deadline = time.monotonic() + 20
        while "refused" not in bot.output():
            assert time.monotonic() < deadline, bot.output()
            await asyncio.sleep(0.2)
        members = await stranger.joined_members(room.room_id)  # type: ignore[union-attr]
        assert bot_id not in [m.user_id for m in members.members]  # type: ignore[union-attr]
        await stranger.close()
        friend = await signed_in(synapse, allowed, tmp_path / "friend")
        await friend.dm(bot_id, encrypted=False)
        await friend.close()
    finally:
        assert await bot.stop() == 0


async def test_telegram_and_matrix_run_side_by_side_in_one_serve(
    synapse: Synapse, matrix_user: MakeUser, database_url: str, tmp_path: Path
):
    from tests.bot.telegram.conftest import Person, bot_env
    from tests.fakes.bot_api import FakeBotAPI

    bot_id, password, _, _ = await matrix_user("daks")
    async with FakeBotAPI(limits=False) as api:
        env = {
            **bot_env(api, database_url, tmp_path),
            **matrix_env(synapse, bot_id, database_url, tmp_path, MATRIX_PASSWORD=password),
        }
        bot = MatrixBot(env, tmp_path / "bot.log")
        await bot.start()
        try:
            assert "Telegram channel running as @daks_test_bot" in bot.output()
            tom = Person(api, api.user(3001, "Tom", "de"))
            await tom.says("/start", "Guten Tag")
            tina = await signed_in(synapse, await matrix_user("tina"), tmp_path / "tina")
            room = await tina.dm(bot_id, encrypted=True)
            await tina.says(room, "Musterstadt", "Was für eine Kommune ist Musterstadt?")
            await tom.says("Beispielstadt", "Was für eine Kommune ist Beispielstadt?")
            await tina.close()
        finally:
            assert await bot.stop() == 0
    assert "Telegram channel stopped" in bot.output() and "Matrix channel stopped" in bot.output()
    assert "Traceback" not in bot.output()


def serve_fails(env: dict[str, str]) -> tuple[int, str]:
    """`daks serve` that is expected to give up at start: its exit code and what it wrote."""
    result = subprocess.run(
        [sys.executable, "-m", "bot", "serve"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )
    assert "Traceback" not in result.stderr and "Unclosed" not in result.stderr, result.stderr
    assert 1 <= len(result.stderr.strip().splitlines()) <= 2, result.stderr
    return result.returncode, result.stderr


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize("where", ["127.0.0.1:{port}", "matrix.invalid"])
def test_an_unreachable_homeserver_at_start_exits_3_in_one_line(database_url: str, tmp_path: Path, where: str):
    homeserver = f"http://{where.format(port=free_port())}"
    env = {
        **os.environ,
        "MATRIX_HOMESERVER": homeserver,
        "MATRIX_USER_ID": "@daks:example.org",
        "MATRIX_PASSWORD": "pw-never-shown",
        "DAKS_DATABASE_URL": database_url,
        "DAKS_DATA_DIR": str(tmp_path),
        "DAKS_LOG_LEVEL": "WARNING",
    }
    code, err = serve_fails(env)
    assert code == 3 and homeserver in err and "MATRIX_HOMESERVER" in err, err
    assert "pw-never-shown" not in err


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_a_wrong_password_or_an_unusable_store_folder_is_a_configuration_error(
    synapse: Synapse, matrix_user: MakeUser, database_url: str, tmp_path: Path
):
    bot_id, password, _, _ = await matrix_user("daks")
    env = matrix_env(
        synapse, bot_id, database_url, tmp_path, MATRIX_PASSWORD="wrong-" + password, DAKS_LOG_LEVEL="WARNING"
    )
    code, err = await asyncio.to_thread(serve_fails, env)
    assert code == 2 and "refused the login" in err and bot_id in err and "MATRIX_PASSWORD" in err, err
    assert password not in err
    in_the_way = tmp_path / "a-file"
    in_the_way.write_text("not a folder")
    env = matrix_env(
        synapse,
        bot_id,
        database_url,
        tmp_path,
        MATRIX_PASSWORD=password,
        DAKS_LOG_LEVEL="WARNING",
        MATRIX_STORE_DIR=str(in_the_way / "matrix"),
    )
    code, err = await asyncio.to_thread(serve_fails, env)
    assert code == 2 and "MATRIX_STORE_DIR" in err and str(in_the_way) in err, err
