"""Indicator series from the Kommunalprofil: the numbers in what people wrote, and a chart per series.

Numbers are read as German, French or English write them (:func:`flows.reading.read_number`).
"""

from __future__ import annotations

import re
from typing import Any

from slugify import slugify

from flows.content.model import RecordsStep
from flows.conversation.context import Ctx
from flows.documents.model import Chart
from flows.reading import read_number

_NUMBER = re.compile(r"[-+−–]?\d[\d.,\s\u00a0\u202f]*")
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")


def number(text: str) -> float | None:
    """The first number in ``text`` ("18.432 Einwohner" → 18432.0, "+3,2 %" → 3.2), None when there is none."""
    found = _NUMBER.search(text)
    if found is None:
        return None
    raw = found.group().strip().rstrip(".,")
    value = read_number(raw.lstrip("-+−–"))
    if value is None:
        return None
    return -float(value) if raw[0] in "-−–" else float(value)


def year(text: str) -> int | None:
    """The last year named ("2011–2023" → 2023, "31.12.2024" → 2024)."""
    years = _YEAR.findall(text)
    return int(years[-1]) if years else None


def unit(text: str) -> str:
    """What follows the number: "47,8 Jahre" → "Jahre", "+3,2 %" → "%"."""
    found = _NUMBER.search(text)
    return text[found.end() :].strip() if found else ""


def charts(ctx: Ctx, step: RecordsStep, records: list[dict[str, Any]]) -> list[Chart]:
    """One chart per indicator with numeric values for two or more different years, in the order first named."""
    series: dict[str, dict[int, tuple[float, str]]] = {}
    for record in records:
        kind, value = record.get("indicator"), number(str(record.get("value") or ""))
        when = year(str(record.get("year") or ""))
        if not kind or kind == "other" or value is None or when is None:
            continue
        series.setdefault(kind, {})[when] = (value, unit(str(record["value"])))
    field = next(f for f in step.fields if f.id == "indicator")
    found = []
    for kind, points in series.items():
        if len(points) < 2:
            continue
        title = ctx.field_value(field, kind)
        ordered = sorted(points.items())
        values = ctx.t.joined(ctx.labelled(str(y), f"{ctx.t.number(v)} {u}".strip()) for y, (v, u) in ordered)
        found.append(
            Chart(
                title=title,
                points=tuple((str(y), v) for y, (v, _) in ordered),
                unit=ordered[0][1][1],
                alt=ctx.labelled(title, values),
                file_stem=slugify(kind) or "chart",
            )
        )
    return found
