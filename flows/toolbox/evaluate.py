"""Search quality on an evaluation set: recall@5 and mean reciprocal rank, per language."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field

from flows.toolbox.search import ToolboxIndex


class Case(BaseModel):
    """A query as a practitioner would type it, and the items they would expect."""

    model_config = ConfigDict(extra="forbid")
    lang: str = Field(pattern="^(de|fr|en)$")
    query: str
    expect: list[str] = Field(min_length=1)


@dataclass(frozen=True)
class Quality:
    lang: str
    queries: int
    recall_at_5: float
    mrr: float

    def line(self) -> str:
        return f"search {self.lang}: {self.queries} queries, recall@5 {self.recall_at_5:.2f}, MRR {self.mrr:.2f}"


def load_cases(path: Path) -> list[Case]:
    return [Case.model_validate(row) for row in yaml.safe_load(path.read_text(encoding="utf-8"))]


def evaluate(index: ToolboxIndex, cases: list[Case], k: int = 5) -> list[Quality]:
    """recall@k: share of expected items found in the top k; MRR: 1 / rank of the first expected item."""
    results = []
    for lang in sorted({c.lang for c in cases}):
        mine = [c for c in cases if c.lang == lang]
        recall, reciprocal = 0.0, 0.0
        for case in mine:
            ranked = [hit.item.id for hit in index.search(case.query, lang, limit=20)]
            recall += len(set(ranked[:k]) & set(case.expect)) / len(case.expect)
            first = next((i for i, item in enumerate(ranked, 1) if item in case.expect), None)
            reciprocal += 1 / first if first else 0.0
        results.append(Quality(lang, len(mine), recall / len(mine), reciprocal / len(mine)))
    return results
