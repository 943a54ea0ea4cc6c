"""The Press renders in worker processes (or a thread): real charts, real failures, the size limit, a dead worker."""

from __future__ import annotations

import io
import logging
import os
import signal
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image

from bot.app.companion import Companion
from bot.app.companion import Response as Reply
from bot.documents.charts import picture
from bot.documents.press import NotMade, Press
from flows import notices
from flows.conversation.screens.export import chart_documents
from flows.documents.model import Rendering
from flows.messages import Outbound, Paragraph
from tests.bot.documents.sample import age_pyramid, sample_document

TEMPLATES = Path(__file__).resolve().parents[3] / "content" / "templates"


@pytest.fixture(params=[1, 0], ids=["process", "thread"])
def press(request: pytest.FixtureRequest) -> Iterator[Press]:
    made = Press(TEMPLATES, workers=request.param, warm_up=False)
    yield made
    made.close()


def chart(lang: str = "de", n: int = 0) -> Rendering:
    return Rendering(chart_documents(sample_document(lang))[n], "png", f"chart-{n}.png")


async def test_a_chart_is_drawn_in_a_worker_as_a_png(press: Press):
    attachment = await press.attachment(chart())
    image = Image.open(io.BytesIO(attachment.data))
    assert image.format == "PNG" and image.width > 600 and image.height > 300
    assert image.info["Title"] == "Einwohnerinnen und Einwohner"
    assert (attachment.filename, attachment.media_type) == ("chart-0.png", "image/png")
    assert attachment.alt == chart().document.charts()[0].alt, "the values go with the picture"


async def test_an_age_pyramid_is_drawn_in_the_documents_language_with_its_text_alternative(press: Press):
    [*_, pyramid] = chart_documents(sample_document("fr", charts=1, pyramid=True))
    attachment = await press.attachment(Rendering(pyramid, "png", "pyramide.png"))
    image = Image.open(io.BytesIO(attachment.data))
    assert image.size == (944, 767) and image.info["Description"] == attachment.alt == age_pyramid().alt
    assert attachment.data == picture(age_pyramid(), "fr") != picture(age_pyramid(), "de")


async def test_a_failure_is_logged_and_becomes_a_message_not_a_crash(press: Press, caplog):
    nothing_to_draw = replace(chart(), document=replace(sample_document(), sections=()))
    with caplog.at_level(logging.ERROR, "bot.documents.press"), pytest.raises(NotMade) as raised:
        await press.attachment(nothing_to_draw)
    assert raised.value.message == notices.DOCUMENT_FAILED
    assert "could not be made" in caplog.text
    assert (await press.attachment(chart())).data.startswith(b"\x89PNG")  # the press goes on working


async def test_a_file_over_the_channels_limit_is_refused_with_its_size(press: Press):
    with pytest.raises(NotMade) as raised:
        await press.attachment(chart(), limit=1_000)
    assert raised.value.message == notices.DOCUMENT_TOO_LARGE
    assert raised.value.params == {"size": 1, "limit": 0}


async def test_a_killed_worker_costs_one_document_and_new_workers_take_over():
    press = Press(TEMPLATES, workers=1, warm_up=False)
    try:
        await press.attachment(chart())
        [pid] = list(press._executor._processes)  # type: ignore[attr-defined]
        os.kill(pid, signal.SIGKILL)
        with pytest.raises(NotMade) as raised:
            for _ in range(3):  # the pool may notice the death at the next submit or at the result
                await press.attachment(chart())
        assert raised.value.message == notices.DOCUMENT_FAILED
        assert (await press.attachment(chart())).data.startswith(b"\x89PNG")
    finally:
        press.close()


async def test_closing_stops_the_workers():
    press = Press(TEMPLATES, workers=2, warm_up=True)
    await press.attachment(chart())
    workers = list(press._executor._processes.values())  # type: ignore[attr-defined]
    assert workers and all(w.is_alive() for w in workers)
    press.close()
    assert not any(w.is_alive() for w in workers)


async def test_the_companion_attaches_what_was_made_and_says_what_was_not(content, store):
    companion = Companion(content, store, press=Press(TEMPLATES, workers=0, warm_up=False))
    try:
        broken = replace(chart("fr", 1), document=replace(sample_document("fr"), sections=()))
        charts = Outbound([Paragraph("Voici les graphiques.")], documents=[chart("fr", 0), broken])
        failed = Outbound([Paragraph("Voici le document.")], documents=[broken])
        reply = Reply([charts, failed])
        await companion.make_documents("telegram", reply)
        assert [a.filename for a in charts.attachments] == ["chart-0.png"] and charts.documents == []
        sorry = content.catalogues.translator("fr")(notices.DOCUMENT_FAILED)
        assert charts.text() == f"Voici les graphiques.\n\n{sorry}"
        assert failed.attachments == [] and failed.text() == sorry  # "here is" would be untrue
    finally:
        companion.close()


@pytest.mark.parametrize("fmt", ["odt", "docx", "pdf", "md"])
async def test_every_format_is_made_by_its_renderer(fmt: str, press: Press):
    """Runs once the format's renderer (bot/documents/<module>.py) exists; the file is read back by its own library."""
    from bot.documents.press import RENDERERS

    pytest.importorskip(f"bot.documents.{RENDERERS[fmt]}", reason=f"the {fmt} renderer is not there yet")
    attachment = await press.attachment(Rendering(sample_document(), fmt, f"strategie.{fmt}"))  # type: ignore[arg-type]
    assert attachment.alt == "", "a document carries its charts' text alternatives inside"
    data = io.BytesIO(attachment.data)
    if fmt == "odt":
        from odfdo import Document as Odt

        assert "Amt Süderbrarup" in Odt(data).body.text_recursive
    elif fmt == "docx":
        from docx import Document as Docx

        assert Docx(data).tables
    elif fmt == "pdf":
        from pypdf import PdfReader

        assert "Süderbrarup" in "".join(p.extract_text() for p in PdfReader(data).pages)
    else:
        from markdown_it import MarkdownIt

        assert any(t.type == "table_open" for t in MarkdownIt("commonmark").enable("table").parse(data.read().decode()))


async def test_an_unusable_template_is_named_to_the_person(press: Press):
    pytest.importorskip("bot.documents.docx", reason="the DOCX renderer is not there yet")
    rendering = Rendering(sample_document(), "docx", "strategie.docx", template=b"no zip at all")
    with pytest.raises(NotMade) as raised:
        await press.attachment(rendering)
    assert raised.value.message == notices.BAD_TEMPLATE and raised.value.params["reason"]
