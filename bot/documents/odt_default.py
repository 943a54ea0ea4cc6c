"""The default ODT template, content/templates/document.odt: an A4 letterhead with DAKS's styles and placeholders.

Rebuild the file after changing this module: ``python -m bot.documents.odt_default``. A municipality
adapts a copy in LibreOffice (letterhead in the header, ``{{ body }}`` where the content goes); the
renderer adds any style of :data:`STYLES` that its copy lacks from this file.
"""

from __future__ import annotations

import sys
from io import BytesIO
from pathlib import Path

from odfdo import Document, Element, Paragraph, Style, StylePageLayout, VarPageCount, VarPageNumber

FILE_NAME = "document.odt"
HEADING = "Heading"
TITLE, SUBTITLE, COVER = "Title", "Subtitle", "DAKS_Cover"
BODY, NOTE, STRONG = "Text_20_body", "DAKS_Note", "DAKS_Strong"
CAPTION, FIGURE = "DAKS_Caption", "DAKS_Figure"
CELL, CELL_HEADING = "Table_20_Contents", "Table_20_Heading"
HEADER, FOOTER = "Header", "Footer"
BULLETS, NUMBERS = "DAKS_Bullets", "DAKS_Numbers"
HEADINGS = ("Heading_20_1", "Heading_20_2", "Heading_20_3")
STYLES: tuple[tuple[str, str], ...] = (
    ("paragraph", "Standard"),
    ("paragraph", HEADING),
    *(("paragraph", name) for name in HEADINGS),
    *(("paragraph", name) for name in (TITLE, SUBTITLE, COVER, BODY, NOTE, STRONG, "Caption", CAPTION, FIGURE)),
    *(("paragraph", name) for name in (CELL, CELL_HEADING, HEADER, FOOTER)),
    ("list", BULLETS),
    ("list", NUMBERS),
)
"""The (family, name) of every style the renderer writes with; it copies those a municipality's template lacks."""
TEXT_WIDTH_CM = 16.5
"""A4 less DIN 5008's margins (2.5 cm left, 2 cm right): the width tables and charts are laid out for."""
MUTED = "#595959"
"""Grey for notes, header and footer: 7:1 contrast on white (WCAG AAA)."""


def build() -> bytes:
    """The default template as ODT bytes."""
    odt = Document("text")
    for paragraph in odt.body.paragraphs:
        odt.body.delete(paragraph)
    _page(odt)
    _paragraph_styles(odt)
    _list_styles(odt)
    _unnumbered_headings(odt)
    _letterhead(odt)
    odt.body.append(Paragraph("{{ body }}", style=BODY))
    odt.language = "de-DE"
    out = BytesIO()
    odt.save(out)
    return out.getvalue()


def _page(odt: Document) -> None:
    master = odt.styles.get_master_page()
    assert master is not None  # odfdo's text template has the "Standard" master page
    layout = odt.styles.get_style("page-layout", str(master.get_attribute("style:page-layout-name")))
    assert isinstance(layout, StylePageLayout)
    layout.set_properties(
        {"fo:margin-top": "1.2cm", "fo:margin-bottom": "1.2cm", "fo:margin-left": "2.5cm", "fo:margin-right": "2cm"},
        area="page-layout",
    )
    for name, spacing in (("style:header-style", "fo:margin-bottom"), ("style:footer-style", "fo:margin-top")):
        area = layout.get_element(name)
        assert area is not None
        properties = Element.from_tag("style:header-footer-properties")
        properties.set_attribute("fo:min-height", "0.8cm")
        properties.set_attribute(spacing, "0.5cm")
        area.append(properties)


def _paragraph_styles(odt: Document) -> None:
    keep = {"fo:keep-with-next": "always"}
    small = {"fo:font-size": "9pt", "fo:color": MUTED}
    bold = {"fo:font-weight": "bold"}
    tight = {"fo:margin-top": "0cm", "fo:margin-bottom": "0cm"}
    rule = {"fo:border-bottom": "0.5pt solid #808080", "fo:padding-bottom": "0.1cm"}
    # name: (display name, parent, paragraph properties, text properties)
    styles: dict[str, tuple[str, str, dict[str, str], dict[str, str]]] = {
        TITLE: (
            "Title",
            HEADING,
            {"fo:margin-top": "5cm", "fo:margin-bottom": "0.4cm"},
            {"fo:font-size": "24pt", **bold},
        ),
        SUBTITLE: ("Subtitle", HEADING, {"fo:margin-bottom": "2cm"}, {"fo:font-size": "16pt"}),
        COVER: ("DAKS cover line", BODY, {}, {}),
        NOTE: ("DAKS note", BODY, {}, small),
        STRONG: ("DAKS strong", BODY, keep, bold),
        CAPTION: (
            "DAKS caption",
            "Caption",
            {"fo:margin-top": "0.3cm", **keep},
            {"fo:font-size": "10pt", "fo:font-style": "normal", **bold},
        ),
        FIGURE: ("DAKS figure", "Standard", {"fo:text-align": "center", **keep}, {}),
        CELL: ("Table Contents", "Standard", tight, {"fo:font-size": "10pt"}),
        CELL_HEADING: ("Table Heading", CELL, {}, bold),
        HEADER: ("Header", "Standard", rule, small),
        FOOTER: ("Footer", "Standard", {"fo:text-align": "center"}, small),
    }
    for name, (display, parent, paragraph, text) in styles.items():
        style = Style("paragraph", name, display, parent)
        for area, properties in (("paragraph", paragraph), ("text", text)):  # the schema's order
            if properties:
                style.set_properties(properties, area=area)
        odt.insert_style(style)
    for name, properties in (
        ("Standard", {"style:font-name": "Liberation Sans", "fo:font-size": "11pt"}),
        (HEADING, {"fo:color": "#1f3b57"}),
    ):
        existing = odt.get_style("paragraph", name)
        assert isinstance(existing, Style)
        existing.set_properties(properties, area="text")


def _list_styles(odt: Document) -> None:
    for name, display, numbered in ((BULLETS, "DAKS bullets", False), (NUMBERS, "DAKS numbers", True)):
        style = Style("list", name, display)
        for level in range(1, 4):
            if numbered:
                level_style = style.set_level_style(level, num_format="1", suffix=".")
            else:
                level_style = style.set_level_style(level, bullet_char="•–◦"[level - 1])
            assert level_style is not None
            _indent(level_style, level)
        odt.insert_style(style)


def _indent(level_style: Element, level: int) -> None:
    """Hanging indent: the bullet or number at the margin, the text 0.6 cm further per level."""
    properties = Element.from_tag("style:list-level-properties")
    properties.set_attribute("text:list-level-position-and-space-mode", "label-alignment")
    alignment = Element.from_tag("style:list-level-label-alignment")
    alignment.set_attribute("text:label-followed-by", "listtab")
    alignment.set_attribute("fo:text-indent", "-0.6cm")
    alignment.set_attribute("fo:margin-left", f"{0.6 * level:.1f}cm")
    alignment.set_attribute("text:list-tab-stop-position", f"{0.6 * level:.1f}cm")
    properties.append(alignment)
    level_style.append(properties)


def _unnumbered_headings(odt: Document) -> None:
    """The section titles carry their own numbers ("1. Kick-Off"): the outline adds none."""
    for level_style in odt.styles.get_elements("//text:outline-style/text:outline-level-style"):
        level_style.set_attribute("style:num-format", "")
        for name in ("style:num-suffix", "loext:num-list-format", "text:display-levels"):
            if level_style.get_attribute(name) is not None:
                level_style.del_attribute(name)


def _letterhead(odt: Document) -> None:
    master = odt.styles.get_master_page()
    assert master is not None
    master.set_page_header([Paragraph("{{ municipality }} · {{ kind }}", style=HEADER)])
    footer = Paragraph("{{ title }} · {{ date }} · ", style=FOOTER)
    footer.append(VarPageNumber(select_page="current"))
    footer.append_plain_text(" / ")
    footer.append(VarPageCount())
    master.set_page_footer([footer])


def main() -> None:
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("content/templates") / FILE_NAME
    target.write_bytes(build())
    print(f"wrote {target}")


if __name__ == "__main__":
    main()
