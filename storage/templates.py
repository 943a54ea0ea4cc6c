"""A workspace's own document templates: one DOCX and one ODT at most, kept in the database."""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from sqlalchemy import delete, func, insert, select
from sqlmodel import col

from storage.base import UnitBase, aware
from storage.models import Template, Workspace, utcnow


class TemplateInfo(NamedTuple):
    """What is known about a stored template, without its bytes."""

    format: str
    file_name: str
    size: int
    uploaded_by: int | None
    uploaded_at: datetime


class Templates(UnitBase):
    """Mixed into the unit of work: store, list, fetch and remove a workspace's templates."""

    def template(self, wid: int, fmt: str) -> bytes | None:
        """The workspace's own template for ``fmt`` (docx, odt), or None: the default is used then."""
        return self.conn.execute(
            select(col(Template.data)).where(col(Template.workspace_id) == wid, col(Template.format) == fmt)
        ).scalar()

    def templates(self, wid: int) -> list[TemplateInfo]:
        """The workspace's templates by format, without their bytes."""
        rows = self.conn.execute(
            select(
                col(Template.format),
                col(Template.file_name),
                func.length(col(Template.data)),
                col(Template.uploaded_by),
                col(Template.uploaded_at),
            )
            .where(col(Template.workspace_id) == wid)
            .order_by(col(Template.format))
        ).all()
        return [TemplateInfo(f, n, size, by, aware(at)) for f, n, size, by, at in rows]

    def set_template(self, wid: int, fmt: str, file_name: str, data: bytes, by: int) -> bool:
        """Store the workspace's template for ``fmt``, replacing the one before; True when one was replaced."""
        replaced = self.remove_template(wid, fmt)
        self.conn.execute(
            insert(Template).values(
                workspace_id=wid, format=fmt, file_name=file_name[:255], data=data, uploaded_by=by, uploaded_at=utcnow()
            )
        )
        return replaced

    def remove_template(self, wid: int, fmt: str | None = None) -> bool:
        """Remove the workspace's template for ``fmt`` (None: every format); True when there was one."""
        condition = [col(Template.workspace_id) == wid] + ([col(Template.format) == fmt] if fmt else [])
        return bool(self.conn.execute(delete(Template).where(*condition)).rowcount)

    def uploaded_templates(self, user_id: int) -> list[tuple[str | None, str, datetime]]:
        """The templates a person sent that are still stored: workspace name, format and when (Art. 15 GDPR)."""
        rows = self.conn.execute(
            select(col(Workspace.name), col(Template.format), col(Template.uploaded_at))
            .join(Workspace, col(Workspace.id) == col(Template.workspace_id))
            .where(col(Template.uploaded_by) == user_id)
            .order_by(col(Template.uploaded_at))
        ).all()
        return [(name, fmt, aware(at)) for name, fmt, at in rows]
