"""The model municipalities of the federal programmes (content/model_municipalities.yaml): public facts only.

Each entry names the programmes it took part in, its kind and Land or région where the sources say so, fields of
action only where a source names a topic, and a public note. A fact the sources do not state (general knowledge or
an inference, the domain notes' "*" and [Annahme]) is listed in ``assumed`` and shown with an asterisk.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import Field, field_validator

from flows.content.model import Country, Identifier, LocalText, Step, Strict
from flows.content.problems import ContentProblem, locate, read_yaml, validate

FILE = "model_municipalities.yaml"
Fact = Literal["kind", "region", "programmes"]


class Programme(Strict):
    """A federal programme, or one cycle of it, with the years it ran."""

    id: Identifier
    label: LocalText
    years: str = Field(min_length=4, max_length=20, description="As the sources give them: 2016–2020, 2020/21.")
    franco_german: bool = Field(default=False, description="A German–French programme (the DFZW).")
    keywords: list[str] = Field(
        default_factory=list, description="What people type for it (DFZW, deutsch-französisch, franco-allemand)."
    )


class Kind(Strict):
    """What a model municipality is: Gemeinde, Stadt, Landkreis, Amt …, as the sources name it."""

    id: Identifier
    label: LocalText


class Cluster(Strict):
    """A regional cluster of the model project (its regional meetings): the Länder it groups."""

    id: Identifier
    label: LocalText
    regions: list[Identifier] = Field(min_length=1)


class ModelMunicipality(Strict):
    name: str = Field(min_length=2, max_length=80, description="As the sources write it.")
    kinds: list[Identifier] = Field(default_factory=list, description="Kind ids; empty where the sources say none.")
    regions: list[Identifier] = Field(min_length=1, description="Land options of ob_land or région options.")
    programmes: list[Identifier] = Field(min_length=1)
    fields: list[Identifier] = Field(default_factory=list, description="Only where a source names the topic.")
    note: LocalText | None = None
    assumed: list[Fact] = Field(default_factory=list, description="Facts the sources do not state (shown with *).")


class ModelDirectory(Strict):
    intro: LocalText
    programmes: list[Programme] = Field(min_length=1)
    kinds: list[Kind] = Field(min_length=1)
    clusters: list[Cluster] = Field(default_factory=list)
    neighbours: dict[Identifier, list[Identifier]] = Field(
        default_factory=dict, description="Länder and régions that share a border (both ways)."
    )
    municipalities: list[ModelMunicipality] = Field(min_length=1)

    @field_validator("municipalities")
    @classmethod
    def _unique(cls, value: list[ModelMunicipality]) -> list[ModelMunicipality]:
        names = [m.name for m in value]
        twice = sorted({n for n in names if names.count(n) > 1})
        if twice:
            raise ValueError(f"names appear twice: {twice}")
        return value


def region_steps(steps: list[Step]) -> dict[str, tuple[Country, Step]]:
    """The onboarding steps that say where a municipality is, by option id: the country of each Land or région and
    the step that names it. Those are the steps of one country whose options stand for official region codes (the
    Land key, the région code), answered ``from_place`` land or région."""
    found: dict[str, tuple[Country, Step]] = {}
    for step in steps:
        if not step.countries or step.from_place in ("kind", "size"):
            continue
        for option in getattr(step, "options", ()):
            if option.codes:  # "outside Germany" has none: it is no place
                found[option.id] = (step.countries[0], step)
    return found


def load_model_directory(
    root: Path, steps: list[Step], fields: set[str], problems: list[ContentProblem]
) -> ModelDirectory | None:
    """The directory of model municipalities, checked against the Länder and régions the onboarding offers and the
    fields of action; an optional file."""
    if not (root / FILE).exists():
        return None
    data, node = read_yaml(root / FILE, root, problems)
    directory = validate(ModelDirectory, data, node, FILE, problems) if data is not None else None
    if directory is not None:
        problems += [
            ContentProblem(FILE, *locate(node, loc), message)
            for loc, message in directory_problems(directory, set(region_steps(steps)), fields)
        ]
    return directory


def directory_problems(
    directory: ModelDirectory, regions: set[str], fields: set[str]
) -> list[tuple[tuple[Any, ...], str]]:
    """References of the directory: kinds, programmes, Länder and régions, fields; neighbours both ways."""
    kinds = {k.id for k in directory.kinds}
    programmes = {p.id for p in directory.programmes}
    found: list[tuple[tuple[Any, ...], str]] = []
    for i, entry in enumerate(directory.municipalities):
        for key, known, what in (
            ("kinds", kinds, "kind"),
            ("regions", regions, "Land or région"),
            ("programmes", programmes, "programme"),
            ("fields", fields, "Handlungsfeld"),
        ):
            found += [
                (("municipalities", i, key, j), f"unknown {what} {value!r}")
                for j, value in enumerate(getattr(entry, key))
                if value not in known
            ]
        if "kind" in entry.assumed and not entry.kinds:
            found.append((("municipalities", i, "assumed"), "a kind is marked assumed, but none is given"))
    for i, cluster in enumerate(directory.clusters):
        found += [
            (("clusters", i, "regions", j), f"unknown Land or région {region!r}")
            for j, region in enumerate(cluster.regions)
            if region not in regions
        ]
    for region, near in directory.neighbours.items():
        if region not in regions:
            found.append((("neighbours", region), f"unknown Land or région {region!r}"))
        for j, other in enumerate(near):
            if other not in regions:
                found.append((("neighbours", region, j), f"unknown Land or région {other!r}"))
            elif region not in directory.neighbours.get(other, []):
                found.append((("neighbours", region, j), f"{other!r} does not name {region!r} as its neighbour"))
    return found
