"""A municipality's own DOCX or ODT template, checked before it is stored: it opens, its placeholders parse and
render with sample fields, and it says where the content goes."""

from __future__ import annotations

import asyncio
import io
import re
import zipfile
from dataclasses import replace

import jinja2
import odfdo
from docx import Document
from docxtpl import DocxTemplate, RichTextParagraph

from bot.documents.errors import BadTemplate
from flows.content.i18n import N_
from flows.messages import Inbound

ODT_TYPE = "application/vnd.oasis.opendocument.text"
SAMPLE = {
    "title": "Demografiestrategie",
    "subtitle": "Strategiedokument",
    "municipality": "Musterstadt",
    "date": "14.12.2026",
    "approval": "Entwurf",
    "version": "1",
    "kind": "strategy",
}
"""The fields every template may use (see the template screen in flows/conversation/screens/templates.py)."""
_ODT_BODY = re.compile(r"\{\{\s*body\s*\}\}")


def kind_of(data: bytes) -> str | None:
    """``docx`` or ``odt`` by what the file holds (not by its name), else None."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "mimetype" in names and archive.read("mimetype").startswith(b"application/vnd.oasis.opendocument."):
                return "odt"  # a spreadsheet or an .ott as well: the check says why it cannot be used
            return "docx" if "word/document.xml" in names else None
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError):
        return None


class Unusable(BadTemplate):
    """Why a template cannot be used, as a msgid (marked with ``N_``) and its values: translated where it is shown.

    ``str()`` is the English text, for logs."""

    def __init__(self, reason: str, **values: str) -> None:
        super().__init__(reason.format(**values))
        self.reason = reason
        self.values = values


CANNOT_OPEN = N_("the file cannot be opened as {format}: {error}")
WRONG_PLACEHOLDER = N_("a placeholder is written wrongly: {error}")
NO_BODY = N_("it has no {placeholder} placeholder for the content")
UNKNOWN_PLACEHOLDERS = N_("it has placeholders I do not know: {names}")
CANNOT_FILL = N_("it cannot be filled in: {error}")
NOT_TEXT = N_("it is not an ordinary text document (.odt)")


def check(data: bytes) -> tuple[str | None, Unusable | None]:
    """The template's format (None: not a DOCX or ODT file) and why it cannot be used (None: it can)."""
    kind = kind_of(data)
    try:
        if kind == "docx":
            check_docx(data)
        elif kind == "odt":
            check_odt(data)
    except Unusable as exc:
        return kind, exc
    return kind, None


def check_docx(data: bytes) -> None:
    """Opens with python-docx, its docxtpl placeholders parse, it has ``{{p body }}`` and renders with sample fields."""
    try:
        template = DocxTemplate(io.BytesIO(data))
        names = template.get_undeclared_template_variables()
    except jinja2.TemplateSyntaxError as exc:
        raise Unusable(WRONG_PLACEHOLDER, error=str(exc.message)) from exc
    except Exception as exc:  # a damaged file: python-docx and lxml raise many kinds
        raise Unusable(CANNOT_OPEN, format="DOCX", error=type(exc).__name__) from exc
    if "body" not in names:
        raise Unusable(NO_BODY, placeholder="{{p body }}")
    unknown = sorted(names - {*SAMPLE, "body"})
    if unknown:
        raise Unusable(UNKNOWN_PLACEHOLDERS, names=", ".join(f"{{{{ {name} }}}}" for name in unknown))
    try:
        body = RichTextParagraph()
        body.add("Inhalt")
        template.render({**SAMPLE, "body": body})
        out = io.BytesIO()
        template.save(out)
        Document(io.BytesIO(out.getvalue()))  # what it makes opens again
    except Exception as exc:
        raise Unusable(CANNOT_FILL, error=f"{type(exc).__name__}: {exc}") from exc


def check_odt(data: bytes) -> None:
    """Opens with odfdo as a text document and has ``{{ body }}`` in its text."""
    try:
        document = odfdo.Document(io.BytesIO(data))
        text = document.body.text_recursive
    except Exception as exc:  # a damaged file: odfdo and lxml raise many kinds
        raise Unusable(CANNOT_OPEN, format="ODT", error=type(exc).__name__) from exc
    if document.mimetype != ODT_TYPE:
        raise Unusable(NOT_TEXT)
    if not _ODT_BODY.search(text):
        raise Unusable(NO_BODY, placeholder="{{ body }}")


async def checked(inbound: Inbound) -> Inbound:
    """``inbound`` with its file's format and verdict when it holds a DOCX or ODT file; checked off the event loop."""
    upload = inbound.file
    if upload is None or upload.data is None or kind_of(upload.data) is None:
        return inbound
    kind, problem = await asyncio.to_thread(check, upload.data)
    if problem is None:
        return replace(inbound, file=replace(upload, kind=kind))
    return replace(inbound, file=replace(upload, kind=kind, problem=(problem.reason, tuple(problem.values.items()))))
