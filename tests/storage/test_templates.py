"""A workspace's own DOCX/ODT templates in the database, on SQLite and PostgreSQL: one per format, replaced,
removed, named in the sender's data, kept without its sender when they erase themselves, gone with the workspace."""

from __future__ import annotations

import os
from datetime import UTC, datetime

from storage.models import Template
from storage.store import Store, Unit
from tests.storage.test_store import count, put

BIG = os.urandom(3 * 1024 * 1024) + bytes(1000)
"""Three megabytes of every byte value, NULs at the end: stored and read back unchanged."""
DOCX, ODT, NEW = b"PK\x03\x04 docx \x00\xff", b"PK\x03\x04 odt \x00\xfe", b"PK\x03\x04 newer docx"


async def team(store: Store) -> tuple[int, int, int, int]:
    """Anna's workspace (Musterstadt) with Ben as editor, and Clara's own (Beispieldorf): ids of anna, ben, clara and
    the two workspaces (Anna's first)."""
    anna, _, _ = await put(store, {"ob_name": "Musterstadt"}, ref="anna")
    ben, _, _ = await put(store, {}, ref="ben")
    clara, _, _ = await put(store, {"ob_name": "Beispieldorf"}, ref="clara")

    def name(unit: Unit) -> None:
        for person, town in ((anna, "Musterstadt"), (clara, "Beispieldorf")):
            unit.set_profile(person.user_id, {"name": town, "kind": "stadt", "land": "by", "size": "m", "fields": []})

    await store.run(name)

    def join(unit: Unit) -> tuple[int, int]:
        wid = unit.memberships(anna.user_id)[0][0]
        unit.join(ben.user_id, wid, "editor", "Ben")
        return wid, unit.memberships(clara.user_id)[0][0]

    ours, theirs = await store.run(join)
    return anna.user_id, ben.user_id, ours, theirs


async def test_one_template_per_format_replaced_by_the_next(store: Store) -> None:
    anna, ben, wid, other = await team(store)
    assert await store.run(lambda unit: (unit.template(wid, "docx"), unit.templates(wid))) == (None, [])

    before = datetime.now(UTC)
    assert await store.run(lambda unit: unit.set_template(wid, "docx", "briefkopf.docx", BIG, anna)) is False
    assert await store.run(lambda unit: unit.set_template(wid, "odt", "brief.odt", ODT, anna)) is False
    assert await store.run(lambda unit: unit.template(wid, "docx")) == BIG
    assert await store.run(lambda unit: unit.template(wid, "odt")) == ODT
    assert await store.run(lambda unit: unit.template(other, "docx")) is None, "another workspace has none"
    listed = await store.run(lambda unit: unit.templates(wid))
    assert [(i.format, i.file_name, i.size, i.uploaded_by) for i in listed] == [
        ("docx", "briefkopf.docx", len(BIG), anna),
        ("odt", "brief.odt", len(ODT), anna),
    ]
    assert all(before <= i.uploaded_at <= datetime.now(UTC) and i.uploaded_at.tzinfo is not None for i in listed)

    assert await store.run(lambda unit: unit.set_template(wid, "docx", "neu.docx", NEW, ben)) is True
    assert await store.run(lambda unit: unit.template(wid, "docx")) == NEW
    listed = await store.run(lambda unit: unit.templates(wid))
    assert [(i.format, i.file_name, i.size, i.uploaded_by) for i in listed] == [
        ("docx", "neu.docx", len(NEW), ben),
        ("odt", "brief.odt", len(ODT), anna),
    ]
    assert await count(store, Template) == 2


async def test_removing_one_format_or_all(store: Store) -> None:
    anna, _, wid, other = await team(store)

    def three(unit: Unit) -> None:
        unit.set_template(wid, "docx", "a.docx", DOCX, anna)
        unit.set_template(wid, "odt", "a.odt", ODT, anna)
        unit.set_template(other, "docx", "c.docx", NEW, anna)

    await store.run(three)
    assert await store.run(lambda unit: unit.remove_template(wid, "odt")) is True
    assert await store.run(lambda unit: unit.remove_template(wid, "odt")) is False
    assert await store.run(lambda unit: (unit.template(wid, "docx"), unit.template(wid, "odt"))) == (DOCX, None)
    assert await store.run(lambda unit: unit.set_template(wid, "odt", "b.odt", ODT, anna)) is False
    assert await store.run(lambda unit: unit.remove_template(wid)) is True
    assert await store.run(lambda unit: unit.templates(wid)) == []
    assert await store.run(lambda unit: unit.remove_template(wid)) is False
    assert await store.run(lambda unit: unit.template(other, "docx")) == NEW, "the other workspace keeps its own"


async def test_the_senders_data_names_their_templates_and_erasing_them_keeps_the_template(store: Store) -> None:
    anna, ben, wid, _ = await team(store)
    await store.run(lambda unit: unit.set_template(wid, "docx", "briefkopf.docx", DOCX, ben))
    await store.run(lambda unit: unit.set_template(wid, "odt", "brief.odt", ODT, anna))

    mine = await store.run(lambda unit: unit.uploaded_templates(ben))
    assert [(name, fmt) for name, fmt, _ in mine] == [("Musterstadt", "docx")]
    assert [(name, fmt) for name, fmt, _ in (await store.run(lambda unit: unit.stored(ben)))["templates"]] == [
        ("Musterstadt", "docx")
    ]

    await store.run(lambda unit: unit.delete_user(ben))
    assert await store.run(lambda unit: unit.template(wid, "docx")) == DOCX, "the team's letterhead stays"
    listed = await store.run(lambda unit: unit.templates(wid))
    assert [(i.format, i.uploaded_by) for i in listed] == [("docx", None), ("odt", anna)]
    assert await store.run(lambda unit: unit.uploaded_templates(ben)) == []

    await store.run(lambda unit: unit.set_template(wid, "docx", "neu.docx", NEW, anna))
    assert [(n, f) for n, f, _ in await store.run(lambda unit: unit.uploaded_templates(anna))] == [
        ("Musterstadt", "odt"),
        ("Musterstadt", "docx"),
    ]


async def test_templates_go_with_their_workspace(store: Store) -> None:
    anna, ben, wid, other = await team(store)
    clara = (await store.run(lambda unit: unit.members(other)))[0][0]

    def upload(unit: Unit) -> None:
        unit.set_template(wid, "docx", "a.docx", DOCX, anna)
        unit.set_template(wid, "odt", "a.odt", ODT, ben)
        unit.set_template(other, "odt", "c.odt", NEW, clara)

    await store.run(upload)
    assert await store.run(lambda unit: unit.delete_workspace(wid, anna)) == "Musterstadt"
    assert await store.run(lambda unit: unit.templates(wid)) == []
    assert await count(store, Template, workspace_id=wid) == 0
    assert await store.run(lambda unit: unit.template(other, "odt")) == NEW

    await store.run(lambda unit: unit.delete_user(clara))  # the only member: her workspace goes with her
    assert await count(store, Template) == 0
