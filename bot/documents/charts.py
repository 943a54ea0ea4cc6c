"""Indicator series and age pyramids as PNG charts (matplotlib, Agg: no screen, no GUI toolkit)."""

from __future__ import annotations

import math
from functools import lru_cache
from io import BytesIO

import matplotlib
from babel import Locale, UnknownLocaleError
from babel.numbers import get_decimal_symbol, get_group_symbol

matplotlib.use("Agg")

from matplotlib.axes import Axes  # noqa: E402  (the backend is chosen first)
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import FuncFormatter, MaxNLocator  # noqa: E402

from flows.documents.model import Chart  # noqa: E402

WIDTH_CM, HEIGHT_CM, DPI = 16.0, 8.0, 150
PYRAMID_HEIGHT_CM = 13.0
"""An age pyramid is taller: 17 age bands stay readable on a phone, and 16 × 13 cm fits an A4 page."""
COLOUR = "#1f5f8b"
SECOND = "#c2571a"
"""The pyramid's other side (women): orange beside the blue, told apart with any colour vision, and in grey."""


def separators(lang: str) -> tuple[str, str]:
    """The decimal and group separators of ``lang`` (CLDR): de ``,`` ``.``; fr ``,`` U+202F; en ``.`` ``,``.

    Pass them on: ``png(chart, *separators(document.lang))``. An unknown language reads as German.
    """
    try:
        locale = Locale.parse(lang)
    except (ValueError, UnknownLocaleError):
        locale = Locale.parse("de")
    return get_decimal_symbol(locale), get_group_symbol(locale)


def size(chart: Chart) -> tuple[float, float]:
    """Width and height in cm at which ``chart`` is drawn, and embedded in a document: 16 × 8, a pyramid 16 × 13."""
    return WIDTH_CM, PYRAMID_HEIGHT_CM if chart.kind == "pyramid" else HEIGHT_CM


def figure(chart: Chart, decimal: str = ",", group: str = ".") -> Figure:
    """The chart drawn by its kind (:func:`series` or :func:`pyramid`), its values in the reader's format.

    ``decimal`` and ``group`` are the reader's separators (see :func:`separators`), so the axis reads
    as the text does.
    """
    width, height = size(chart)
    drawing = Figure(figsize=(width / 2.54, height / 2.54), dpi=DPI, layout="constrained")
    axes = drawing.add_subplot()
    (pyramid if chart.kind == "pyramid" else series)(axes, chart, decimal, group)
    axes.set_title(chart.title, fontsize=11, loc="left")
    return drawing


def series(axes: Axes, chart: Chart, decimal: str, group: str) -> None:
    """A line chart (bars for a single point), each value labelled above its point."""
    labels = [label for label, _ in chart.points]
    values = [value for _, value in chart.points]
    if len(values) > 1:
        axes.plot(labels, values, marker="o", color=COLOUR, linewidth=2)
    else:
        axes.bar(labels, values, color=COLOUR, width=0.5)
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


def pyramid(axes: Axes, chart: Chart, decimal: str, group: str) -> None:
    """An age pyramid: one row per age band, the youngest (the first of ``points``) at the bottom; ``points``
    (men) as bars to the left, ``second`` (women) to the right, each labelled with its value; the legend
    below names the sides.

    A band only one side has is drawn on that side; a value that is not a number (NaN) draws no bar.
    """
    bands = list(dict.fromkeys([band for band, _ in chart.points] + [band for band, _ in chart.second]))
    men, women = dict(chart.points), dict(chart.second)
    rows = range(len(bands))
    widest = max((abs(v) for v in (*men.values(), *women.values()) if not math.isnan(v)), default=0.0) or 1.0
    legend = (*chart.legend, "", "")[:2]
    for values, sign, colour, name in ((men, -1, COLOUR, legend[0]), (women, 1, SECOND, legend[1])):
        shown = [(row, values[band]) for row, band in zip(rows, bands, strict=True) if band in values]
        shown = [(row, value) for row, value in shown if not math.isnan(value)]
        axes.barh(
            [row for row, _ in shown],
            [sign * abs(value) for _, value in shown],
            height=0.8,
            color=colour,
            label=name or None,
        )
        for row, value in shown:
            axes.annotate(
                number(value, decimal, group),
                (sign * abs(value), row),
                textcoords="offset points",
                xytext=(sign * 3, 0),
                ha="left" if sign > 0 else "right",
                va="center",
                fontsize=8,
            )
    axes.set_xlim(-widest * 1.3, widest * 1.3)  # room for the labels at the ends of the longest bars
    axes.set_ylim(-0.6, max(len(bands), 1) - 0.4)
    axes.set_yticks(list(rows), bands, fontsize=9)
    axes.xaxis.set_major_locator(MaxNLocator(6, symmetric=True))
    axes.xaxis.set_major_formatter(FuncFormatter(lambda v, _: number(abs(v), decimal, group)))
    axes.tick_params(axis="x", labelsize=8)
    axes.set_xlabel(chart.unit, fontsize=9)
    axes.axvline(0, color="#444444", linewidth=0.8)
    axes.spines[["top", "right"]].set_visible(False)
    axes.grid(axis="x", alpha=0.3)
    axes.set_axisbelow(True)
    if any(legend):
        axes.figure.legend(loc="outside lower center", ncols=2, frameon=False, fontsize=9)


def png(chart: Chart, decimal: str = ",", group: str = ".") -> bytes:
    """:func:`figure` as PNG at 150 dpi: a series 16 × 8 cm (944 × 472 px), a pyramid 16 × 13 cm (944 × 767 px).

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
