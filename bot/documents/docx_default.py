"""Writes content/templates/document.docx, the default DOCX template (run once by hand; the file is committed).

``.venv/bin/python -m bot.documents.docx_default``. The template is python-docx's own
document with A4 pages, a sober type scale, a "Note" style, the municipality in the header, the title
and the page number (a PAGE field) in the footer, and ``{{p body }}`` as its only paragraph. A
municipality's own template needs only its letterhead and, ideally, that paragraph.
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

TARGET = Path(__file__).resolve().parents[2] / "content" / "templates" / "document.docx"
INK, MUTED, ACCENT = RGBColor(0x22, 0x22, 0x22), RGBColor(0x59, 0x59, 0x59), RGBColor(0x1F, 0x5F, 0x8B)


def main() -> None:
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.2)
    section.top_margin, section.bottom_margin = Cm(2.5), Cm(2.0)
    styles = document.styles
    styles["Normal"].font.name = "Arial"
    styles["Normal"].font.size = Pt(10.5)
    styles["Normal"].font.color.rgb = INK
    for name, size in (("Title", 26), ("Subtitle", 15), ("Heading 1", 16), ("Heading 2", 13), ("Caption", 9)):
        styles[name].font.name = "Arial"
        styles[name].font.size = Pt(size)
        styles[name].font.color.rgb = ACCENT if name != "Caption" else MUTED
    note = styles.add_style("Note", WD_STYLE_TYPE.PARAGRAPH)
    note.base_style = styles["Normal"]
    note.font.size = Pt(9)
    note.font.italic = True
    note.font.color.rgb = MUTED

    header = section.header.paragraphs[0]
    header.text = "{{ municipality }}"
    header.style = styles["Header"]
    header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    footer = section.footer.paragraphs[0]
    footer.style = styles["Footer"]
    footer.paragraph_format.tab_stops.add_tab_stop(Cm(16.6), WD_TAB_ALIGNMENT.RIGHT)
    footer.add_run("{{ title }} · {{ date }}\t")
    page = OxmlElement("w:fldSimple")
    page.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    page.append(run)
    footer._p.append(page)

    assert not document.paragraphs, "python-docx's own document starts empty"
    document.add_paragraph("{{p body }}")
    document.core_properties.author = "DAKS-Begleiter"
    document.save(str(TARGET))


if __name__ == "__main__":
    main()
