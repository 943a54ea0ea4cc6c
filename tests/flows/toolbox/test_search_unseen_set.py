"""The blind evaluation set for the toolbox search is well-formed: enough queries, real ids, no repeats."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from flows.content.content import Content
from flows.toolbox.evaluate import Case, load_cases

UNSEEN = Path(__file__).with_name("search_unseen.yaml")


@pytest.fixture(scope="module")
def cases() -> list[Case]:
    return load_cases(UNSEEN)


def test_each_language_has_at_least_forty_queries(cases: list[Case]) -> None:
    per_language = Counter(case.lang for case in cases)
    short = {lang: per_language[lang] for lang in ("de", "fr", "en") if per_language[lang] < 40}
    assert short == {}


def test_every_expected_item_is_in_the_shipped_toolbox(cases: list[Case], content: Content) -> None:
    unknown = [(case.query, item) for case in cases for item in case.expect if item not in content.toolbox]
    assert unknown == []


def test_each_query_expects_one_to_three_distinct_items(cases: list[Case]) -> None:
    odd = [case.query for case in cases if not 1 <= len(case.expect) <= 3 or len(set(case.expect)) != len(case.expect)]
    assert odd == []


def test_no_query_appears_twice(cases: list[Case]) -> None:
    seen = Counter(" ".join(case.query.casefold().split()) for case in cases)
    assert [query for query, count in seen.items() if count > 1] == []


def test_the_set_says_it_was_written_blind_and_is_not_for_tuning() -> None:
    header = UNSEEN.read_text(encoding="utf-8").split("\n- ", 1)[0]
    assert "blind" in header and "2026-12-06" in header and "NEVER use this file for tuning" in header
