"""An exported file read back as a reader sees it: headings, paragraphs and tables in document order.

The DOCX is read with python-docx, the ODT with odfdo, the PDF with pypdf: independent readers, never a
look at the bytes we wrote. Both office formats come out as the same plain blocks, so a test asks one
question of either ("the text under Finanzielle Auswirkungen", "the table whose first row is …").
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from io import BytesIO

import docx
from docx.table import Table as WordTable
from docx.text.paragraph import Paragraph as WordParagraph
from odfdo import Document as Odt
from odfdo import Element
from pypdf import PdfReader


@dataclass(frozen=True)
class Heading:
    text: str
    level: int


@dataclass(frozen=True)
class Para:
    text: str
    item: bool = False
    """A list item (a bullet or a number in front)."""


@dataclass(frozen=True)
class Grid:
    rows: tuple[tuple[str, ...], ...]
    """Each row's cells, a cell's paragraphs joined by line breaks."""


Block = Heading | Para | Grid


def docx_blocks(data: bytes) -> list[Block]:
    """The body of a DOCX (python-docx): a paragraph styled "Heading n" is a heading, "List …" a list item."""
    blocks: list[Block] = []
    for part in docx.Document(BytesIO(data)).iter_inner_content():
        if isinstance(part, WordTable):
            blocks.append(Grid(tuple(tuple(cell.text for cell in row.cells) for row in part.rows)))
            continue
        assert isinstance(part, WordParagraph)
        style = part.style.name if part.style is not None else ""
        if style.startswith("Heading ") and style.removeprefix("Heading ").isdigit():
            blocks.append(Heading(part.text, int(style.removeprefix("Heading "))))
        else:
            blocks.append(Para(part.text, item=style.startswith("List")))
    return blocks


def docx_headers(data: bytes) -> list[str]:
    """The paragraphs of the page headers, each once, in order."""
    word = docx.Document(BytesIO(data))
    texts = [p.text for section in word.sections for p in section.header.paragraphs]
    return list(dict.fromkeys(t for t in texts if t))


def odt_blocks(data: bytes) -> list[Block]:
    """The body of an ODT (odfdo): text:h is a heading, a paragraph inside text:list a list item."""
    return list(_odt(Odt(BytesIO(data)).body, item=False))


def _odt(element: Element, item: bool) -> Iterator[Block]:
    for child in element.children:
        if child.tag == "text:h":
            yield Heading(child.text_recursive, int(child.get_attribute_integer("text:outline-level") or 1))
        elif child.tag == "text:p":
            yield Para(child.text_recursive, item)
        elif child.tag == "table:table":
            yield Grid(tuple(_odt_row(row) for row in child.get_elements(".//table:table-row")))
        else:  # lists, sections, frames: what they hold, in order
            yield from _odt(child, item or child.tag == "text:list")


def _odt_row(row: Element) -> tuple[str, ...]:
    return tuple(
        "\n".join(p.text_recursive for p in cell.get_elements(".//text:p"))
        for cell in row.get_elements("table:table-cell")
    )


def pdf_text(data: bytes) -> str:
    """The PDF's text (pypdf), runs of white space as one space (where a line wraps is layout)."""
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(BytesIO(data)).pages)


def under(blocks: Sequence[Block], heading: str) -> list[Block]:
    """What stands under the one heading with this text, up to the next heading of its level or higher."""
    found = [i for i, b in enumerate(blocks) if isinstance(b, Heading) and b.text == heading]
    assert len(found) == 1, f"{len(found)} headings {heading!r} in {[b.text for b in headings(blocks)]}"
    start = found[0]
    level = blocks[start].level  # type: ignore[union-attr]
    part: list[Block] = []
    for block in blocks[start + 1 :]:
        if isinstance(block, Heading) and block.level <= level:
            break
        part.append(block)
    return part


def headings(blocks: Sequence[Block]) -> list[Heading]:
    return [b for b in blocks if isinstance(b, Heading)]


def text_of(blocks: Sequence[Block]) -> str:
    """Every paragraph and every table cell, one per line."""
    lines: list[str] = []
    for block in blocks:
        if isinstance(block, Grid):
            lines += [cell for row in block.rows for cell in row]
        else:
            lines.append(block.text)
    return "\n".join(lines)


def tables(blocks: Sequence[Block]) -> list[Grid]:
    return [b for b in blocks if isinstance(b, Grid)]


def table_headed(blocks: Sequence[Block], header: Sequence[str]) -> Grid:
    """The one table whose first row is ``header``."""
    found = [t for t in tables(blocks) if t.rows and t.rows[0] == tuple(header)]
    assert len(found) == 1, (
        f"{len(found)} tables headed {tuple(header)}; first rows: {[t.rows[:1] for t in tables(blocks)]}"
    )
    return found[0]


def items_after(blocks: Sequence[Block], label: str) -> list[str]:
    """The list items that follow the paragraph ``label`` (a labelled list such as "Steuerungsgruppe")."""
    texts = [b.text if isinstance(b, Para) else None for b in blocks]
    start = texts.index(label)
    found: list[str] = []
    for block in blocks[start + 1 :]:
        if not (isinstance(block, Para) and block.item):
            break
        found.append(block.text)
    return found
