"""Indicator series as PNG charts (matplotlib, Agg: no screen, no GUI toolkit)."""

from __future__ import annotations

from functools import lru_cache
from io import BytesIO

import matplotlib
from babel import Locale, UnknownLocaleError
from babel.numbers import get_decimal_symbol, get_group_symbol

matplotlib.use("Agg")

from matplotlib.figure import Figure  # noqa: E402  (the backend is chosen first)
from matplotlib.ticker import FuncFormatter  # noqa: E402

from flows.documents.model import Chart  # noqa: E402

WIDTH_CM, HEIGHT_CM, DPI = 16.0, 8.0, 150
COLOUR = "#1f5f8b"


def separators(lang: str) -> tuple[str, str]:
    """The decimal and group separators of ``lang`` (CLDR): de ``,`` ``.``; fr ``,`` U+202F; en ``.`` ``,``.

    Pass them on: ``png(chart, *separators(document.lang))``. An unknown language reads as German.
    """
    try:
        locale = Locale.parse(lang)
    except (ValueError, UnknownLocaleError):
        locale = Locale.parse("de")
    return get_decimal_symbol(locale), get_group_symbol(locale)


def figure(chart: Chart, decimal: str = ",", group: str = ".") -> Figure:
    """The series as a line chart (bars for a single point), its values labelled in the reader's format.

    ``decimal`` and ``group`` are the reader's separators (see :func:`separators`), so the axis reads
    as the text does.
    """
    drawing = Figure(figsize=(WIDTH_CM / 2.54, HEIGHT_CM / 2.54), dpi=DPI, layout="constrained")
    axes = drawing.add_subplot()
    labels = [label for label, _ in chart.points]
    values = [value for _, value in chart.points]
    if len(values) > 1:
        axes.plot(labels, values, marker="o", color=COLOUR, linewidth=2)
    else:
        axes.bar(labels, values, color=COLOUR, width=0.5)
    axes.set_title(chart.title, fontsize=11, loc="left")
    axes.set_ylabel(chart.unit)
    axes.yaxis.set_major_formatter(FuncFormatter(lambda v, _: number(v, decimal, group)))
    axes.spines[["top", "right"]].set_visible(False)
    axes.grid(axis="y", alpha=0.3)
    for label, value in zip(labels, values, strict=True):
        axes.annotate(
            number(value, decimal, group),
            (label, value),
            textcoords="offset points",
            xytext=(0, 6),
            ha="center",
            fontsize=8,
        )
    return drawing


def png(chart: Chart, decimal: str = ",", group: str = ".") -> bytes:
    """:func:`figure` as PNG, 16 × 8 cm at 150 dpi (944 × 472 px).

    The PNG carries the chart's title and its text alternative (``Chart.alt``) as ``Title`` and
    ``Description`` text chunks, so the values travel with the image when it is sent alone.
    """
    out = BytesIO()
    figure(chart, decimal, group).savefig(out, format="png", metadata={"Title": chart.title, "Description": chart.alt})
    return out.getvalue()


@lru_cache(maxsize=64)
def picture(chart: Chart, lang: str) -> bytes:
    """:func:`png` in the separators of ``lang``; kept, since each export of a strategy draws the same charts."""
    return png(chart, *separators(lang))


def number(value: float, decimal: str, group: str) -> str:
    """``value`` with thousands grouped, one decimal where it has a fraction: 18432 → "18.432", 4.1 → "4,1"."""
    text = f"{value:,.0f}" if value == int(value) else f"{value:,.1f}"
    return text.replace(",", "\0").replace(".", decimal).replace("\0", group)
