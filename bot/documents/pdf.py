"""The document as a tagged PDF (PDF/UA-1): HTML from a Jinja template and CSS, laid out by WeasyPrint.

WeasyPrint needs Pango (and HarfBuzz for font subsets) from the system; the Dockerfile installs them
with the DejaVu fonts. It is imported when a PDF is made, so the rest of the bot runs without them.
"""

from __future__ import annotations

import base64
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from bot.documents.charts import picture
from flows.documents.model import Cell, Chart, Document, Items, Table, Text

TEMPLATE, STYLESHEET = "document.html.j2", "document.css"
WIDE = 7
"""A table with this many columns or more (the Werkstattplan) goes on landscape pages, in small type."""
PANGO_MISSING = (
    "WeasyPrint needs Pango to make PDFs: install libpango-1.0-0, libpangoft2-1.0-0 and libharfbuzz-subset0 "
    "(Debian/Ubuntu), as the Dockerfile does"
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def render(document: Document, template: bytes | None, templates: Path) -> bytes:
    """``document`` as a PDF/UA-1 file: tagged (structure tree, headings as bookmarks, tables with
    header cells, charts as figures with their text alternative), ``/Lang`` and the title shown as the
    window title, fonts embedded as subsets.

    ``template`` (a municipality's DOCX or ODT letterhead) is ignored: the PDF always uses
    ``templates``/document.html.j2 and document.css. Raises RuntimeError when Pango is missing.
    """
    try:
        from weasyprint import CSS, HTML  # type: ignore[import-untyped]  # needs Pango: imported here, not at start
    except OSError as exc:
        raise RuntimeError(f"{PANGO_MISSING} ({exc})") from exc
    page = HTML(string=html(document, templates), base_url=str(templates))
    pdf: bytes = page.write_pdf(
        stylesheets=[CSS(filename=str(templates / STYLESHEET))],
        pdf_variant="pdf/ua-1",
        pdf_tags=True,
    )
    return pdf


def html(document: Document, templates: Path) -> str:
    """The HTML WeasyPrint lays out; every text of ``document`` is escaped and stays text."""

    def chart_uri(chart: Chart) -> str:
        return "data:image/png;base64," + base64.b64encode(picture(chart, document.lang)).decode("ascii")

    return (
        _environment(templates)
        .get_template(TEMPLATE)
        .render(document=document, chart_uri=chart_uri, folio=folio(document.labels))
    )


def folio(labels: dict[str, str]) -> Markup:
    """The page number's CSS ``content``: "Seite 3 von 7" with ``labels`` page and of, else "Seite 3 / 7"."""
    page, of = labels.get("page", ""), labels.get("of", "")
    parts = [_css_string(f"{page} " if page else ""), "counter(page)", _css_string(f" {of} " if of else " / ")]
    return Markup(" ".join([*parts, "counter(pages)"]))


def _css_string(text: str) -> str:
    """``text`` as a CSS string: every character but ASCII letters and digits as a hex escape (``\\20 `` for a
    space; the space after an escape ends it), so no user text can close the string or the style element."""
    return '"' + "".join(c if c.isascii() and c.isalnum() else f"\\{ord(c):x} " for c in text) + '"'


def _printable(value: Any) -> Any:
    """Text without control characters (a pasted NUL or vertical tab): they have no glyph and garble the PDF."""
    return _CONTROL.sub("", value) if isinstance(value, str) and not isinstance(value, Markup) else value


@lru_cache(maxsize=4)
def _environment(templates: Path) -> Environment:
    environment = Environment(
        loader=FileSystemLoader(templates),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=_printable,
    )
    tests: dict[str, Any] = {
        "text": lambda b: isinstance(b, Text),
        "items": lambda b: isinstance(b, Items),
        "table": lambda b: isinstance(b, Table),
        "chart": lambda b: isinstance(b, Chart),
        "cell": lambda v: isinstance(v, Cell),
        "wide": lambda b: isinstance(b, Table) and b.columns >= WIDE,
    }
    environment.tests.update(tests)
    return environment
