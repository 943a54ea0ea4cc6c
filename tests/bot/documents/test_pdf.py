"""The tagged PDF, read back with pypdf: PDF/UA markers, language, embedded fonts, the structure tree, the text."""

from __future__ import annotations

import dataclasses
import importlib.abc
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from io import BytesIO
from typing import Any

import pytest
from pypdf import PdfReader
from pypdf.generic import ArrayObject, BooleanObject, DictionaryObject

from flows.documents.model import Chart, Document, Section, Table, Text
from tests.bot.documents.sample import OWNERS, PLAN_HEADER, age_pyramid, sample_document
from tests.conftest import CONTENT

try:
    import weasyprint  # noqa: F401
except OSError as exc:  # WeasyPrint loads Pango when imported
    pytest.skip(f"WeasyPrint needs Pango (libpango-1.0-0, libpangoft2-1.0-0): {exc}", allow_module_level=True)

from bot.documents import pdf  # noqa: E402

TEMPLATES = CONTENT / "templates"
PDFUAID = "{http://www.aiim.org/pdfua/ns/id/}"


def read(document: Document, template: bytes | None = None) -> PdfReader:
    return PdfReader(BytesIO(pdf.render(document, template, TEMPLATES)))


@pytest.fixture(scope="module")
def german() -> PdfReader:
    return read(sample_document("de"))


def text(page: Any) -> str:
    """The page's text with line breaks and runs of spaces as one space (where a line wraps is layout)."""
    return " ".join(page.extract_text().split())


def elements(node: Any) -> Iterator[DictionaryObject]:
    """Every structure element under ``node``, depth first."""
    node = node.get_object()
    if not isinstance(node, DictionaryObject):
        return
    if "/S" in node:
        yield node
    kids = node.get("/K")
    kids = kids.get_object() if kids is not None else ArrayObject()
    for kid in kids if isinstance(kids, ArrayObject) else [kids]:
        yield from elements(kid)


def test_it_is_tagged_pdf_ua_1_in_the_documents_language_with_its_title_shown(german: PdfReader):
    catalog = german.trailer["/Root"]
    assert "/StructTreeRoot" in catalog
    assert catalog["/MarkInfo"]["/Marked"] == BooleanObject(True)
    assert catalog["/Lang"] == "de"
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"] == BooleanObject(True)
    assert german.metadata is not None and german.metadata.title == "Demografiestrategie"
    xmp = ET.fromstring(catalog["/Metadata"].get_object().get_data())
    parts = [d.get(f"{PDFUAID}part") for d in xmp.iter("{http://www.w3.org/1999/02/22-rdf-syntax-ns#}Description")]
    parts += [e.text for e in xmp.iter(f"{PDFUAID}part")]
    assert "1" in parts, "PDF/UA-1 identification in the XMP metadata"
    assert read(sample_document("fr")).trailer["/Root"]["/Lang"] == "fr"


def test_every_font_is_embedded_as_a_dejavu_subset(german: PdfReader):
    fonts = {}
    for page in german.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            fonts[str(font["/BaseFont"])] = descendant["/FontDescriptor"].get_object()
    assert fonts
    for name, descriptor in fonts.items():
        assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor), f"{name} is not embedded"
        prefix, _, family = name.lstrip("/").partition("+")
        assert len(prefix) == 6 and prefix.isupper() and family.startswith("DejaVu"), name


def test_the_text_holds_the_plan_its_owners_and_user_markup_as_written(german: PdfReader):
    everything = " ".join(text(page) for page in german.pages)
    assert "Werkstattplan" in everything
    for owner in OWNERS:
        assert owner in everything
    assert "Maßnahme 1 <b>&amp; {{ body }}" in everything, "user text is text, not markup"
    assert "Summe 285.500 €" in everything


def test_the_structure_tree_has_headings_tables_with_header_cells_and_charts_with_their_alt_text(german: PdfReader):
    tree = list(elements(german.trailer["/Root"]["/StructTreeRoot"]))
    kinds = [str(e["/S"]) for e in tree]
    for kind in ("/H1", "/H2", "/Table", "/THead", "/TH", "/TFoot", "/Caption", "/L", "/LI"):
        assert kind in kinds, kind
    assert kinds.count("/Table") == 3, "plan, SWOT, budget"
    figures = [e for e in tree if e["/S"] == "/Figure"]
    assert [str(f["/Alt"]) for f in figures] == [c.alt for c in sample_document().charts()]
    headers = [e for e in tree if e["/S"] == "/TH"]
    assert len(headers) == len(PLAN_HEADER) + 2 + 1, "the plan's and the budget's columns, the total's row title"
    cells = [e for e in tree if e["/S"] == "/TD"]
    assert all("/Headers" in c["/A"] for c in cells), "each data cell names its header cells"


def test_an_age_pyramid_is_a_figure_with_its_alt_text_and_its_own_picture():
    reader = read(sample_document("de", charts=1, pyramid=True))
    figures = [e for e in elements(reader.trailer["/Root"]["/StructTreeRoot"]) if e["/S"] == "/Figure"]
    assert [str(f["/Alt"]) for f in figures][-1] == age_pyramid().alt
    pictures = {image.data: image.image for page in reader.pages for image in page.images}.values()
    assert sorted(p.size for p in pictures) == [(944, 472), (944, 767)]  # each page lists the shared pictures


def test_the_headings_are_the_bookmarks(german: PdfReader):
    def titles(outline: list[Any]) -> list[str]:
        return [t for o in outline for t in (titles(o) if isinstance(o, list) else [o.title])]

    assert titles(german.outline) == ["Demografiestrategie", *(s.title for s in sample_document().sections)]


def test_the_title_page_comes_first_and_the_wide_plan_is_on_landscape_pages_with_its_header_on_each():
    reader = read(sample_document("de", measures=20))
    pages = [(page.mediabox.width > page.mediabox.height, text(page)) for page in reader.pages]
    cover_landscape, cover = pages[0]
    assert not cover_landscape and cover.startswith("Demografiestrategie Amt Süderbrarup Stand 7. Dezember 2026")
    with_measures = [(landscape, t) for landscape, t in pages if "Maßnahme " in t]
    assert len(with_measures) >= 2, "20 measures fill more than one page"
    assert all(landscape for landscape, _ in with_measures)
    assert all("Handlungsfeld Ziel Maßnahme Verantwortlich" in t for _, t in with_measures), "header repeated"
    assert not pages[1][0], "the stages before the plan stay portrait"


def test_page_numbers_read_as_the_labels_say_and_stay_text():
    document = sample_document()
    numbered = read(dataclasses.replace(document, labels={**document.labels, "of": "von"}))
    count = len(numbered.pages)
    assert "Seite" not in text(numbered.pages[0]), "no number on the title page"
    assert text(numbered.pages[1]).endswith(f"Seite 2 von {count}")
    plain = read(document)
    assert text(plain.pages[-1]).endswith(f"Seite {count} / {count}")
    hostile = read(dataclasses.replace(document, labels={"page": 'S"ite\\</style>', "of": "}<b>"}))
    assert text(hostile.pages[1]).endswith(f'S"ite\\</style> 2 }}<b> {count}')


def test_control_characters_and_empty_parts_do_not_break_it():
    document = Document(
        kind="resolution",
        lang="fr",
        title="Délibération\x00 \x0bprojet",
        subtitle="",
        cover=(),
        sections=(
            Section("Objet", (Text("ligne\x07 une\nligne deux"), Table(("a", "b"), ()), Chart("vide", (), "", "vide"))),
        ),
    )
    reader = read(document)
    assert reader.metadata is not None and reader.metadata.title == "Délibération projet"
    assert "ligne une ligne deux" in " ".join(text(p) for p in reader.pages)
    assert len(read(Document("strategy", "de", "", "", (), ())).pages) == 1


def test_a_municipalitys_template_is_ignored_for_pdf(german: PdfReader):
    reader = read(sample_document("de"), template=b"PK\x03\x04 not really a docx")
    assert [text(p) for p in reader.pages] == [text(p) for p in german.pages]


class _NoPango(importlib.abc.MetaPathFinder):
    """What importing WeasyPrint does without Pango: cffi's dlopen raises OSError."""

    def find_spec(self, name: str, path: Any, target: Any = None) -> None:
        if name.partition(".")[0] == "weasyprint":
            raise OSError("cannot load library 'libpango-1.0-0'")
        return None


def test_without_pango_it_says_what_to_install(monkeypatch: pytest.MonkeyPatch):
    for name in [n for n in sys.modules if n.partition(".")[0] == "weasyprint"]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setattr(sys, "meta_path", [_NoPango(), *sys.meta_path])
    with pytest.raises(RuntimeError, match="WeasyPrint needs Pango.*libpango-1.0-0"):
        pdf.render(sample_document(), None, TEMPLATES)


def test_amounts_align_right_and_the_total_row_is_bold(german: PdfReader):
    runs: dict[str, tuple[float, str]] = {}

    def visit(run: str, cm: list[float], tm: list[float], font: Any, size: float) -> None:
        if run.strip() and font is not None:
            runs[run.strip()] = (tm[4] * cm[0] + cm[4], str(font["/BaseFont"]))

    [page] = [p for p in german.pages if "Budget je Jahr" in p.extract_text()]
    page.extract_text(visitor_text=visit)
    (header, _), (first, regular), (second, _) = runs["Betrag"], runs["135.500 €"], runs["150.000 €"]
    assert first == second < header, "the shorter header ends where the amounts end: right-aligned"
    assert regular.endswith("DejaVu-Sans")
    assert runs["Summe"][1].endswith("-Bold") and runs["285.500 €"][1].endswith("-Bold")
    assert runs["285.500 €"][0] < first, "the bold total, wider, starts further left to end at the same edge"
