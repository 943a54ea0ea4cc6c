"""The picked municipality's statistics as the conversation uses them: its profiles (official and register, never
mixed) from the stored figures and a file just sent, and the Kommunalprofil's indicators filled from one of them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from flows.conversation.context import Ctx, new_uid
from flows.statistics import presenting
from flows.statistics.indicators import Profile, compute
from flows.statistics.model import Figure, Place, Sheet, Source

STAGE = "kommunalprofil"
INDICATORS_STEP = "kp_indicators"
SOURCES_STEP = "kp_sources"
DATE_STEP = "kp_reference_date"
SOURCE_OPTIONS: dict[tuple[str, Source], str] = {
    ("de", "official"): "regionalstatistik",
    ("de", "register"): "register",
    ("fr", "register"): "fichiers_communaux",
}
"""The kp_sources option that names where filled figures come from, by the place's country and their source."""
SOURCES: tuple[Source, ...] = ("official", "register")


@dataclass(frozen=True)
class Profiles:
    """What the statistics say about the place: the official profile and the register's, each None without figures."""

    place: Place
    official: Profile | None = None
    register: Profile | None = None

    def of(self, source: Source) -> Profile | None:
        return self.official if source == "official" else self.register

    @property
    def sources(self) -> list[Source]:
        """The sources with a profile, official first."""
        return [source for source in SOURCES if self.of(source) is not None]


def regions(place: Place) -> list[str]:
    """The keys whose figures belong to the place's profile: its own, its Kreis's and its Land's."""
    return list(dict.fromkeys(k for k in (place.key, place.kreis, place.land) if k))


def own(sheet: Sheet, place: Place) -> tuple[Figure, ...]:
    """The figures of ``sheet`` for the place, its Kreis and its Land; a register extract's (read without a region)
    get the place's key and country."""
    if sheet.source == "register":
        return tuple(
            replace(f, region=place.key, country=place.country) for f in sheet.figures if f.region in ("", place.key)
        )
    keys = set(regions(place))
    return tuple(f for f in sheet.figures if f.region in keys and f.country == place.country)


def _identity(f: Figure) -> tuple[object, ...]:
    """What makes two figures the same value (as storage keys them)."""
    return (f.country, f.region, f.source, f.measure, f.stichtag, f.sex, f.age_from, f.age_to, f.ortsteil)


def merged(stored: Iterable[Figure], sent: Iterable[Figure]) -> list[Figure]:
    """The stored figures with those of a file just sent, which win where both have the same value."""
    by_key = {_identity(f): f for f in stored}
    by_key.update((_identity(f), f) for f in sent)
    return list(by_key.values())


def lookup(ctx: Ctx, workspace_id: int | None, sent: Sequence[Figure] = ()) -> Profiles | None:
    """The place's profiles from the registry's figures and ``sent`` (a file of this message, not stored yet);
    None when no place was picked in the directory."""
    place = ctx.place()
    if place is None or ctx.registry is None:
        return None
    registry = ctx.registry
    kreis = registry.place(place.kreis, place.country) if place.kreis else None
    land = registry.place(place.land, place.country) if place.land else None
    figures = merged(registry.figures(regions(place), place.country, workspace_id), sent)
    return Profiles(
        place,
        official=compute(place, figures, "official", kreis, land),
        register=compute(place, figures, "register"),
    )


def imported_rows(ctx: Ctx) -> list[dict[str, Any]]:
    """The kp_indicators rows that came from statistics (they carry their ``source``)."""
    return [r for r in ctx.state.answers.get(INDICATORS_STEP) or [] if isinstance(r, dict) and r.get("source")]


def mixing(ctx: Ctx, source: Source) -> bool:
    """Whether the indicators hold rows of the other source, which filling from ``source`` would replace."""
    return any(r.get("source") != source for r in imported_rows(ctx))


def fill(ctx: Ctx, profile: Profile) -> int:
    """Put the profile's indicators into kp_indicators; how many rows it put there.

    Rows typed by hand (no ``source``) stay; every imported row goes (the caller asks before one of the other
    source does). The data source and the reference date are set where they are not answered yet.
    """
    records = [r for r in ctx.state.answers.get(INDICATORS_STEP) or [] if isinstance(r, dict)]
    kept = [r for r in records if not r.get("source")]
    rows: list[dict[str, Any]] = []
    for row in presenting.records(ctx.t, profile):
        rows.append({**row, "source": profile.source, "uid": new_uid(ctx, kept + rows + records)})
    ctx.state.answers[INDICATORS_STEP] = kept + rows
    option = SOURCE_OPTIONS.get((profile.place.country, profile.source))
    sources = ctx.content.step(SOURCES_STEP)
    if option and not ctx.state.has_value(SOURCES_STEP) and option in {c.id for c in ctx.offers(sources)}:
        ctx.state.answers[SOURCES_STEP] = option
    if profile.latest is not None and not ctx.state.has_value(DATE_STEP):
        ctx.state.answers[DATE_STEP] = profile.latest.isoformat()
    return len(rows)
