"""The official figures in the documents: the Kommunalprofil's table beside the Kreis and the Land, the two charts,
definitions and notes; typed indicators kept; the resolution's key figure. Values from
tests/flows/statistics/grabow.py, worked out by hand below."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from flows.content.content import Content
from flows.conversation.documents import build
from flows.documents.model import Chart, Document, Items, Section, Table, Text
from flows.statistics import presenting
from flows.statistics.indicators import compute
from tests.flows.conversation.documents.workspace import (
    ANSWERS,
    PICKED_AJACCIO,
    in_grabow,
    with_ajaccio,
    workspace,
)
from tests.flows.statistics import grabow

DAY = date(2026, 12, 7)
GERMAN = re.compile(r"\b(Kreis|Landkreis|Land|Bundesland|Gemeinde\w*|Stichtag\w*|Melderegister|Landesamt\w*|AGS)\b")


def profile_section(document: Document) -> Section:
    return next(s for s in document.sections if s.title.startswith("2."))


def official_table(section: Section) -> Table:
    [table] = [b for b in section.blocks if isinstance(b, Table) and "Landkreis Ludwigslust-Parchim" in b.header]
    return table


def row(table: Table, label: str) -> tuple[str, ...]:
    [found] = [r for r in table.rows if str(r[0]) == label or str(r[0]).startswith(f"{label} (")]
    return tuple(str(c) for c in found)


def test_the_profile_carries_the_indicators_beside_kreis_and_land(content: Content):
    table = official_table(profile_section(build(in_grabow(content), "strategy", DAY)))
    assert table.header == ("Kennzahl", "Grabow", "Landkreis Ludwigslust-Parchim", "Mecklenburg-Vorpommern", "Stand")
    # 2023: men 2,522 + women 2,600 = 5,122; the Kreis's five groups 211,500; the Land 1,577,000
    assert row(table, "Bevölkerung") == ("Bevölkerung", "5.122", "211.500", "1.577.000", "31.12.2023")
    # (5,122 − 5,300) / 5,300 = −3.36 %; Kreis (211,500 − 212,000) / 212,000 = −0.24 %;
    # Land (1,577,000 − 1,608,138) / 1,608,138 = −1.94 %
    assert row(table, "Bevölkerungsentwicklung")[1:] == ("−3,4", "−0,2", "−1,9", "2019–2023")
    # 65+ per 100 aged 20–64: 1,270 / 2,980 × 100 = 42.6; Kreis 59,500 / 118,000 × 100 = 50.4; no Land groups
    assert row(table, "Altenquotient")[1:4] == ("42,6", "50,4", "–")


def test_the_population_series_and_the_age_pyramid_follow_the_table(content: Content):
    section = profile_section(build(in_grabow(content), "strategy", DAY))
    series, pyramid = [b for b in section.blocks if isinstance(b, Chart) and "Grabow" in b.title]
    assert series.kind == "series"
    assert series.points == (("2019", 5300), ("2020", 5251), ("2021", 5200), ("2022", 5160), ("2023", 5122))
    assert pyramid.kind == "pyramid" and len(pyramid.points) == len(grabow.GROUPS) == 17
    assert tuple(v for _, v in pyramid.points) == grabow.MEN
    assert tuple(v for _, v in pyramid.second) == grabow.WOMEN
    assert "5.122" in series.alt and "75+: 200 Männer, 320 Frauen" in pyramid.alt


def test_the_definitions_and_notes_name_the_age_limits_source_tables_stichtag_and_licence(content: Content):
    section = profile_section(build(in_grabow(content), "strategy", DAY))
    texts = [b.text for b in section.blocks if isinstance(b, Text)]
    assert "Definitionen" in texts
    [definitions] = [b for b in section.blocks if isinstance(b, Items) and any("Altenquotient" in i for i in b.items)]
    assert "Altenquotient: Personen ab 65 je 100 Personen von 20 bis 64 Jahren." in definitions.items
    notes = "\n".join(b.text for b in section.blocks if isinstance(b, Text) and b.style == "note")
    for expected in ("Regionaldatenbank", "12411-02-03-5", "31.12.2023", "Zensus"):
        assert expected in notes
    assert "Datenlizenz Deutschland – Namensnennung – Version 2.0" in notes
    assert "80" in notes and "nicht geschätzt" in notes  # the top group is 75+: no share 80+


def imported(content: Content) -> list[dict[str, str]]:
    """The rows /kennzahlen puts into the indicators: the official profile's, marked with their source."""
    ctx = in_grabow(content)
    figures = [*grabow.grabow(), *grabow.kreis(), *grabow.land()]
    profile = compute(grabow.GRABOW, figures, "official", grabow.KREIS, grabow.LAND)
    assert profile is not None
    return [{**r, "source": "official", "uid": f"o{n}"} for n, r in enumerate(presenting.records(ctx.t, profile))]


def test_imported_rows_are_not_listed_or_drawn_twice_typed_ones_stay(content: Content):
    rows = [*ANSWERS["kp_indicators"], *imported(content)]
    section = profile_section(build(in_grabow(content, kp_indicators=rows), "strategy", DAY))
    typed = next(b for b in section.blocks if isinstance(b, Table) and b.caption == "Kennzahlen")
    assert [r[1] for r in typed.rows] == ["18.432", "18 100", "47,8 Jahre"]  # the imported 5.122 is in the table above
    drawn = [b for b in section.blocks if isinstance(b, Chart) and b.title.startswith("Bevölkerungsstand")]
    assert [c.points for c in drawn] == [(("2015", 18432.0), ("2024", 18100.0))]  # not 2019 or 2023 from the import


def test_without_the_directory_the_imported_rows_stay_in_the_typed_table(content: Content):
    ctx = in_grabow(content, kp_indicators=[*ANSWERS["kp_indicators"], *imported(content)])
    ctx.registry = None
    section = profile_section(build(ctx, "strategy", DAY))
    assert not [b for b in section.blocks if isinstance(b, Table) and "Landkreis Ludwigslust-Parchim" in b.header]
    [typed] = [b for b in section.blocks if isinstance(b, Table) and b.caption == "Kennzahlen"]
    assert "5.122" in [r[1] for r in typed.rows]
    drawn = [b for b in section.blocks if isinstance(b, Chart)]
    assert [c.points for c in drawn] == [(("2015", 18432.0), ("2024", 18100.0))]


def test_the_register_has_its_own_table_never_mixed_with_the_official_one(content: Content):
    ctx = in_grabow(content)
    assert ctx.registry is not None and ctx.team is not None
    counted = [replace(f, source="register", table="register") for f in grabow.grabow() if f.measure == "population"]
    ctx.registry.own[ctx.team.workspace_id] = counted  # type: ignore[attr-defined]
    section = profile_section(build(ctx, "strategy", DAY))
    tables = [b for b in section.blocks if isinstance(b, Table) and b.header[:2] == ("Kennzahl", "Grabow")]
    assert len(tables) == 2
    official, register = tables
    assert "Landkreis Ludwigslust-Parchim" in official.header and "Landkreis Ludwigslust-Parchim" not in register.header
    notes = [b.text for b in section.blocks if isinstance(b, Text) and b.style == "note"]
    assert any("Melderegister der Gemeinde" in n for n in notes)
    assert sum(1 for b in section.blocks if isinstance(b, Text) and b.text == "Definitionen") == 1


def test_the_resolution_states_the_population_and_its_change(content: Content):
    document = build(in_grabow(content), "resolution", DAY)
    background = next(s for s in document.sections if s.title == "Sachverhalt")
    text = " ".join(b.text for b in background.blocks if isinstance(b, Text))
    assert "Einwohnerzahl laut amtlicher Statistik: 5.122 (31.12.2023); Veränderung 2019–2023: −3,4\u00a0%." in text
    assert text.index("Stichtag: 31. Dezember 2025.") < text.index("Einwohnerzahl") < text.index("Stärken:")
    plain = build(workspace(content), "resolution", DAY)
    assert "amtlicher Statistik" not in " ".join(
        b.text for s in plain.sections for b in s.blocks if isinstance(b, Text)
    )


def test_a_french_commune_s_profile_names_no_german_category(content: Content):
    ctx = workspace(
        content,
        "fr",
        ob_name=PICKED_AJACCIO,
        ob_kind="commune",
        ob_region="cor",
        ob_land=None,
        kp_sources="insee",
        kp_indicators=[],
    )
    ctx.registry = with_ajaccio()
    section = profile_section(build(ctx, "strategy", DAY))
    [table] = [b for b in section.blocks if isinstance(b, Table) and not b.grid]
    assert table.header[:2] == ("Indicateur", "Ajaccio") and row(table, "Population")[1] == "71\u202f900"
    said = [b.text for b in section.blocks if isinstance(b, Text)]
    said += [i for b in section.blocks if isinstance(b, Items) for i in b.items]
    said += [b.alt for b in section.blocks if isinstance(b, Chart)] + [" ".join(table.header), table.caption]
    found = sorted({m.group() for text in said for m in GERMAN.finditer(text)})
    assert not found, found
    resolution = build(ctx, "resolution", DAY)
    assert any("Population selon la statistique publique\u00a0: 71\u202f900" in b.text
               for s in resolution.sections for b in s.blocks if isinstance(b, Text))  # fmt: skip
