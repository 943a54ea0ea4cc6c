"""One person on several messengers, and data protection in a team: every test on SQLite and PostgreSQL.

Anna coordinates Musterstadt on Telegram and links her terminal; Bruno joins her workspace as an editor.
"""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import update

from storage.models import (
    AdminLog,
    Answer,
    AuditEntry,
    Code,
    Conversation,
    Identity,
    Member,
    Subscription,
    User,
    Workspace,
    utcnow,
)
from tests.bot.talk import Person, rows, user_id

CODE = re.compile(r"\b([2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4})\b")


async def onboards(person: Person) -> None:
    await person.says("/start")
    for line in ("Musterstadt", "2", "13", "3", "2, 5, 9"):
        await person.says(line)


async def code_of(person: Person) -> str:
    reply = await person.says("/verknuepfen")
    found = CODE.search(reply)
    assert found, reply
    return found.group(1)


async def workspace_of(store, person: Person) -> int:
    uid = await user_id(store, person)
    ((wid, _name, _role),) = await store.run(lambda unit: unit.memberships(uid))
    return wid


async def joins(store, person: Person, wid: int, role: str = "editor") -> None:
    """Bruno joins (the invitation itself is another feature): he starts, then is made a member."""
    await person.says("/start")
    uid = await user_id(store, person)
    await store.run(lambda unit: unit.join(uid, wid, role, "Bruno"))


async def test_a_code_links_a_second_messenger_to_the_same_person(companion, store):
    anna = Person(companion, "1001")
    await onboards(anna)
    code = await code_of(anna)
    assert "/verknuepfen" in anna.text and "24 Stunden" in anna.text

    terminal = Person(companion, "anna", channel="console")
    reply = await terminal.says(f"/link {code.lower()}")
    assert "Dieser Messenger ist jetzt mit Ihnen verknüpft" in reply
    assert "Wer" in reply  # she carries on at her question (the sponsor of the process), not at a new start
    assert await user_id(store, terminal) == await user_id(store, anna)
    assert len(await rows(store, User)) == 1  # the terminal's own user was merged and deleted

    mine = await terminal.says("/meinedaten")
    assert "telegram: 1001" in mine and "console: anna" in mine
    assert "Arbeitsbereiche und Ihre Rolle dort" in mine and "Musterstadt: Koordination" in mine

    await terminal.says("Bürgermeisterin Beispiel")  # an answer on the terminal is Anna's on Telegram too
    _, saved = await store.run(lambda unit: unit.open_conversation("telegram", "1001", "de"))
    assert saved.answers["ko_sponsor"] == "Bürgermeisterin Beispiel"

    other = Person(companion, "2002")
    assert "schon verwendet" in await other.says(f"/link {code}")
    assert await user_id(store, other) != await user_id(store, anna)


async def test_the_entering_messengers_own_work_moves_with_it(companion, store):
    anna = Person(companion, "1001")
    await onboards(anna)
    elsewhere = Person(companion, "anna", channel="console")
    await onboards(elsewhere)  # another workspace, with answers: it is kept as Anna's
    await elsewhere.says("/link " + await code_of(anna))
    uid = await user_id(store, anna)
    assert len(await store.run(lambda unit: unit.memberships(uid))) == 2
    assert len(await rows(store, User)) == 1
    assert {r["user_id"] for r in await rows(store, Conversation)} == {uid}


async def test_wrong_codes_get_friendly_refusals_and_are_rate_limited(companion, store):
    anna = Person(companion, "1001")
    await onboards(anna)
    code = await code_of(anna)
    assert "schon mit der Person verknüpft" in await anna.says(f"/verknuepfen {code}")
    assert "Das ist kein Code" in await anna.says("/verknuepfen Musterstadt")

    await store.run(lambda unit: unit.conn.execute(update(Code).values(expires_at=utcnow() - timedelta(minutes=1))))
    mallory = Person(companion, "6666", lang="en")
    assert "This code has expired" in await mallory.says(f"/link {code}")
    for guess in ("AAAA-AAAA", "BBBB-BBBB", "CCCC-CCCC", "DDDD-DDDD"):
        assert "I do not know this code" in await mallory.says(f"/link {guess}")
    assert "Too many wrong codes. Please try again in 60 minutes." in await mallory.says("/link EEEE-EEEE")
    assert await user_id(store, mallory) != await user_id(store, anna)


async def test_a_member_who_deletes_their_data_leaves_their_answers_as_a_former_member(companion, store):
    anna, bruno = Person(companion, "1001"), Person(companion, "2002")
    await onboards(anna)
    wid = await workspace_of(store, anna)
    await joins(store, bruno, wid)
    await bruno.says("/phase 1")
    await bruno.says("Bürgermeisterin Beispiel")
    uid = await user_id(store, bruno)

    assert "bleibt für Ihr Team erhalten, ohne Ihren Namen" in await bruno.says("/loeschen")
    assert "_workspace" not in bruno.offered  # only the coordinator may delete the workspace
    assert "Was Sie für Musterstadt geschrieben haben, bleibt" in await bruno.presses("_yes")

    _, saved = await store.run(lambda unit: unit.open_conversation("telegram", "1001", "de"))
    assert saved.answers["ko_sponsor"] == "Bürgermeisterin Beispiel"  # Anna still sees it
    (sponsor,) = await rows(store, Answer, Answer.step_id == "ko_sponsor")
    assert sponsor["author_id"] is None
    assert all(uid not in (a["authors"] or []) for a in await rows(store, Answer))
    assert await rows(store, Member, Member.user_id == uid) == []
    assert await rows(store, User, User.id == uid) == []
    assert await rows(store, Identity, Identity.ref == "2002") == []
    log = [(e["actor"], e["action"], e["target"]) for e in await rows(store, AdminLog)]
    assert (f"user:{uid}", "leave_by_erasure", f"workspace:{wid}") in log


async def test_the_coordinator_deletes_the_whole_workspace_after_naming_it(companion, store):
    anna, bruno = Person(companion, "1001"), Person(companion, "2002")
    await onboards(anna)
    wid = await workspace_of(store, anna)
    await joins(store, bruno, wid)

    await anna.says("/loeschen")
    assert "den ganzen Arbeitsbereich Musterstadt für alle löschen" in anna.text
    assert "Musterstadt" in await anna.presses("_workspace") and "_delete" in anna.offered
    assert "Es wurde nichts gelöscht" in await anna.says("Musterdorf")
    assert await rows(store, Workspace, Workspace.id == wid) != []

    await anna.says("/loeschen")
    await anna.presses("_workspace")
    assert "Der Arbeitsbereich Musterstadt wurde mit allem Inhalt gelöscht" in await anna.says("musterstadt")
    for table in (Workspace, Answer, Member, AuditEntry):
        column = table.id if table is Workspace else table.workspace_id
        assert await rows(store, table, column == wid) == [], table.__name__
    (entry,) = [e for e in await rows(store, AdminLog) if e["action"] == "delete_workspace"]
    assert (entry["actor"], entry["target"], entry["detail"]) == (
        "telegram:1001",
        f"workspace:{wid}",
        {"name": "Musterstadt"},
    )

    reply = await bruno.says("Hallo")
    assert "Die Koordination hat den Arbeitsbereich Musterstadt mit allem Inhalt gelöscht" in reply
    _, saved = await store.run(lambda unit: unit.open_conversation("telegram", "2002", "de"))
    assert "ob_name" not in saved.answers and "Musterstadt" not in await bruno.says("/meinedaten")
    assert "Musterstadt" not in await anna.says("/start")


async def test_a_subscription_made_on_the_linked_messenger_is_kept(companion, store):
    anna = Person(companion, "1001")
    await onboards(anna)
    terminal = Person(companion, "anna", channel="console")
    await terminal.says("/newsletter")
    for choice in ("x:housing", "_done", "l:de", "_yes"):
        await terminal.presses(choice)
    await terminal.says("/link " + await code_of(anna))
    (subscription,) = await rows(store, Subscription)
    assert subscription["user_id"] == await user_id(store, anna) and subscription["confirmed_at"] is not None
    assert "Newsletter: abonniert" in await anna.says("/meinedaten")
