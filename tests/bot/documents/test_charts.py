"""Charts as PNG: a valid image of the set size, values in the reader's number format, the text alternative inside."""

from __future__ import annotations

from io import BytesIO

import pytest
from PIL import Image

from bot.documents.charts import DPI, HEIGHT_CM, WIDTH_CM, figure, png, separators
from flows.documents.model import Chart
from tests.bot.documents.sample import sample_document

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
