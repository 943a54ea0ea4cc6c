"""The app shell: one transaction per message, committed before the reply; duplicates and outages."""

from __future__ import annotations

import asyncio
import sqlite3

import pytest

from bot.app import companion as companion_module
from bot.app.companion import Companion
from flows.messages import Inbound
from storage.store import Store


async def say(companion: Companion, text: str, user: str = "anna", message_id: str | None = None) -> str:
    response = await companion.handle("test", user, Inbound(text=text, message_id=message_id))
    return "\n".join(r.text() for r in response.replies)


async def onboard(companion: Companion, user: str = "anna") -> None:
    await companion.handle("test", user, Inbound(event="start"))
    for line in ("Musterstadt", "2", "13", "3", "2, 5, 9"):
        await say(companion, line, user)


async def answers_seen_by_another_process(url: str, user: str = "anna") -> dict:
    other = await Store.open(url)
    try:
        _, saved = await other.run(lambda unit: unit.open_conversation("test", user, "de"))
        return saved.answers
    finally:
        await other.close()


async def test_every_acknowledged_answer_is_committed_before_the_reply(companion, database_url):
    await onboard(companion)
    reply = await say(companion, "Bürgermeisterin Beispiel")
    assert "Wer koordiniert den Prozess" in reply
    answers = await answers_seen_by_another_process(database_url)
    assert answers["ko_sponsor"] == "Bürgermeisterin Beispiel"
    assert answers["ob_fields"] == ["daseinsvorsorge", "labour", "participation"]


async def test_a_redelivered_message_is_ignored(companion, database_url):
    await onboard(companion)
    await say(companion, "Bürgermeisterin"), await say(companion, "Hauptamt")
    first = await say(companion, "Sozialamt", message_id="upd-1")
    again = await say(companion, "Sozialamt", message_id="upd-1")
    assert "Notiert (1)" in first and again == ""
    await say(companion, "Planungsamt", message_id="upd-2")
    assert (await answers_seen_by_another_process(database_url))["ko_steering"] == ["Sozialamt", "Planungsamt"]


async def test_the_municipality_profile_and_my_data(companion, store):
    await onboard(companion)
    reply = await say(companion, "/meinedaten")
    assert "Ihre gespeicherten Daten" in reply and "test: anna" in reply
    assert "Kommune: Musterstadt" in reply and "Land: Sachsen" in reply and "Größe: 20.000 bis 100.000" in reply
    data = await store.run(lambda unit: unit.stored(unit.open_conversation("test", "anna", "de")[0].user_id))
    assert data["municipality"] == {
        "name": "Musterstadt",
        "kind": "stadt",
        "land": "sn",
        "size": "m",
        "fields": ["daseinsvorsorge", "labour", "participation"],
    }
    assert data["answers"] >= 7 and data["audit_entries"] >= 5


async def test_messages_of_one_user_are_handled_in_order(companion, database_url):
    await onboard(companion)
    await say(companion, "Bürgermeisterin"), await say(companion, "Hauptamt")
    bullets = [f"Punkt {i}" for i in range(12)]
    await asyncio.gather(*(say(companion, b) for b in bullets))
    assert (await answers_seen_by_another_process(database_url))["ko_steering"] == bullets


async def test_users_do_not_see_each_other(companion, database_url):
    await onboard(companion, "anna")
    await onboard(companion, "ben")
    await say(companion, "Anna-Antwort", "anna")
    assert "ko_sponsor" not in await answers_seen_by_another_process(database_url, "ben")


async def test_an_unexpected_error_gets_an_apology_and_changes_nothing(companion, database_url, monkeypatch):
    await onboard(companion)

    def broken(*args, **kwargs):
        raise RuntimeError("bug")

    monkeypatch.setattr(companion.engine, "handle", broken)
    reply = await say(companion, "Bürgermeisterin")
    assert "etwas schiefgegangen" in reply
    monkeypatch.undo()
    assert "ko_sponsor" not in await answers_seen_by_another_process(database_url)
    assert "Wer koordiniert" in await say(companion, "Bürgermeisterin")


async def test_a_briefly_locked_sqlite_database_gets_a_friendly_message_and_loses_nothing(
    content, tmp_path, monkeypatch
):
    url = f"sqlite:///{tmp_path / 'daks.db'}"
    store = await Store.open(url, busy_timeout=0.1)
    monkeypatch.setattr(companion_module, "RETRIES", (0.05, 0.05))
    companion = Companion(content, store)
    try:
        await onboard(companion)
        blocker = sqlite3.connect(tmp_path / "daks.db", isolation_level=None)
        blocker.execute("BEGIN EXCLUSIVE")
        reply = await say(companion, "Bürgermeisterin")
        assert "gerade nichts speichern" in reply
        blocker.execute("ROLLBACK")
        blocker.close()
        assert "Wer koordiniert" in await say(companion, "Bürgermeisterin")
        assert (await answers_seen_by_another_process(url))["ko_sponsor"] == "Bürgermeisterin"
    finally:
        await store.close()


@pytest.mark.postgres
async def test_postgres_connections_killed_under_us_are_replaced(content, postgres_url):
    import asyncpg

    from tests.conftest import POSTGRES_ADMIN_URL

    database_url = postgres_url
    store = await Store.open(database_url)
    companion = Companion(content, store)
    try:
        await onboard(companion)
        admin = await asyncpg.connect(POSTGRES_ADMIN_URL)
        name = database_url.rsplit("/", 1)[1]
        killed = await admin.fetchval(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = $1 AND pid <> pg_backend_pid()",
            name,
        )
        await admin.close()
        assert killed >= 1
        assert "Wer koordiniert" in await say(companion, "Bürgermeisterin")
        assert (await answers_seen_by_another_process(database_url))["ko_sponsor"] == "Bürgermeisterin"
    finally:
        await store.close()
