"""The strategy document from a workspace's answers: the plan as a table, the SWOT as a grid, who wrote what."""

from __future__ import annotations

from datetime import date

from flows.conversation.documents import build
from flows.documents.model import Cell, Chart, Document, Section, Table, Text
from tests.flows.conversation.documents.workspace import OWNERS, workspace

DAY = date(2026, 12, 7)


def section(document: Document, start: str) -> Section:
    return next(s for s in document.sections if s.title.startswith(start))


def tables(document: Document) -> list[Table]:
    return [b for s in document.sections for b in s.blocks if isinstance(b, Table)]


def texts(document: Document) -> list[str]:
    return [b.text for s in document.sections for b in s.blocks if isinstance(b, Text)]


def test_the_plan_is_a_table_with_one_row_per_measure_and_the_exact_owners(content):
    document = build(workspace(content), "strategy", DAY)
    [plan] = [t for t in section(document, "4.").blocks if isinstance(t, Table) and "Verantwortlich" in t.header]
    assert plan.header == (
        "Handlungsfeld", "Ziel", "Maßnahme", "Verantwortlich", "Partner", "Zielgruppe", "Zeitraum",
        "Budget und Finanzierung", "Indikator → Zielwert", "Stand",
    )  # fmt: skip
    assert tuple(row[3] for row in plan.rows) == OWNERS
    first, second, third = plan.rows
    assert (
        first[7] == "10.000\u00a0€ (Haushalt, 2027)" and second[7] == "25.500\u00a0€ (Fördermittel LEADER, 2027–2028)"
    )
    assert third[6] == "Juni 2027 – Mai 2029"
    assert first[8] == "Hausärzte je 10.000 EW: 4,1 → 5,0"
    assert (first[9], second[9]) == ("geplant", "läuft")  # from the Zwischenbilanz where there is one
    assert second[2] == "Jugendtreff <b>&amp; {{ body }} (Ben)"  # user text as written; the author after it


def test_the_totals_follow_the_plan(content):
    document = build(workspace(content), "strategy", DAY)
    per_year, per_source = [t for t in section(document, "4.").blocks if isinstance(t, Table) and t.total]
    assert per_year.rows == (("2027", "106.083,33\u00a0€"), ("2028", "96.083,33\u00a0€"), ("2029", "83.333,34\u00a0€"))
    assert per_year.total == per_source.total == ("Summe", "285.500\u00a0€")
    assert per_source.rows == (
        ("Eigenmittel (Haushalt)", "10.000\u00a0€"),  # the categories' names from content/funding.yaml
        ("Fördermittel", "25.500\u00a0€"),
        ("Mischfinanzierung", "250.000\u00a0€"),  # "Stiftung Land" names a foundation and a Land
    )


def test_the_swot_is_a_two_by_two_grid_with_each_point_s_author(content):
    document = build(workspace(content), "strategy", DAY)
    [swot] = [t for t in tables(document) if t.grid]
    assert swot.caption == "SWOT-Analyse"
    assert [[c.title for c in row if isinstance(c, Cell)] for row in swot.rows] == [
        ["Stärken", "Schwächen"],
        ["Chancen", "Risiken"],
    ]
    strengths = swot.rows[0][0]
    assert isinstance(strengths, Cell)
    assert strengths.lines == ("aktives Vereinsleben (Ben)", "gute Schulen (ehemaliges Mitglied)")  # 99 has left


def test_in_french_the_swot_reads_afom(content):
    document = build(workspace(content, "fr"), "strategy", DAY)
    [swot] = [t for t in tables(document) if t.grid]
    assert swot.caption == "Analyse AFOM"
    assert [c.title for row in swot.rows for c in row if isinstance(c, Cell)] == [
        "Atouts", "Faiblesses", "Opportunités", "Menaces",
    ]  # fmt: skip
    assert document.title == "Stratégie démographique"


def test_stages_not_answered_in_full_are_marked(content):
    ctx = workspace(content)
    del ctx.state.answers["zb_review"]
    document = build(ctx, "strategy", DAY)
    states = {s.title: s.state for s in document.sections}
    assert states["1. Kick-Off"] == "unvollständig"
    assert states["5. Zwischenbilanz"] == "noch nicht begonnen"
    assert "Noch nichts erfasst." in [b.text for b in section(document, "5.").blocks if isinstance(b, Text)]
    answered = {k: v for k, v in workspace(content).state.answers.items()}
    full = workspace(content)
    full.state.answers.update({s.id: None for s in content.stage("kickoff").steps if s.id not in answered})
    assert section(build(full, "strategy", DAY), "1.").state == ""


def test_ideas_by_priority_indicators_as_a_table_and_a_chart(content):
    document = build(workspace(content), "strategy", DAY)
    [ideas] = [t for t in tables(document) if t.header and t.header[0] == "Idee"]
    assert [row[3] for row in ideas.rows] == ["hoch", "mittel", "niedrig"]
    [indicators] = [t for t in tables(document) if t.header and t.header[0] == "Kennzahl"]
    assert [row[1] for row in indicators.rows] == ["18.432", "18 100", "47,8 Jahre"]
    [chart] = document.charts()
    assert isinstance(chart, Chart) and "18.432" in chart.alt and "18.100" in chart.alt


def test_the_review_sets_target_against_current_value(content):
    document = build(workspace(content), "strategy", DAY)
    [review] = [t for t in tables(document) if t.header and t.header[0] == "Maßnahme"]
    assert review.header == ("Maßnahme", "Indikator: Basis → Ziel", "Aktueller Indikatorwert", "Stand", "Entscheidung")
    assert review.rows[1][1:] == ("Hausärzte je 10.000 EW: 4,1: Ziel 5", "4,5", "läuft", "fortführen")  # older texts


def test_cover_fields_and_contributors_of_a_shared_strategy(content):
    document = build(workspace(content), "strategy", DAY)
    cover = dict(document.cover)
    assert cover["Kommune"] == "Amt Süderbrarup" and cover["Land"] == "Schleswig-Holstein"
    assert cover["Kommunalprofil"].startswith("Beschlossen vom Steuerungskreis am 1. Dezember 2026")
    assert cover["Beschluss"] == "Beschluss geplant"
    assert set(document.fields) == {"title", "subtitle", "municipality", "date", "approval", "version", "kind"}
    assert document.fields["kind"] == "Strategiedokument" and document.fields["date"] == "7. Dezember 2026"
    assert document.fields["approval"] == "1 von 2 Phasen vom Steuerungskreis beschlossen; Beschluss: Beschluss geplant"
    people = section(document, "Mitwirkende")
    assert "Anna (Koordination)" in [i for b in people.blocks for i in getattr(b, "items", ())]


def test_a_strategy_of_one_names_no_authors(content):
    document = build(workspace(content, shared=False), "strategy", DAY)
    assert not any(s.title.startswith("Mitwirkende") for s in document.sections)
    [swot] = [t for t in tables(document) if t.grid]
    assert swot.rows[0][0] == Cell("Stärken", ("aktives Vereinsleben", "gute Schulen"))


def test_an_empty_workspace_gives_a_document_too(content):
    from flows.conversation.context import Ctx
    from flows.conversation.state import State

    ctx = Ctx(content, State(version=content.version, lang="en"))
    for kind in ("strategy", "resolution"):
        document = build(ctx, kind, DAY)  # type: ignore[arg-type]
        assert document.sections and document.lang == "en"
    assert {s.state for s in build(ctx, "strategy", DAY).sections} == {"not started yet"}
