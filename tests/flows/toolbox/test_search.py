"""Toolbox search: words (stems, stop words, compounds, typos, no substrings), meaning, nothing fits, and the
quality floor on the evaluation set."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.content.content import Content
from flows.toolbox.evaluate import evaluate, load_cases
from flows.toolbox.recommend import search_index
from flows.toolbox.search import ToolboxIndex
from flows.toolbox.words import index_form as fold
from flows.toolbox.words import tokens

EVAL = Path(__file__).with_name("search_eval.yaml")
FLOORS = {"de": (0.84, 0.83), "fr": (0.80, 0.75), "en": (0.70, 0.85)}  # measured 0.89/0.88, 0.86/0.80, 0.75/0.90


@pytest.fixture(scope="module")
def index(content: Content) -> ToolboxIndex:
    return search_index(content)


def ids(hits) -> list[str]:
    return [hit.item.id for hit in hits]


def test_folding_and_stemming():
    assert fold("Élan à Ça ÄÖÜ ß") == "elan a ca äöü ss"
    assert tokens("Bürgerbeteiligung der Jugendlichen", "de") == tokens("Buergerbeteiligung Jugendliche", "de")
    assert tokens("la participation des citoyens", "fr") == tokens("participations citoyen", "fr")
    assert tokens("the participating citizens", "en") == ["particip", "citizen"]


def test_stop_words_are_no_content():
    assert tokens("Wie kriegen wir das hin, dass man mehr machen kann?", "de") == []
    assert tokens("how can we get this to work when nobody does anything", "en") == ["work", "nobodi"]
    assert tokens("comment faire pour que cela aille plus vite", "fr") == tokens("aille vite", "fr")


@pytest.mark.parametrize(
    ("query", "lang", "word", "not_there"),
    [
        ("cant", "en", "cant", "vacant"),
        ("principale", "fr", "principale", "principales"),
        ("Rathaus", "de", "rathaus", "haus"),
    ],
)
def test_no_substring_matches(index: ToolboxIndex, query: str, lang: str, word: str, not_there: str):
    terms = index._lexical[lang].vocabulary.read(query)
    assert all(not_there not in stem or stem == word for term in terms for stem in term.stems)
    assert "haus" not in [s for t in index._lexical["de"].vocabulary.read("Rathaus") for s in t.stems]


def test_main_street_does_not_find_frankfurt_am_main(index: ToolboxIndex):
    for query in ("main street", "empty shops on the main street"):
        hits = index.search(query, "en", limit=20)
        assert "befragung_coburg_frankfurt" not in ids(hits[:5])
        assert all(h.shared == 0 for h in hits if h.item.id == "befragung_coburg_frankfurt")
    assert "befragung_coburg_frankfurt" in ids(index.search("Frankfurt am Main", "de"))  # the place still finds it


def test_empty_shops_on_the_main_street_do_not_find_the_resident_statistics(index: ToolboxIndex):
    assert "statistisches_landesamt" not in ids(index.search("vitrines vides dans la rue principale", "fr"))


def test_german_compounds_split_into_real_words_only(index: ToolboxIndex):
    vocabulary = index._lexical["de"].vocabulary
    assert vocabulary.split("dorfschule") == ["dorf", "schule"] or vocabulary.split("dorfschule") == []
    assert vocabulary.split("rathaus") == []  # "rat" is too short to be a part
    parts = vocabulary.split("partnerstadt")
    assert parts and all(len(p) >= 4 for p in parts) and "".join(parts) == "partnerstadt"


def test_french_and_english_queries_are_not_split(index: ToolboxIndex):
    assert [t.stems for t in index._lexical["en"].vocabulary.read("partnertown")] == [()]
    assert [t.stems for t in index._lexical["fr"].vocabulary.read("centrebourgvillage")] == [()]


@pytest.mark.parametrize(
    ("query", "lang"),
    [
        ("Kick-Off", "de"),
        ("kickof", "de"),
        ("KICK OFF Veranstaltung", "de"),
        ("réunion de lancement", "fr"),
        ("reunion de lancemnt", "fr"),
        ("kick-off event", "en"),
    ],
)
def test_case_umlauts_accents_and_small_typos_do_not_matter(index: ToolboxIndex, query: str, lang: str):
    assert "kick_off" in ids(index.search(query, lang))


def test_a_paraphrase_without_a_shared_word_is_found_by_its_meaning(index: ToolboxIndex):
    hits = index.search("pensioners without a car cant get anywhere", "en")
    assert {"mobilstation_zwickau", "erreichbarkeitsanalyse"} & set(ids(hits))


@pytest.mark.parametrize(
    ("query", "lang"),
    [("Fußballergebnisse von gestern Abend", "de"), ("xqzzv", "de"), ("", "fr"), ("football results last night", "en")],
)
def test_nothing_fits(index: ToolboxIndex, query: str, lang: str):
    assert index.search(query, lang) == []


@pytest.mark.parametrize(
    ("query", "lang"),
    [
        ("Partnerstadt Frankreich", "de"),
        ("Städtepartnerschaft", "de"),
        ("jumelage", "fr"),
        ("ville jumelle en Allemagne", "fr"),
        ("twin town in France", "en"),
    ],
)
def test_a_twin_town_finds_the_franco_german_peer_dialogues_first(index: ToolboxIndex, query: str, lang: str):
    assert ids(index.search(query, lang))[0] == "dfzw_peer_dialoge"


def test_french_data_sources_are_found_in_french(index: ToolboxIndex):
    assert ids(index.search("projections de population INSEE", "fr"))[0] == "insee_recensement_omphale"
    assert ids(index.search("Observatoire des territoires", "fr"))[0] == "observatoire_des_territoires"
    assert "insee_recensement_omphale" in ids(index.search("Bevölkerungsdaten für eine Kommune in Frankreich", "de"))


def test_a_close_hit_is_about_the_query_and_shares_its_words(index: ToolboxIndex):
    hits = index.search("unser letzter Dorfladen macht zu", "de")
    assert hits[0].item.id == "tante_enso_geestland" and hits[0].close
    assert not any(h.close for h in index.search("Leerstand in der Innenstadt", "de") if "kinder" in h.item.id)


def test_search_quality_stays_above_its_floor(index: ToolboxIndex):
    cases = load_cases(EVAL)
    assert {c.lang for c in cases} == {"de", "fr", "en"} and len(cases) >= 40
    for quality in evaluate(index, cases):
        recall_floor, mrr_floor = FLOORS[quality.lang]
        assert quality.recall_at_5 >= recall_floor and quality.mrr >= mrr_floor, quality.line()
