"""People: subscriptions with provable consent, roles granted in chat, the admin log, erasure and "my data"."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlmodel import col

from storage.base import PROFILE_FIELDS, aware
from storage.events import Events
from storage.exchange import agreed_by
from storage.models import (
    AdminLog,
    Answer,
    AuditEntry,
    ConsentRecord,
    Conversation,
    Erasure,
    Identity,
    Member,
    Municipality,
    Role,
    Subscription,
    User,
    table_of,
    utcnow,
)
from storage.templates import Templates
from storage.workspaces import Workspaces


@dataclass(frozen=True)
class Subscriber:
    """A subscription as the engine and the sender see it."""

    user_id: int
    channel: str
    ref: str
    language: str
    topics: tuple[str, ...]
    consent_version: str
    requested_at: datetime
    confirmed_at: datetime | None

    @property
    def active(self) -> bool:
        return self.confirmed_at is not None


def subject_of(key: bytes, channel: str, ref: str) -> str:
    """A stable pseudonym for a platform id: what remains of a person after erasure.

    HMAC-SHA256 with the operator's secret key, so nobody without the key can recompute it from an id.
    """
    return hmac.new(key, f"{channel}:{ref}".encode(), hashlib.sha256).hexdigest()


class People(Events, Workspaces, Templates):
    """Mixed into the unit of work. On top of ``Events``: what a person attends is part of their data."""

    def subscription(self, user_id: int) -> Subscriber | None:
        s = self.conn.execute(select(Subscription).where(col(Subscription.user_id) == user_id)).first()
        return _subscriber(s) if s is not None else None

    def request_subscription(
        self, user_id: int, channel: str, ref: str, language: str, topics: list[str], consent_version: str
    ) -> None:
        """The consent text was shown and confirmation asked for (first step of the double opt-in)."""
        now = _second(utcnow())
        self.conn.execute(
            delete(Subscription).where(col(Subscription.user_id) == user_id, col(Subscription.confirmed_at).is_(None))
        )
        current = self.subscription(user_id)
        if current is None:
            self.conn.execute(
                insert(Subscription).values(
                    user_id=user_id,
                    channel=channel,
                    ref=ref,
                    language=language,
                    topics=topics,
                    consent_version=consent_version,
                    requested_at=now,
                    confirmed_at=None,
                    updated_at=now,
                )
            )
        self._consent(user_id, channel, ref, "requested", consent_version, topics, language, now)

    def confirm_subscription(
        self, user_id: int, channel: str, ref: str, language: str, topics: list[str], consent_version: str
    ) -> None:
        """The explicit confirmation: from now on the person receives newsletters."""
        now = _second(utcnow())
        current = self.subscription(user_id)
        if current is None:
            self.request_subscription(user_id, channel, ref, language, topics, consent_version)
        if current is not None and current.active:
            self.conn.execute(
                update(Subscription)
                .where(col(Subscription.user_id) == user_id)
                .values(
                    language=language,
                    topics=topics,
                    consent_version=consent_version,
                    channel=channel,
                    ref=ref,
                    requested_at=now,
                    confirmed_at=now,
                    updated_at=now,
                )
            )
        else:
            self.conn.execute(
                update(Subscription)
                .where(col(Subscription.user_id) == user_id)
                .values(
                    language=language, topics=topics, consent_version=consent_version, confirmed_at=now, updated_at=now
                )
            )
        self._consent(user_id, channel, ref, "confirmed", consent_version, topics, language, now)

    def change_subscription(self, user_id: int, language: str, topics: list[str]) -> None:
        """New topics or language within the consent already given."""
        current = self.subscription(user_id)
        if current is None or not current.active:
            return
        now = _second(utcnow())
        self.conn.execute(
            update(Subscription)
            .where(col(Subscription.user_id) == user_id)
            .values(language=language, topics=topics, updated_at=now)
        )
        self._consent(user_id, current.channel, current.ref, "changed", current.consent_version, topics, language, now)

    def withdraw_subscription(self, user_id: int) -> bool:
        """End it now (Art. 7(3) GDPR); False when there was nothing to end."""
        current = self.subscription(user_id)
        if current is None:
            return False
        self.conn.execute(delete(Subscription).where(col(Subscription.user_id) == user_id))
        action = "withdrawn" if current.active else "declined"
        self._consent(
            user_id, current.channel, current.ref, action, current.consent_version, None, None, _second(utcnow())
        )
        return current.active

    def consent_history(self, user_id: int) -> list[dict[str, Any]]:
        rows = self.conn.execute(
            select(ConsentRecord).where(col(ConsentRecord.user_id) == user_id).order_by(col(ConsentRecord.id))
        ).all()
        return [
            {
                "action": r.action,
                "at": r.at,
                "consent_version": r.consent_version,
                "channel": r.channel,
                "ref": r.ref,
                "topics": r.topics,
                "language": r.language,
            }
            for r in rows
        ]

    def erase_consent(self, user_id: int) -> None:
        """On erasure keep only the withdrawal, pseudonymised, to prove it and honour it."""
        last = self.conn.execute(
            select(ConsentRecord)
            .where(col(ConsentRecord.user_id) == user_id)
            .order_by(col(ConsentRecord.id).desc())
            .limit(1)
        ).first()
        if self.subscription(user_id) is not None:
            self.withdraw_subscription(user_id)
        self.conn.execute(
            delete(ConsentRecord).where(
                col(ConsentRecord.user_id) == user_id, col(ConsentRecord.action).not_in(("withdrawn",))
            )
        )
        kept = self.conn.execute(
            select(col(ConsentRecord.id), col(ConsentRecord.channel), col(ConsentRecord.ref)).where(
                col(ConsentRecord.user_id) == user_id, col(ConsentRecord.ref).is_not(None)
            )
        ).all()
        for record in kept:  # records of older versions carry an unkeyed hash
            self.conn.execute(
                update(ConsentRecord)
                .where(col(ConsentRecord.id) == record.id)
                .values(subject=subject_of(self.key, record.channel, record.ref))
            )
        self.conn.execute(
            update(ConsentRecord)
            .where(col(ConsentRecord.user_id) == user_id)
            .values(user_id=None, ref=None, topics=None, language=None)
        )
        if last is not None:
            subject = subject_of(self.key, last.channel, last.ref) if last.ref is not None else last.subject
            self.conn.execute(
                insert(ConsentRecord).values(
                    user_id=None,
                    subject=subject,
                    channel=last.channel,
                    ref=None,
                    action="erased",
                    consent_version=last.consent_version,
                    at=_second(utcnow()),
                )
            )

    def _consent(
        self,
        user_id: int,
        channel: str,
        ref: str,
        action: str,
        version: str,
        topics: list[str] | None,
        language: str | None,
        at: datetime,
    ) -> None:
        self.conn.execute(
            insert(ConsentRecord).values(
                user_id=user_id,
                subject=subject_of(self.key, channel, ref),
                channel=channel,
                ref=ref,
                action=action,
                consent_version=version,
                topics=topics,
                language=language,
                at=at,
            )
        )

    # -- recipients ------------------------------------------------------------
    def subscribers(self) -> list[tuple[Subscriber, str | None, str | None, list[tuple[str, str, str | None]]]]:
        """Every confirmed subscriber with their municipality's Land and size and reachable identities.

        The municipality is their workspace's: its profile as the member who last answered it gave it (a
        colleague who joined a team never answered the onboarding themselves)."""
        latest = (
            select(col(Municipality.user_id))
            .join(Member, col(Member.user_id) == col(Municipality.user_id))
            .where(col(Member.workspace_id) == col(Conversation.workspace_id))
            .order_by(col(Municipality.updated_at).desc())
            .limit(1)
            .scalar_subquery()
        )
        subs = self.conn.execute(
            select(*table_of(Subscription).c, col(Municipality.land), col(Municipality.size))
            .outerjoin(Conversation, col(Conversation.user_id) == Subscription.user_id)
            .outerjoin(Municipality, col(Municipality.user_id) == func.coalesce(latest, Subscription.user_id))
            .where(col(Subscription.confirmed_at).is_not(None))
        ).all()
        identities: dict[int, list[tuple[str, str, str | None]]] = {}
        for uid, channel, ref, address in self.conn.execute(
            select(col(Identity.user_id), col(Identity.channel), col(Identity.ref), col(Identity.address))
            .join(Subscription, col(Subscription.user_id) == Identity.user_id)
            .where(col(Identity.active).is_(True), col(Subscription.confirmed_at).is_not(None))
        ):
            identities.setdefault(uid, []).append((channel, ref, address))
        return [(_subscriber(s), s.land, s.size, identities.get(s.user_id, [])) for s in subs]

    def reach(self, channel: str, ref: str) -> tuple[str, str] | None:
        """(address, language) of an identity: where to write to it, and in which language."""
        row = self.conn.execute(
            select(func.coalesce(Identity.address, Identity.ref), col(User.language))
            .join(User, col(User.id) == Identity.user_id)
            .where(col(Identity.channel) == channel, col(Identity.ref) == ref)
        ).first()
        return (row[0], row[1]) if row else None

    # -- roles and the admin log -----------------------------------------------
    def role_of(self, channel: str, ref: str) -> str | None:
        return self.conn.execute(
            select(col(Role.role)).where(col(Role.channel) == channel, col(Role.ref) == ref)
        ).scalar()

    def grant(self, channel: str, ref: str, role: str, by: str) -> bool:
        """True when the role is new."""
        if self.role_of(channel, ref) == role:
            return False
        self.conn.execute(delete(Role).where(col(Role.channel) == channel, col(Role.ref) == ref))
        self.conn.execute(insert(Role).values(channel=channel, ref=ref, role=role, granted_by=by, granted_at=utcnow()))
        return True

    def revoke(self, channel: str, ref: str) -> bool:
        return self.conn.execute(delete(Role).where(col(Role.channel) == channel, col(Role.ref) == ref)).rowcount > 0

    def roles(self) -> list[tuple[str, str, str, str, datetime]]:
        return [
            (channel, ref, role, by, at)
            for channel, ref, role, by, at in self.conn.execute(
                select(
                    col(Role.channel), col(Role.ref), col(Role.role), col(Role.granted_by), col(Role.granted_at)
                ).order_by(col(Role.granted_at))
            )
        ]

    def log_admin(
        self, actor: str, action: str, target: str | None = None, detail: dict[str, Any] | None = None
    ) -> None:
        self.conn.execute(
            insert(AdminLog).values(at=utcnow(), actor=actor, action=action, target=target, detail=detail)
        )

    def admin_log(self, limit: int = 50) -> list[tuple[datetime, str, str, str | None]]:
        return [
            (at, actor, action, target)
            for at, actor, action, target in self.conn.execute(
                select(col(AdminLog.at), col(AdminLog.actor), col(AdminLog.action), col(AdminLog.target))
                .order_by(col(AdminLog.id).desc())
                .limit(limit)
            )
        ]

    # -- the person's rights -----------------------------------------------------
    def delete_user(self, user_id: int) -> None:
        """Erase a user and everything that hangs on them (Art. 17 GDPR).

        Of the consent records only a withdrawal stays, pseudonymised (see ``erase_consent``).
        """
        self.erase_consent(user_id)
        self.erased = True
        identities = self.conn.execute(
            select(col(Identity.channel), col(Identity.ref)).where(col(Identity.user_id) == user_id)
        ).all()
        for channel, ref in identities:
            subject = subject_of(self.key, channel, ref)
            self.conn.execute(delete(Erasure).where(col(Erasure.subject) == subject))
            self.conn.execute(insert(Erasure).values(subject=subject, at=_second(utcnow())))
        for wid, name, gone in self.leave_all(user_id):  # logged by user id only: nothing personal
            if gone:
                self.log_admin(f"user:{user_id}", "delete_workspace", f"workspace:{wid}", {"name": name})
            else:
                self.log_admin(f"user:{user_id}", "leave_by_erasure", f"workspace:{wid}")
        for table in (Conversation, Municipality, AuditEntry, Identity):
            self.conn.execute(delete(table).where(col(table.user_id) == user_id))
        self.conn.execute(delete(User).where(col(User.id) == user_id))

    def stored(self, user_id: int) -> dict[str, Any]:
        """Everything stored about a user, as plain data (Art. 15 GDPR)."""
        user = (self.conn.execute(select(User).where(col(User.id) == user_id))).one()
        identities = (
            self.conn.execute(
                select(col(Identity.channel), col(Identity.ref), col(Identity.created_at)).where(
                    col(Identity.user_id) == user_id
                )
            )
        ).all()
        profile = (self.conn.execute(select(Municipality).where(col(Municipality.user_id) == user_id))).first()
        conversation = (
            self.conn.execute(
                select(col(Conversation.id), col(Conversation.updated_at)).where(col(Conversation.user_id) == user_id)
            )
        ).first()
        answers = (
            self.conn.execute(select(func.count()).select_from(Answer).where(col(Answer.author_id) == user_id))
        ).scalar_one()
        audit = (
            self.conn.execute(select(func.count()).select_from(AuditEntry).where(col(AuditEntry.user_id) == user_id))
        ).scalar_one()
        return {
            "user_id": str(user.id),
            "created_at": aware(user.created_at),
            "language": user.language,
            "identities": [(c, r, aware(at)) for c, r, at in identities],
            "municipality": {k: getattr(profile, k) for k in PROFILE_FIELDS} if profile else {},
            "answers": answers,
            "workspaces": [(name, role) for _, name, role in self.memberships(user_id)],
            "audit_entries": audit,
            "conversation_updated_at": aware(conversation.updated_at) if conversation else None,
            "subscription": self.subscription(user_id),
            "consent": self.consent_history(user_id),
            "attending": sorted(self.attending(user_id)),
            "templates": self.uploaded_templates(user_id),
            "exchange": [
                {
                    "workspace": name,
                    "consent_version": row.consent_version,
                    "opted_in_at": row.opted_in_at,
                    "offers": row.offers,
                    "seeks": row.seeks,
                    "languages": row.languages,
                    "contact": row.contact,
                    "twin_town": row.twin_town,
                }
                for name, row in agreed_by(self.conn, user_id)
            ],
        }


def _subscriber(row: Any) -> Subscriber:
    return Subscriber(
        row.user_id,
        row.channel,
        row.ref,
        row.language,
        tuple(row.topics or ()),
        row.consent_version,
        row.requested_at,
        row.confirmed_at,
    )


def _second(value: datetime) -> datetime:
    """Consent times are kept to the second."""
    return value.replace(microsecond=0)
