"""Linking a messenger to a person and deleting a workspace: done before the turn is saved, since both change
whose conversation the message belongs to. The rules are flows' (flows/team/codes.py, flows/team/deletion.py)."""

from __future__ import annotations

import random
from datetime import datetime

from flows.content.i18n import Translator
from flows.conversation.actions import DeleteWorkspace, MakeLinkCode
from flows.messages import Outbound
from flows.team import codes, linking
from flows.team.deletion import may_delete_workspace
from storage.store import Unit

_RANDOM = random.SystemRandom()


def make_code(unit: Unit, user_id: int, action: MakeLinkCode, now: datetime, t: Translator) -> Outbound:
    code = codes.new_code(_RANDOM)
    while unit.code_taken(code):
        code = codes.new_code(_RANDOM)
    unit.create_code(code, "link", user_id, None, None, now + codes.LINK_VALID)
    return linking.code_made(t, code, action.command)


def link(unit: Unit, user_id: int, code: str, now: datetime, t: Translator) -> tuple[bool, Outbound]:
    """Join the person writing to the code's person; False with the refusal when the code does not link."""
    wait = codes.wait_minutes(unit.failed_codes(user_id, now - codes.FAILURE_WINDOW), now)
    if wait:
        return False, linking.refused(t, "too_many", wait)
    row = unit.code(code, "link")
    why = codes.refusal(
        row is not None,
        row is not None and row.used_at is not None,
        row.expires_at if row is not None else None,
        row is not None and row.user_id == user_id,
        now,
    )
    if why is not None or row is None:
        if why != "own":
            unit.code_failed(user_id, now)
        return False, linking.refused(t, why or "unknown")
    if not unit.use_code(code, user_id):
        return False, linking.refused(t, "used")
    unit.merge_person(user_id, row.user_id)
    return True, linking.linked(t)


def delete_workspace(unit: Unit, user_id: int, actor: str, action: DeleteWorkspace) -> bool:
    """Delete the workspace if the person coordinates it; every deletion goes to the admin log."""
    role = next((r for wid, _, r in unit.memberships(user_id) if wid == action.workspace_id), None)
    if not may_delete_workspace(role):
        return False
    name = unit.delete_workspace(action.workspace_id, user_id)
    unit.log_admin(actor, "delete_workspace", f"workspace:{action.workspace_id}", {"name": name})
    return True
