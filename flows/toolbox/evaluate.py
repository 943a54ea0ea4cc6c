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
    expect: list[str] = Field(default_factory=list, description="Empty: no item fits, the search should say so.")


@dataclass(frozen=True)
class Quality:
    lang: str
    queries: int
    recall_at_5: float
    mrr: float
    off_topic: int = 0
    """Queries no item fits."""
    said_nothing_fits: int = 0
    """Of those, how many the search answered with nothing."""

    def line(self) -> str:
        parts = [f"search {self.lang}:"]
        if self.queries:
            parts.append(f"{self.queries} queries, recall@5 {self.recall_at_5:.2f}, MRR {self.mrr:.2f}")
        if self.off_topic:
            parts.append(f"{self.said_nothing_fits} of {self.off_topic} off-topic queries answered 'nothing fits'")
        return " ".join(parts)


def load_cases(path: Path) -> list[Case]:
    return [Case.model_validate(row) for row in yaml.safe_load(path.read_text(encoding="utf-8"))]


def evaluate(index: ToolboxIndex, cases: list[Case], k: int = 5) -> list[Quality]:
    """recall@k: share of expected items found in the top k; MRR: 1 / rank of the first expected item; for cases
    that expect nothing, how often the search found nothing."""
    results = []
    for lang in sorted({c.lang for c in cases}):
        off = [c for c in cases if c.lang == lang and not c.expect]
        mine = [c for c in cases if c.lang == lang and c.expect]
        nothing = sum(1 for c in off if not index.search(c.query, lang))
        recall, reciprocal = 0.0, 0.0
        for case in mine:
            ranked = [hit.item.id for hit in index.search(case.query, lang, limit=20)]
            recall += len(set(ranked[:k]) & set(case.expect)) / len(case.expect)
            first = next((i for i, item in enumerate(ranked, 1) if item in case.expect), None)
            reciprocal += 1 / first if first else 0.0
        share = max(len(mine), 1)
        results.append(Quality(lang, len(mine), recall / share, reciprocal / share, len(off), nothing))
    return results
