"""End-to-end benchmark through the Matrix channel: the real `daks serve` process on a local Synapse.

20 staff members (matrix-nio clients) each open a direct chat with the bot and type the answers of
the five stages at once. Prints messages per second, p50/p99 from a message to the bot's reply, and
how the CPU time splits between Synapse, the bot and the simulated clients.
Usage: python -m benchmarks.matrix [--users 20] [--encrypted]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from nio import AsyncClient, AsyncClientConfig

from tests.bot.console.test_channel import FIVE_STAGES
from tests.bot.matrix.test_channel import Member
from tests.servers.synapse import Synapse

ROOT = Path(__file__).resolve().parent.parent


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of a process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def walk(person: Member, room: str, latencies: list[float]) -> int:
    for line, expect in FIVE_STAGES:
        started = time.perf_counter()
        await person.says(room, line, expect)
        latencies.append(time.perf_counter() - started)
    return len(FIVE_STAGES)


async def main(users: int, encrypted: bool) -> int:
    with tempfile.TemporaryDirectory(prefix="daks-matrix-bench-") as tmp:
        synapse = Synapse(Path(tmp) / "synapse")
        await synapse.start()
        bot_id, password = "", "bench-password-1"
        try:
            admin_id, admin_token, _ = await synapse.register("bench-admin", "admin-password-1", admin=True)
            bot_id, _, _ = await synapse.register("daks", password)
            await synapse.override_ratelimit(admin_token, bot_id)
            env = {
                **os.environ,
                "MATRIX_HOMESERVER": synapse.url,
                "MATRIX_USER_ID": bot_id,
                "MATRIX_PASSWORD": password,
                "MATRIX_STORE_DIR": f"{tmp}/matrix",
                "MATRIX_SEND_RATE": "0",
                "DAKS_DATABASE_URL": f"sqlite:///{tmp}/bench.db",
                "DAKS_DATA_DIR": tmp,
                "DAKS_LOG_LEVEL": "WARNING",
            }
            log = open(f"{tmp}/bot.log", "wb")  # noqa: SIM115
            bot = subprocess.Popen(
                [sys.executable, "-m", "bot", "serve"], env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT
            )
            while "Matrix channel running" not in Path(f"{tmp}/bot.log").read_text():
                if bot.poll() is not None:
                    raise SystemExit(Path(f"{tmp}/bot.log").read_text())
                await asyncio.sleep(0.1)
            people: list[Member] = []
            for i in range(users):
                user_id, token, device = await synapse.register(f"staff{i}", f"password-{i}-x")
                store = Path(tmp) / f"client{i}"
                store.mkdir()
                client = AsyncClient(
                    synapse.url, user_id, store_path=str(store), config=AsyncClientConfig(encryption_enabled=True)
                )
                client.restore_login(user_id, device, token)
                person = Member(client, poll_ms=30_000)
                await person.open()
                people.append(person)
            rooms = await asyncio.gather(*(p.dm(bot_id, encrypted) for p in people))
            assert synapse.process is not None
            before = {
                "synapse": cpu_seconds(synapse.process.pid),
                "bot": cpu_seconds(bot.pid),
                "clients": time.process_time(),
            }
            latencies: list[float] = []
            started = time.perf_counter()
            counts = await asyncio.gather(*(walk(p, r, latencies) for p, r in zip(people, rooms, strict=True)))
            seconds = time.perf_counter() - started
            spent = {
                "synapse": cpu_seconds(synapse.process.pid) - before["synapse"],
                "bot": cpu_seconds(bot.pid) - before["bot"],
                "clients": time.process_time() - before["clients"],
            }
            for person in people:
                await person.close()
            bot.terminate()
            bot.wait(60)
            log.close()
        finally:
            await synapse.stop()
    q = statistics.quantiles(latencies, n=100)
    total = sum(spent.values())
    room_kind = "encrypted" if encrypted else "unencrypted"
    print(
        f"Matrix, {users} users, {room_kind} direct chats: {sum(counts) / seconds:,.0f} messages/s   "
        f"p50 {q[49] * 1000:.0f} ms   p99 {q[98] * 1000:.0f} ms   ({sum(counts):,} messages in {seconds:.1f} s)"
    )
    print(
        "CPU time: "
        + ", ".join(f"{name} {value:.1f} s ({value / total:.0%})" for name, value in spent.items())
        + f"; bot CPU per message {spent['bot'] / sum(counts) * 1000:.1f} ms, "
        f"Synapse {spent['synapse'] / sum(counts) * 1000:.1f} ms"
    )
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--encrypted", action="store_true")
    args = parser.parse_args()
    raise SystemExit(asyncio.run(main(args.users, args.encrypted)))
