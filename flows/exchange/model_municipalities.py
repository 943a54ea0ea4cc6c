"""Finding model municipalities in the directory: near a Land or région, by field of action, by programme, or by
what a person types (a field, a Land, a programme, a name) in any language."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from flows.content.content import Content
from flows.content.model import LocalText, Option
from flows.content.model_municipalities import ModelDirectory, ModelMunicipality, region_steps
from flows.reading import fold

Basis = Literal["near", "field", "region", "programme", "name"]
NEAR_WORDS = frozenset(
    {"naehe", "in der naehe", "in meiner naehe", "nah", "near", "near me", "nearby", "proche", "pres de chez moi"}
)
"""Typed after the command for "near me" (folded), in every language."""
_SHORT = 4
"""Typed words at least this long also find the labels they begin (gesund → Gesundheit)."""


@dataclass(frozen=True)
class Selection:
    """Entries of the directory and why: ``key`` is the field, Land or région, or programme they were picked by."""

    basis: Basis
    key: str
    entries: tuple[ModelMunicipality, ...]


def nearby(directory: ModelDirectory, region: str) -> set[str]:
    """The Länder and régions next to ``region``: its neighbours and the other members of its regional clusters."""
    near = set(directory.neighbours.get(region, []))
    for cluster in directory.clusters:
        if region in cluster.regions:
            near |= set(cluster.regions)
    return near - {region}


def near(directory: ModelDirectory, region: str) -> list[ModelMunicipality]:
    """The entries in ``region`` first, then those next to it (``nearby``), each group by name."""
    around = nearby(directory, region)
    ranked = [
        (0 if region in m.regions else 1, fold(m.name), m)
        for m in directory.municipalities
        if region in m.regions or around & set(m.regions)
    ]
    return [m for _rank, _name, m in sorted(ranked, key=lambda r: r[:2])]


def in_field(directory: ModelDirectory, field: str) -> list[ModelMunicipality]:
    return _by_name(m for m in directory.municipalities if field in m.fields)


def in_region(directory: ModelDirectory, region: str) -> list[ModelMunicipality]:
    return _by_name(m for m in directory.municipalities if region in m.regions)


def in_programmes(directory: ModelDirectory, programmes: set[str]) -> list[ModelMunicipality]:
    return _by_name(m for m in directory.municipalities if programmes & set(m.programmes))


def franco_german(directory: ModelDirectory) -> set[str]:
    """The programmes of the German–French exchange."""
    return {p.id for p in directory.programmes if p.franco_german}


def fields_with_entries(content: Content, directory: ModelDirectory) -> list[str]:
    """The fields of action some entry names, in the order of the Handlungsfelder."""
    named = {f for m in directory.municipalities for f in m.fields}
    return [f for f in content.handlungsfelder if f in named]


def regions_with_entries(content: Content, directory: ModelDirectory) -> list[str]:
    """The Länder and régions some entry lies in, in the order the onboarding offers them."""
    named = {r for m in directory.municipalities for r in m.regions}
    return [r for r in region_steps([s for stage in content.stages for s in stage.steps]) if r in named]


def find(content: Content, directory: ModelDirectory, typed: str) -> Selection | None:
    """What a typed word names: "near me", a programme, a field of action, a Land or région (whole labels first,
    in any language), a municipality's name, then the labels a word begins; None when nothing fits."""
    query = fold(typed)
    if len(query) < 2:
        return None
    if query in NEAR_WORDS:
        return Selection("near", "", ())
    programmes = {p.id for p in directory.programmes if query in {fold(k) for k in p.keywords} | {p.id}}
    if programmes:
        return Selection("programme", ",".join(sorted(programmes)), tuple(in_programmes(directory, programmes)))
    fields = {
        f: _texts(content.handlungsfelder[f].label, content.handlungsfelder[f].short)
        for f in fields_with_entries(content, directory)
    }
    regions = {r: _texts(option.label, option.short) for r, option in region_options(content, directory).items()}
    for whole in (True, False):
        field = next((f for f, texts in fields.items() if _names(query, texts, whole)), None)
        if field is not None:
            return Selection("field", field, tuple(in_field(directory, field)))
        region = next((r for r, texts in regions.items() if _names(query, texts, whole)), None)
        if region is not None:
            return Selection("region", region, tuple(in_region(directory, region)))
        if whole:
            named = _by_name(m for m in directory.municipalities if query in fold(m.name))
            if named and len(query) >= 3:
                return Selection("name", typed.strip(), tuple(named))
    return None


def region_options(content: Content, directory: ModelDirectory) -> dict[str, Option]:
    """The onboarding's options of the Länder and régions some entry lies in (their labels in every language)."""
    steps = region_steps([s for stage in content.stages for s in stage.steps])
    options = {o.id: o for _country, step in steps.values() for o in getattr(step, "options", ())}
    return {r: options[r] for r in regions_with_entries(content, directory)}


def _texts(label: LocalText, short: LocalText | None) -> list[str]:
    return [fold(text) for value in (label, short) if value is not None for text in value.root.values()]


_WORD = re.compile(r"[\s,/&()]+")
_LITTLE = frozenset({"und", "et", "and", "de", "du", "des", "la", "le", "les", "the", "of", "d'"})


def _names(query: str, texts: list[str], whole: bool) -> bool:
    """Whether ``query`` names one of the labels ``texts``: the label or one of its words (``whole``), else the
    beginning of one of its words."""
    if whole:
        return any(query == text or query in _words(text) for text in texts)
    return len(query) >= _SHORT and any(w.startswith(query) for text in texts for w in _words(text))


def _words(text: str) -> set[str]:
    return {w for w in _WORD.split(text) if w and w not in _LITTLE}


def _by_name(entries: Iterable[ModelMunicipality]) -> list[ModelMunicipality]:
    return sorted(entries, key=lambda m: fold(m.name))
