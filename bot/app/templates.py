"""Carries out the template screen's actions: a workspace's own DOCX/ODT templates, stored in the database."""

from __future__ import annotations

from typing import cast

from bot.documents.templates import kind_of
from flows.content.i18n import Translator
from flows.content.loader import Content
from flows.conversation.actions import RemoveTemplate, SaveTemplate, SendDefaultTemplates, ShowTemplates
from flows.conversation.screens import templates as screen
from flows.messages import Attachment, Outbound
from flows.team import messages as team_messages
from flows.team.view import Mate
from flows.team.view import Role as TeamRole
from storage.store import Unit

TemplateAction = ShowTemplates | SendDefaultTemplates | SaveTemplate | RemoveTemplate
MEDIA_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "odt": "application/vnd.oasis.opendocument.text",
}


def act(unit: Unit, content: Content, user_id: int, actor: str, action: TemplateAction, t: Translator) -> Outbound:
    """Do one template action for ``user_id`` (``actor`` as the admin log names them); the reply to show."""
    if isinstance(action, SendDefaultTemplates):
        return defaults(content, t)
    wid = action.workspace_id if action.workspace_id is not None else unit.workspace
    team = [Mate(u, cast(TeamRole, r), n) for u, r, n in unit.members(wid)] if wid is not None else []
    if wid is None or not any(m.user_id == user_id and m.role == "coordinator" for m in team):
        names = [team_messages.label(t, team, m.user_id) for m in team if m.role == "coordinator"]
        return team_messages.say(team_messages.not_coordinator(t, names))  # demoted since the engine looked
    if isinstance(action, ShowTemplates):
        rows = [
            (i.format, i.file_name, team_messages.label(t, team, i.uploaded_by or 0), i.uploaded_at)
            for i in unit.templates(wid)
        ]
        return screen.status(t, rows)
    target = f"workspace:{wid}"
    if isinstance(action, SaveTemplate):
        if kind_of(action.data) != action.format:  # checked in full before the unit (Companion.handle)
            return team_messages.say(t("I could not store that template. Please send it again."))
        replaced = unit.set_template(wid, action.format, action.file_name, action.data, user_id)
        unit.log_admin(actor, "set_template", target, {"format": action.format, "bytes": len(action.data)})
        return screen.saved(t, action.format, action.file_name, replaced)
    formats = [f for f in ((action.format,) if action.format else screen.FORMATS) if unit.remove_template(wid, f)]
    if formats:
        unit.log_admin(actor, "remove_template", target, {"formats": formats})
    return screen.removed(t, formats)


def defaults(content: Content, t: Translator) -> Outbound:
    """The default templates (content/templates/document.docx and .odt) as files, those that exist."""
    folder = content.root / "templates"
    files = [
        Attachment(f"document.{fmt}", MEDIA_TYPES[fmt], (folder / f"document.{fmt}").read_bytes())
        for fmt in screen.FORMATS
        if (folder / f"document.{fmt}").is_file()
    ]
    return Outbound(attachments=files) if files else screen.no_defaults(t)
