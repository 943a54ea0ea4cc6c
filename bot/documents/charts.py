"""Indicator series as PNG charts (matplotlib, Agg: no screen, no GUI toolkit)."""

from __future__ import annotations

from io import BytesIO

import matplotlib

matplotlib.use("Agg")

from matplotlib.figure import Figure  # noqa: E402  (the backend is chosen first)
from matplotlib.ticker import FuncFormatter  # noqa: E402

from flows.documents.model import Chart  # noqa: E402

WIDTH_CM, HEIGHT_CM, DPI = 16.0, 8.0, 150


def png(chart: Chart, decimal: str = ",", group: str = ".") -> bytes:
    """The series as a line chart (bars for a single point), its values labelled, at 150 dpi.

    ``decimal`` and ``group`` are the reader's separators, so the axis reads as the text does.
    """
    figure = Figure(figsize=(WIDTH_CM / 2.54, HEIGHT_CM / 2.54), dpi=DPI, layout="constrained")
    axes = figure.add_subplot()
    labels = [label for label, _ in chart.points]
    values = [value for _, value in chart.points]
    if len(values) > 1:
        axes.plot(labels, values, marker="o", color="#1f5f8b", linewidth=2)
    else:
        axes.bar(labels, values, color="#1f5f8b", width=0.5)
    axes.set_title(chart.title, fontsize=11, loc="left")
    axes.set_ylabel(chart.unit)
    axes.yaxis.set_major_formatter(FuncFormatter(lambda v, _: _number(v, decimal, group)))
    axes.spines[["top", "right"]].set_visible(False)
    axes.grid(axis="y", alpha=0.3)
    for label, value in zip(labels, values, strict=True):
        axes.annotate(
            _number(value, decimal, group),
            (label, value),
            textcoords="offset points",
            xytext=(0, 6),
            ha="center",
            fontsize=8,
        )
    out = BytesIO()
    figure.savefig(out, format="png", metadata={"Title": chart.title, "Description": chart.alt})
    return out.getvalue()


def _number(value: float, decimal: str, group: str) -> str:
    text = f"{value:,.0f}" if value == int(value) else f"{value:,.1f}"
    return text.replace(",", "\0").replace(".", decimal).replace("\0", group)
