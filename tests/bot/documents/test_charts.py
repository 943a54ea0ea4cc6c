"""Charts as PNG: a valid image of the set size, values in the reader's number format, the text alternative inside;
an age pyramid with the men to the left and the women to the right."""

from __future__ import annotations

import math
from dataclasses import replace
from io import BytesIO

import pytest
from PIL import Image

from bot.documents.charts import (
    COLOUR,
    DPI,
    HEIGHT_CM,
    PYRAMID_HEIGHT_CM,
    SECOND,
    WIDTH_CM,
    figure,
    picture,
    png,
    separators,
    size,
)
from flows.documents.model import Chart
from tests.bot.documents.sample import AGE_BANDS, MEN, WOMEN, age_pyramid, sample_document

NNBSP = "\u202f"


def population() -> Chart:
    return sample_document().charts()[0]


def test_a_chart_is_a_png_of_16_by_8_cm_at_150_dpi_carrying_its_text_alternative():
    data = png(population())
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    image = Image.open(BytesIO(data))
    image.verify()  # the chunks' checksums
    image = Image.open(BytesIO(data))
    assert image.format == "PNG"
    assert image.size == (int(WIDTH_CM / 2.54 * DPI), int(HEIGHT_CM / 2.54 * DPI)) == (944, 472)
    assert image.info["Title"] == "Einwohnerinnen und Einwohner"
    assert image.info["Description"] == population().alt
    assert image.getextrema() != ((255, 255), (255, 255), (255, 255), (255, 255)), "something is drawn"


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("de", (",", ".")), ("fr", (",", NNBSP)), ("en", (".", ",")), ("xx-nonsense", (",", "."))],
)
def test_the_separators_are_the_languages_own(lang: str, expected: tuple[str, str]):
    assert separators(lang) == expected


def test_a_french_chart_groups_thousands_with_a_narrow_no_break_space():
    drawing = figure(population(), *separators("fr"))
    [axes] = drawing.axes
    assert [text.get_text() for text in axes.texts] == [f"18{NNBSP}432", f"18{NNBSP}300", f"18{NNBSP}100"]
    assert axes.yaxis.get_major_formatter()(18250.0, 0) == f"18{NNBSP}250"
    english = figure(Chart("Quote", (("2020", 4.1), ("2024", 1234.5)), "%", "Quote"), *separators("en"))
    assert [text.get_text() for text in english.axes[0].texts] == ["4.1", "1,234.5"]


def test_a_single_value_is_a_bar_and_an_empty_series_still_draws():
    single = figure(Chart("Ärzte", (("2024", 4.1),), "je 10.000 EW", "Ärzte: 2024: 4,1"))
    assert len(single.axes[0].patches) == 1 and single.axes[0].texts[0].get_text() == "4,1"
    assert Image.open(BytesIO(png(Chart("leer", (), "", "leer")))).size == (944, 472)


def pixel(chart: Chart, x: float, y: float) -> tuple[int, int]:
    """Where the data point (``x``, ``y``) of ``chart``'s axes lies in its PNG, in Pillow's pixel coordinates."""
    drawing = figure(chart)
    drawing.draw_without_rendering()  # the constrained layout, as savefig makes it
    px, py = drawing.axes[0].transData.transform((x, y))
    return round(px), round(drawing.bbox.height - py)


def colour(hex_colour: str) -> tuple[int, int, int]:
    return tuple(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))  # type: ignore[return-value]


def test_an_age_pyramid_is_a_png_of_16_by_13_cm_carrying_its_title_and_text_alternative():
    chart = age_pyramid()
    data = png(chart)
    Image.open(BytesIO(data)).verify()
    image = Image.open(BytesIO(data))
    assert image.format == "PNG"
    assert image.size == (int(WIDTH_CM / 2.54 * DPI), int(PYRAMID_HEIGHT_CM / 2.54 * DPI)) == (944, 767)
    assert size(chart) == (WIDTH_CM, PYRAMID_HEIGHT_CM) and size(population()) == (WIDTH_CM, HEIGHT_CM)
    assert image.info["Title"] == "Altersaufbau 2024"
    assert image.info["Description"] == chart.alt


def test_men_are_drawn_to_the_left_women_to_the_right_and_the_youngest_at_the_bottom():
    chart = age_pyramid()
    image = Image.open(BytesIO(png(chart))).convert("RGB")
    men, women = colour(COLOUR), colour(SECOND)
    for row, band in enumerate(AGE_BANDS):
        x, y = pixel(chart, 0, row)
        assert image.getpixel((x - 4, y)) == men, band
        assert image.getpixel((x + 4, y)) == women, band
        end, _ = pixel(chart, -MEN[row], row)  # the men's bar ends at its value
        assert image.getpixel((end + 3, y)) == men and image.getpixel((end - 3, y)) != men, band
        end, _ = pixel(chart, WOMEN[row], row)
        assert image.getpixel((end - 3, y)) == women and image.getpixel((end + 3, y)) != women, band
    (_, youngest), (_, oldest) = pixel(chart, 0, 0), pixel(chart, 0, len(AGE_BANDS) - 1)
    assert youngest > oldest, "the first band (0–3) is the lowest row"
    x, _ = pixel(chart, -1000, 0)
    assert image.getpixel((x, oldest)) == men and image.getpixel((x, youngest)) != men  # 1.650 vs 412 men
    x, _ = pixel(chart, 2500, 0)
    assert image.getpixel((x, oldest)) == women and image.getpixel((x, youngest)) != women  # 2.610 vs 390 women


def test_a_pyramid_labels_its_bars_bands_and_axis_in_the_readers_format_with_a_legend():
    drawing = figure(age_pyramid(), *separators("fr"))
    [axes] = drawing.axes
    labels = [text.get_text() for text in axes.texts]
    assert labels == [f"{n:,}".replace(",", NNBSP) for n in (*MEN, *WOMEN)]
    assert [t.get_text() for t in axes.get_yticklabels()] == list(AGE_BANDS)
    assert axes.xaxis.get_major_formatter()(-1500.0, 0) == f"1{NNBSP}500", "the men's side counts up to the left"
    assert axes.get_title(loc="left") == "Altersaufbau 2024" and axes.get_xlabel() == "Personen"
    [legend] = drawing.legends
    assert [t.get_text() for t in legend.get_texts()] == ["Männer", "Frauen"]


def test_a_pyramid_with_gaps_or_nothing_still_draws():
    gaps = replace(
        age_pyramid(),
        points=(("0–3", 412.0), ("3–6", math.nan)),
        second=(("0–3", 390.0), ("75+", 2610.0)),
        legend=(),
    )
    drawing = figure(gaps)
    [axes] = drawing.axes
    assert [t.get_text() for t in axes.get_yticklabels()] == ["0–3", "3–6", "75+"]
    assert [t.get_text() for t in axes.texts] == ["412", "390", "2.610"], "no bar and no label for the NaN"
    assert drawing.legends == []
    empty = replace(age_pyramid(), points=(), second=())
    assert Image.open(BytesIO(png(empty))).size == (944, 767)


def test_a_picture_is_drawn_once_per_chart_and_language():
    chart = replace(age_pyramid(), title="Altersaufbau (einmal)")
    assert picture(chart, "de") is picture(chart, "de")
    assert picture(chart, "fr") != picture(chart, "de"), "the French groups thousands differently"
