"""The obstacles report pools opted-in workspaces per field of action: a field with 4 municipalities is hidden, one
with 5 shown; kinds of obstacle are counted per municipality; free text appears only as an editor approved it;
nothing in the report identifies a municipality."""

from __future__ import annotations

from datetime import date
from typing import Any

from flows.content.content import Content
from flows.documents.model import Cell, Document, Items, Table, Text
from flows.exchange.obstacles import (
    Contribution,
    contribution,
    digest,
    entries_matching,
    mentions,
    pending,
    pool,
)
from flows.exchange.report import document
from tests.flows.exchange.municipalities import HEALTH, KEY, MOBILITY, NAMES, OFFICIAL_KEYS, answers


def contributions(*groups: dict[int, dict[str, Any]]) -> list[Contribution]:
    found = [contribution(KEY, wid, a) for group in groups for wid, a in group.items()]
    return [c for c in found if c is not None]


def words(made: Document) -> str:
    """Every text of a document, as one string."""
    parts = [made.title, made.subtitle, *(f"{k} {v}" for k, v in made.cover), *made.fields.values()]
    for section in made.sections:
        parts.append(section.title)
        for block in section.blocks:
            if isinstance(block, Text):
                parts.append(block.text)
            elif isinstance(block, Items):
                parts += block.items
            elif isinstance(block, Table):
                parts += [block.caption, *block.header]
                parts += [c.title if isinstance(c, Cell) else c for row in block.rows for c in row]
    return "\n".join(parts)


def test_a_field_with_four_municipalities_is_hidden_and_one_with_five_is_shown():
    pooled = pool(contributions(HEALTH, MOBILITY), {})

    assert [(r.field, r.municipalities) for r in pooled.fields] == [("health", 5)]  # Sebnitz's two workspaces: one
    assert pooled.hidden == 1 and pooled.municipalities == 5  # not 8: mobility's own three are not counted

    fifth = {11: answers("Kyritz", "12068264", ("mobility",), ("funding",))}
    grown = pool(contributions(HEALTH, MOBILITY, fifth), {})

    assert [(r.field, r.municipalities) for r in grown.fields] == [("health", 5), ("mobility", 5)]
    assert grown.hidden == 0


def test_a_field_asked_for_alone_is_shown_or_hidden_by_the_same_rule():
    found = contributions(HEALTH, MOBILITY)

    assert [r.field for r in pool(found, {}, only="health").fields] == ["health"]
    mobility = pool(found, {}, only="mobility")
    assert mobility.fields == () and mobility.hidden == 1 and mobility.municipalities == 0  # not even its count
    assert pool(found, {}, only="housing") == pool([], {})


def test_kinds_of_obstacle_are_counted_once_per_municipality():
    (health,) = pool(contributions(HEALTH, MOBILITY), {}).fields

    # staff: Grabow, Barleben, Wittstock, Sebnitz (named by both its workspaces, counted once)
    assert health.categories == (("staff", 4), ("funding", 2), ("complexity", 1), ("pressure", 1))


def test_only_workspaces_that_said_yes_contribute():
    assert contribution(KEY, 1, answers("Grabow", fields=("health",), obstacles=("staff",), pool="no")) is None
    assert contribution(KEY, 1, answers("Grabow", fields=("health",), obstacles=("staff",), pool=None)) is None
    assert contribution(KEY, 1, answers("Grabow", fields=("health",))) is None  # said nothing about obstacles
    withdrawn = {**HEALTH, 5: {**HEALTH[5], "zb_pool": "no"}, 6: {**HEALTH[6], "zb_pool": "no"}}

    assert pool(contributions(withdrawn), {}).fields == ()  # Sebnitz withdrew: 4 left


def test_fields_are_the_priorities_else_the_measures_and_a_hindrance_counts_under_its_measure():
    plain = answers("Zittau", fields=(), hindered=(("mobility", "Kein Busunternehmen"),), obstacles=("data",))
    mixed = answers("Löbau", fields=("health",), hindered=(("housing", "Leerstand ohne Eigentümer"),))

    zittau, loebau = contribution(KEY, 1, plain), contribution(KEY, 2, mixed)

    assert zittau is not None and zittau.fields == {"mobility"}
    assert loebau is not None and loebau.fields == {"health", "housing"}
    (entry,) = loebau.entries
    assert (entry.source, entry.field, loebau.fields_of(entry)) == ("hindered", "housing", {"housing"})


def test_free_text_appears_only_as_an_editor_approved_it():
    found = contributions(HEALTH, MOBILITY)
    by_text = {e.text: e.digest for c in found for e in c.entries}
    approved = {
        by_text["Die Stelle war zwei Jahre unbesetzt"]: "Eine Stelle blieb zwei Jahre unbesetzt.",
        by_text["Keine Praxisräume in Süderbrarup"]: "Keine Praxisräume in Süderbrarup",  # names a municipality
        by_text["Förderprogramme bündeln"]: "Förderprogramme bündeln",
    }

    (health,) = pool(found, approved).fields

    assert [(q.source, q.text) for q in health.quotes] == [
        ("blocked", "Eine Stelle blieb zwei Jahre unbesetzt."),
        ("ask", "Förderprogramme bündeln"),
    ]
    assert "Eigenanteil zu hoch" not in str(health)  # not approved


def test_the_report_names_no_municipality_key_or_land(content: Content):
    found = contributions(HEALTH, MOBILITY)
    approved = {e.digest: e.text for c in found for e in c.entries}  # an editor approved every text as written

    for lang in ("de", "fr", "en"):
        made = words(document(content, content.catalogues.translator(lang), pool(found, approved), date(2027, 3, 1)))

        assert not [n for n in NAMES if n.lower() in made.lower()], made
        assert not [k for k in OFFICIAL_KEYS if k in made]
        assert "Sachsen" not in made and "Saxe" not in made and "Saxony" not in made
    de = words(document(content, content.catalogues.translator("de"), pool(found, approved), date(2027, 3, 1)))
    assert "5 Kommunen haben beigetragen." in de and "zu wenig Personal" in de
    assert "1 Handlungsfeld nicht gezeigt: weniger als 5 Kommunen." in de
    assert "Förderprogramme bündeln" in de and "Eigenanteil zu hoch" in de
    assert "Keine Praxisräume" not in de  # it names Süderbrarup
    assert not [repr(c) for c in found if "Grabow" in repr(c)]


def test_the_report_in_french_writes_its_rules_with_french_spacing(content: Content):
    made = document(
        content, content.catalogues.translator("fr"), pool(contributions(HEALTH, MOBILITY), {}), date(2027, 3, 1)
    )

    assert made.sections[0].title == "Santé, soins et bien vieillir"
    assert "au moins 5 collectivités sont montrés\u202f; les textes libres" in words(made)
    assert "1 champ d’action non montré\u202f: moins de 5 collectivités." in words(made)


def test_digests_are_keyed_and_name_no_workspace():
    one = digest(KEY, 7, "blocked", "Kein Personal")

    assert len(one) == 64 and int(one, 16) >= 0
    assert one != digest(b"x" * 32, 7, "blocked", "Kein Personal")  # without the key it cannot be recomputed
    assert one != digest(KEY, 8, "blocked", "Kein Personal") != digest(KEY, 7, "ask", "Kein Personal")


def test_pending_texts_are_those_of_shown_fields_and_say_when_they_name_the_municipality():
    found = contributions(HEALTH, MOBILITY)
    grabow = next(e.digest for c in found for e in c.entries if e.text.startswith("Die Stelle"))

    waiting, later = pending(found, decided={grabow})

    assert [(p.fields, p.source, p.text, p.named) for p in waiting] == [
        (("health",), "blocked", "Eigenanteil zu hoch", False),
        (("health",), "hindered", "Keine Praxisräume in Süderbrarup", True),
        (("health",), "ask", "Förderprogramme bündeln", False),  # Barleben works on mobility too; that is hidden
    ]
    assert later == 1  # Templin's ask: mobility has 4 municipalities
    (match,) = entries_matching(found, grabow[:8])
    assert match[0].text == "Die Stelle war zwei Jahre unbesetzt"


def test_a_name_is_found_whole_or_by_its_distinctive_word():
    assert mentions("Probleme in Wittstock", ["Wittstock/Dosse"])
    assert mentions("Amt Süderbrarup hatte keine Stelle", ["Amt Süderbrarup"])
    assert not mentions("Das Amt hatte keine Stelle", ["Amt Süderbrarup"])
    assert not mentions("Grabowski half", ["Grabow"])
