"""The DOCX renderer, read back with python-docx (and LibreOffice where installed) as a council's office would."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from dataclasses import replace
from io import BytesIO
from pathlib import Path

import docx
import pytest
from docx.document import Document as Word
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Inches
from docx.table import Table as WordTable
from pypdf import PdfReader

from bot.documents.docx import render
from bot.documents.errors import BadTemplate
from flows.documents.model import Section, Text
from tests.bot.documents.sample import OWNERS, PLAN_HEADER, age_pyramid, sample_document

TEMPLATES = Path(__file__).resolve().parents[3] / "content" / "templates"
LETTERHEAD = "Amt Süderbrarup – Der Amtsvorsteher"


def reopen(data: bytes) -> Word:
    return docx.Document(BytesIO(data))


def table_with_header(word: Word, header: tuple[str, ...]) -> WordTable:
    for table in word.tables:
        if tuple(cell.text for cell in table.rows[0].cells) == header:
            return table
    raise AssertionError(f"no table starts with {header[:2]}…")


def letterhead(body: str, header: str = LETTERHEAD) -> bytes:
    """A municipality's template made the way a clerk would: a header line, some text, placeholders."""
    word = docx.Document()
    word.sections[0].header.paragraphs[0].text = header
    word.add_paragraph("Vorlage der {{ municipality }} vom {{ date }}")
    if body:
        word.add_paragraph(body)
    word.add_paragraph("Mit freundlichen Grüßen")
    out = BytesIO()
    word.save(out)
    return out.getvalue()


@pytest.fixture(scope="module")
def default() -> Word:
    return reopen(render(sample_document("de", measures=3, charts=2), None, TEMPLATES))


def test_the_werkstattplan_is_a_real_table_with_one_row_per_measure(default: Word) -> None:
    plan = table_with_header(default, PLAN_HEADER)
    owners = [row.cells[PLAN_HEADER.index("Verantwortlich")].text for row in plan.rows[1:]]
    assert owners == list(OWNERS)


def test_the_header_row_repeats_on_each_page_and_is_bold(default: Word) -> None:
    plan = table_with_header(default, PLAN_HEADER)
    assert plan.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert all(run.bold for cell in plan.rows[0].cells for run in cell.paragraphs[0].runs)
    assert plan.rows[1]._tr.trPr is None or plan.rows[1]._tr.trPr.find(qn("w:tblHeader")) is None


def test_the_ten_columns_stand_on_landscape_pages_in_small_type(default: Word) -> None:
    plan = table_with_header(default, PLAN_HEADER)
    sizes = {run.font.size.pt for cell in plan.rows[1].cells for run in cell.paragraphs[0].runs if run.font.size}
    assert sizes == {9.0}
    sections = default.sections
    assert [s.orientation for s in sections] == [WD_ORIENT.PORTRAIT, WD_ORIENT.LANDSCAPE, WD_ORIENT.PORTRAIT]
    assert sections[1].page_width > sections[1].page_height
    assert (sections[0].page_width, sections[0].left_margin) == (sections[2].page_width, sections[2].left_margin)
    assert all(s.header.paragraphs[0].text == "Amt Süderbrarup" for s in sections)
    heading = next(p for p in default.paragraphs if p.text == "4. Werkstattplan")
    ends = heading._p.getprevious().find(f"{qn('w:pPr')}/{qn('w:sectPr')}")
    assert ends is not None and ends.find(qn("w:pgSz")).get(qn("w:orient")) is None, "the plan starts a new section"


def test_amounts_align_right_and_the_total_row_is_bold(default: Word) -> None:
    money = table_with_header(default, ("Jahr", "Betrag"))
    total = money.rows[-1]
    assert [cell.text for cell in total.cells] == ["Summe", "285.500 €"]
    assert all(run.bold for cell in total.cells for run in cell.paragraphs[0].runs)
    assert money.rows[1].cells[1].paragraphs[0].alignment == docx.enum.text.WD_ALIGN_PARAGRAPH.RIGHT
    assert money.rows[1].cells[0].paragraphs[0].alignment != docx.enum.text.WD_ALIGN_PARAGRAPH.RIGHT


def test_the_swot_is_a_two_by_two_grid_with_bold_titles(default: Word) -> None:
    swot = next(t for t in default.tables if t.rows[0].cells[0].paragraphs[0].text == "Stärken")
    assert (len(swot.rows), len(swot.columns)) == (2, 2)
    titles = [cell.paragraphs[0] for row in swot.rows for cell in row.cells]
    assert [p.text for p in titles] == ["Stärken", "Schwächen", "Chancen", "Risiken"]
    assert all(run.bold for p in titles for run in p.runs)
    assert [p.text for p in swot.rows[0].cells[0].paragraphs[1:]] == ["aktives Vereinsleben", "gute Schulen"]


def test_charts_are_inline_pictures_with_their_values_as_alternative_text(default: Word) -> None:
    alt = sample_document().charts()[0].alt
    assert len(default.inline_shapes) == 2
    described = [shape._inline.docPr.get("descr") for shape in default.inline_shapes]
    assert described == [alt, alt]
    ids = [shape._inline.docPr.get("id") for shape in default.inline_shapes]
    assert len(set(ids)) == 2
    blob = default.inline_shapes[0]._inline.graphic.graphicData.pic.blipFill.blip.embed
    assert default.part.related_parts[blob].blob.startswith(b"\x89PNG")


def test_an_age_pyramid_is_an_inline_picture_at_its_own_proportions() -> None:
    word = reopen(render(sample_document("de", charts=1, pyramid=True), None, TEMPLATES))
    series, pyramid = word.inline_shapes
    assert pyramid._inline.docPr.get("descr") == age_pyramid().alt
    assert pyramid._inline.docPr.get("title") == "Altersaufbau 2024"
    assert pyramid.width == series.width
    assert abs(pyramid.height / pyramid.width - 13 / 16) < 0.01 and abs(series.height / series.width - 0.5) < 0.01


def test_headings_lists_and_notes_use_real_styles(default: Word) -> None:
    styles = {p.text: p.style.name for p in default.paragraphs}
    assert styles["Demografiestrategie"] == "Title"
    assert styles["1. Kick-Off"] == "Heading 1"
    assert styles["Mitwirkende"] == "Heading 2"
    assert styles["Seniorenbeirat"] == "List Bullet"
    assert styles["Beschlossen von Anna am 1. Dezember 2026"] == "Note"
    assert styles["unvollständig"] == "Note"
    cover = next(p for p in default.paragraphs if p.text.startswith("Stand"))
    assert cover.text == "Stand: 7. Dezember 2026" and cover.runs[0].bold


def test_the_default_letterhead_names_the_municipality_and_numbers_pages(default: Word) -> None:
    section = default.sections[0]
    assert section.header.paragraphs[0].text == "Amt Süderbrarup"
    footer = section.footer.paragraphs[0]
    assert footer.text.startswith("Demografiestrategie · 7. Dezember 2026")
    fields = footer._p.findall(qn("w:fldSimple"))
    assert [f.get(qn("w:instr")).strip() for f in fields] == ["PAGE"]
    assert "{{" not in default.paragraphs[0].text


def test_the_document_carries_its_language_and_title() -> None:
    word = reopen(render(sample_document("fr"), None, TEMPLATES))
    assert word.core_properties.language == "fr-FR"
    assert word.core_properties.title == "Demografiestrategie"
    defaults = word.styles.element.find(qn("w:docDefaults"))
    assert defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}").get(qn("w:val")) == "fr-FR"


def test_markup_in_user_text_and_fields_stays_text() -> None:
    tricky = "Maßnahme <b>&amp; {{ body }} {% if x %} {_{ }_} {{p body }}"
    document = sample_document()
    document = replace(
        document,
        sections=(Section("Notizen", (Text(tricky), Text("Klingel\x07 und Seite\x0c"))), *document.sections),
        fields=document.fields | {"municipality": tricky},
    )
    word = reopen(render(document, letterhead("{{p body }}", header="{{ municipality }}"), TEMPLATES))
    texts = [p.text for p in word.paragraphs]
    assert tricky in texts
    assert "Klingel und Seite" in texts
    assert word.sections[0].header.paragraphs[0].text == tricky
    assert f"Vorlage der {tricky} vom 7. Dezember 2026" in texts
    plan = table_with_header(word, PLAN_HEADER)
    assert plan.rows[1].cells[2].text == "Maßnahme 1 <b>&amp; {{ body }}"


def test_a_municipality_template_keeps_its_letterhead_and_gets_the_fields() -> None:
    word = reopen(render(sample_document(), letterhead("{{p body }}"), TEMPLATES))
    assert word.sections[0].header.paragraphs[0].text == LETTERHEAD
    texts = [p.text for p in word.paragraphs]
    assert texts[0] == "Vorlage der Amt Süderbrarup vom 7. Dezember 2026"
    assert texts[-1] == "Mit freundlichen Grüßen"
    assert texts.index("Demografiestrategie") < texts.index("1. Kick-Off") < texts.index("Mit freundlichen Grüßen")
    assert [p.style.name for p in word.paragraphs if p.text == "Mitwirkende"] == ["Heading 2"]
    assert [p.style.name for p in word.paragraphs if p.text == "unvollständig"] == ["Note"]
    assert len(word.inline_shapes) == 2
    assert table_with_header(word, PLAN_HEADER).rows[3].cells[3].text == OWNERS[2]
    assert [s.page_width for s in word.sections] == [Inches(8.5), Inches(11), Inches(8.5)]
    assert all(s.header.paragraphs[0].text == LETTERHEAD for s in word.sections)


def test_a_template_without_a_body_placeholder_gets_the_content_at_the_end() -> None:
    word = reopen(render(sample_document(), letterhead(""), TEMPLATES))
    assert word.sections[0].header.paragraphs[0].text == LETTERHEAD
    texts = [p.text for p in word.paragraphs]
    assert texts[:2] == ["Vorlage der Amt Süderbrarup vom 7. Dezember 2026", "Mit freundlichen Grüßen"]
    assert texts.index("Mit freundlichen Grüßen") < texts.index("Demografiestrategie") < texts.index("1. Kick-Off")
    assert len(word.inline_shapes) == 2
    assert table_with_header(word, PLAN_HEADER)


def broken_zip() -> bytes:
    return letterhead("{{p body }}")[:2000]


def not_word() -> bytes:
    out = BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
    return out.getvalue()


@pytest.mark.parametrize(
    ("template", "reason"),
    [
        (b"%PDF-1.7 not a template", "not a DOCX file"),
        (broken_zip(), "not a DOCX file"),
        (not_word(), "not a DOCX file"),
        (letterhead("{{ municipality }"), "placeholder error"),
        (letterhead("{% if approval %}ohne Ende"), "placeholder error"),
        (letterhead("{{ bürgermeister }}"), "unknown placeholder"),
        (letterhead("{{ mayor }}"), "'mayor' is undefined"),
        (letterhead("Anlage: {{ body }}"), "{{p body }}"),
        (letterhead("{{ title.__class__.__mro__ }}"), "placeholder error"),
    ],
    ids=[
        "pdf",
        "broken-zip",
        "odt-like-zip",
        "unclosed",
        "unended-if",
        "non-ascii-name",
        "unknown",
        "inline-body",
        "sandbox",
    ],
)
def test_a_bad_template_is_refused_with_a_reason(template: bytes, reason: str) -> None:
    with pytest.raises(BadTemplate) as refused:
        render(sample_document(), template, TEMPLATES)
    assert reason in str(refused.value)


def test_a_syntax_error_names_the_text_around_it() -> None:
    with pytest.raises(BadTemplate) as refused:
        render(sample_document(), letterhead("Bürgermeister {{ municipality }"), TEMPLATES)
    assert "Bürgermeister" in str(refused.value)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_opens_the_file_and_reads_the_owners(tmp_path: Path) -> None:
    source = tmp_path / "strategie.docx"
    source.write_bytes(render(sample_document(), None, TEMPLATES))
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pages = (page.extract_text() for page in PdfReader(tmp_path / "strategie.pdf").pages)
    text = " ".join(" ".join(pages).split())  # a cell's text may wrap anywhere, depending on the fonts installed
    assert "Amt Süderbrarup" in text
    assert "(Frau Öztürk)" in text and "Jugendpflege" in text
