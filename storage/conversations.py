"""A message's reads and writes: who wrote, their conversation and answers, and saving a turn.

Writers never overwrite what they did not see. Every save names the revision it read and is
written only while the conversation is still at it; otherwise :class:`Conflict` makes the whole
unit of work run again on the rows as they are now. The same check will guard any row that
several people write (a team's shared strategy), not only one person's conversation.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Literal, NamedTuple, cast

from sqlalchemy import delete, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError
from sqlmodel import col

from storage.base import (
    EMPTY,
    PROFILE_FIELDS,
    Account,
    Conflict,
    Direct,
    NeedsTransaction,
    Saved,
    Shared,
    Teammate,
    UnitBase,
    Written,
    aware,
)
from storage.models import Answer, Conversation, Erasure, Identity, utcnow
from storage.people import Subscriber, subject_of


class Change(NamedTuple):
    """One answer to write, as the engine classified it: ``answer`` (upsert ``new``), ``skip`` (upsert None)
    or ``remove`` (delete the row); ``old`` is what the audit entry keeps as before (None when absent).
    ``authors`` says who wrote each entry of a list answer, in order."""

    step_id: str
    kind: Literal["answer", "skip", "remove"]
    old: Any
    new: Any
    authors: list[int | None] | None = None


@dataclass
class Opened:
    """What a message needs to know before the engine runs: whether it is new, and whose it is."""

    fresh: bool
    """False when the message id was handled before (a redelivery): nothing more to do."""
    account: Account
    saved: Saved
    subscriber: Subscriber | None
    granted: str | None
    """A role granted in chat (``editor``), if any."""
    erased: bool = False
    """Nobody is behind the identity because they erased their data: nothing was created (``start_again``)."""


class Conversations(UnitBase):
    """Mixed into the unit of work: the reads and writes of one inbound message."""

    def claim_message(self, channel: str, message_id: str) -> bool:
        """Record an inbound message id; False when it was handled before."""
        result = self.q["claim"].run(self.conn, {"channel": channel, "mid": message_id, "now": utcnow()})
        return result.rowcount == 1

    def open(
        self, channel: str, ref: str, language: str, address: str | None = None, message_id: str | None = None
    ) -> Opened:
        """Claim an inbound message and open its sender's conversation, subscription and role.

        The person (user and identity) is created on first contact. On PostgreSQL the identity row
        stays locked until commit, so one person's messages are handled one after the other even
        across processes. ``address`` is where to write to them when it is not ``ref`` (a Matrix
        direct chat room); it is kept up to date. With ``message_id`` a message seen before comes
        back with ``fresh=False`` and nothing else is done.
        """
        now = utcnow()
        fresh, values = True, {"channel": channel, "ref": ref, "mid": message_id, "now": now}
        if not self.optimistic:  # claim (and on PostgreSQL lock) first; then read what is now there
            if self.dialect == "postgresql":
                fresh = self.q["lock"].rows(self.conn, values)[0][0]
            elif message_id is not None:
                fresh = self.claim_message(channel, message_id)
            values["mid"] = None
        row = self.q["open"].rows(self.conn, values)[0]
        (
            claimed,
            user_id,
            user_language,
            active,
            known_address,
            cid,
            revision,
            version,
            position,
            wid,
            wrev,
            wname,
            wrole,
            granted,
            sub_channel,
            sub_ref,
            sub_language,
            topics,
            consent_version,
            requested_at,
            confirmed_at,
        ) = row
        if not (fresh and claimed):
            return Opened(False, Account(user_id or 0, user_language or language, False), EMPTY, None, None)
        if user_id is None:
            if self._was_erased(channel, ref):
                return Opened(True, Account(0, language, created=False), EMPTY, None, None, erased=True)
            return Opened(True, self._new_person(channel, ref, language, address, now), EMPTY, None, None)
        if address is not None and address != known_address:
            self.q["address"].run(self.conn, {"channel": channel, "ref": ref, "address": address})
        if not active:  # they wrote again, so they can be reached again (e.g. unblocked the bot)
            self.set_reachable(channel, ref, True, None)
        if self.optimistic:
            if self.pending is not None:
                raise NeedsTransaction("a second person in one unit")
            self.pending = {"channel": channel, "mid": message_id}
        saved = EMPTY
        if cid is not None:
            if wid is not None and wrole is not None:
                saved = Saved(cid, revision, version, position, self.shared(wid, wrev, wname))
            else:  # removed from their workspace: nothing of it is shown, and a new one starts with the next save
                deleted = position.get("deleted") if wid is None and isinstance(position, dict) else None
                saved = Saved(
                    cid, revision, version, None, removed=(wname or "") if wid is not None else None, deleted=deleted
                )
        subscriber = None
        if sub_channel is not None:
            subscriber = Subscriber(
                user_id,
                sub_channel,
                sub_ref,
                sub_language,
                tuple(topics or ()),
                consent_version,
                requested_at,
                confirmed_at,
            )
        return Opened(True, Account(user_id, user_language, created=False), saved, subscriber, granted)

    def open_conversation(
        self, channel: str, ref: str, language: str, address: str | None = None
    ) -> tuple[Account, Saved]:
        """The person behind a channel identity (created on first contact) and their conversation."""
        opened = self.open(channel, ref, language, address)
        return opened.account, opened.saved

    def set_reachable(self, channel: str, ref: str, active: bool, status: str | None) -> None:
        """Record whether the platform lets us reach an identity (``status`` says why not)."""
        self.q["reachable"].run(
            self.conn, {"channel": channel, "ref": ref, "active": active, "status": status, "now": utcnow()}
        )

    def _was_erased(self, channel: str, ref: str) -> bool:
        subject = subject_of(self.key, channel, ref)
        return (
            self.conn.execute(select(col(Erasure.subject)).where(col(Erasure.subject) == subject)).first() is not None
        )

    def start_again(self, channel: str, ref: str, language: str, address: str | None = None) -> Account:
        """A person who erased their data starts afresh: a new person, and the erasure is forgotten."""
        self.conn.execute(delete(Erasure).where(col(Erasure.subject) == subject_of(self.key, channel, ref)))
        return self._new_person(channel, ref, language, address, utcnow())

    def _new_person(self, channel: str, ref: str, language: str, address: str | None, now: datetime) -> Account:
        try:
            user_id = self.q["new_user"].rows(self.conn, {"lang": language, "now": now})[0][0]
            self.q["new_identity"].run(
                self.conn, {"uid": user_id, "channel": channel, "ref": ref, "now": now, "address": address}
            )
        except IntegrityError as exc:  # another process met this person at the same moment
            raise Conflict(f"{channel} identity created concurrently") from exc
        return Account(user_id, language, created=True)

    def shared(self, wid: int, revision: int, name: str | None) -> Shared:
        """A workspace's answers, authors, members and approvals (cached while its revision is the stored one)."""
        cached = self.cache.get(wid)
        if cached is not None and cached.revision == revision:
            return replace(cached, answers=dict(cached.answers))
        values = {"wid": wid}
        answers, written = {}, {}
        for step_id, value, author, at_revision, at, authors in self.q["answers"].rows(self.conn, values):
            answers[step_id] = value
            written[step_id] = Written(
                author, at_revision, _moment(at), tuple(authors) if authors is not None else None
            )
        channels: dict[int, list[str]] = {}
        people: dict[int, tuple[str, str | None, bool]] = {}
        for user_id, role, member_name, notices, channel in self.q["members"].rows(self.conn, values):
            people[user_id] = (role, member_name, notices)
            if channel is not None and channel not in channels.setdefault(user_id, []):
                channels[user_id].append(channel)
        members = tuple(Teammate(u, r, n, bool(x), tuple(channels.get(u, ()))) for u, (r, n, x) in people.items())
        approvals = {
            stage: (on, dict(snapshot or {})) for stage, on, snapshot in self.q["approvals"].rows(self.conn, values)
        }
        shared = Shared(wid, revision, name, answers, written, members, approvals)
        self.cache.put(replace(shared, answers=dict(answers)))
        return shared

    def set_profile(self, user_id: int, profile: dict[str, Any]) -> None:
        """Keep the municipality profile and the workspace's name in step with the answers they come from
        (after ``save``)."""
        values = {k: profile.get(k) for k in PROFILE_FIELDS}
        name = values["name"] if isinstance(values["name"], str) else None
        if self.optimistic:
            if self.pending is None or "cid" not in self.pending:
                raise NeedsTransaction("profile without a save")
            self.pending["profile"] = json.dumps(values)
            self.pending["wname"] = name
            return
        self.q["profile"].run(self.conn, {"uid": user_id, "now": utcnow(), **values})
        if name is not None:
            self.q["workspace_name"].run(self.conn, {"uid": user_id, "wname": name[:255]})

    def save(
        self,
        user_id: int,
        saved: Saved,
        version: str,
        position: dict[str, Any],
        changes: list[Change],
        language: str,
        name: str | None = None,
    ) -> int:
        """Store the new position and every changed answer of the workspace, each with an audit entry.

        Written only if the conversation is still at the revision ``saved`` was read at and, when
        answers change, the workspace too; otherwise another writer came first and :class:`Conflict`
        is raised (nothing of it is kept). A person without a workspace (new, or removed from theirs)
        gets one of their own, as its coordinator, under ``name``. An optimistic unit keeps the save
        for ``flush``.
        """
        now = utcnow()
        conversation_id, shared = saved.conversation_id, saved.shared
        language_changed = saved.position is not None and saved.position.get("lang") != language
        if conversation_id is None or shared is None:
            if self.optimistic:
                raise NeedsTransaction("new workspace")
            wid = self.q["new_workspace"].rows(self.conn, {"now": now})[0][0]
            self.q["new_member"].run(
                self.conn, {"wid": wid, "uid": user_id, "role": "coordinator", "name": name, "now": now}
            )
            self.workspace = wid
            if conversation_id is None:
                try:
                    conversation_id = self.q["new_conversation"].rows(
                        self.conn, {"uid": user_id, "wid": wid, "version": version, "position": position, "now": now}
                    )[0][0]
                except IntegrityError as exc:
                    raise Conflict("conversation created concurrently") from exc
            else:
                self._move(self._values(user_id, saved, version, position, now, wid, 0))
                self.q["join_workspace"].run(self.conn, {"cid": conversation_id, "wid": wid})
            self._write_answers(user_id, wid, 1, changes, now)
        else:
            self.workspace = shared.workspace_id
            values = self._values(user_id, saved, version, position, now, shared.workspace_id, shared.revision)
            if self.optimistic:
                if language_changed or self.pending is None:
                    raise NeedsTransaction("save")
                self.pending |= values | {"changes": _changes_json(changes), "profile": None}
            elif self.dialect == "postgresql":
                self._save_in_one_statement(
                    values | {"mid": None, "channel": None, "profile": None, "changes": _changes_json(changes)}
                )
            else:
                self._move(values)
                if changes:
                    if self.q["bump"].run(self.conn, values).rowcount != 1:
                        raise Conflict(f"workspace {shared.workspace_id} is no longer at revision {shared.revision}")
                    self._write_answers(user_id, shared.workspace_id, shared.revision + 1, changes, now)
            if changes:
                self._publish(user_id, shared, changes, now)
        if language_changed:
            self.q["language"].run(self.conn, {"uid": user_id, "lang": language})
        return conversation_id

    @staticmethod
    def _values(
        user_id: int, saved: Saved, version: str, position: dict[str, Any], now: datetime, wid: int, wseen: int
    ) -> dict[str, Any]:
        return {
            "uid": user_id,
            "cid": saved.conversation_id,
            "seen": saved.revision,
            "revision": saved.revision + 1,
            "version": version,
            "position": position,
            "now": now,
            "wid": wid,
            "wseen": wseen,
            "wrevision": wseen + 1,
            "wname": None,
        }

    def _move(self, values: dict[str, Any]) -> None:
        if self.q["move"].run(self.conn, values).rowcount != 1:
            raise Conflict(f"conversation {values['cid']} is no longer at revision {values['seen']}")

    def flush(self, conn: Connection) -> None:
        """Write what an optimistic unit kept: its save and its message id, in one atomic statement."""
        if self.pending is not None and "cid" in self.pending:
            self._save_in_one_statement(self.pending, cast(Connection, Direct(conn)))

    def _save_in_one_statement(self, values: dict[str, Any], conn: Connection | None = None) -> None:
        """PostgreSQL: the whole save as one statement (see ``_PG_SAVE``)."""
        values = values | {"position": json.dumps(values["position"])}
        if self.q["save"].rows(conn or self.conn, values)[0][0] != 1:
            raise Conflict(f"conversation {values['cid']} or its workspace changed since revision {values['seen']}")

    def _write_answers(self, user_id: int, wid: int, revision: int, changes: list[Change], now: datetime) -> None:
        upserts, removed, audit = [], [], []
        for change in changes:
            step_id, kind, old, new = change.step_id, change.kind, change.old, change.new
            if kind == "remove":
                removed.append(step_id)
            else:
                upserts.append(
                    {
                        "wid": wid,
                        "sid": step_id,
                        "value": new,
                        "uid": user_id,
                        "authors": change.authors,
                        "wrevision": revision,
                        "now": now,
                    }
                )
            audit.append(
                {"uid": user_id, "wid": wid, "now": now, "action": kind, "sid": step_id, "old": old, "new": new}
            )
        if upserts:
            self.q["answer"].run_many(self.conn, upserts)
        if removed:
            self.conn.execute(delete(Answer).where(col(Answer.workspace_id) == wid, col(Answer.step_id).in_(removed)))
        if audit:
            self.q["audit"].run_many(self.conn, audit)

    def _publish(self, user_id: int, shared: Shared, changes: list[Change], now: datetime) -> None:
        answers, written, revision = dict(shared.answers), dict(shared.written), shared.revision + 1
        for change in changes:
            if change.kind == "remove":
                answers.pop(change.step_id, None)
                written.pop(change.step_id, None)
            else:
                answers[change.step_id] = change.new
                authors = tuple(change.authors) if change.authors is not None else None
                written[change.step_id] = Written(user_id, revision, now, authors)
        self.committed[shared.workspace_id] = replace(shared, revision=revision, answers=answers, written=written)

    # -- reachability and identity moves --------------------------------------------
    def set_unreachable_at(self, channel: str, address: str, status: str) -> None:
        """Mark the identities that are reached at ``address`` as unreachable."""
        self.conn.execute(
            update(Identity)
            .where(col(Identity.channel) == channel, col(Identity.address) == address)
            .values(active=False, status=status, status_at=utcnow())
        )

    def move_identity(self, channel: str, ref: str, new_ref: str) -> None:
        """The platform moved a chat to a new id (a Telegram group upgraded to a supergroup)."""
        self.conn.execute(
            update(Identity)
            .where(col(Identity.channel) == channel, col(Identity.ref) == ref)
            .values(ref=new_ref, status="migrated", status_at=utcnow())
        )

    def conversations_not_on(self, version: str) -> list[tuple[str, str | None]]:
        """Content version and current step of every conversation on another version."""
        rows = self.conn.execute(
            select(col(Conversation.content_version), col(Conversation.position)).where(
                col(Conversation.content_version) != version
            )
        ).all()
        return [(v, (position or {}).get("step")) for v, position in rows]

    def users_of(self, channel: str) -> list[int]:
        """Users with an identity on a channel (the benchmark removes its simulated users)."""
        return list(self.conn.execute(select(col(Identity.user_id)).where(col(Identity.channel) == channel)).scalars())


def _moment(value: datetime | str) -> datetime:
    """A time as the hot path's driver statement reads it: SQLite's driver hands over the stored text."""
    return aware(datetime.fromisoformat(value) if isinstance(value, str) else value)


def _changes_json(changes: list[Change]) -> str:
    """Answer changes as the JSON rows the PostgreSQL save statement reads."""
    return json.dumps(
        [{"step_id": c.step_id, "value": c.new, "old": c.old, "action": c.kind, "authors": c.authors} for c in changes]
    )
