"""A document as DOCX: the content built with python-docx, poured into a template's ``{{p body }}`` by docxtpl.

The template (content/templates/document.docx or a municipality's own, with its letterhead) keeps its
header, footer, page setup and styles; its placeholders are :data:`FIELDS` and ``body``. The content
brings the default template's styles along only where the template lacks them (docxcompose).
Every value reaches the XML escaped and with its braces as character references, so user text such
as ``{{ body }}`` or ``<b>`` stays text and is never templated again. The Werkstattplan's ten columns
get a landscape section of their own, set in 9 pt type (:data:`WIDE`); its page setup is the template's, turned.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from copy import deepcopy
from io import BytesIO
from pathlib import Path
from typing import Any
from zipfile import BadZipFile

import docx
from docx.document import Document as Word
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import _Cell
from docxtpl import DocxTemplate
from jinja2 import StrictUndefined, TemplateError, UndefinedError
from jinja2.sandbox import SandboxedEnvironment
from lxml.etree import XMLSyntaxError
from markupsafe import Markup, escape

from bot.documents import charts, language
from bot.documents.errors import BadTemplate
from flows.documents.model import Cell, Chart, Document, Items, Section, Table, Text

DEFAULT = "document.docx"
FIELDS = ("title", "subtitle", "municipality", "date", "approval", "version", "kind")
"""The placeholders a template may use besides ``body`` (documented in the README)."""
WIDE, SMALL = 7, Pt(9)
"""Tables with more columns than WIDE (the Werkstattplan) stand on landscape pages, in SMALL type."""
_OURS = "0DA45EC7"
"""Marks (as w:rsidR) the section breaks the content brings, to give them the template's page setup."""
CHART_WIDTH = Cm(16)
_BODY = re.compile(r"\{\{\s*(p\s+)?body\s*\}\}")
_UNPRINTABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def render(document: Document, template: bytes | None, templates: Path) -> bytes:
    """The document in ``template`` (None: the default one); BadTemplate says why a template cannot be used."""
    base = (templates / DEFAULT).read_bytes()
    word = _open(template if template is not None else base)
    placed = _body_placeholder(word.get_docx())
    body = word.new_subdoc(BytesIO(_content(document, base)))
    context: dict[str, Any] = dict.fromkeys(FIELDS, "") | {k: _clean(v) for k, v in document.fields.items()}
    try:
        word.render(context | {"body": body}, _environment())
    except TemplateError as exc:
        raise BadTemplate(_reason(exc)) from exc
    except (XMLSyntaxError, ValueError) as exc:
        raise BadTemplate(f"the placeholders break the document's structure ({exc})") from exc
    result: Word = word.docx
    if not placed:
        _append(result, body.subdocx)
    _page_setup(result)
    _renumber_pictures(result)
    _language(result, document)
    out = BytesIO()
    word.save(out)
    return out.getvalue()


def _open(source: bytes) -> DocxTemplate:
    word = DocxTemplate(BytesIO(source))
    try:
        word.get_docx()
    except (PackageNotFoundError, BadZipFile, KeyError, ValueError, XMLSyntaxError) as exc:
        raise BadTemplate(f"not a DOCX file: {exc}") from exc
    return word


def _body_placeholder(template: Word) -> bool:
    """Whether the template places the content itself; ``{{ body }}`` inside a line cannot hold paragraphs."""
    for paragraph in template.element.body.iter(qn("w:p")):
        text = "".join(t.text or "" for t in paragraph.iter(qn("w:t")))
        for match in _BODY.finditer(text):
            if not match.group(1):
                raise BadTemplate("write {{p body }} in a paragraph of its own, not {{ body }}")
            return True
    return False


def _environment() -> SandboxedEnvironment:
    """A template is a municipality's file: sandboxed, every name must be a known field, every value escaped."""
    return SandboxedEnvironment(autoescape=True, undefined=StrictUndefined, finalize=_literal)


def _literal(value: Any) -> Markup:
    """The value as XML text whose braces no later pass of docxtpl can read as a placeholder."""
    xml = Markup(value.__html__()) if hasattr(value, "__html__") else escape(str(value))
    return Markup(str(xml).replace("{", "&#123;").replace("}", "&#125;"))


def _reason(exc: TemplateError) -> str:
    if isinstance(exc, UndefinedError):
        return f"unknown placeholder: {exc.message}; the fields are body, {', '.join(FIELDS)}"
    near = " ".join(line.strip() for line in getattr(exc, "docx_context", ()) if line.strip())
    return f"placeholder error: {exc.message}" + (f", near “{near[:120]}”" if near else "")


def _clean(text: str) -> str:
    """Text without the control characters XML cannot hold (a pasted bell or form feed)."""
    return _UNPRINTABLE.sub("", text)


def _content(document: Document, base: bytes) -> bytes:
    """The title page and every section, as a DOCX on the default template's styles (its body emptied)."""
    word = docx.Document(BytesIO(base))
    body = word.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    word.add_paragraph(_clean(document.title), style="Title")
    if document.subtitle:
        word.add_paragraph(_clean(document.subtitle), style="Subtitle")
    for label, value in document.cover:
        line = word.add_paragraph()
        line.add_run(_clean(f"{label}: ")).bold = True
        line.add_run(_clean(value))
    if document.sections:
        word.add_page_break()
    for section in document.sections:
        _section(word, section, document.lang)
    out = BytesIO()
    word.save(out)
    return out.getvalue()


def _section(word: Word, section: Section, lang: str) -> None:
    """A heading, its state and its blocks; a section with a wide table stands on landscape pages as a whole."""
    if any(isinstance(block, Table) and block.columns > WIDE for block in section.blocks):
        _turned(word, lambda: _blocks(word, section, lang))
    else:
        _blocks(word, section, lang)


def _blocks(word: Word, section: Section, lang: str) -> None:
    word.add_heading(_clean(section.title), min(max(section.level, 1), 9))
    if section.state:
        word.add_paragraph(_clean(section.state), style="Note")
    for block in section.blocks:
        if isinstance(block, Text):
            _text(word, block)
        elif isinstance(block, Items):
            style = "List Number" if block.numbered else "List Bullet"
            for item in block.items:
                word.add_paragraph(_clean(item), style=style)
        elif isinstance(block, Table):
            _table(word, block)
        elif isinstance(block, Chart):
            _chart(word, block, lang)


def _turned(word: Word, content: Callable[[], None]) -> None:
    """``content`` on landscape pages: a section break before and after it (marked, see :func:`_page_setup`)."""
    for orientation in (WD_ORIENT.LANDSCAPE, WD_ORIENT.PORTRAIT):
        word.add_section(WD_SECTION.NEW_PAGE)
        ended = word.sections[-2]._sectPr
        ended.set(qn("w:rsidR"), _OURS)
        page = word.sections[-1]
        page.orientation = orientation
        width, height = page.page_width, page.page_height
        if width and height and (width > height) != (orientation == WD_ORIENT.LANDSCAPE):
            page.page_width, page.page_height = height, width
        if orientation == WD_ORIENT.LANDSCAPE:
            content()


def _page_setup(result: Word) -> None:
    """The content's section breaks take the template's page setup (landscape ones turned, without headers' refs).

    The first keeps the template's own header, footer and first page; the template's last section, which
    now follows a landscape one, no longer starts with its first-page letterhead.
    """
    body = result.element.body
    final = body.sectPr
    ours = [s for s in body.iter(qn("w:sectPr")) if s.get(qn("w:rsidR")) == _OURS and s is not final]
    if final is None or final.find(qn("w:pgSz")) is None or not ours:
        return
    for n, sectPr in enumerate(ours):
        turned = sectPr.find(qn("w:pgSz")).get(qn("w:orient")) == "landscape"
        copy = deepcopy(final)
        if n or turned:
            for child in copy.findall(qn("w:headerReference")) + copy.findall(qn("w:footerReference")):
                copy.remove(child)
        if turned:
            size = copy.find(qn("w:pgSz"))
            width, height = size.get(qn("w:w")), size.get(qn("w:h"))
            size.set(qn("w:w"), max(width, height, key=int))
            size.set(qn("w:h"), min(width, height, key=int))
            size.set(qn("w:orient"), "landscape")
        for child in copy.findall(qn("w:titlePg")) if n else ():
            copy.remove(child)
        sectPr.getparent().replace(sectPr, copy)
    for child in final.findall(qn("w:titlePg")) + final.findall(qn("w:type")):
        final.remove(child)


def _text(word: Word, block: Text) -> None:
    if block.style == "note":
        word.add_paragraph(_clean(block.text), style="Note")
    else:
        word.add_paragraph().add_run(_clean(block.text)).bold = block.style == "strong"


def _table(word: Word, table: Table) -> None:
    """A real table: header row repeated on each page and bold, amounts right-aligned, the total row bold."""
    if table.caption:
        word.add_paragraph(_clean(table.caption), style="Caption").paragraph_format.keep_with_next = True
    rows: list[tuple[str | Cell, ...]] = [table.header] if table.header else []
    rows += [*table.rows, *([table.total] if table.total else [])]
    grid = word.add_table(rows=len(rows), cols=table.columns)
    grid.style = "Table Grid"
    small = table.columns > WIDE
    last = len(rows) - 1
    for n, (row, values) in enumerate(zip(grid.rows, rows, strict=True)):
        bold = (n == 0 and bool(table.header)) or (n == last and bool(table.total))
        for column, (cell, value) in enumerate(zip(row.cells, values, strict=False)):
            right = column in table.numeric and not (n == 0 and table.header)
            _cell(cell, value, bold, right, small)
    if table.header:
        header = grid.rows[0]._tr.get_or_add_trPr()
        header.append(OxmlElement("w:tblHeader"))


def _cell(cell: _Cell, value: str | Cell, bold: bool, right: bool, small: bool) -> None:
    paragraph = cell.paragraphs[0]
    title = value.title if isinstance(value, Cell) else value
    run = paragraph.add_run(_clean(title))
    run.bold = bold or isinstance(value, Cell)
    runs = [run]
    for line in value.lines if isinstance(value, Cell) else ():
        runs.append(cell.add_paragraph().add_run(_clean(line)))
    if right:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if small:
        for each in runs:
            each.font.size = SMALL


def _chart(word: Word, chart: Chart, lang: str) -> None:
    """The chart as an inline picture whose alternative text (docPr descr) lists the values."""
    picture = word.add_picture(BytesIO(charts.picture(chart, lang)), width=CHART_WIDTH)
    properties = picture._inline.docPr
    properties.set("descr", _clean(chart.alt))
    properties.set("title", _clean(chart.title))


def _append(result: Word, content: Word) -> None:
    """The content after the template's own text, for a template without ``{{p body }}``."""
    end = result.element.body.sectPr
    for child in list(content.element.body):
        if child.tag == qn("w:sectPr"):
            continue
        if end is not None:
            end.addprevious(child)
        else:
            result.element.body.append(child)


def _renumber_pictures(result: Word) -> None:
    """Each drawing's id unique in the document (Word calls the file damaged otherwise)."""
    for n, properties in enumerate(result.element.body.iter(qn("wp:docPr")), start=1):
        properties.set("id", str(n))


def _language(result: Word, document: Document) -> None:
    """The reader's language for spelling and hyphenation (w:lang in the default run properties) and the title."""
    tag = language.tag(document.lang)
    defaults = result.styles.element.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = OxmlElement("w:docDefaults")
        result.styles.element.insert(0, defaults)
    run = defaults.find(qn("w:rPrDefault"))
    if run is None:
        run = OxmlElement("w:rPrDefault")
        defaults.insert(0, run)
    properties = run.find(qn("w:rPr"))
    if properties is None:
        properties = OxmlElement("w:rPr")
        run.append(properties)
    for lang in [*result.styles.element.iter(qn("w:lang"))]:
        lang.set(qn("w:val"), tag)
    if properties.find(qn("w:lang")) is None:
        lang = OxmlElement("w:lang")
        lang.set(qn("w:val"), tag)
        properties.append(lang)
    result.core_properties.language = tag
    result.core_properties.title = _clean(document.title)
    if document.subtitle:
        result.core_properties.subject = _clean(document.subtitle)
