"""Shared practices in the toolbox: one item per practice with a text in every language (the submitter's where one
is missing, so it is found there too), searched beside the content's items, the index built once per revision."""

from __future__ import annotations

import pytest

from flows.content.content import Content
from flows.content.i18n import Translator
from flows.exchange.model import Commons, SharedPractice
from flows.exchange.shared import approved, index_of, item_of, not_translated, parts_text, search
from flows.toolbox.recommend import search_index

BUS = SharedPractice(
    id=12,
    workspace_id=7,
    municipality="Musterstadt",
    field="mobility",
    lang="de",
    texts={
        "de": {
            "title": "Bürgerbus Musterstadt",
            "what": "Ehrenamtliche fahren Ältere mit einem Kleinbus zum Arzt und zum Einkaufen",
            "for_whom": "Ältere ohne Auto",
            "cost": "40.000 € für den Bus",
        }
    },
    status="approved",
)
FRENCH = {"title": "Bus citoyen de Musterstadt", "what": "Des bénévoles conduisent les aînés chez le médecin"}


@pytest.fixture
def de(content: Content) -> Translator:
    return content.catalogues.translator("de")


def test_a_practice_is_a_toolbox_item_in_every_language_the_missing_ones_in_the_submitters():
    item = item_of(BUS)
    assert (item.id, item.type, item.fields, item.stages) == (
        "gp-12",
        "praxisbeispiel",
        ["mobility"],
        ["werkstattplan"],
    )
    assert item.example_of == "Musterstadt"
    assert {lang: item.title.get(lang) for lang in ("de", "fr", "en")} == dict.fromkeys(
        ("de", "fr", "en"), "Bürgerbus Musterstadt"
    )
    assert item.summary.get("de") == (
        "Ehrenamtliche fahren Ältere mit einem Kleinbus zum Arzt und zum Einkaufen. Ältere ohne Auto."
    )
    translated = item_of(SharedPractice(**{**BUS.__dict__, "texts": {**BUS.texts, "fr": FRENCH}}))
    assert translated.title.get("fr") == "Bus citoyen de Musterstadt"
    assert translated.title.get("en") == "Bürgerbus Musterstadt"


def test_what_a_reader_sees_is_labelled_and_a_missing_language_is_marked(content: Content, de: Translator):
    assert parts_text(de, BUS.text("de")) == [
        "Was getan wurde: Ehrenamtliche fahren Ältere mit einem Kleinbus zum Arzt und zum Einkaufen",
        "Für wen: Ältere ohne Auto",
        "Kosten: 40.000 € für den Bus",
    ]
    fr = content.catalogues.translator("fr")
    assert not_translated(fr, BUS, "fr") == "(pas encore traduit en français)"
    assert not_translated(de, BUS, "de") is None
    assert not_translated(de, BUS, "en") == "(noch nicht auf Englisch übersetzt)"


def test_only_approved_practices_are_looked_up():
    commons = Commons(approved=(BUS,))
    assert approved(commons, "gp-12") is BUS
    assert approved(commons, "gp-13") is None and approved(Commons(waiting=(BUS,)), "gp-12") is None


def test_the_index_is_built_once_per_revision(content: Content):
    first = index_of(content, Commons(approved=(BUS,), revision="1:a"))
    assert index_of(content, Commons(approved=(BUS,), revision="1:a")) is first
    later = index_of(content, Commons(approved=(), revision="0:"))
    assert later is not first and later.items == []


@pytest.mark.parametrize(
    ("query", "lang"),
    [("Bürgerbus für Ältere", "de"), ("Kleinbus Ehrenamtliche Arzt", "de"), ("Bürgerbus", "fr"), ("Musterstadt", "en")],
)
def test_a_practice_is_found_beside_the_content_in_any_language(content: Content, query: str, lang: str):
    shared = index_of(content, Commons(approved=(BUS,), revision=f"bus-{lang}"))
    hits = search(search_index(content), shared, query, lang, limit=5)
    assert "gp-12" in [h.item.id for h in hits]
    assert len(hits) <= 5


def test_a_practice_about_something_else_is_not_found(content: Content):
    shared = index_of(content, Commons(approved=(BUS,), revision="bus-other"))
    hits = search(search_index(content), shared, "Leerstand in der Innenstadt", "de", limit=5)
    assert hits and "gp-12" not in [h.item.id for h in hits]
