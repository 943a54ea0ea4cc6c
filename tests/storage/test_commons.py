"""Shared good practice in the database, on SQLite and PostgreSQL: a submission waits, is approved (who, when) and
translated, a second submission of the same measure waits again with its new text only, adoptions count once per
workspace and item, the revision moves with what the toolbox shows, and a deleted workspace takes its practice along."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from storage.store import Store
from tests.storage.test_templates import team

NOW = datetime(2026, 12, 7, 10, 30, tzinfo=UTC)
TEXT = {"title": "Dorfladen", "what": "Ein Laden im Ort."}
FRENCH = {"title": "Épicerie de village", "what": "Une épicerie au village."}


async def test_a_practice_is_submitted_reviewed_translated_and_submitted_again(store: Store) -> None:
    anna, _ben, wid, other = await team(store)
    pid = await store.run(lambda u: u.submit_practice(wid, "r1", "Musterstadt", "health", "de", TEXT, anna, NOW))
    empty = await store.run(lambda u: u.commons_revision())
    [waiting] = await store.run(lambda u: u.waiting_practices())
    assert (waiting.id, waiting.workspace_id, waiting.measure, waiting.municipality) == (pid, wid, "r1", "Musterstadt")
    assert (waiting.field, waiting.lang, waiting.texts, waiting.status) == ("health", "de", {"de": TEXT}, "submitted")
    assert await store.run(lambda u: u.approved_practices()) == []
    assert [p.id for p in await store.run(lambda u: u.visible_practices(other, False))] == []
    assert [p.id for p in await store.run(lambda u: u.visible_practices(other, True))] == [pid]  # an editor's
    assert [p.id for p in await store.run(lambda u: u.visible_practices(wid, False))] == [pid]  # their own

    assert await store.run(lambda u: u.review_practice(pid, True, "telegram:42", NOW + timedelta(minutes=1)))
    [approved] = await store.run(lambda u: u.approved_practices())
    assert (approved.status, approved.reviewed_by, approved.reviewed_at) == (
        "approved",
        "telegram:42",
        NOW + timedelta(minutes=1),
    )
    shown = await store.run(lambda u: u.commons_revision())
    assert shown != empty
    assert await store.run(lambda u: u.translate_practice(pid, "fr", FRENCH, NOW + timedelta(minutes=2)))
    [translated] = await store.run(lambda u: u.practices_of(wid))
    assert translated.texts == {"de": TEXT, "fr": FRENCH}
    assert await store.run(lambda u: u.commons_revision()) != shown
    assert not await store.run(lambda u: u.review_practice(999, True, "telegram:42", NOW))
    assert not await store.run(lambda u: u.translate_practice(999, "fr", FRENCH, NOW))

    again = {**TEXT, "what": "Ein Laden im Ort, mit Lieferdienst."}
    assert (
        await store.run(lambda u: u.submit_practice(wid, "r1", "Musterstadt", "health", "de", again, anna, NOW)) == pid
    )
    [resubmitted] = await store.run(lambda u: u.practices_of(wid))
    assert (resubmitted.status, resubmitted.texts, resubmitted.reviewed_by) == ("submitted", {"de": again}, None)
    assert await store.run(lambda u: u.approved_practices()) == []


async def test_adoptions_count_once_per_workspace_and_go_with_the_workspace(store: Store) -> None:
    anna, _ben, wid, other = await team(store)
    pid = await store.run(lambda u: u.submit_practice(wid, "r1", "Musterstadt", "health", "de", TEXT, anna, NOW))
    item = f"gp-{pid}"
    assert await store.run(lambda u: u.adopt(item, other, "r4", NOW))
    assert not await store.run(lambda u: u.adopt(item, other, "r5", NOW))  # once per workspace and item
    assert await store.run(lambda u: u.adopt(item, wid, "r2", NOW))
    assert await store.run(lambda u: u.adopt("dorfladen_tante_enso", other, "r6", NOW))
    assert await store.run(lambda u: u.adoptions()) == {item: 2, "dorfladen_tante_enso": 1}

    await store.run(lambda u: u.delete_workspace(wid, anna))
    assert await store.run(lambda u: u.practices()) == []
    assert await store.run(lambda u: u.adoptions()) == {item: 1, "dorfladen_tante_enso": 1}  # Beispieldorf's stay
