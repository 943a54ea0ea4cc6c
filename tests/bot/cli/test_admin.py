"""`daks admin ...` on the command line: events and newsletters from files, broadcast status and cancelling."""

from __future__ import annotations

import asyncio
import getpass
import shutil
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from typer.testing import CliRunner

from bot.cli.admin import admin_app
from bot.cli.main import app
from storage.models import AdminLog, Broadcast, Event
from storage.store import Store
from tests.bot.talk import aware, rows
from tests.conftest import ROOT

if not any(group.name == "admin" for group in app.registered_groups):
    app.add_typer(admin_app, name="admin")  # as bot.cli.main.main() does

BERLIN = ZoneInfo("Europe/Berlin")
EVENT = ROOT / "tests" / "fixtures" / "event.yaml"
NEWSLETTER = ROOT / "content" / "newsletters" / "2026-12-beispiel.md"
ACTOR = f"cli:{getpass.getuser()}"


def daks(db: str, *args: str):  # type: ignore[no-untyped-def]
    result = CliRunner().invoke(app, [*args, "--db", db])
    assert "Traceback" not in result.output, result.output
    return result


def table(db: str, model) -> list[dict]:  # type: ignore[no-untyped-def]
    async def read() -> list[dict]:
        store = await Store.open(db)
        try:
            return await rows(store, model)
        finally:
            await store.close()

    return asyncio.run(read())


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'daks.db'}"


def test_an_event_file_is_published_with_its_announcement_and_reminder(database_url: str):
    result = daks(database_url, "admin", "event", "add", str(EVENT))

    assert result.exit_code == 0, result.output
    (event,) = table(database_url, Event)
    assert f"event #{event['id']} published" in result.stdout
    assert event["status"] == "published" and event["kind"] == "online_seminar"
    assert event["title"]["de"].startswith("Testveranstaltung")
    assert aware(event["starts_at"]) == datetime(2030, 12, 24, 10, 0, tzinfo=BERLIN)
    assert aware(event["ends_at"]) == datetime(2030, 12, 24, 11, 30, tzinfo=BERLIN)
    announcement, reminder = table(database_url, Broadcast)
    assert (announcement["kind"], announcement["event_id"], announcement["status"]) == (
        "event",
        event["id"],
        "scheduled",
    )
    assert set(announcement["topics"]) == {"strategy", "online_seminar"}
    assert (reminder["kind"], reminder["event_id"]) == ("reminder", event["id"])
    assert aware(reminder["due_at"]) == datetime(2030, 12, 23, 10, 0, tzinfo=BERLIN)
    assert [(r["actor"], r["action"], r["target"]) for r in table(database_url, AdminLog)] == [
        (ACTOR, "publish_event", f"event:{event['id']}")
    ]


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ("kind: online_seminar", "kind: webinar", "kind"),
        (
            'registration_url: "https://www.example.org/test-anmeldung"',
            'registration_url: "bei Frau Test"',
            "registration_url",
        ),
        ('ends: "24.12.2030 11:30"', 'ends: "24.12.2030 09:30"', "ends"),
        ("topics: [strategy]", "topics: [wohnen]", "topics"),
        ('starts: "24.12.2030 10:00"\n', "", "starts"),
        ('online_url: "https://www.example.org/test-seminar"\n', "", "online_url"),
    ],
)
def test_an_invalid_event_file_is_refused_naming_the_field(
    sqlite_url: str, tmp_path: Path, old: str, new: str, field: str
):
    broken = tmp_path / "event.yaml"
    text = EVENT.read_text(encoding="utf-8")
    assert old in text
    broken.write_text(text.replace(old, new), encoding="utf-8")

    result = daks(sqlite_url, "admin", "event", "add", str(broken))

    assert result.exit_code == 2, result.output
    assert "is not a valid event" in result.stderr
    problems = [line.strip()[2:] for line in result.stderr.splitlines() if line.strip().startswith("- ")]
    assert any(problem.partition(":")[0].endswith(field) for problem in problems), result.stderr
    assert table(sqlite_url, Event) == [] and table(sqlite_url, Broadcast) == []


def test_a_missing_event_file_is_refused(sqlite_url: str, tmp_path: Path):
    result = daks(sqlite_url, "admin", "event", "add", str(tmp_path / "nowhere.yaml"))
    assert result.exit_code == 2 and "nowhere.yaml" in result.stderr


def test_a_newsletter_is_scheduled_shown_and_cancelled_once(database_url: str):
    result = daks(
        database_url, "admin", "newsletter", "send", str(NEWSLETTER), "--at", "24.12.2030 09:00", "--topics", "housing"
    )

    assert result.exit_code == 0, result.output
    (letter,) = table(database_url, Broadcast)
    number = letter["id"]
    assert f"newsletter #{number} queued for 2030-12-24T09:00:00+01:00" in result.stdout
    assert (letter["kind"], letter["status"], letter["topics"]) == ("newsletter", "scheduled", ["housing"])
    assert aware(letter["due_at"]) == datetime(2030, 12, 24, 9, 0, tzinfo=BERLIN)
    assert letter["title"]["de"].startswith("Beispielausgabe")
    assert set(letter["body"]) == {"de", "fr", "en"}

    status = daks(database_url, "admin", "broadcast", "status")
    assert status.exit_code == 0, status.output
    (line,) = [x for x in status.stdout.splitlines() if x.startswith(f"#{number} ")]
    assert "newsletter" in line and "scheduled" in line and "2030-12-24 09:00" in line
    assert daks(database_url, "admin", "broadcast", "status", str(number)).stdout.startswith(f"#{number} ")

    cancelled = daks(database_url, "admin", "broadcast", "cancel", str(number))
    assert cancelled.exit_code == 0 and f"#{number} cancelled" in cancelled.stdout
    assert table(database_url, Broadcast)[0]["status"] == "cancelled"
    assert "cancelled" in daks(database_url, "admin", "broadcast", "status", str(number)).stdout

    again = daks(database_url, "admin", "broadcast", "cancel", str(number))
    assert again.exit_code == 2 and f"#{number}" in again.stderr
    assert [(r["action"], r["target"], r["detail"]) for r in table(database_url, AdminLog)] == [
        ("queue_newsletter", f"broadcast:{number}", {"due": "2030-12-24T09:00:00+01:00"}),
        ("cancel_broadcast", f"broadcast:{number}", {"cancelled": True}),
        ("cancel_broadcast", f"broadcast:{number}", {"cancelled": False}),
    ]
    log = daks(database_url, "admin", "log", "--limit", "2")
    assert log.exit_code == 0, log.output
    assert [line.split()[2:] for line in log.stdout.splitlines()] == [
        ["cancel_broadcast", f"broadcast:{number}"],
        ["cancel_broadcast", f"broadcast:{number}"],
    ]
    assert len(daks(database_url, "admin", "log").stdout.splitlines()) == 3


def test_a_newsletter_with_an_unknown_topic_or_a_bad_time_is_refused(sqlite_url: str):
    wrong_topic = daks(sqlite_url, "admin", "newsletter", "send", str(NEWSLETTER), "--topics", "wohnen")
    assert wrong_topic.exit_code == 2 and "wohnen" in wrong_topic.stderr and "housing" in wrong_topic.stderr
    wrong_time = daks(sqlite_url, "admin", "newsletter", "send", str(NEWSLETTER), "--at", "irgendwann")
    assert wrong_time.exit_code == 2 and "irgendwann" in wrong_time.stderr
    past = daks(sqlite_url, "admin", "newsletter", "send", str(NEWSLETTER), "--at", "24.12.2020 09:00")
    assert past.exit_code == 2 and "24.12.2020 09:00" in past.stderr and "past" in past.stderr
    assert table(sqlite_url, Broadcast) == []


def test_an_invalid_newsletter_names_the_field(sqlite_url: str, tmp_path: Path):
    broken = tmp_path / "issue.md"
    shutil.copy(NEWSLETTER, broken)
    broken.write_text(
        broken.read_text(encoding="utf-8").replace("topics: [strategy]", "topics: [wohnen]"), encoding="utf-8"
    )
    result = daks(sqlite_url, "admin", "newsletter", "send", str(broken))
    assert result.exit_code == 2 and "topics: unknown topic(s) ['wohnen']" in result.stderr


def test_status_of_an_unknown_broadcast(sqlite_url: str):
    assert daks(sqlite_url, "admin", "broadcast", "status").stdout.strip() == "no broadcasts"
    missing = daks(sqlite_url, "admin", "broadcast", "status", "42")
    assert missing.exit_code == 1 and "no broadcasts" in missing.stdout


@pytest.mark.parametrize(
    ("kind", "file", "titles"),
    [
        ("event", EVENT, ("Testveranstaltung", "Événement test", "Test event")),
        ("newsletter", NEWSLETTER, ("Beispielausgabe", "Numéro d'exemple", "Example issue")),
    ],
)
def test_a_preview_shows_every_language_and_stores_nothing(
    sqlite_url: str, kind: str, file: Path, titles: tuple[str, ...]
):
    result = daks(sqlite_url, "admin", kind, "preview", str(file))
    assert result.exit_code == 0, result.output
    at = [result.stdout.index(title) for title in titles]
    assert at == sorted(at)  # de, fr, en
    assert table(sqlite_url, Event) == [] and table(sqlite_url, Broadcast) == []
    assert table(sqlite_url, AdminLog) == []
