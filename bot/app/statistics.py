"""The chat side of the statistics: a file sent in the Kommunalprofil, read before the unit of work and off the event
loop; the register template; a read file's figures stored for the workspace.

What is said lives in flows/conversation/screens/indicators.py; this moves bytes and rows.
"""

from __future__ import annotations

import asyncio
import logging
from typing import cast

from bot.app.figures import store_sheet
from flows.content.i18n import Translator
from flows.conversation.actions import ImportSheet, SendRegisterTemplate
from flows.conversation.screens import indicators
from flows.messages import Attachment, Inbound, Outbound
from flows.statistics.model import Problem, Rejected, Sheet
from flows.statistics.register import is_register, read_register, register_template
from flows.statistics.tables import looks_like_statistics, read_table
from flows.team import messages as team_messages
from flows.team.view import Mate
from flows.team.view import Role as TeamRole
from storage.store import Unit

log = logging.getLogger(__name__)
StatisticsAction = ImportSheet | SendRegisterTemplate
CSV = "text/csv"


async def read_sheet(inbound: Inbound) -> Sheet | Rejected | None:
    """The statistics file ``inbound`` carries, read in a worker thread: what it holds, why it cannot be imported,
    or None when it carries no statistics file (no bytes, a DOCX/ODT template, anything else)."""
    upload = inbound.file
    if upload is None or upload.data is None or upload.kind is not None:
        return None
    name = inbound.file_name or ""
    if not looks_like_statistics(upload.data, name, upload.media_type):
        return None
    return await asyncio.to_thread(read, upload.data, name)


def read(data: bytes, file_name: str = "") -> Sheet | Rejected:
    """A statistics download (Regionaldatenbank, GENESIS, flat file) or the filled register template; the register
    extract is read without a region (the engine gives it the municipality's key)."""
    try:
        if is_register(data):
            return read_register(data, "")
        return read_table(data, file_name)
    except Rejected as rejected:
        return rejected
    except Exception:  # a reader's bug must not cost the person their message
        log.exception("a statistics file could not be read")
        return Rejected([Problem(indicators.UNREADABLE)])


def act(unit: Unit, user_id: int, actor: str, action: StatisticsAction, t: Translator) -> Outbound:
    """Send the register template, or store a read file's figures for the workspace; the reply to show."""
    if isinstance(action, SendRegisterTemplate):
        return Outbound(attachments=[Attachment(action.file_name, CSV, register_template(action.lang))])
    wid = action.workspace_id if action.workspace_id is not None else unit.workspace
    team = [Mate(u, cast(TeamRole, r), n) for u, r, n in unit.members(wid)] if wid is not None else []
    me = next((m for m in team if m.user_id == user_id), None)
    if wid is None or me is None or me.role not in ("coordinator", "editor"):  # changed since the engine looked
        return indicators.not_stored(
            t, [team_messages.label(t, team, m.user_id) for m in team if m.role == "coordinator"]
        )
    stored = store_sheet(unit, action.sheet, action.data, action.file_name, actor, wid)
    return indicators.stored(t, stored.figures, stored.new)
