"""Upgrading a database that people already use: from 0004 (one strategy per person) to workspaces (0005).

The database is made at 0004 and filled the way that schema stored things; after the upgrade every
conversation is a workspace of its own, its person the coordinator, every answer there unchanged and
written by that person, and the store serves them as before. On SQLite and on PostgreSQL.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from alembic import command
from alembic.runtime.migration import MigrationContext
from sqlalchemy import MetaData, insert
from sqlalchemy.engine import Connection

from storage.database import alembic_config
from storage.models import Answer, Approval, AuditEntry, Conversation, Member, Subscription, Workspace
from storage.store import Store, Unit
from tests.storage.test_store import HEAD, MISSING, VERSION, changed, position, rows

T0 = datetime(2026, 11, 30, 9, 15, tzinfo=UTC)
T1 = datetime(2026, 12, 1, 17, 40, tzinfo=UTC)

ANNA = {  # text, options, a list, records, a skipped step
    "ob_name": "Musterstadt",
    "ob_kind": "stadt",
    "ob_fields": ["wohnen", "pflege"],
    "kp_strengths": ["Aktive Vereine", "Gute Bahnanbindung", "Ärztehaus am Markt"],
    "kp_indicators": [
        {"indicator": "population", "value": "24.180", "year": "2024", "comparison": "Land: -0,3 %"},
        {"indicator": "average_age", "value": "47,2", "year": "2024", "comparison": None},
    ],
    "kp_reference_date": None,
}
BERND = {"ob_name": "Beispieldorf", "kp_weaknesses": ["Leerstand im Ortskern"], "kp_interviews": None}


def utc(when: datetime) -> datetime:
    """SQLite gives back the UTC time it was given without its zone."""
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def _schema_at(conn: Connection, revision: str) -> None:
    command.upgrade(alembic_config(conn), revision)


def _fill_0004(conn: Connection) -> dict[str, Any]:
    """Two people with a conversation each, one without; as 0004 stored them. Returns their ids."""
    meta = MetaData()
    meta.reflect(conn)
    t = meta.tables  # reflected: every table as 0004 made it

    def add(table: str, **values: Any) -> Any:
        return conn.execute(insert(t[table]).values(**values).returning(t[table].c[0])).scalar_one()

    # Someone who erased their data left gaps: no id below is another's (workspace ids follow conversations).
    gone = add("user", language="de", created_at=T0)
    add("conversation", user_id=gone, content_version=VERSION, position={}, revision=1, created_at=T0, updated_at=T0)
    clara = add("user", language="fr", created_at=T0)  # subscribed, never started a strategy
    bernd = add("user", language="de", created_at=T0)
    anna = add("user", language="de", created_at=T0)
    conn.execute(t["user"].delete().where(t["user"].c.id == gone))
    for user, channel, ref in [(anna, "telegram", "1001"), (bernd, "matrix", "@bernd:x"), (clara, "telegram", "7")]:
        add("identity", user_id=user, channel=channel, ref=ref, created_at=T0, active=True)
    cids = {}
    for user, answers, revision in [(bernd, BERND, 4), (anna, ANNA, 11)]:
        cids[user] = add(
            "conversation",
            user_id=user,
            content_version=VERSION,
            position=position("kp_strengths"),
            revision=revision,
            created_at=T0,
            updated_at=T1,
        )
        for step_id, value in answers.items():
            conn.execute(
                insert(t["answer"]).values(
                    conversation_id=cids[user], step_id=step_id, value=value, created_at=T0, updated_at=T1
                )
            )
            add("auditentry", user_id=user, at=T1, action="answer", step_id=step_id, old=None, new=value)
    for user, name in [(anna, "Musterstadt"), (bernd, "Beispieldorf")]:
        conn.execute(insert(t["municipality"]).values(user_id=user, name=name, kind="stadt", updated_at=T1))
    add("auditentry", user_id=clara, at=T1, action="subscribe", step_id=None, old=None, new=None)
    conn.execute(
        insert(t["subscription"]).values(
            user_id=clara,
            channel="telegram",
            ref="7",
            language="fr",
            topics=["events"],
            consent_version="1",
            requested_at=T0,
            confirmed_at=T1,
            updated_at=T1,
        )
    )
    return {"anna": anna, "bernd": bernd, "clara": clara, "cids": cids}


async def test_every_conversation_becomes_its_persons_workspace_and_nothing_is_lost(database_url: str) -> None:
    old = Store(database_url)  # no upgrade on opening: the schema as the previous release left it
    try:
        await old.run_connection(lambda conn: _schema_at(conn, "0004"))
        ids = await old.run_connection(_fill_0004)
    finally:
        await old.close()
    anna, bernd, clara, cids = ids["anna"], ids["bernd"], ids["clara"], ids["cids"]

    store = await Store.open(database_url)  # what the new release does on its first start
    try:
        assert await store.run_connection(lambda c: MigrationContext.configure(c).get_current_revision()) == HEAD

        workspaces = {w["id"]: w for w in await rows(store, Workspace)}
        assert set(workspaces) == set(cids.values())
        assert workspaces[cids[anna]]["name"] == "Musterstadt"
        assert workspaces[cids[bernd]]["name"] == "Beispieldorf"
        assert workspaces[cids[anna]]["revision"] == 11
        members = {(m["workspace_id"], m["user_id"], m["role"]) for m in await rows(store, Member)}
        assert members == {(cids[anna], anna, "coordinator"), (cids[bernd], bernd, "coordinator")}
        conversations = {c["user_id"]: c for c in await rows(store, Conversation)}
        assert {u: c["workspace_id"] for u, c in conversations.items()} == {anna: cids[anna], bernd: cids[bernd]}
        assert conversations[anna]["position"] == position("kp_strengths")

        for user, answers in [(anna, ANNA), (bernd, BERND)]:
            stored = await rows(store, Answer, workspace_id=cids[user])
            assert {a["step_id"]: a["value"] for a in stored} == answers
            assert {a["author_id"] for a in stored} == {user}
            assert {(utc(a["created_at"]), utc(a["updated_at"])) for a in stored} == {(T0, T1)}

        audit = await rows(store, AuditEntry, order_by="id")
        assert [(a["user_id"], a["workspace_id"]) for a in audit] == [
            *[(bernd, cids[bernd])] * len(BERND),
            *[(anna, cids[anna])] * len(ANNA),
            (clara, None),
        ]
        assert [s["user_id"] for s in await rows(store, Subscription)] == [clara]

        # The store serves the migrated people: their strategy, as its coordinator, written by them.
        _, saved = await store.run(lambda unit: unit.open_conversation("telegram", "1001", "de"))
        assert saved.conversation_id == cids[anna]
        assert saved.answers == ANNA
        assert saved.shared is not None and saved.shared.workspace_id == cids[anna]
        assert saved.shared.role_of(anna) == "coordinator"
        assert {w.author_id for w in saved.shared.written.values()} == {anna}
        _, saved = await store.run(lambda unit: unit.open_conversation("matrix", "@bernd:x", "de"))
        assert saved.answers == BERND

        # Anna goes on where she was; Clara starts a strategy, which gets a workspace id of its own.
        def append(unit: Unit) -> None:
            account, saved = unit.open_conversation("telegram", "1001", "de")
            old = saved.answers["kp_strengths"]
            new = [*old, "Neue Kita"]
            unit.save(
                account.user_id, saved, VERSION, position("kp_strengths"), changed([("kp_strengths", old, new)]), "de"
            )

        await store.run(append)

        def begin(unit: Unit) -> int:
            account, saved = unit.open_conversation("telegram", "7", "fr")
            unit.save(
                account.user_id, saved, VERSION, position(lang="fr"), changed([("ob_name", MISSING, "Ville")]), "fr"
            )
            return unit.memberships(account.user_id)[0][0]

        new_workspace = await store.run(begin)
        assert new_workspace > max(cids.values())
        _, saved = await store.run(lambda unit: unit.open_conversation("telegram", "1001", "de"))
        assert saved.answers["kp_strengths"][-1] == "Neue Kita"
        _, saved = await store.run(lambda unit: unit.open_conversation("telegram", "7", "fr"))
        assert saved.answers == {"ob_name": "Ville"}
        assert saved.shared is not None and saved.shared.workspace_id == new_workspace
    finally:
        await store.close()


# --- 0006: budgets become structured ---------------------------------------------------------------

OLD_MEASURES = [
    {"uid": "r1", "title": "Praxisbörse", "budget": "25.500 € Fördermittel LEADER 2027–2028"},
    {"uid": "r2", "title": "Bürgerbus", "budget": "noch offen"},
    {"uid": "r3", "title": "Dorfladen", "budget": None},
    {"uid": "r4", "title": "Kita", "budget": "12.000 € 2027, 8.000 € 2028"},
]
LEADER = {
    "text": "25.500 € Fördermittel LEADER 2027–2028",
    "amount": "25500",
    "source": "Fördermittel LEADER",
    "funding": None,
    "years": [2027, 2028],
}
OPEN = {"text": "noch offen", "amount": None, "source": "", "funding": None, "years": []}
SPLIT = {
    "text": "12.000 € 2027, 8.000 € 2028",
    "amount": "20000",
    "source": "",
    "funding": None,
    "years": [2027, 2028],
    "per_year": {"2027": "12000", "2028": "8000"},
}
EDITING = {
    "step": "wp_measures",
    "draft": {"phase": "field", "uid": "r2", "field": 9, "values": OLD_MEASURES[1], "was": OLD_MEASURES[1]},
}


def _fill_0005(conn: Connection) -> int:
    """A workspace whose measures, approval and a measure being edited hold budgets as 0005 stored them (text)."""
    meta = MetaData()
    meta.reflect(conn)
    t = meta.tables
    anna = conn.execute(insert(t["user"]).values(language="de", created_at=T0).returning(t["user"].c.id)).scalar_one()
    wid = conn.execute(
        insert(t["workspace"]).values(name="Musterstadt", revision=3, created_at=T0).returning(t["workspace"].c.id)
    ).scalar_one()
    conn.execute(insert(t["member"]).values(workspace_id=wid, user_id=anna, role="coordinator", joined_at=T0))
    conn.execute(insert(t["identity"]).values(user_id=anna, channel="telegram", ref="2001", created_at=T0, active=True))
    for step_id, value in [("wp_measures", OLD_MEASURES), ("ob_name", "25.000 €")]:
        conn.execute(
            insert(t["answer"]).values(
                workspace_id=wid, step_id=step_id, value=value, author_id=anna, revision=3, created_at=T0, updated_at=T1
            )
        )
    answers = {"wp_measures": OLD_MEASURES[:2], "wp_decision": "ja"}
    conn.execute(
        insert(t["approval"]).values(
            workspace_id=wid, stage_id="werkstattplan", agreed_on="2026-12-01", by=anna, at=T1, answers=answers
        )
    )
    conn.execute(
        insert(t["conversation"]).values(
            user_id=anna,
            workspace_id=wid,
            content_version=VERSION,
            position=EDITING,
            revision=3,
            created_at=T0,
            updated_at=T1,
        )
    )
    return wid


async def test_budgets_become_structured_where_an_amount_can_be_read_and_back_again(database_url: str) -> None:
    old = Store(database_url)
    try:
        await old.run_connection(lambda conn: _schema_at(conn, "0005"))
        wid = await old.run_connection(_fill_0005)
    finally:
        await old.close()

    store = await Store.open(database_url)  # upgrades to 0006
    try:
        answers = {a["step_id"]: a["value"] for a in await rows(store, Answer, workspace_id=wid)}
        assert [m["budget"] for m in answers["wp_measures"]] == [LEADER, OPEN, None, SPLIT]
        assert [m["title"] for m in answers["wp_measures"]] == ["Praxisbörse", "Bürgerbus", "Dorfladen", "Kita"]
        assert answers["ob_name"] == "25.000 €", "another step's text was taken for a budget"
        (approval,) = await rows(store, Approval)
        assert [m["budget"] for m in approval["answers"]["wp_measures"]] == [LEADER, OPEN]
        assert approval["answers"]["wp_decision"] == "ja"
        (conversation,) = await rows(store, Conversation)
        draft = conversation["position"]["draft"]
        assert draft["values"]["budget"] == draft["was"]["budget"] == OPEN
        _, saved = await store.run(lambda unit: unit.open_conversation("telegram", "2001", "de"))
        assert saved.answers["wp_measures"][0]["budget"] == LEADER  # the store serves them as stored
    finally:
        await store.close()

    back = Store(database_url)
    try:
        await back.run_connection(lambda conn: command.downgrade(alembic_config(conn), "0005"))
        answers = {a["step_id"]: a["value"] for a in await rows(back, Answer, workspace_id=wid)}
        assert answers["wp_measures"] == OLD_MEASURES
        (approval,) = await rows(back, Approval)
        assert approval["answers"]["wp_measures"] == OLD_MEASURES[:2]
        (conversation,) = await rows(back, Conversation)
        assert conversation["position"] == EDITING
    finally:
        await back.close()
