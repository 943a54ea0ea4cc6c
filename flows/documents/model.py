"""A document as sections of paragraphs, lists, tables and charts: what every format renders the same way.

Everything is plain text in the reader's language, already formatted (numbers, dates, money);
renderers only lay it out. All classes are frozen dataclasses of tuples and strings, so a document
can be handed to another process for rendering.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Format = Literal["odt", "docx", "pdf", "md", "png"]
FORMATS: tuple[Format, ...] = ("odt", "docx", "pdf", "md")
"""What ``/export`` offers, in this order (``png``: the charts alone, on request)."""
MEDIA_TYPES: dict[Format, str] = {
    "odt": "application/vnd.oasis.opendocument.text",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "md": "text/markdown",
    "png": "image/png",
}
Kind = Literal["strategy", "resolution", "obstacles"]
"""The strategy and the council resolution of a workspace; the obstacles report for the programmes (pooled)."""


@dataclass(frozen=True)
class Text:
    """One paragraph. ``note``: a remark in smaller, muted type (who wrote it, an approval, "not started")."""

    text: str
    style: Literal["body", "note", "strong"] = "body"


@dataclass(frozen=True)
class Items:
    """A bulleted list (``numbered``: 1., 2., …)."""

    items: tuple[str, ...]
    numbered: bool = False


@dataclass(frozen=True)
class Cell:
    """A table cell with a bold title over its lines (the SWOT's "Stärken" and its points)."""

    title: str
    lines: tuple[str, ...] = ()


@dataclass(frozen=True)
class Table:
    """A real table. ``header`` is the first row (repeated on each page); ``total`` a last row in bold.

    ``numeric`` lists the columns to align right (amounts). A ``grid`` table (the SWOT) has no
    header: each cell is a :class:`Cell` with its title.
    """

    header: tuple[str, ...]
    rows: tuple[tuple[str | Cell, ...], ...]
    caption: str = ""
    total: tuple[str, ...] = ()
    numeric: tuple[int, ...] = ()
    grid: bool = False

    @property
    def columns(self) -> int:
        return len(self.header) if self.header else max((len(r) for r in self.rows), default=0)


@dataclass(frozen=True)
class Chart:
    """An indicator series drawn as a line or bar chart, or an age pyramid, with a text alternative that lists
    every value."""

    title: str
    points: tuple[tuple[str, float], ...]
    """(label on the x axis, value), in order, e.g. ("2020", 18432.0); a pyramid's: (age band, men)."""
    unit: str
    alt: str
    """The text alternative: the title and each value as the reader's language writes it."""
    file_stem: str = "chart"
    kind: Literal["series", "pyramid"] = "series"
    second: tuple[tuple[str, float], ...] = ()
    """A pyramid's other side: (age band, women), in the order of ``points``."""
    legend: tuple[str, ...] = ()
    """A pyramid's two sides ("Männer", "Frauen")."""


Block = Text | Items | Table | Chart


@dataclass(frozen=True)
class Section:
    """A heading and its blocks; ``level`` 1 for a stage, 2 within it. ``state`` says "unvollständig" and the like."""

    title: str
    blocks: tuple[Block, ...] = ()
    level: int = 1
    state: str = ""


@dataclass(frozen=True)
class Document:
    """One document in one language. ``fields`` are the placeholders a template may use (documented in the README)."""

    kind: Kind
    lang: str
    title: str
    subtitle: str
    cover: tuple[tuple[str, str], ...]
    """Label and value lines of the title page: date, state of approval, content version."""
    sections: tuple[Section, ...]
    fields: dict[str, str] = field(default_factory=dict)
    """``title``, ``subtitle``, ``municipality``, ``date``, ``approval``, ``version``, ``kind``: for templates."""
    labels: dict[str, str] = field(default_factory=dict)
    """Words renderers need in the reader's language: ``contents`` (table of contents), ``page``, ``chart``."""

    def charts(self) -> list[Chart]:
        return [b for s in self.sections for b in s.blocks if isinstance(b, Chart)]


@dataclass(frozen=True)
class Rendering:
    """An attachment still to be made: the shell renders it off the event loop, after the answer is committed."""

    document: Document
    format: Format
    file_name: str
    template: bytes | None = None
    """A municipality's own DOCX or ODT template (letterhead), else the default from content/templates."""

    @property
    def media_type(self) -> str:
        return MEDIA_TYPES[self.format]
