"""Shared good practice in the shell: the ``CommonsPort`` on one unit of work, and storing submissions, reviews,
translations and adoptions."""

from __future__ import annotations

from datetime import datetime
from typing import cast

from flows.content.i18n import Translator
from flows.content.loader import Content
from flows.conversation.actions import AdoptPractice, ReviewPractice, SubmitPractice, TranslatePractice
from flows.exchange.model import SHARED_PREFIX, Commons, PracticeStatus, SharedPractice
from flows.messages import Outbound, Paragraph
from storage.commons import PracticeRow
from storage.store import Unit

PracticeAction = SubmitPractice | ReviewPractice | TranslatePractice | AdoptPractice


class StoredCommons:
    """:class:`flows.exchange.model.CommonsPort` for the person's workspace; read once per message, when asked.
    Practices waiting for review are read for editors and admins (``editor``) only."""

    def __init__(self, unit: Unit, workspace_id: int | None, editor: bool):
        self.unit = unit
        self.workspace_id = workspace_id
        self.editor = editor
        self._commons: Commons | None = None

    def commons(self) -> Commons:
        if self._commons is None:
            adopted = self.unit.adoptions()
            shared = [practice_of(r, adopted) for r in self.unit.visible_practices(self.workspace_id, self.editor)]
            self._commons = Commons(
                approved=tuple(p for p in shared if p.status == "approved"),
                waiting=tuple(p for p in shared if p.status == "submitted") if self.editor else (),
                mine=tuple(p for p in shared if p.workspace_id == self.workspace_id and self.workspace_id is not None),
                revision=self.unit.commons_revision(),
                adopted=adopted,
            )
        return self._commons


def practice_of(row: PracticeRow, adopted: dict[str, int]) -> SharedPractice:
    return SharedPractice(
        id=row.id,
        workspace_id=row.workspace_id,
        municipality=row.municipality,
        field=row.field,
        lang=row.lang,
        texts=row.texts,
        status=cast(PracticeStatus, row.status),
        measure=row.measure,
        submitted_at=row.submitted_at,
        adoptions=adopted.get(f"{SHARED_PREFIX}{row.id}", 0),
    )


def act(
    unit: Unit, content: Content, actor: str, user_id: int, action: PracticeAction, now: datetime, t: Translator
) -> Outbound | None:
    """Store a submission (a member of the workspace who may edit its plan; checked again here), an editor's review
    or translation (audited; the shell let only editors and admins through), or an adoption."""
    if isinstance(action, SubmitPractice):
        member = unit.member(action.workspace_id, user_id)
        if member is None or member[0] == "viewer":
            return _said(t("You are no longer a member of that team, so nothing was saved."))
        municipality = unit.workspace_name(action.workspace_id) or ""
        unit.submit_practice(
            action.workspace_id, action.measure, municipality, action.field, action.lang, action.text, user_id, now
        )
        return None
    if isinstance(action, ReviewPractice):
        done = unit.review_practice(action.practice_id, action.approve, actor, now)
        verdict = "approve_practice" if action.approve else "reject_practice"
        unit.log_admin(actor, verdict, f"practice:{action.practice_id}", {"done": done})
        return None if done else _said(t("That practice is no longer there, so nothing was saved."))
    if isinstance(action, TranslatePractice):
        done = unit.translate_practice(action.practice_id, action.lang, action.text, now)
        unit.log_admin(actor, "translate_practice", f"practice:{action.practice_id}", {"lang": action.lang})
        return None if done else _said(t("That practice is no longer there, so nothing was saved."))
    if action.workspace_id is not None and unit.member(action.workspace_id, user_id) is not None:
        unit.adopt(action.item, action.workspace_id, action.measure, now)
    return None


def _said(text: str) -> Outbound:
    return Outbound([Paragraph(text)])
