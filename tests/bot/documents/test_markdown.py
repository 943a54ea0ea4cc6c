"""The Markdown export, read back with markdown-it-py: headings, pipe tables, a 2×2 SWOT, one entry per paragraph."""

from __future__ import annotations

from datetime import date

import pytest
from markdown_it import MarkdownIt
from markdown_it.token import Token

from bot.documents.markdown import md, render
from flows.conversation.documents import build
from tests.bot.documents.sample import age_pyramid, sample_document
from tests.conftest import CONTENT
from tests.flows.conversation.documents.workspace import OWNERS, workspace


def parse(data: bytes) -> list[Token]:
    return MarkdownIt("commonmark").enable("table").parse(data.decode("utf-8"))


def tables(tokens: list[Token]) -> list[list[list[str]]]:
    """Each table as its rows (the header row first) of cell texts."""
    found: list[list[list[str]]] = []
    for i, token in enumerate(tokens):
        if token.type == "table_open":
            found.append([])
        elif token.type == "tr_open":
            found[-1].append([])
        elif token.type in ("th_open", "td_open"):
            found[-1][-1].append(tokens[i + 1].content)
    return found


def plain(cell: str) -> str:
    """A cell's inline source as text: what markdown-it renders, without the markup."""
    return (
        MarkdownIt("commonmark")
        .renderInline(cell)
        .replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", '"')
    )


@pytest.fixture
def strategy(content) -> list[Token]:
    return parse(render(build(workspace(content), "strategy", date(2026, 12, 7)), None, CONTENT / "templates"))


def test_stages_are_headings(strategy: list[Token]):
    headings = [strategy[i + 1].content for i, t in enumerate(strategy) if t.type == "heading_open"]
    assert headings[0] == "Demografiestrategie"
    assert headings[1:7] == [
        "1\\. Kick-Off", "2\\. Kommunalprofil", "3\\. Zukunftswerkstatt", "4\\. Werkstattplan", "5\\. Zwischenbilanz",
        "Mitwirkende und Beschlüsse",
    ]  # fmt: skip


def test_the_plan_is_a_pipe_table_with_the_exact_owners(strategy: list[Token]):
    [plan] = [t for t in tables(strategy) if "Verantwortlich" in t[0]]
    assert [plain(c) for c in plan[0]] == [
        "Handlungsfeld", "Ziel", "Maßnahme", "Verantwortlich", "Partner", "Zielgruppe", "Zeitraum",
        "Budget und Finanzierung", "Indikator → Zielwert", "Stand",
    ]  # fmt: skip
    assert [plain(row[3]) for row in plan[1:]] == list(OWNERS)  # "|" and "&" in an owner stay text
    assert plain(plan[2][2]) == "Jugendtreff <b>&amp; {{ body }} (Ben)"


def test_the_swot_is_a_two_by_two_table(strategy: list[Token]):
    [swot] = [t for t in tables(strategy) if t[1] and "Stärken" in t[1][0]]
    body = swot[1:]
    assert [len(row) for row in body] == [2, 2]
    titles = [plain(row[i]).split("<br>")[0] for row in body for i in (0, 1)]
    assert titles == [f"<strong>{t}</strong>" for t in ("Stärken", "Schwächen", "Chancen", "Risiken")]


def test_the_totals_show_the_sum_of_all_measures(strategy: list[Token]):
    per_year = next(t for t in tables(strategy) if t[0] and plain(t[0][0]) == "Jahr")
    assert plain(per_year[-1][1]) == "<strong>285.500\u00a0€</strong>"


def test_no_two_entries_run_together(strategy: list[Token]):
    paragraphs = [strategy[i + 1].content for i, t in enumerate(strategy) if t.type == "paragraph_open"]
    assert "Koordination: Hauptamt" in paragraphs
    assert "Format: vor Ort" in paragraphs
    assert not [p for p in paragraphs if "erledigt" in p and "Noch offen" in p]


def test_a_checklist_and_what_is_still_open_are_paragraphs_of_their_own(content):
    ctx = workspace(content)
    ctx.state.answers["kp_done"] = ["swot_agreed", "published", "candidates"]
    tokens = parse(render(build(ctx, "strategy", date(2026, 12, 7)), None, CONTENT / "templates"))
    paragraphs = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "paragraph_open"]
    assert "Checkliste Kommunalprofil: 3 von 5 erledigt" in paragraphs
    assert "Noch offen:" in paragraphs


def test_an_age_pyramid_reads_as_its_text_alternative():
    tokens = parse(render(sample_document(pyramid=True), None, CONTENT / "templates"))
    emphasised = [
        "".join(c.content for c in t.children if c.type == "text")
        for t in tokens
        if t.type == "inline" and t.children and t.children[0].type == "em_open"
    ]
    assert f"Diagramm: {age_pyramid().alt}" in emphasised


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("# Überschrift", "\\# Überschrift"),
        ("[Link](http://x)", "\\[Link\\](http://x)"),
        ("<script>alert(1)</script>", "\\<script\\>alert(1)\\</script\\>"),
        ("**fett** und _kursiv_", "\\*\\*fett\\*\\* und \\_kursiv\\_"),
        ("- kein Punkt\n1. keine Zahl", "\\- kein Punkt  \n1\\. keine Zahl"),
        ("a | b", "a \\| b"),
        ("&amp;", "\\&amp;"),
        ("ganz normal", "ganz normal"),
    ],
)
def test_md_escapes_markdown_and_html(text: str, expected: str):
    assert md(text) == expected
