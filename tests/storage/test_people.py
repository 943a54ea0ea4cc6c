"""The person's rights on SQLite and PostgreSQL: erasure (Art. 17 GDPR) leaves nothing of them, on disk
either, and ``stored`` lists what is kept (Art. 15 GDPR)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from storage.models import Answer, AuditEntry, Conversation, Erasure, Identity, Municipality, User
from storage.store import Store, Unit
from tests.storage.test_store import count, load, plain, put, rows

# -- the user's rights ---------------------------------------------------------------------------


async def _full_user(store: Store, ref: str, name: str) -> tuple[int, int]:
    """A user with identity, conversation, answers, audit entries and a municipality profile."""
    account, _, cid = await put(store, {"ob_name": name, "ob_fields": ["housing"], "ko_existing": None}, ref=ref)
    await put(store, {"ob_name": name + " (neu)"}, ref=ref)

    def profile(unit: Unit) -> None:
        unit.set_profile(
            account.user_id, {"name": name, "kind": "stadt", "land": "by", "size": "m", "fields": ["housing"]}
        )

    await store.run(profile)
    return account.user_id, cid


async def _dump(store: Store, user_id: int, cid: int) -> dict[str, list[dict[str, Any]]]:
    return {
        "user": await rows(store, User, id=user_id),
        "identity": await rows(store, Identity, order_by="id", user_id=user_id),
        "municipality": await rows(store, Municipality, user_id=user_id),
        "conversation": await rows(store, Conversation, user_id=user_id),
        "answer": await rows(store, Answer, order_by="step_id", author_id=user_id),
        "auditentry": await rows(store, AuditEntry, order_by="id", user_id=user_id),
    }


async def test_delete_user_removes_everything_of_that_user_only(store: Store) -> None:
    anna, anna_cid = await _full_user(store, "anna", "Annaberg")
    ben, ben_cid = await _full_user(store, "ben", "Benediktbeuern")
    # Anna also talks to the companion on a second channel.
    await store.run_connection(
        lambda conn: conn.execute(
            Identity.__table__.insert().values(
                user_id=anna, channel="matrix", ref="@anna:example.org", created_at=datetime.now(UTC)
            )
        )
    )
    before_anna, before_ben = await _dump(store, anna, anna_cid), await _dump(store, ben, ben_cid)
    assert {k: len(v) for k, v in before_anna.items()} == {
        "user": 1,
        "identity": 2,
        "municipality": 1,
        "conversation": 1,
        "answer": 3,
        "auditentry": 4,
    }

    await store.run(lambda unit: unit.delete_user(anna))

    assert {k: len(v) for k, v in (await _dump(store, anna, anna_cid)).items()} == {
        "user": 0,
        "identity": 0,
        "municipality": 0,
        "conversation": 0,
        "answer": 0,
        "auditentry": 0,
    }
    assert await _dump(store, ben, ben_cid) == before_ben
    assert await count(store, User) == 1

    # Writing again later finds nobody; starting again starts from nothing.
    account, saved = await load(store, ref="anna")
    assert account.user_id == 0 and plain(saved) == (None, 0, None, None, {})
    account = await store.run(lambda unit: unit.start_again("telegram", "anna", "de"))
    assert account.created is True and account.user_id != anna


async def test_stored_lists_what_is_kept_about_a_user(store: Store) -> None:
    start = datetime.now(UTC) - timedelta(seconds=5)
    user_id, _ = await _full_user(store, "anna", "Annaberg")
    data = await store.run(lambda unit: unit.stored(user_id))
    assert set(data) == {
        "user_id",
        "created_at",
        "language",
        "identities",
        "municipality",
        "answers",
        "audit_entries",
        "conversation_updated_at",
        "subscription",
        "consent",
        "attending",
        "workspaces",
        "templates",
        "exchange",
    }
    assert data["exchange"] == []  # tests/storage/test_exchange.py: a profile she opted in
    assert data["user_id"] == str(user_id)
    assert data["language"] == "de"
    assert [(c, r) for c, r, _ in data["identities"]] == [("telegram", "anna")]
    assert data["municipality"] == {
        "name": "Annaberg",
        "kind": "stadt",
        "land": "by",
        "size": "m",
        "fields": ["housing"],
    }
    assert data["answers"] == 3  # the skipped one counts: it is stored
    assert data["audit_entries"] == 4
    assert data["workspaces"] == [("Annaberg", "coordinator")]
    for when in (data["created_at"], data["identities"][0][2], data["conversation_updated_at"]):
        assert when.tzinfo is not None
        assert start <= when <= datetime.now(UTC) + timedelta(seconds=5)

    fresh, _ = await load(store, ref="nobody-yet")
    bare = await store.run(lambda unit: unit.stored(fresh.user_id))
    assert (
        bare["municipality"],
        bare["answers"],
        bare["audit_entries"],
        bare["conversation_updated_at"],
        bare["subscription"],
        bare["consent"],
        bare["attending"],
    ) == ({}, 0, 0, None, None, [], [])


# -- on disk (SQLite) ------------------------------------------------------------------------------


async def test_an_erasure_leaves_no_copy_of_the_answers_in_the_database_file_or_its_wal(tmp_path) -> None:
    path = tmp_path / "daks.db"
    marker = "Geheime-Antwort-7f3a9c"
    store = await Store.open(f"sqlite:///{path}")
    try:
        account, _, _ = await put(store, {"ob_name": marker, "ko_goals": [f"{marker} {i}" for i in range(50)]})
        await put(store, {"ob_name": "Musterstadt"}, ref="ben")
        disk = lambda: path.read_bytes() + (tmp_path / "daks.db-wal").read_bytes()  # noqa: E731
        assert marker.encode() in disk()  # the test sees what is on disk
        assert await store.run_connection(lambda conn: conn.exec_driver_sql("PRAGMA secure_delete").scalar()) == 1

        await store.run(lambda unit: unit.delete_user(account.user_id))

        assert marker.encode() not in disk()  # while the store is still open
        _, saved = await load(store, ref="ben")
        assert saved.answers == {"ob_name": "Musterstadt"}
    finally:
        await store.close()


async def test_an_erased_identity_is_remembered_as_a_hash_only_until_it_starts_again(store: Store) -> None:
    anna, _ = await _full_user(store, "anna", "Annaberg")
    await store.run(lambda unit: unit.delete_user(anna))

    [erasure] = await rows(store, Erasure)
    assert set(erasure) == {"subject", "at"} and "anna" not in erasure["subject"]  # a keyed hash, no id
    opened = await store.run(lambda unit: unit.open("telegram", "anna", "de"))
    assert opened.erased and opened.account.user_id == 0
    assert await count(store, User) == 0  # a message after the erasure creates nobody
    assert not (await store.run(lambda unit: unit.open("telegram", "ben", "de"))).erased

    account = await store.run(lambda unit: unit.start_again("telegram", "anna", "fr"))
    assert account.created and account.language == "fr"
    assert await count(store, Erasure) == 0
    again = await store.run(lambda unit: unit.open("telegram", "anna", "de"))
    assert not again.erased and again.account.user_id == account.user_id


# -- a team's subscribers ------------------------------------------------------------------------------


async def test_a_colleague_who_joined_a_team_is_targeted_by_the_teams_municipality(store: Store) -> None:
    """Newsletters for a Land reach a team member who never answered the onboarding themselves."""
    anna, _ = await _full_user(store, "anna", "Annaberg")  # Land "by"
    ben, _, _ = await put(store, {}, ref="ben")  # his first message: a conversation of his own

    def join_and_subscribe(unit: Unit) -> None:
        wid = unit.memberships(anna)[0][0]
        unit.join(ben.user_id, wid, "editor", "Ben")
        for user_id, ref in ((ben.user_id, "ben"), (anna, "anna")):
            unit.request_subscription(user_id, "telegram", ref, "de", ["housing"], "v1")
            unit.confirm_subscription(user_id, "telegram", ref, "de", ["housing"], "v1")

    await store.run(join_and_subscribe)
    lands = {sub.user_id: (land, size) for sub, land, size, _ in await store.run(lambda unit: unit.subscribers())}
    assert lands == {anna: ("by", "m"), ben.user_id: ("by", "m")}
