"""The Kommunalprofil with official figures in every format, read back with independent readers (odfdo, python-docx,
pypdf, markdown-it-py, Pillow): the table beside Kreis and Land carries the values, the charts are embedded PNGs
with their values as text alternative."""

from __future__ import annotations

import zipfile
from datetime import date
from io import BytesIO

import docx
import pytest
from odfdo import Document as Odt
from PIL import Image
from pypdf import PdfReader

from bot.documents import docx as word
from bot.documents import markdown, odt
from flows.content.content import Content
from flows.conversation.documents import build
from flows.documents.model import Chart, Document, Table
from tests.bot.documents.reading import docx_blocks, odt_blocks, pdf_text, table_headed, under
from tests.bot.documents.test_markdown import parse, plain, tables
from tests.conftest import CONTENT
from tests.flows.conversation.documents.workspace import in_grabow

TEMPLATES = CONTENT / "templates"
HEADER = ("Kennzahl", "Grabow", "Landkreis Ludwigslust-Parchim", "Mecklenburg-Vorpommern", "Stand")
POPULATION = ("Bevölkerung", "5.122", "211.500", "1.577.000", "31.12.2023")
"""Grabow 2023: 2,522 men + 2,600 women; the Kreis's five age groups; the Land's total (tests/flows/statistics)."""
SECTION = "2. Kommunalprofil"


@pytest.fixture(scope="module")
def strategy(content: Content) -> Document:
    return build(in_grabow(content), "strategy", date(2026, 12, 7))


def charts_of(document: Document) -> list[Chart]:
    """The official population series, the age pyramid, then the series typed by hand."""
    found = document.charts()
    assert [c.kind for c in found] == ["series", "pyramid", "series"], [c.title for c in found]
    return found


def decoded(data: bytes) -> tuple[int, int]:
    image = Image.open(BytesIO(data))
    image.load()
    assert image.format == "PNG"
    return image.size


def test_the_odt_holds_the_table_and_the_three_charts(strategy: Document):
    data = odt.render(strategy, None, TEMPLATES)
    grid = table_headed(under(odt_blocks(data), SECTION), HEADER)
    assert POPULATION in grid.rows
    [table] = [b for s in strategy.sections for b in s.blocks if isinstance(b, Table) and b.header == HEADER]
    assert grid.rows[1:] == table.rows
    with zipfile.ZipFile(BytesIO(data)) as package:
        pictures = [n for n in package.namelist() if n.startswith("Pictures/")]
        sizes = [decoded(package.read(n)) for n in pictures]
    assert len(pictures) == 3 and all(w > h > 0 for w, h in sizes)
    frames = Odt(BytesIO(data)).body.get_frames()
    assert [f.svg_description for f in frames] == [c.alt for c in charts_of(strategy)]


def test_the_docx_holds_the_table_and_the_three_charts(strategy: Document):
    data = word.render(strategy, None, TEMPLATES)
    grid = table_headed(under(docx_blocks(data), SECTION), HEADER)
    assert POPULATION in grid.rows
    document = docx.Document(BytesIO(data))
    shapes = document.inline_shapes
    assert [s._inline.docPr.get("descr") for s in shapes] == [c.alt for c in charts_of(strategy)]
    for shape in shapes:
        blob = shape._inline.graphic.graphicData.pic.blipFill.blip.embed
        decoded(document.part.related_parts[blob].blob)


def test_the_pdf_holds_the_values_and_the_three_charts(strategy: Document):
    try:
        from bot.documents import pdf
    except OSError as exc:  # WeasyPrint loads Pango when imported
        pytest.skip(f"WeasyPrint needs Pango: {exc}")
    data = pdf.render(strategy, None, TEMPLATES)
    text = pdf_text(data)
    assert " ".join(POPULATION) in text
    assert "Datenlizenz Deutschland – Namensnennung – Version 2.0" in text
    pages = [" ".join(page.extract_text().split()) for page in PdfReader(BytesIO(data)).pages]
    [table] = [b for s in strategy.sections for b in s.blocks if isinstance(b, Table) and b.header == HEADER]
    [page] = [p for p in pages if " ".join(POPULATION) in p]
    assert f"{table.caption} Kennzahl Grabow Landkreis" in page, "the caption stays with its table"
    images = {image.data for page in PdfReader(BytesIO(data)).pages for image in page.images}
    assert len(images) == 3, "each chart once (the pages share their image resources)"
    for image in images:
        assert Image.open(BytesIO(image)).size[0] > 0


def test_the_markdown_has_the_table_and_each_chart_as_its_values(strategy: Document):
    data = markdown.render(strategy, None, TEMPLATES)
    found = [[[plain(c) for c in row] for row in table] for table in tables(parse(data))]
    [table] = [t for t in found if tuple(t[0]) == HEADER]
    assert list(POPULATION) in table
    text = data.decode("utf-8")
    pyramid = charts_of(strategy)[1]
    assert "75+: 200 Männer, 320 Frauen" in pyramid.alt and markdown.md(pyramid.alt) in text
