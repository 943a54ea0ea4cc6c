"""Admin work in chat: refusals for everyone else, an event and a newsletter step by step, editors, RSVPs.

The admin is configured (``telegram:4242``); editors are granted in chat. Runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.app.companion import Companion
from flows.messages import Inbound
from storage.models import AdminLog, Broadcast, Event, Role, Rsvp, utcnow
from tests.bot.talk import Person, aware, rows, user_id

BERLIN = ZoneInfo("Europe/Berlin")
ADMIN_ONLY = ("_event", "_broadcasts", "_editors", "_publish", "_send", "_schedule")
"""Choice ids only admin menus and forms offer (the user menu has its own _newsletter and _events)."""


@pytest.fixture
def companion(content, store) -> Companion:
    return Companion(content, store, admins=frozenset({"telegram:4242"}))


@pytest.fixture
def admin(companion) -> Person:
    return Person(companion, "4242")


async def admin_tables(store) -> dict[str, list[dict]]:
    return {table.__name__: await rows(store, table) for table in (Event, Broadcast, Role, AdminLog)}


async def log_actions(store, views: bool = False) -> list[tuple[str, str, str | None]]:
    """The admin log as (actor, action, target); looking at lists (``view_...``) only with ``views``."""
    return [
        (r["actor"], r["action"], r["target"])
        for r in await rows(store, AdminLog)
        if views or not r["action"].startswith("view_")
    ]


def previews(person: Person, content) -> list[str]:
    """The preview messages of the latest reply, checked to be headed "Preview" in de, fr and en, in order."""
    shown = [r.text() for r in person.replies if not r.choices]
    heads = [
        content.catalogues.translator(lang)("Preview · {language}", language="@").split("@")[0]
        for lang in ("de", "fr", "en")
    ]
    found = [text for text in shown if text.startswith(tuple(heads))]
    assert [next(h for h in heads if text.startswith(h)) for text in found] == heads, shown
    return found


async def creates_the_test_event(admin: Person) -> None:
    """The whole event form, answered by typing, as in the console."""
    await admin.says("/admin event")
    assert admin.offered[:4] == ["online_seminar", "regional_meeting", "conference", "publication"]
    for answer in (
        "1",  # kind: online seminar
        "Testseminar: Der Begleiter im Einsatz",  # title (de)
        "Überspringen",
        "Überspringen",  # title fr, en
        "Testdaten: Wir zeigen, wie der Begleiter durch die fünf Phasen führt.",  # description (de)
        "Überspringen",
        "Überspringen",  # description fr, en
        "24.12.2030 10:00",  # start
        "11:30",  # end, same day
        "Überspringen",  # place: online only
        "https://www.example.org/testseminar",  # online link
        "3, 7",  # topics: housing, health
        "Überspringen",
        "Überspringen",
        "Überspringen",  # audience de, fr, en: everyone
    ):
        asked = admin.question.turn if admin.question else None
        await admin.says(answer)
        assert admin.question is not None and admin.question.expects == "form", (answer, admin.text)
        assert admin.question.turn == (asked or 0) + 1, f"{answer!r} was not taken: {admin.text}"
    await admin.says("https://www.example.org/anmeldung")  # registration link: the last question


# -- everyone else --------------------------------------------------------------------------------------------

NON_ADMIN_COMMANDS = (
    "/admin",
    "/admin event",
    "/admin newsletter",
    "/admin events",
    "/admin status",
    "/admin status 1",
    "/admin cancel 1",
    "/admin editors",
    "/admin editor add telegram:777",
    "/admin editor remove telegram:777",
    "/admin editor add matrix:@mallory:example.org",
    "/admin whatever",
)


async def test_every_admin_command_is_politely_refused_and_does_nothing(companion, store, content):
    mallory = Person(companion, "666")
    await mallory.says("/start")
    refusal = content.catalogues.translator("de")(
        "Sorry, this command is for the administrators and editors of this service."
    )

    for command in NON_ADMIN_COMMANDS:
        reply = await mallory.says(command)
        assert reply == refusal, command
        assert not set(mallory.all_choice_ids) & set(ADMIN_ONLY), command
    reply = await mallory.taps("admin cancel 1")  # the button under a broadcast's progress message
    assert reply == refusal

    await mallory.says("/menue")
    assert "_newsletter" in mallory.offered and "_admin" not in mallory.offered
    assert mallory.question is not None
    await mallory._send(Inbound(choice="_admin", turn=mallory.question.turn))  # forged: she was not offered it
    assert "_progress" in mallory.offered  # still the user menu
    assert not set(mallory.all_choice_ids) & set(ADMIN_ONLY)

    assert await admin_tables(store) == {"Event": [], "Broadcast": [], "Role": [], "AdminLog": []}


# -- events ---------------------------------------------------------------------------------------------------


async def test_an_admin_creates_an_event_step_by_step_and_publishes_it(admin, store, content):
    await admin.says("/start")
    await admin.says("/admin")
    assert {"_event", "_newsletter", "_broadcasts", "_events", "_editors"} <= set(admin.offered)

    await creates_the_test_event(admin)

    de, fr, en = previews(admin, content)
    for preview, kind in ((de, "Online-Seminare"), (fr, "Séminaires en ligne"), (en, "Online seminars")):
        assert kind in preview and "Testseminar: Der Begleiter im Einsatz" in preview
        assert "https://www.example.org/anmeldung" in preview
    assert "24. Dezember 2030" in de and "24 décembre 2030" in fr and "24 December 2030" in en
    assert admin.offered == ["_publish", "_cancel"]
    assert await admin_tables(store) == {"Event": [], "Broadcast": [], "Role": [], "AdminLog": []}

    before = utcnow()
    await admin.presses("_publish")
    after = utcnow()

    (event,) = await rows(store, Event)
    assert event["status"] == "published" and event["kind"] == "online_seminar"
    assert event["title"] == {"de": "Testseminar: Der Begleiter im Einsatz"}
    assert aware(event["starts_at"]) == datetime(2030, 12, 24, 10, 0, tzinfo=BERLIN)
    assert aware(event["ends_at"]) == datetime(2030, 12, 24, 11, 30, tzinfo=BERLIN)
    assert event["timezone"] == "Europe/Berlin" and event["place"] is None
    assert event["online_url"] == "https://www.example.org/testseminar"
    assert event["registration_url"] == "https://www.example.org/anmeldung"
    assert event["topics"] == ["housing", "health"] and event["created_by"] == "telegram:4242"

    announcement, reminder = await rows(store, Broadcast)
    assert (announcement["kind"], announcement["status"], announcement["event_id"]) == (
        "event",
        "scheduled",
        event["id"],
    )
    assert before - timedelta(seconds=1) <= aware(announcement["due_at"]) <= after + timedelta(seconds=1)
    assert set(announcement["topics"]) == {"housing", "health", "online_seminar"}
    assert (reminder["kind"], reminder["status"], reminder["event_id"]) == ("reminder", "scheduled", event["id"])
    assert aware(reminder["due_at"]) == datetime(2030, 12, 23, 10, 0, tzinfo=BERLIN)
    assert await log_actions(store) == [("telegram:4242", "publish_event", f"event:{event['id']}")]

    # the sender (asking in UTC, as it does) takes the announcement now, the reminder at 10:00 Berlin time
    reminder_time = datetime(2030, 12, 23, 10, 0, tzinfo=BERLIN).astimezone(UTC)
    assert await store.run(lambda unit: unit.due(after)) == [announcement["id"]]
    assert await store.run(lambda unit: unit.due(reminder_time - timedelta(minutes=1))) == [announcement["id"]]
    assert await store.run(lambda unit: unit.due(reminder_time)) == [announcement["id"], reminder["id"]]


async def test_a_discarded_event_leaves_nothing(admin, store):
    await admin.says("/start")
    await creates_the_test_event(admin)
    await admin.presses("_cancel")
    assert await admin_tables(store) == {"Event": [], "Broadcast": [], "Role": [], "AdminLog": []}


# -- editors --------------------------------------------------------------------------------------------------


async def test_an_admin_grants_and_revokes_the_editor_role(companion, admin, store, content):
    editor = Person(companion, "777")
    await editor.says("/start")
    refusal = content.catalogues.translator("de")(
        "Sorry, this command is for the administrators and editors of this service."
    )
    assert await editor.says("/admin") == refusal

    await admin.says("/admin editor add telegram:777")

    (role,) = await rows(store, Role)
    assert (role["channel"], role["ref"], role["role"], role["granted_by"]) == (
        "telegram",
        "777",
        "editor",
        "telegram:4242",
    )
    assert await log_actions(store) == [("telegram:4242", "grant_editor", "telegram:777")]

    await editor.says("/admin")
    assert {"_event", "_newsletter", "_broadcasts", "_events"} <= set(editor.offered)
    assert "_editors" not in editor.offered
    await editor.presses("_close")
    for attempt in ("/admin editors", "/admin editor add telegram:888", "/admin editor remove telegram:777"):
        await editor.says(attempt)
    assert len(await rows(store, Role)) == 1
    assert await log_actions(store, views=True) == [("telegram:4242", "grant_editor", "telegram:777")]

    await admin.says("/admin editors")
    assert "telegram:777" in admin.text
    assert ("telegram:4242", "view_editors", None) in await log_actions(store, views=True)

    await admin.says("/admin editor remove telegram:777")

    assert await rows(store, Role) == []
    assert await log_actions(store) == [
        ("telegram:4242", "grant_editor", "telegram:777"),
        ("telegram:4242", "revoke_editor", "telegram:777"),
    ]
    assert await editor.says("/admin") == refusal
    assert await editor.says("/admin event") == refusal


async def test_an_editor_can_publish_an_event(companion, admin, store):
    await admin.says("/admin editor add telegram:777")
    editor = Person(companion, "777")
    await editor.says("/start")
    await creates_the_test_event(editor)
    await editor.presses("_publish")
    (event,) = await rows(store, Event)
    assert event["created_by"] == "telegram:777"
    assert ("telegram:777", "publish_event", f"event:{event['id']}") in await log_actions(store)


# -- newsletters ----------------------------------------------------------------------------------------------


async def test_a_newsletter_is_scheduled_listed_and_cancelled(companion, admin, store, content):
    await admin.says("/start")
    await admin.says("/admin newsletter")
    for answer in (
        "Testausgabe: Neues aus dem Begleiter",
        "Überspringen",
        "Überspringen",
        "Nur **Testdaten**: diese Ausgabe geht an niemanden.",
        "Überspringen",
        "Überspringen",
    ):
        await admin.says(answer)
    await admin.presses("housing")
    await admin.presses("_done")
    await admin.presses("_skip")  # every language
    for preview in previews(admin, content):
        assert "Testausgabe: Neues aus dem Begleiter" in preview
    assert admin.offered == ["_send", "_schedule", "_cancel"]

    await admin.presses("_schedule")
    await admin.says("01.01.2020 09:00")  # in the past: asked again
    assert await rows(store, Broadcast) == []
    await admin.says("24.12.2030 09:00")

    (letter,) = await rows(store, Broadcast)
    assert (letter["kind"], letter["status"], letter["topics"]) == ("newsletter", "scheduled", ["housing"])
    assert letter["title"] == {"de": "Testausgabe: Neues aus dem Begleiter"}
    assert aware(letter["due_at"]) == datetime(2030, 12, 24, 9, 0, tzinfo=BERLIN)
    number = letter["id"]

    await admin.says("/admin status")
    line = next(x for x in admin.text.splitlines() if f"#{number}" in x)
    assert "2030-12-24 09:00" in line  # in Berlin time, as it was typed
    assert ("telegram:4242", "view_broadcasts", None) in await log_actions(store, views=True)
    await admin.says(f"/admin status {number}")
    assert f"admin cancel {number}" in admin.all_choice_ids

    mallory = Person(companion, "666")
    await mallory.says("/start")
    await mallory.taps(f"admin cancel {number}")
    await mallory.says(f"/admin cancel {number}")
    assert (await rows(store, Broadcast))[0]["status"] == "scheduled"

    await admin.says(f"/admin cancel {number}")

    assert (await rows(store, Broadcast))[0]["status"] == "cancelled"
    assert await log_actions(store) == [
        ("telegram:4242", "queue_newsletter", f"broadcast:{number}"),
        ("telegram:4242", "cancel_broadcast", f"broadcast:{number}"),
    ]
    (cancel,) = await rows(store, AdminLog, AdminLog.action == "cancel_broadcast")
    assert cancel["detail"] == {"cancelled": True}

    await admin.says(f"/admin cancel {number}")  # again: nothing to cancel, still logged
    (_, again) = await rows(store, AdminLog, AdminLog.action == "cancel_broadcast")
    assert again["detail"] == {"cancelled": False}


# -- RSVPs ----------------------------------------------------------------------------------------------------


async def test_rsvp_list_and_withdraw(companion, admin, store, content):
    await admin.says("/start")
    await creates_the_test_event(admin)
    await admin.presses("_publish")
    (event,) = await rows(store, Event)
    number = event["id"]
    dora = Person(companion, "2001")
    await dora.says("/start")

    await dora.says(f"/zusage {number}")

    (rsvp,) = await rows(store, Rsvp)
    assert (rsvp["event_id"], rsvp["user_id"]) == (number, await user_id(store, dora))
    listing = await dora.says("/termine")
    line = next(x for x in listing.splitlines() if f"#{number}" in x)
    assert "Testseminar: Der Begleiter im Einsatz" in line and "24.12.2030, 10:00" in line
    assert "/zusage" in listing and f"#{number}: " not in listing  # no counts for her

    await dora.says(f"/zusage {number}")  # twice is still one
    assert len(await rows(store, Rsvp)) == 1

    listing = await admin.says("/termine")
    assert f"#{number}: 1" in listing  # the admin sees the RSVP count

    await dora.says(f"/absage {number}")
    assert await rows(store, Rsvp) == []
    assert f"#{number}: 0" in await admin.says("/termine")

    t = content.catalogues.translator("de")
    reply = await dora.says("/zusage 999")
    assert t("There is no event number {id}. /events lists the upcoming ones.", id=999) in reply
    assert await rows(store, Rsvp) == []
