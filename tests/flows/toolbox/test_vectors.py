"""Item vectors: shipped and cached by passage hash; only new or edited items are embedded."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from flows.content.content import Content
from flows.content.model import LANGUAGES
from flows.toolbox import vectors


class CountingE5(vectors.E5):
    """The real model, counting what it is asked to embed."""

    def __init__(self) -> None:
        super().__init__()
        self.embedded: list[str] = []

    def passages(self, texts: list[str]) -> np.ndarray:
        self.embedded += texts
        return super().passages(texts)


def test_a_warm_cache_embeds_nothing(content: Content, tmp_path: Path):
    model = CountingE5()
    items = list(content.toolbox.values())
    matrices = vectors.load(items, model, content.root / vectors.SHIPPED, tmp_path / "cache.npz")
    assert model.embedded == [] and not (tmp_path / "cache.npz").exists()
    assert {lang: m.shape for lang, m in matrices.items()} == {lang: (len(items), 384) for lang in LANGUAGES}
    assert np.allclose(np.linalg.norm(matrices["de"], axis=1), 1.0, atol=0.01)


def test_only_an_edited_item_is_embedded_and_then_cached(content: Content, tmp_path: Path):
    kick_off, other = content.toolbox["kick_off"], content.toolbox["monitoring"]
    edited = kick_off.model_copy(
        update={
            "summary": kick_off.summary.model_copy(
                update={"root": {**kick_off.summary.root, "de": "Die Auftaktveranstaltung, neu beschrieben."}}
            )
        }
    )
    cache = tmp_path / "data" / "toolbox.vectors.npz"
    model = CountingE5()
    fresh = vectors.load([edited, other], model, content.root / vectors.SHIPPED, cache)
    assert model.embedded == [vectors.passage(edited, "de")] and cache.exists()
    assert float(fresh["de"][0] @ model.query("Auftaktveranstaltung")) > 0.8
    again = CountingE5()
    vectors.load([edited, other], again, content.root / vectors.SHIPPED, cache)
    assert again.embedded == []
