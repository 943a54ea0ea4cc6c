"""A document as Markdown (CommonMark with GFM pipe tables) through content/templates/document.md.j2.

Every text is escaped so user text stays literal (no headings, links, HTML); entries are separated
by blank lines; tables are pipe tables (the SWOT grid too, under an empty header row); charts read
as their text alternative. ``template`` (a municipality's DOCX or ODT) does not apply to Markdown.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from flows.documents.model import Cell, Chart, Document, Items, Table, Text

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|!~&])")
_LINE_START = re.compile(r"^(\s*)(\d*)([-+=>.)])(\s)", re.MULTILINE)


def md(text: Any) -> str:
    """Escape user text so it stays literal text in Markdown (no headings, links, HTML)."""
    escaped = _MD_SPECIAL.sub(r"\\\1", str(text))
    return _LINE_START.sub(lambda m: f"{m[1]}{m[2]}\\{m[3]}{m[4]}", escaped).replace("\n", "  \n")


def item(text: Any) -> str:
    """A list item: its further lines indented under it, so they stay in the item."""
    return md(text).replace("  \n", "  \n  ")


def cell(value: str | Cell) -> str:
    """A table cell on one line: ``|`` escaped, line breaks as ``<br>``; a grid cell's title in bold."""
    if isinstance(value, Cell):
        lines = [f"**{md(value.title)}**", *(f"• {md(v)}" for v in value.lines)]
    else:
        lines = [md(v) for v in str(value).splitlines()] or [""]
    return "<br>".join(lines).replace("  \n", "<br>")


@lru_cache(maxsize=8)
def environment(templates: Path) -> Environment:
    env = Environment(
        loader=FileSystemLoader(templates),
        undefined=StrictUndefined,
        autoescape=False,  # Markdown, not HTML: the `md`, `item` and `cell` filters escape
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(md=md, item=item, cell=cell)
    env.tests.update(
        text=lambda b: isinstance(b, Text),
        items=lambda b: isinstance(b, Items),
        table=lambda b: isinstance(b, Table),
        chart=lambda b: isinstance(b, Chart),
    )
    return env


def render(document: Document, template: bytes | None, templates: Path) -> bytes:
    text = environment(templates).get_template("document.md.j2").render(document=document)
    return (re.sub(r"\n{3,}", "\n\n", text).strip() + "\n").encode("utf-8")
