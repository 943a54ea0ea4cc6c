"""The newsletter in chat: double opt-in, changes, my data, unsubscribing and erasure, with provable consent.

Every test runs on SQLite and PostgreSQL and checks what is stored, not only what is said.
"""

from __future__ import annotations

import hashlib
import re
from datetime import datetime

import pytest

from storage.models import ConsentRecord, Conversation, Identity, Subscription, User
from storage.people import subject_of
from tests.bot.talk import Person, aware, rows, user_id

TOPICS = ("housing", "health")
"""In the order the content lists them (Wohnen before Gesundheit)."""


async def subscribes(person: Person, topics=TOPICS, lang: str = "fr") -> None:
    await person.says("/newsletter")
    for topic in topics:
        await person.presses(f"x:{topic}")
    await person.presses("_done")
    await person.presses(f"l:{lang}")
    await person.presses("_yes")


async def consent_records(store, person: Person | None = None) -> list[dict]:
    if person is None:
        return await rows(store, ConsentRecord)
    return await rows(store, ConsentRecord, ConsentRecord.user_id == await user_id(store, person))


async def subscription_rows(store) -> list[dict]:
    return await rows(store, Subscription)


async def recipients(store) -> list[int]:
    return [sub.user_id for sub, *_ in await store.run(lambda unit: unit.subscribers())]


def whole_second(moment: datetime | None) -> bool:
    return moment is not None and moment.microsecond == 0


async def test_double_opt_in_stores_the_request_then_the_confirmation(companion, store, content):
    anna = Person(companion, "1001")

    await anna.says("/newsletter")
    assert {"x:housing", "x:health", "_done", "_all"} <= set(anna.offered)
    await anna.presses("x:housing")
    await anna.presses("x:health")
    assert anna.selected == ["x:housing", "x:health"]
    await anna.presses("_done")
    assert anna.offered[:3] == ["l:de", "l:fr", "l:en"]

    reply = await anna.presses("l:fr")
    assert content.consent.text.get("de") in reply  # the whole consent text, in the language she chats in
    assert anna.offered == ["_yes", "_no"]

    # Asked, not yet confirmed: stored as a request, and nobody sends her anything yet.
    uid = await user_id(store, anna)
    (pending,) = await subscription_rows(store)
    assert pending["user_id"] == uid and pending["confirmed_at"] is None
    assert [r["action"] for r in await consent_records(store, anna)] == ["requested"]
    assert await recipients(store) == []

    await anna.presses("_yes")

    (sub,) = await subscription_rows(store)
    assert sub["confirmed_at"] is not None
    assert whole_second(sub["requested_at"]) and whole_second(sub["confirmed_at"])
    assert aware(sub["requested_at"]) <= aware(sub["confirmed_at"])
    assert (sub["channel"], sub["ref"], sub["language"], sub["topics"]) == ("telegram", "1001", "fr", list(TOPICS))
    assert sub["consent_version"] == content.consent.version
    records = await consent_records(store, anna)
    assert [r["action"] for r in records] == ["requested", "confirmed"]
    for record in records:
        assert whole_second(record["at"])
        assert (record["channel"], record["ref"], record["consent_version"]) == (
            "telegram",
            "1001",
            content.consent.version,
        )
        assert record["subject"] == subject_of(store.key, "telegram", "1001")
        assert (record["topics"], record["language"]) == (list(TOPICS), "fr")
    assert aware(records[1]["at"]) == aware(sub["confirmed_at"])
    assert await recipients(store) == [uid]


@pytest.mark.parametrize("lang", ["fr", "en"])
async def test_the_consent_text_is_the_one_in_the_users_language(companion, content, lang):
    zoe = Person(companion, "1002", lang=lang)
    await zoe.says("/newsletter")
    await zoe.presses("_done")  # no topic chosen: everything
    reply = await zoe.presses("l:de")
    assert content.consent.text.get(lang) in reply
    assert content.consent.text.get("de") not in reply


async def test_saying_no_leaves_no_subscription(companion, store):
    ben = Person(companion, "1003")
    await ben.says("/newsletter")
    await ben.presses("x:housing")
    await ben.presses("_done")
    await ben.presses("l:de")
    await ben.presses("_no")

    assert await subscription_rows(store) == []
    assert [r["action"] for r in await consent_records(store, ben)] == ["requested", "declined"]
    assert await recipients(store) == []
    assert "_yes" not in ben.all_choice_ids


async def test_changing_topics_and_language_needs_no_new_consent(companion, store, content):
    anna = Person(companion, "1001")
    await subscribes(anna)
    (before,) = await subscription_rows(store)

    await anna.says("/newsletter")
    assert {"_topics", "_lang", "_unsub"} <= set(anna.offered)
    await anna.presses("_topics")
    assert anna.selected == ["x:housing", "x:health"]
    await anna.presses("x:housing")  # off
    await anna.presses("x:mobility")  # on
    await anna.presses("_done")
    assert "_yes" not in anna.all_choice_ids  # no consent question again

    await anna.says("/newsletter")
    await anna.presses("_lang")
    await anna.presses("l:en")
    assert "_yes" not in anna.all_choice_ids

    (after,) = await subscription_rows(store)
    assert (after["topics"], after["language"]) == (["mobility", "health"], "en")
    assert after["confirmed_at"] == before["confirmed_at"]
    assert after["consent_version"] == content.consent.version
    records = await consent_records(store, anna)
    assert [r["action"] for r in records] == ["requested", "confirmed", "changed", "changed"]
    assert (records[2]["topics"], records[2]["language"]) == (["mobility", "health"], "fr")
    assert (records[3]["topics"], records[3]["language"]) == (["mobility", "health"], "en")
    assert all(r["consent_version"] == content.consent.version for r in records)


async def test_my_data_shows_the_subscription_and_every_consent_record(companion, store, content):
    anna = Person(companion, "1001")
    await subscribes(anna)
    await anna.says("/newsletter")
    await anna.presses("_lang")
    await anna.presses("l:en")

    reply = await anna.says("/meinedaten")

    for topic in TOPICS:
        assert content.handlungsfelder[topic].label.get("de") in reply
    records = await consent_records(store, anna)
    lines = [line for line in reply.splitlines() if line.startswith("•")]
    shown = []
    for record in records:
        second = f"{aware(record['at']):%Y-%m-%d %H:%M:%S}"
        line = next(x for x in lines if second in x and x not in shown)
        assert content.consent.version in line.replace(second, ""), line
        shown.append(line)
    assert len(shown) == 3


@pytest.mark.parametrize("lang", ["de", "fr"])
async def test_my_data_names_every_consent_event_in_the_persons_language(companion, store, content, lang):
    claire = Person(companion, "1005", lang=lang)
    await claire.says("/newsletter")
    await claire.presses("_done")
    await claire.presses(f"l:{lang}")
    await claire.presses("_no")  # requested, declined
    await subscribes(claire, lang=lang)  # requested, confirmed
    await claire.says("/newsletter")
    await claire.presses("_topics")
    await claire.presses("_all")  # changed
    await claire.says("/abbestellen")  # withdrawn

    reply = await claire.says("/meinedaten")

    t = content.catalogues.translator(lang)
    events = [m.group(1) for line in reply.splitlines() if (m := re.match(r"• [0-9: -]+ UTC\s?: (.+?) \(", line))]
    named = [
        "subscription requested",
        "subscription declined",
        "subscription requested",
        "subscription confirmed",
        "topics or language changed",
        "consent withdrawn",
    ]
    assert events == [t(n) for n in named]
    assert not any(word in reply for word in ("requested", "declined", "confirmed", "changed", "withdrawn"))


@pytest.mark.parametrize("message", ["/abbestellen", "stop", "Stop", "STOP", " stop "])
async def test_unsubscribing_by_command_or_by_the_one_word_stop(companion, store, message):
    anna = Person(companion, "1001")
    await subscribes(anna)
    uid = await user_id(store, anna)
    assert await recipients(store) == [uid]

    await anna.says(message)

    assert await subscription_rows(store) == []
    assert await recipients(store) == []
    records = await consent_records(store, anna)
    assert [r["action"] for r in records] == ["requested", "confirmed", "withdrawn"]
    assert whole_second(records[-1]["at"])
    # and she can come back: a new double opt-in
    await subscribes(anna)
    assert await recipients(store) == [uid]


async def test_stop_without_a_subscription_is_just_an_answer(companion, store, content):
    carl = Person(companion, "1004")
    await carl.says("/start")  # the first question asks for the municipality's name
    t = content.catalogues.translator("de")

    reply = await carl.says("stop")

    assert t("You have no newsletter subscription, so there is nothing to end.") not in reply
    _, saved = await store.run(lambda unit: unit.open_conversation("telegram", "1004", "de"))
    assert "stop" in saved.answers.values()
    assert await consent_records(store) == []


async def test_deleting_me_leaves_only_a_pseudonymous_withdrawal(companion, store, content):
    anna = Person(companion, "1001")
    await subscribes(anna)
    await anna.says("/newsletter")
    await anna.presses("_topics")
    await anna.presses("_all")  # a "changed" record, to be erased with the rest
    uid = await user_id(store, anna)

    await anna.says("/loeschen")
    await anna.presses("_yes")

    assert await rows(store, User, User.id == uid) == []
    assert await rows(store, Identity) == []
    assert await rows(store, Conversation) == []
    assert await subscription_rows(store) == []
    subject = subject_of(store.key, "telegram", "1001")
    assert subject != hashlib.sha256(b"telegram:1001").hexdigest()  # nobody can recompute it from the id alone
    remaining = [
        (
            r["action"],
            r["user_id"],
            r["ref"],
            r["subject"],
            r["channel"],
            r["topics"],
            r["language"],
            r["consent_version"],
        )
        for r in await consent_records(store)
    ]
    assert remaining == [
        ("withdrawn", None, None, subject, "telegram", None, None, content.consent.version),
        ("erased", None, None, subject, "telegram", None, None, content.consent.version),
    ]
    assert all(whole_second(r["at"]) for r in await consent_records(store))


async def test_the_pseudonym_is_keyed_by_the_secret_in_the_data_folder_and_survives_a_restart(
    database_url: str, content, tmp_path, monkeypatch
):
    from bot.app.companion import Companion
    from bot.app.settings import Settings
    from storage.store import Store

    monkeypatch.delenv("DAKS_SECRET_KEY", raising=False)

    async def started(data_dir) -> tuple[Store, Person]:
        store = await Store.open(database_url, key=Settings(data_dir=data_dir).pseudonym_key())
        return store, Person(Companion(content, store), "1001")

    store, anna = await started(tmp_path / "data")
    await subscribes(anna)
    [first] = {r["subject"] for r in await consent_records(store)}
    await store.close()

    store, anna = await started(tmp_path / "data")  # a restart: the same key, read from the data folder
    await anna.says("/loeschen")
    await anna.presses("_yes")
    assert {r["subject"] for r in await consent_records(store)} == {first}
    assert first == subject_of(Settings(data_dir=tmp_path / "data").pseudonym_key(), "telegram", "1001")
    assert first != hashlib.sha256(b"telegram:1001").hexdigest()
    await store.close()

    store, anna = await started(tmp_path / "elsewhere")  # another key: another pseudonym for the same id
    await subscribes(anna)
    assert len({r["subject"] for r in await consent_records(store)} - {first}) == 1
    await store.close()


async def test_an_unkeyed_hash_from_an_older_version_is_replaced_on_erasure(companion, store):
    from sqlalchemy import update

    anna = Person(companion, "1001")
    await subscribes(anna)
    unkeyed = hashlib.sha256(b"telegram:1001").hexdigest()
    await store.run_connection(lambda conn: conn.execute(update(ConsentRecord).values(subject=unkeyed)))
    await anna.says("/loeschen")
    await anna.presses("_yes")
    assert {r["subject"] for r in await consent_records(store)} == {subject_of(store.key, "telegram", "1001")}
