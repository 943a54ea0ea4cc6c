"""Two members of one workspace, each in a `daks chat` process of their own on one PostgreSQL database,
add points to the same lists at the same moment: every point is stored, or its writer was told it was not.

Lea (coordinator) and Tom (editor) both stand at the steering-group list and type as fast as their
acknowledgements come back. Each "Notiert (n)" names the point's place in the shared list; afterwards
the lists hold exactly the acknowledged points at those places, each with its writer as its author.
A list holds at most 50 points, so the 200 points go into five lists, 20 from each member per list.
"""

from __future__ import annotations

import asyncio
import os
import re
from pathlib import Path

from storage.store import Store, Unit
from tests.bot.app.test_concurrent_writers import _STEERING, LISTS, PER_LIST, ChatProcess, many_lists_content

_ACK = re.compile(r"Notiert \((\d+)\)\. [^\n]*\n\n")
_REFUSED = "Ich kann gerade nichts speichern und habe Ihre letzte Nachricht deshalb nicht übernommen"
_ANSWER = re.compile(rf"{_ACK.pattern}|{re.escape(_REFUSED)}")
ONBOARDING = [
    ("Musterstadt", "Was für eine Kommune"),
    ("2", "In welchem Land"),
    ("13", "Wie viele Menschen"),
    ("3", "Welche Handlungsfelder"),
    ("2, 5, 9", "Kick-Off · Frage 1"),
    ("Bürgermeisterin", "Wer koordiniert"),
    ("Hauptamt", _STEERING),
]


async def at_the_steering_list(user: str, db: str, env: dict[str, str]) -> ChatProcess:
    chat = await ChatProcess.start(user, db, env)
    await chat.expect("Für welche Kommune arbeiten Sie?")
    for line, expect in ONBOARDING:
        await chat.says(line, expect)
    return chat


async def types(chat: ChatProcess, points: list[str], acked: dict[str, int], refused: list[str]) -> None:
    """One member typing points, each as soon as the one before was answered."""
    for point in points:
        answer = await chat.says(point, _ANSWER)
        if answer.group(1) is None:
            refused.append(point)
        else:
            acked[point] = int(answer.group(1))


async def test_two_members_in_two_processes_append_to_one_list_and_lose_nothing(
    postgres_url: str, tmp_path: Path
) -> None:
    env = {
        **os.environ,
        "DAKS_CONTENT_DIR": str(many_lists_content(tmp_path / "content")),
        "DAKS_DATA_DIR": str(tmp_path),
        "PYTHONUTF8": "1",
    }
    lea = await at_the_steering_list("lea", postgres_url, env)
    tom = await at_the_steering_list("tom", postgres_url, env)

    def tom_joins_lea(unit: Unit) -> tuple[int, int, int]:
        lea_account, lea_saved = unit.open_conversation("console", "lea", "de")
        tom_account, _ = unit.open_conversation("console", "tom", "de")
        assert lea_saved.shared is not None
        unit.join(tom_account.user_id, lea_saved.shared.workspace_id, "editor", "Tom")
        return lea_saved.shared.workspace_id, lea_account.user_id, tom_account.user_id

    store = await Store.open(postgres_url)
    try:
        workspace, lea_id, tom_id = await store.run(tom_joins_lea)
    finally:
        await store.close()

    acks: list[dict[str, int]] = []
    refused: list[str] = []
    for n in range(LISTS):
        by_lea = [f"Lea {n}-{i:02d}" for i in range(PER_LIST // 2)]
        by_tom = [f"Tom {n}-{i:02d}" for i in range(PER_LIST // 2)]
        acked: dict[str, int] = {}
        await asyncio.gather(types(lea, by_lea, acked, refused), types(tom, by_tom, acked, refused))
        acks.append(acked)
        following = _STEERING if n < LISTS - 1 else "Wen laden Sie"
        for chat in (lea, tom):
            await chat.says("fertig", following)
    for chat in (lea, tom):
        assert "Traceback" not in await chat.close()

    store = await Store.open(postgres_url)
    try:
        _, saved = await store.run(lambda unit: unit.open_conversation("console", "tom", "de"))
    finally:
        await store.close()
    assert saved.shared is not None and saved.shared.workspace_id == workspace
    assert sum(len(a) for a in acks) + len(refused) == LISTS * PER_LIST
    for n, acked in enumerate(acks):
        step = f"ko_steering_{n}" if n else "ko_steering"
        stored = saved.answers[step]
        assert sorted(acked.values()) == list(range(1, len(acked) + 1)), f"list {n}: places {acked}"
        assert stored == sorted(acked, key=acked.__getitem__), f"list {n}"
        authors = saved.shared.written[step].authors
        assert authors == tuple(lea_id if point.startswith("Lea") else tom_id for point in stored), f"list {n}"
    writers = [[p.split()[0] for p in saved.answers[f"ko_steering_{n}" if n else "ko_steering"]] for n in range(LISTS)]
    assert any(w != sorted(w) and w != sorted(w, reverse=True) for w in writers), "the members never wrote at once"
    assert not set(refused) & {p for points in saved.answers.values() if isinstance(points, list) for p in points}
    print(f"{LISTS * PER_LIST} points typed at once by two members: {len(refused)} refused with a notice")
