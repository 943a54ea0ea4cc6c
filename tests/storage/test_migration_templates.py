"""Upgrading a database with workspaces (0005) to the one that keeps their own templates (0007): the table appears,
nothing before is touched, and the store keeps templates for a workspace that existed before; a downgrade drops
the table again. On SQLite and on PostgreSQL.

The upgrade from 0005 runs through 0006 (structured budgets) on its way."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from alembic import command
from alembic.runtime.migration import MigrationContext
from sqlalchemy import MetaData, insert, inspect
from sqlalchemy.engine import Connection

from storage.database import alembic_config
from storage.models import Member, Template, Workspace
from storage.store import Store
from tests.storage.test_store import HEAD, rows

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def _at(revision: str) -> Any:
    def go(conn: Connection) -> None:
        command.upgrade(alembic_config(conn), revision)

    return go


def _fill_0005(conn: Connection) -> dict[str, int]:
    """Anna coordinates Musterstadt, Ben edits there; as 0005 stored them. Returns their ids."""
    meta = MetaData()
    meta.reflect(conn)
    t = meta.tables

    def add(table: str, **values: Any) -> int:
        return conn.execute(insert(t[table]).values(**values).returning(t[table].c[0])).scalar_one()

    anna = add("user", language="de", created_at=T0)
    ben = add("user", language="de", created_at=T0)
    wid = add("workspace", name="Musterstadt", revision=3, created_at=T0)
    for user, role in ((anna, "coordinator"), (ben, "editor")):
        conn.execute(insert(t["member"]).values(workspace_id=wid, user_id=user, role=role, name=None, joined_at=T0))
    return {"anna": anna, "ben": ben, "wid": wid}


def _revision(conn: Connection) -> str | None:
    return MigrationContext.configure(conn).get_current_revision()


def _template_table(conn: Connection) -> dict[str, Any] | None:
    found = inspect(conn)
    if "template" not in found.get_table_names():
        return None
    return {
        "columns": {c["name"]: c["nullable"] for c in found.get_columns("template")},
        "key": found.get_pk_constraint("template")["constrained_columns"],
        "references": sorted(
            (f["constrained_columns"][0], f["referred_table"], (f.get("options") or {}).get("ondelete"))
            for f in found.get_foreign_keys("template")
        ),
    }


async def test_the_template_table_is_added_to_a_database_with_workspaces(database_url: str) -> None:
    old = Store(database_url)  # no upgrade on opening: the schema as the previous release left it
    try:
        await old.run_connection(_at("0005"))
        ids = await old.run_connection(_fill_0005)
        assert await old.run_connection(_template_table) is None
    finally:
        await old.close()
    anna, ben, wid = ids["anna"], ids["ben"], ids["wid"]

    store = await Store.open(database_url)  # what the new release does on its first start
    try:
        assert await store.run_connection(_revision) == HEAD
        assert await store.run_connection(_template_table) == {
            "columns": {
                "workspace_id": False,
                "format": False,
                "file_name": False,
                "data": False,
                "uploaded_by": True,
                "uploaded_at": False,
            },
            "key": ["workspace_id", "format"],
            "references": [("uploaded_by", "user", "SET NULL"), ("workspace_id", "workspace", "CASCADE")],
        }
        assert [(w["id"], w["name"], w["revision"]) for w in await rows(store, Workspace)] == [(wid, "Musterstadt", 3)]
        assert {(m["user_id"], m["role"]) for m in await rows(store, Member)} == {
            (anna, "coordinator"),
            (ben, "editor"),
        }

        # The workspace from before gets its templates; Ben's outlives his erasure, without his name on it.
        letterhead = b"PK\x03\x04" + bytes(range(256)) * 64
        await store.run(lambda unit: unit.set_template(wid, "docx", "briefkopf.docx", letterhead, ben))
        await store.run(lambda unit: unit.set_template(wid, "odt", "brief.odt", b"PK odt", anna))
        assert await store.run(lambda unit: unit.template(wid, "docx")) == letterhead
        await store.run(lambda unit: unit.delete_user(ben))
        assert [(r["format"], r["uploaded_by"]) for r in await rows(store, Template, order_by="format")] == [
            ("docx", None),
            ("odt", anna),
        ]
        await store.run(lambda unit: unit.delete_user(anna))  # the last member: the workspace goes, and its templates
        assert await rows(store, Template) == [] and await rows(store, Workspace) == []
    finally:
        await store.close()


async def test_a_downgrade_drops_the_table_and_an_upgrade_brings_it_back(database_url: str) -> None:
    store = await Store.open(database_url)
    try:
        await store.run_connection(lambda conn: command.downgrade(alembic_config(conn), "0005"))
        assert await store.run_connection(_revision) == "0005"
        assert await store.run_connection(_template_table) is None
        await store.run_connection(_at("head"))
        assert await store.run_connection(_revision) == HEAD
        assert (await store.run_connection(_template_table) or {}).get("key") == ["workspace_id", "format"]
    finally:
        await store.close()
