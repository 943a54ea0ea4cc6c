"""A Document as ODT (odfdo): the template's styles and letterhead kept, its fields filled, the content at {{ body }}.

Placeholders are written as docxtpl writes them, ``{{ municipality }}``; they may stand anywhere in
the body, header or footer, even split across differently formatted runs. The paragraph holding
``{{ body }}`` gives way to the content (which is appended when the template has none). Tables of
more than :data:`WIDE` columns (the Werkstattplan has ten) are set in small type, the page stays
portrait.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable, Mapping
from datetime import datetime
from io import BytesIO
from pathlib import Path

from odfdo import (
    PREV_SIBLING,
    Column,
    Element,
    EText,
    Frame,
    Header,
    HeaderRows,
    LineBreak,
    List,
    Paragraph,
    Row,
    Span,
    Style,
)
from odfdo import Cell as OdfCell
from odfdo import Document as Odt
from odfdo import Table as OdfTable

from bot.documents import charts, language
from bot.documents import odt_default as default
from bot.documents.errors import BadTemplate
from flows.documents.model import Cell, Chart, Document, Items, Section, Table, Text

PLACEHOLDER = re.compile(r"\{\{\s*(\w+)\s*\}\}")
BODY = "body"
WIDE = 6
"""Tables with more columns than this are set in small type (SMALL_PT instead of the cells' CELL_PT), hyphenated."""
CELL_PT, SMALL_PT = 10.0, 7.0
ODT_TYPE = "application/vnd.oasis.opendocument.text"
TEXT_STYLES = {"body": default.BODY, "note": default.NOTE, "strong": default.STRONG}
BORDER = "0.5pt solid #808080"


def render(document: Document, template: bytes | None, templates: Path) -> bytes:
    """The document as ODT bytes, in ``template`` (a municipality's ODT or OTT) or the default one."""
    original = (templates / default.FILE_NAME).read_bytes()
    odt = _open(template) if template is not None else Odt(BytesIO(original))
    if template is not None:
        _adopt_styles(odt, Odt(BytesIO(original)))
    anchor = _fill(odt, document.fields)
    content = _Layout(odt, document.lang).document(document)
    if anchor is None:
        odt.body.extend(content)
    else:
        for element in content:
            anchor.insert(element, xmlposition=PREV_SIBLING)
        anchor.delete()
    _describe(odt, document)
    out = BytesIO()
    odt.save(out)
    return out.getvalue()


def _open(template: bytes) -> Odt:
    """The municipality's template, or :class:`BadTemplate` saying why it cannot be used."""
    if not zipfile.is_zipfile(BytesIO(template)):
        raise BadTemplate("not an ODT file (not a zip archive)")
    with zipfile.ZipFile(BytesIO(template)) as package:
        names = set(package.namelist())
        kind = package.read("mimetype").decode("ascii", "replace").strip() if "mimetype" in names else ""
    if not kind.startswith(ODT_TYPE):
        raise BadTemplate(f"not an ODT text document (type {kind or 'missing'})")
    if "content.xml" not in names:
        raise BadTemplate("not an ODT file (no content.xml)")
    try:
        odt = Odt.new(BytesIO(template))
        encrypted = odt.manifest.get_elements("//manifest:encryption-data")
        if not encrypted:
            odt.body.get_elements("descendant::text:p")
            odt.styles.get_master_page()
    except Exception as exc:  # odfdo and lxml raise several kinds on a damaged package
        raise BadTemplate(f"the ODT file cannot be read ({exc})") from exc
    if encrypted:
        raise BadTemplate("the ODT file is encrypted (password-protected)")
    return odt


def _adopt_styles(odt: Odt, original: Odt) -> None:
    """Copy the default template's styles the renderer writes with, where the municipality's has none by that name."""
    for family, name in default.STYLES:
        if odt.get_style(family, name) is None:
            style = original.get_style(family, name)
            if isinstance(style, Style):
                odt.insert_style(style.clone)


def _fill(odt: Odt, fields: Mapping[str, str]) -> Element | None:
    """Replace the placeholders in body, headers and footers; the first body paragraph holding ``{{ body }}``."""
    anchor = None
    header_footer = "//style:master-page//text:p | //style:master-page//text:h"
    for paragraph in odt.styles.get_elements(header_footer):
        _replace(_own_text(paragraph), fields)
    for paragraph in odt.body.get_elements("descendant::text:p | descendant::text:h"):
        texts = _own_text(paragraph)
        if anchor is None and any(m[1] == BODY for m in PLACEHOLDER.finditer("".join(texts))):
            anchor = paragraph
        _replace(texts, fields)
    return anchor


def _own_text(paragraph: Element) -> list[EText]:
    """The paragraph's text nodes in order, spans included, paragraphs nested in it (notes, text boxes) not."""
    depth = len(paragraph.xpath("ancestor-or-self::text:p | ancestor-or-self::text:h"))
    own = f"descendant::text()[count(ancestor::text:p | ancestor::text:h) = {depth}]"
    return [text for text in paragraph.xpath(own) if isinstance(text, EText)]


def _replace(texts: list[EText], fields: Mapping[str, str]) -> None:
    """Each known placeholder becomes its value, written into the text node where it starts.

    The rest of a placeholder split across spans is removed from the following nodes, so the
    formatting of its first character wins. Unknown names stay as written, for the author to see.
    """
    whole = "".join(texts)
    owner = [i for i, text in enumerate(texts) for _ in text]
    out = [""] * len(texts)
    done = 0
    for match in PLACEHOLDER.finditer(whole):
        if match[1] not in fields:
            continue
        for k in range(done, match.start()):
            out[owner[k]] += whole[k]
        out[owner[match.start()]] += fields[match[1]]
        done = match.end()
    if done == 0:
        return
    for k in range(done, len(whole)):
        out[owner[k]] += whole[k]
    for text, new in zip(texts, out, strict=True):
        if new != text and (parent := text.parent) is not None:
            if text.is_text():
                parent.text = new
            else:
                parent.tail = new


def _describe(odt: Odt, document: Document) -> None:
    """Language (default style and metadata), title and creation date."""
    if not any(style.family == "paragraph" for style in odt.styles.default_styles):
        odt.insert_style(Style("paragraph"), default=True)
    odt.language = language.tag(document.lang)
    odt.meta.title = document.title
    odt.meta.subject = document.subtitle
    odt.meta.creation_date = datetime.now()


class _Layout:
    """Turns the document's blocks into odfdo elements; automatic styles are made once and named ``daks…``."""

    def __init__(self, odt: Odt, lang: str) -> None:
        self.odt = odt
        self.lang = lang
        self.styles: dict[tuple[str, str, tuple[tuple[str, tuple[tuple[str, str], ...]], ...]], str] = {}
        self.names: set[str] = {t.name or "" for t in odt.body.get_tables()}
        self.frames = 0

    def document(self, document: Document) -> list[Element]:
        elements = self.cover(document)
        for n, section in enumerate(document.sections):
            elements += self.section(section, first=n == 0)
        return elements

    def cover(self, document: Document) -> list[Element]:
        elements: list[Element] = [Paragraph(document.title, style=default.TITLE)]
        if document.subtitle:
            elements.append(Paragraph(document.subtitle, style=default.SUBTITLE))
        bold = self.style("text", "", text={"fo:font-weight": "bold"})
        for label, value in document.cover:
            line = Paragraph(style=default.COVER)
            line.append(Span(label, style=bold))
            line.append(LineBreak())
            line.append_plain_text(value)
            elements.append(line)
        return elements

    def section(self, section: Section, first: bool) -> list[Element]:
        level = min(max(section.level, 1), len(default.HEADINGS))
        style = default.HEADINGS[level - 1]
        if first:  # the title page ends here
            style = self.style("paragraph", style, paragraph={"fo:break-before": "page"})
        heading = Header(level, section.title)
        heading.style = style
        heading.set_attribute("text:is-list-header", "true")  # numbered in its title: no outline number added
        elements: list[Element] = [heading]
        if section.state:
            elements.append(Paragraph(section.state, style=default.NOTE))
        for block in section.blocks:
            elements += self.block(block)
        return elements

    def block(self, block: Text | Items | Table | Chart) -> list[Element]:
        if isinstance(block, Text):
            return [Paragraph(block.text, style=TEXT_STYLES[block.style])]
        if isinstance(block, Items):
            return [self.items(block.items, block.numbered, default.BODY)]
        if isinstance(block, Table):
            return self.table(block)
        return [self.chart(block)]

    def items(self, items: Iterable[str], numbered: bool, style: str) -> List:
        paragraphs = [Paragraph(item, style=style) for item in items]
        return List(paragraphs, style=default.NUMBERS if numbered else default.BULLETS)

    def table(self, table: Table) -> list[Element]:
        small = table.columns > WIDE
        odf = OdfTable(self.table_name(table.caption), style=self.style("table", "", table=_TABLE))
        for share in _shares(table, SMALL_PT if small else CELL_PT):
            width = {"style:column-width": f"{default.TEXT_WIDTH_CM * share:.2f}cm"}
            odf.append(Column(style=self.style("table-column", "", table_column=width)))
        if table.header:
            header = HeaderRows()
            header.append(self.row(table.header, table, "heading", small))
            odf.append(header)
        for row in table.rows:
            odf.append(self.row(row, table, "grid" if table.grid else "contents", small))
        if table.total:
            odf.append(self.row(table.total, table, "total", small))
        caption = [Paragraph(table.caption, style=default.CAPTION)] if table.caption else []
        return [*caption, odf]

    def row(self, values: Iterable[str | Cell], table: Table, role: str, small: bool) -> Row:
        row = Row()
        cells = list(values)
        cells += [""] * (table.columns - len(cells))
        for column, value in enumerate(cells):
            cell = OdfCell(style=self.cell_style(role, small))
            cell.set_attribute("office:value-type", "string")
            paragraph = self.cell_paragraph(role, column in table.numeric, small)
            if isinstance(value, Cell):
                cell.append(Paragraph(value.title, style=self.cell_paragraph("heading", False, small)))
                if value.lines:
                    cell.append(self.items(value.lines, False, paragraph))
            else:
                cell.append(Paragraph(value, style=paragraph))
            row.append(cell)
        return row

    def cell_style(self, role: str, small: bool) -> str:
        properties = {"fo:border": BORDER, "fo:padding": "0.06cm" if small else "0.1cm"}
        if role == "heading":
            properties["fo:background-color"] = "#e8eef4"
        if role == "grid":
            properties["fo:padding"] = "0.2cm"
        return self.style("table-cell", "", table_cell={"style:vertical-align": "top", **properties})

    def cell_paragraph(self, role: str, numeric: bool, small: bool) -> str:
        parent = default.CELL_HEADING if role == "heading" else default.CELL
        paragraph = {"fo:text-align": "end"} if numeric else {}
        text = {"fo:font-size": f"{SMALL_PT:g}pt", "fo:hyphenate": "true"} if small else {}
        if role == "total":
            text["fo:font-weight"] = "bold"
        if role == "heading":
            paragraph["fo:keep-with-next"] = "always"
        if not paragraph and not text:
            return parent
        return self.style("paragraph", parent, paragraph=paragraph, text=text)

    def chart(self, chart: Chart) -> Paragraph:
        """The chart as PNG in the package, in a frame whose svg:title and svg:desc carry the text alternative."""
        url = self.odt.add_file(BytesIO(charts.picture(chart, self.lang)))
        self.odt.manifest.set_media_type(url, "image/png")
        self.frames += 1
        width, height = charts.size(chart)
        size = (f"{width:g}cm", f"{height:g}cm")
        frame = Frame.image_frame(url, name=f"{chart.file_stem}-{self.frames}", size=size, anchor_type="as-char")
        frame.svg_title = chart.title
        frame.svg_description = chart.alt
        paragraph = Paragraph(style=default.FIGURE)
        paragraph.append(frame)
        return paragraph

    def table_name(self, caption: str) -> str:
        """A table name unique in the document, from the caption without the characters ODF forbids in names."""
        base = re.sub(r"[\[\]*?:/\\'.]", "", caption).strip() or "Table"
        name, n = base, 1
        while name in self.names:
            n += 1
            name = f"{base} {n}"
        self.names.add(name)
        return name

    def style(self, family: str, parent: str, **areas: Mapping[str, str]) -> str:
        """An automatic style with these properties per area (``table_cell`` for table-cell), made on first use."""
        frozen = tuple((area, tuple(sorted(props.items()))) for area, props in areas.items() if props)
        key = (family, parent, frozen)
        if key not in self.styles:
            name = f"daks{family.replace('-', '')}{len(self.styles) + 1}"
            style = Style(family, name, parent_style=parent or None)
            for area, properties in frozen:
                style.set_properties(dict(properties), area=area.replace("_", "-"))
            self.odt.insert_style(style, name=name, automatic=True)
            self.styles[key] = name
        return self.styles[key]


_TABLE = {"style:width": f"{default.TEXT_WIDTH_CM}cm", "table:align": "margins"}


def _shares(table: Table, point: float) -> list[float]:
    """Each column's share of the width: room for its longest word, the rest after its amount of text."""
    char_cm = 0.6 * point * 2.54 / 72  # an average sans-serif character, bold headers included
    needed, amount = [], []
    for column in range(table.columns):
        texts = [_plain(row[column]) for row in (table.header, *table.rows) if column < len(row)]
        needed.append(max((len(word) for text in texts for word in text.split()), default=4) * char_cm + 0.2)
        amount.append(sum(len(text) for text in texts) + 1.0)
    spare = max(default.TEXT_WIDTH_CM - sum(needed), 0.0)
    widths = [n + spare * a / sum(amount) for n, a in zip(needed, amount, strict=True)]
    return [width / sum(widths) for width in widths]


def _plain(value: str | Cell) -> str:
    return " ".join((value.title, *value.lines)) if isinstance(value, Cell) else value
