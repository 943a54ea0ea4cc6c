"""/export as a user meets it: the format, then the document; shortcuts by argument; the menu and a stage's end."""

from __future__ import annotations

import pytest

from flows.content.content import Content
from flows.conversation.screens.export import chart_documents
from flows.documents.model import Chart, Rendering
from flows.messages import Inbound
from tests.bot.documents.sample import sample_document
from tests.conftest import EngineChat
from tests.flows.conversation.test_overview import KICKOFF
from tests.flows.team.chat import TeamChat, onboard

KIND_QUESTION = "Welches Dokument möchten Sie?"
FORMAT_QUESTION = "In welchem Format möchten Sie das Dokument?"
NEXT_QUESTION = "Zum Beispiel die Bürgermeisterin oder der Landrat."


def documents(chat: EngineChat) -> list[Rendering]:
    return [d for r in chat.replies for d in r.documents]


def test_export_asks_the_format_then_the_document_and_returns_to_the_question(chat: EngineChat):
    onboard(chat)
    reply = chat.says("/export")
    assert FORMAT_QUESTION in reply
    assert [c.label for c in chat.replies[-1].choices] == ["ODT", "DOCX", "PDF", "Markdown", "Zurück zur Frage"]
    assert documents(chat) == []
    reply = chat.presses("PDF")
    assert KIND_QUESTION in reply
    assert [c.label for c in chat.replies[-1].choices] == ["Strategiedokument", "Beschlussvorlage", "Zurück zur Frage"]
    reply = chat.presses("Beschlussvorlage")
    [rendering] = documents(chat)
    assert rendering.format == "pdf" and rendering.document.kind == "resolution" and rendering.document.lang == "de"
    assert rendering.file_name.endswith(".pdf") and "musterstadt" in rendering.file_name
    assert rendering.media_type == "application/pdf" and rendering.template is None
    assert reply.startswith("Hier ist „Beschlussvorlage“ als PDF.") and reply.rstrip().endswith(NEXT_QUESTION)
    assert chat.changes == [] and chat.state.mode == "step"


@pytest.mark.parametrize(
    ("lang", "line", "fmt", "kind"),
    [
        ("de", "/export odt strategie", "odt", "strategy"),
        ("de", "/export ODT Beschluss", "odt", "resolution"),
        ("de", "/export beschlussvorlage docx", "docx", "resolution"),
        ("de", "/export Markdown", "md", "strategy"),
        ("de", "/export md beschluss", "md", "strategy"),  # Markdown is the strategy only: no second question
        ("fr", "/exporter pdf Délibération", "pdf", "resolution"),
        ("fr", "/exporter odt stratégie", "odt", "strategy"),
        ("en", "/export DOCX report", "docx", "resolution"),
        ("en", "/export pdf resolution", "pdf", "resolution"),
        ("en", "/export odt strategy", "odt", "strategy"),
    ],
)
def test_format_and_document_given_go_straight_to_the_file(content: Content, lang: str, line: str, fmt, kind):
    chat = EngineChat(content, lang)
    chat.says("Lyon" if lang == "fr" else "Musterstadt")
    chat.says(line)
    [rendering] = documents(chat)
    assert (rendering.format, rendering.document.kind, rendering.document.lang) == (fmt, kind, lang)
    assert rendering.file_name.endswith(f".{fmt}")
    assert chat.state.mode == "step" and chat.changes == []


def test_only_the_format_given_asks_only_for_the_document(chat: EngineChat):
    onboard(chat)
    assert KIND_QUESTION in chat.says("/export DOCX")
    chat.says("2")  # typed, by its number
    [rendering] = documents(chat)
    assert (rendering.format, rendering.document.kind) == ("docx", "resolution")


def test_only_the_document_given_asks_only_for_the_format(chat: EngineChat):
    onboard(chat)
    assert FORMAT_QUESTION in chat.says("/export beschluss")
    chat.says("odt")  # typed, by its label
    [rendering] = documents(chat)
    assert (rendering.format, rendering.document.kind) == ("odt", "resolution")


def test_in_french_the_export_asks_in_french(content: Content):
    chat = EngineChat(content, "fr")
    chat.says("Lyon")
    assert "Dans quel format souhaitez-vous le document\u202f?" in chat.says("/exporter")
    assert "Quel document souhaitez-vous\u202f?" in chat.presses("ODT")
    assert "Voici «\u00a0Projet de délibération\u00a0» au format ODT." in chat.presses("Projet de délibération")


@pytest.mark.parametrize("argument", ["xlsx", "odt xlsx", "<b>docx</b>", "odt pdf"])
def test_an_unknown_argument_is_named_and_the_choice_offered(chat: EngineChat, argument: str):
    onboard(chat)
    reply = chat.says(f"/export {argument}")
    assert "kenne ich hier nicht" in reply and FORMAT_QUESTION in reply
    assert documents(chat) == [] and chat.changes == []
    chat.presses("Markdown")
    assert [d.format for d in documents(chat)] == ["md"]


def test_the_menu_and_a_stage_end_open_the_same_choice(chat: EngineChat):
    onboard(chat)
    chat.says("/menue")
    assert FORMAT_QUESTION in chat.presses("Als Datei exportieren")
    chat.presses("ODT")
    chat.presses("Strategiedokument")
    assert [(d.format, d.document.kind) for d in documents(chat)] == [("odt", "strategy")]
    assert chat.state.mode == "step" and chat.text.rstrip().endswith(NEXT_QUESTION)
    for line in KICKOFF:
        chat.says(line)
    assert chat.state.mode == "stage_end", chat.text
    assert FORMAT_QUESTION in chat.presses("Als Datei exportieren")
    chat.presses("DOCX")
    chat.presses("Beschlussvorlage")
    assert [(d.format, d.document.kind) for d in documents(chat)] == [("docx", "resolution")]
    assert chat.state.mode == "stage_end"


def test_back_leaves_the_export_without_a_file(chat: EngineChat):
    onboard(chat)
    chat.says("/export")
    chat.presses("Zurück zur Frage")
    assert documents(chat) == [] and chat.state.mode == "step" and NEXT_QUESTION in chat.text


def test_a_button_of_an_earlier_export_question_gets_the_current_question(chat: EngineChat):
    onboard(chat)
    chat.says("/export")
    old = chat.replies[-1]
    chat.presses("PDF")
    chat.presses("Strategiedokument")
    chat.says("Bürgermeisterin")  # the question below moves on
    pdf = next(c for c in old.choices if c.label == "PDF")
    reply = chat._send(Inbound(choice=pdf.id, turn=old.turn))
    assert "früheren Nachricht" in reply and documents(chat) == []


def test_a_viewer_exports_though_they_change_nothing(content: Content):
    viewer = TeamChat(content, role="viewer")
    viewer.wrote(1, "ob_name", "Musterstadt")
    viewer.says("/export pdf beschluss")
    [rendering] = documents(viewer)
    assert rendering.document.kind == "resolution" and viewer.changes == []
    viewer.says("/export")
    viewer.presses("ODT")
    viewer.presses("Strategiedokument")
    assert [d.format for d in documents(viewer)] == ["odt"] and viewer.changes == []


def test_png_without_charts_says_why(chat: EngineChat):
    onboard(chat)
    reply = chat.says("/export png")
    assert "noch keine Diagramme" in reply and documents(chat) == []
    chat.says("/export")
    assert "Diagramme (PNG)" not in [c.label for c in chat.replies[-1].choices]


def test_each_chart_becomes_a_document_of_its_own():
    document = sample_document(charts=2)
    parts = chart_documents(document)
    assert [p.charts() for p in parts] == [[c] for c in document.charts()]
    assert all(len(p.sections) == 1 and all(isinstance(b, Chart) for b in p.sections[0].blocks) for p in parts)
    assert all((p.lang, p.kind, p.title) == (document.lang, document.kind, document.title) for p in parts)
