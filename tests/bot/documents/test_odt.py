"""The ODT renderer, read back with odfdo (and converted by LibreOffice where it is installed)."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from io import BytesIO
from pathlib import Path

import docx
import pypdf
import pytest
from odfdo import Document as Odt
from odfdo import Element, Paragraph, Span, Table
from PIL import Image

from bot.documents import odt, odt_default
from bot.documents.errors import BadTemplate
from tests.bot.documents.sample import OWNERS, PLAN_HEADER, age_pyramid, sample_document

TEMPLATES = Path(__file__).resolve().parents[3] / "content" / "templates"
LETTERHEAD = "Amt Süderbrarup – Der Amtsvorsteher"


def rendered(template: bytes | None = None, lang: str = "de") -> Odt:
    return Odt(BytesIO(odt.render(sample_document(lang), template, TEMPLATES)))


def table_with(document: Odt, first_row: tuple[str, ...]) -> Table:
    found = [t for t in document.body.get_tables() if tuple(t.get_row(0).get_values()) == first_row]
    assert len(found) == 1, [t.get_row(0).get_values() for t in document.body.get_tables()]
    return found[0]


def paragraph_style(document: Odt, element: Element) -> dict[str, str]:
    """The paragraph's text and paragraph properties, its parents' included (nearest wins)."""
    properties: dict[str, str] = {}
    name = element.get_attribute_string("text:style-name")
    while name:
        style = document.get_style("paragraph", name)
        assert style is not None, name
        for area in ("paragraph", "text"):
            for key, value in (style.get_properties(area=area) or {}).items():
                properties.setdefault(key, str(value))
        name = style.parent_style
    return properties


def test_the_werkstattplan_is_a_real_table_with_a_repeated_header_and_the_owners() -> None:
    plan = table_with(rendered(), PLAN_HEADER)
    header_rows = plan.get_elements("table:table-header-rows/table:table-row")
    assert len(header_rows) == 1
    owners = [row.get_values()[PLAN_HEADER.index("Verantwortlich")] for row in plan.get_rows()[1:]]
    assert owners == list(OWNERS)


def test_user_text_with_markup_stays_literal_text() -> None:
    plan = table_with(rendered(), PLAN_HEADER)
    assert plan.get_row(1).get_values()[2] == "Maßnahme 1 <b>&amp; {{ body }}"
    assert not plan.get_elements("//b")


def test_the_swot_is_a_2x2_grid_with_bold_cell_titles() -> None:
    document = rendered()
    swot = next(t for t in document.body.get_tables() if "Stärken" in t.get_cell((0, 0)).get_value(get_type=False))
    assert [len(row.get_cells()) for row in swot.get_rows()] == [2, 2]
    titles = [cell.get_elements("text:p")[0] for row in swot.get_rows() for cell in row.get_cells()]
    assert [str(t).strip() for t in titles] == ["Stärken", "Schwächen", "Chancen", "Risiken"]
    assert all(paragraph_style(document, t)["fo:font-weight"] == "bold" for t in titles)
    strengths = swot.get_cell((0, 0)).get_elements("text:list/text:list-item")
    assert [item.get_elements("text:p")[0].inner_text for item in strengths] == ["aktives Vereinsleben", "gute Schulen"]


def test_amounts_align_right_and_the_total_row_is_bold() -> None:
    document = rendered()
    money = table_with(document, ("Jahr", "Betrag"))
    rows = money.get_rows()
    amount = rows[1].get_cells()[1].get_elements("text:p")[0]
    year = rows[1].get_cells()[0].get_elements("text:p")[0]
    assert paragraph_style(document, amount).get("fo:text-align") == "end"
    assert paragraph_style(document, year).get("fo:text-align") != "end"
    assert rows[-1].get_values() == ["Summe", "285.500 €"]
    total = [cell.get_elements("text:p")[0] for cell in rows[-1].get_cells()]
    assert all(paragraph_style(document, p)["fo:font-weight"] == "bold" for p in total)
    assert "fo:font-weight" not in paragraph_style(document, year)


def test_charts_are_png_images_in_the_package_with_their_text_alternative() -> None:
    document = rendered()
    charts = sample_document().charts()
    frames = [f for f in document.body.get_frames() if f.get_image() is not None]
    assert len(frames) == len(charts) == 2
    for frame, chart in zip(frames, charts, strict=True):
        assert frame.svg_title == chart.title
        assert frame.svg_description == chart.alt
        image = frame.get_image()
        assert image is not None
        data = document.get_part(str(image.url))
        assert isinstance(data, bytes) and data.startswith(b"\x89PNG\r\n\x1a\n")
        assert document.manifest.get_media_type(str(image.url)) == "image/png"


def test_an_age_pyramid_is_embedded_taller_than_a_series_at_its_own_proportions() -> None:
    document = Odt(BytesIO(odt.render(sample_document(pyramid=True), None, TEMPLATES)))
    *series, pyramid = [f for f in document.body.get_frames() if f.get_image() is not None]
    assert [f.size for f in series] == [("16cm", "8cm")] * 2
    assert pyramid.size == ("16cm", "13cm")
    assert pyramid.svg_description == age_pyramid().alt
    image = pyramid.get_image()
    assert image is not None
    width, height = Image.open(BytesIO(document.get_part(str(image.url)))).size  # type: ignore[arg-type]
    assert abs(height / width - 13 / 16) < 0.01, "the picture is not stretched in its frame"


def test_title_page_headings_and_notes() -> None:
    document = rendered()
    paragraphs = document.body.get_paragraphs()
    assert [str(p).strip() for p in paragraphs[:2]] == ["Demografiestrategie", "Amt Süderbrarup"]
    assert [p.style for p in paragraphs[:2]] == ["Title", "Subtitle"]
    headings = [(int(h.level), str(h).strip()) for h in document.body.get_headers()]
    assert headings == [
        (1, "1. Kick-Off"),
        (1, "2. Kommunalprofil"),
        (1, "3. Zukunftswerkstatt"),
        (1, "4. Werkstattplan"),
        (2, "Mitwirkende"),
    ]
    first = document.body.get_headers()[0]
    assert paragraph_style(document, first).get("fo:break-before") == "page"
    note = next(p for p in paragraphs if str(p).strip() == "Beschlossen von Anna am 1. Dezember 2026")
    assert paragraph_style(document, note)["fo:font-size"] == "9pt"
    bullets = document.body.get_lists()[0]
    assert [i.get_elements("text:p")[0].inner_text for i in bullets.get_items()] == ["Bürgermeister", "Seniorenbeirat"]


@pytest.mark.parametrize(("lang", "tag"), [("de", "de-DE"), ("fr", "fr-FR"), ("en", "en-US")])
def test_language_and_title_are_set(lang: str, tag: str) -> None:
    document = rendered(lang=lang)
    assert document.meta.language == tag
    assert document.get_language() == tag
    assert document.meta.title == "Demografiestrategie"


def test_the_default_letterhead_gets_the_fields_and_numbers_the_pages() -> None:
    document = rendered()
    master = document.styles.get_master_page()
    assert master is not None
    header, footer = master.get_page_header(), master.get_page_footer()
    assert header is not None and footer is not None
    assert str(header.get_elements("text:p")[0]).strip() == "Amt Süderbrarup · Strategiedokument"
    assert footer.get_elements(".//text:page-number") and footer.get_elements(".//text:page-count")
    assert "{{" not in str(footer.get_elements("text:p")[0])
    assert not [p for p in document.body.get_paragraphs() if "{{ body }}" in str(p) and p.style == "Text_20_body"]


def municipality_template(body: bool = True) -> bytes:
    """A letterhead as a municipality makes it: fields in the header, one split across two spans."""
    template = Odt("text")
    template.body.clear()
    master = template.styles.get_master_page()
    assert master is not None
    split = Paragraph("Gemeinde: {{ munici")
    split.append(Span("pality }}", style="Emphasis"))
    split.append_plain_text(", Stand {{date}}")
    master.set_page_header([LETTERHEAD, split])
    template.body.append(Paragraph("Sitzungsvorlage: {{ title }} ({{ unknown }})"))
    if body:
        template.body.append(Paragraph("{{ body }}"))
    template.body.append(Paragraph("Mit freundlichen Grüßen"))
    out = BytesIO()
    template.save(out)
    return out.getvalue()


def test_a_municipality_template_keeps_its_letterhead_and_gets_the_fields_and_content() -> None:
    document = rendered(municipality_template())
    master = document.styles.get_master_page()
    assert master is not None and (header := master.get_page_header()) is not None
    lines = [str(p).strip() for p in header.get_elements("text:p")]
    assert lines == [LETTERHEAD, "Gemeinde: Amt Süderbrarup, Stand 7. Dezember 2026"]
    paragraphs = [str(p).strip() for p in document.body.get_elements("text:p")]
    assert paragraphs[0] == "Sitzungsvorlage: Demografiestrategie ({{ unknown }})"
    assert paragraphs[1] == "Demografiestrategie"
    assert paragraphs[-1] == "Mit freundlichen Grüßen"
    assert "{{ body }}" not in paragraphs
    table_with(document, PLAN_HEADER)
    for family, name in odt_default.STYLES:
        assert document.get_style(family, name) is not None, name


def test_a_template_without_body_placeholder_gets_the_content_at_the_end() -> None:
    document = rendered(municipality_template(body=False))
    children = [c for c in document.body.children if c.tag in ("text:p", "text:h", "table:table")]
    assert str(children[1]).strip() == "Mit freundlichen Grüßen"
    assert str(children[2]).strip() == "Demografiestrategie"


def test_an_odt_template_file_is_accepted() -> None:
    template = Odt(BytesIO(municipality_template()))
    template.mimetype = "application/vnd.oasis.opendocument.text-template"
    out = BytesIO()
    template.save(out)
    document = Odt(BytesIO(odt.render(sample_document(), out.getvalue(), TEMPLATES)))
    assert document.mimetype == "application/vnd.oasis.opendocument.text"
    table_with(document, PLAN_HEADER)


def a_docx() -> bytes:
    out = BytesIO()
    docx.Document().save(out)
    return out.getvalue()


def without_content() -> bytes:
    out = BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        package.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        package.writestr("styles.xml", "")
    return out.getvalue()


def with_part(package: bytes, name: str, data: bytes) -> bytes:
    out = BytesIO()
    with zipfile.ZipFile(BytesIO(package)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            target.writestr(item, data if item.filename == name else source.read(item))
    return out.getvalue()


def encrypted() -> bytes:
    """What a password-protected ODT looks like from outside: the manifest's encryption data, content unreadable."""
    template = Odt("text")
    entry = template.manifest.get_elements("//manifest:file-entry[@manifest:full-path='content.xml']")[0]
    entry.append(Element.from_tag("manifest:encryption-data"))
    out = BytesIO()
    template.save(out)
    return with_part(out.getvalue(), "content.xml", bytes(range(256)) * 4)


def damaged() -> bytes:
    return with_part((TEMPLATES / odt_default.FILE_NAME).read_bytes(), "content.xml", b"<office:document-content")


@pytest.mark.parametrize(
    ("template", "reason"),
    [
        (b"Briefkopf", "not an ODT file (not a zip archive)"),
        (a_docx(), "not an ODT text document (type missing)"),
        (without_content(), "not an ODT file (no content.xml)"),
        (encrypted(), "the ODT file is encrypted (password-protected)"),
        (damaged(), "the ODT file cannot be read"),
    ],
    ids=["text", "docx", "no-content", "encrypted", "damaged"],
)
def test_an_unusable_template_says_why(template: bytes, reason: str) -> None:
    with pytest.raises(BadTemplate) as raised:
        odt.render(sample_document(), template, TEMPLATES)
    assert str(raised.value).startswith(reason)


def test_the_default_template_in_content_is_what_the_generator_builds() -> None:
    """content/templates/document.odt is rebuilt after a change to bot/documents/odt_default.py."""
    shipped = Odt(BytesIO((TEMPLATES / odt_default.FILE_NAME).read_bytes()))
    built = Odt(BytesIO(odt_default.build()))
    assert shipped.styles.serialize() == built.styles.serialize()
    assert shipped.content.serialize() == built.content.serialize()


def test_libreoffice_opens_the_odt_and_its_pdf_has_the_owners(tmp_path: Path) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed: the ODT is not opened in an office suite")
    source = tmp_path / "plan.odt"
    source.write_bytes(odt.render(sample_document(), municipality_template(), TEMPLATES))
    profile = (tmp_path / "profile").as_uri()
    command = [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf"]
    subprocess.run([*command, "--outdir", str(tmp_path), str(source)], check=True, capture_output=True, timeout=180)
    pdf = pypdf.PdfReader(tmp_path / "plan.pdf")
    text = " ".join(" ".join(page.extract_text().split()) for page in pdf.pages)
    for owner in OWNERS:
        assert owner in text
    assert LETTERHEAD in text
    outline = [item["/Title"] for item in pdf.outline if isinstance(item, dict)]
    assert outline[:2] == ["1. Kick-Off", "2. Kommunalprofil"]  # headings, numbered once
