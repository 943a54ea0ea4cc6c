"""content/funding.yaml as the content model checks it."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from flows.content.model import Funding

WORDS = {"de": ["haushalt"], "fr": ["commune"], "en": ["council"]}
LABEL = {"de": "Eigenmittel"}


@pytest.mark.parametrize(
    ("categories", "problem"),
    [
        ([{"id": "own", "label": LABEL, "keywords": WORDS}] * 2, "appear twice"),
        ([{"id": "a", "label": LABEL, "mixed": True}, {"id": "b", "label": LABEL, "mixed": True}], "only one"),
        ([{"id": "own", "label": LABEL, "keywords": {"de": ["haushalt"]}}], "no keywords for ['fr', 'en']"),
    ],
)
def test_a_faulty_funding_file_is_refused_with_its_reason(categories: list, problem: str) -> None:
    with pytest.raises(ValidationError, match=problem.replace("[", r"\[").replace("]", r"\]")):
        Funding.model_validate(categories)


def test_the_shipped_categories_load(content) -> None:
    assert [c.id for c in content.funding] == ["own", "grant", "third", "mixed"]
    assert [c.id for c in content.funding if c.mixed] == ["mixed"]
