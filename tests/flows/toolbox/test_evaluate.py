"""The evaluation of the toolbox search: recall and MRR on queries with expected items, and how often the search
says that nothing fits where nothing does."""

from __future__ import annotations

from pathlib import Path

from flows.content.content import Content
from flows.toolbox.evaluate import Case, evaluate, load_cases
from flows.toolbox.recommend import search_index

HERE = Path(__file__).parent


def test_recall_and_rank_count_the_expected_items(content: Content):
    index = search_index(content)
    cases = [
        Case(lang="de", query="Kick-Off vorbereiten", expect=["kick_off"]),
        Case(lang="de", query="Kick-Off vorbereiten", expect=["no_such_item"]),
    ]
    (quality,) = evaluate(index, cases)
    assert quality.queries == 2 and quality.recall_at_5 == 0.5 and 0 < quality.mrr <= 0.5
    assert quality.off_topic == 0 and "off-topic" not in quality.line()


def test_queries_no_item_fits_count_when_the_search_says_so(content: Content):
    index = search_index(content)
    cases = [
        Case(lang="de", query="Fußballergebnisse von gestern Abend"),
        Case(lang="de", query="Kick-Off vorbereiten"),
    ]
    (quality,) = evaluate(index, cases)
    assert (quality.queries, quality.off_topic, quality.said_nothing_fits) == (0, 2, 1)
    assert quality.line() == "search de: 1 of 2 off-topic queries answered 'nothing fits'"


def test_the_off_topic_set_reads_as_cases_that_expect_nothing():
    cases = load_cases(HERE / "search_offtopic.yaml")
    assert len(cases) >= 30 and all(not c.expect for c in cases)
