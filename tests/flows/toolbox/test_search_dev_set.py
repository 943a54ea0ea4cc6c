"""The development set and the off-topic set for the toolbox search are well-formed."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml

from flows.content.content import Content
from flows.toolbox.evaluate import Case, load_cases

DEV = Path(__file__).with_name("search_dev.yaml")
OFFTOPIC = Path(__file__).with_name("search_offtopic.yaml")
LANGUAGES = ("de", "fr", "en")


@pytest.fixture(scope="module")
def cases() -> list[Case]:
    return load_cases(DEV)


@pytest.fixture(scope="module")
def offtopic() -> list[dict[str, str]]:
    rows: list[dict[str, str]] = yaml.safe_load(OFFTOPIC.read_text(encoding="utf-8"))
    return rows


def normalised(query: str) -> str:
    return " ".join(query.casefold().split())


def test_each_language_has_at_least_thirty_queries(cases: list[Case]) -> None:
    per_language = Counter(case.lang for case in cases)
    assert {lang: per_language[lang] for lang in LANGUAGES if per_language[lang] < 30} == {}


def test_every_expected_item_is_in_the_shipped_toolbox(cases: list[Case], content: Content) -> None:
    unknown = [(case.query, item) for case in cases for item in case.expect if item not in content.toolbox]
    assert unknown == []


def test_each_query_expects_one_to_three_distinct_items(cases: list[Case]) -> None:
    odd = [case.query for case in cases if not 1 <= len(case.expect) <= 3 or len(set(case.expect)) != len(case.expect)]
    assert odd == []


def test_no_query_appears_twice(cases: list[Case]) -> None:
    seen = Counter(normalised(case.query) for case in cases)
    assert [query for query, count in seen.items() if count > 1] == []


def test_the_header_says_development_set_written_blind() -> None:
    header = DEV.read_text(encoding="utf-8").split("\n- ", 1)[0]
    assert "development set, written blind on 2026-12-06 by a helper; tuning on it is allowed" in header


def test_offtopic_set_has_ten_plain_queries_per_language(offtopic: list[dict[str, str]]) -> None:
    malformed = [row for row in offtopic if set(row) != {"lang", "query"} or row["lang"] not in LANGUAGES]
    per_language = Counter(row["lang"] for row in offtopic)
    assert malformed == []
    assert {lang: per_language[lang] for lang in LANGUAGES if per_language[lang] < 10} == {}


def test_no_offtopic_query_is_also_a_development_query(cases: list[Case], offtopic: list[dict[str, str]]) -> None:
    queries = [normalised(row["query"]) for row in offtopic]
    assert len(set(queries)) == len(queries)
    assert set(queries) & {normalised(case.query) for case in cases} == set()
