"""Indicator values as German, French and English write them; a chart per series with every value in its text."""

from __future__ import annotations

import pytest

from flows.conversation.documents.series import charts, number, unit, year
from tests.flows.conversation.documents.workspace import workspace


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("18.432", 18432.0),
        ("18 432", 18432.0),
        ("18\u202f432 habitants", 18432.0),
        ("18,432", 18432.0),
        ("4,1", 4.1),
        ("47.8 years", 47.8),
        ("+3,2 %", 3.2),
        ("−2,5 %", -2.5),
        ("1.234.567", 1234567.0),
        ("1.234,5", 1234.5),
        ("1,234.5", 1234.5),
        ("etwa 12 Prozent", 12.0),
        ("keine Angabe", None),
        ("1.2.3", None),
    ],
)
def test_numbers_as_each_language_writes_them(text: str, value: float | None):
    assert number(text) == value


def test_years_and_units():
    assert year("2011–2023") == 2023 and year("31.12.2024") == 2024 and year("letztes Jahr") is None
    assert unit("47,8 Jahre") == "Jahre" and unit("+3,2 %") == "%"


@pytest.mark.parametrize(
    ("lang", "values"), [("de", "2015: 18.432; 2024: 18.100"), ("en", "2015: 18,432; 2024: 18,100")]
)
def test_a_series_of_two_years_is_a_chart_whose_text_lists_each_value(content, lang: str, values: str):
    ctx = workspace(content, lang)
    step = content.step("kp_indicators")
    [chart] = charts(ctx, step, ctx.state.answers["kp_indicators"])  # the average age has one year only: no chart
    assert chart.points == (("2015", 18432.0), ("2024", 18100.0))
    assert chart.alt.endswith(values), chart.alt
    assert chart.file_stem == "population"
