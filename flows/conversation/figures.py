"""The picked municipality's statistics in the conversation: its profile beside its Kreis and Land, the name of
its source, and the line that opens the Kommunalprofil when official figures are at hand."""

from __future__ import annotations

from flows.content.i18n import N_
from flows.content.model import Country, SingleStep
from flows.conversation.context import Ctx
from flows.statistics.indicators import Profile, compute
from flows.statistics.model import Source

STAGE = "kommunalprofil"
"""The stage the figures belong to (DAKS stage 2)."""
SOURCES_STEP = "kp_sources"
SOURCE_OPTIONS: dict[tuple[Source, Country], str] = {
    ("official", "de"): "regionalstatistik",
    ("official", "fr"): "insee",
    ("register", "de"): "register",
    ("register", "fr"): "fichiers_communaux",
}
"""The option of step kp_sources that names where a profile's figures come from, per source and country."""
COMMAND = "indicators"
"""The command that shows the figures and puts them into the Kommunalprofil (/kennzahlen, /indicateurs)."""
AVAILABLE = N_(
    "Official figures are available for {municipality} ({source}, as of {date}): /{command} shows them and "
    "puts them into the municipal profile."
)


def profile(ctx: Ctx, source: Source = "official") -> Profile | None:
    """What the figures of ``source`` say about the municipality picked in the directory, compared with its Kreis
    and Land (département and région); None without a picked place, a registry or a figure of the place."""
    place = ctx.place()
    if place is None or ctx.registry is None:
        return None
    registry = ctx.registry
    kreis = registry.place(place.kreis, place.country) if place.kreis and place.kreis != place.key else None
    land = registry.place(place.land, place.country) if place.land and place.land != place.key else None
    keys = [p.key for p in (place, kreis, land) if p is not None]
    workspace = ctx.team.workspace_id if ctx.team is not None else None
    return compute(place, registry.figures(keys, place.country, workspace), source, kreis, land)


def source_name(ctx: Ctx, found: Profile) -> str:
    """Where the profile's figures come from, as the Kommunalprofil's data source question names it
    ("Regionaldatenbank", "INSEE"); "" where the content has no such option."""
    step = ctx.content.step(SOURCES_STEP) if SOURCES_STEP in ctx.content.steps else None
    option_id = SOURCE_OPTIONS.get((found.source, found.place.country))
    option = next((o for o in step.options if o.id == option_id), None) if isinstance(step, SingleStep) else None
    if option is None:
        return ""
    return ctx.text(option.short or option.label)


def available(ctx: Ctx) -> str:
    """The stage's opening line when the municipality has official figures ("" when it has none, or the command
    that shows them is not there)."""
    if not any(c.id == COMMAND for c in ctx.content.commands):
        return ""
    found = profile(ctx)
    if found is None or found.latest is None:
        return ""
    return ctx.t(
        AVAILABLE,
        municipality=ctx.municipality()["name"],
        source=source_name(ctx, found) or ctx.t("official statistics"),
        date=ctx.t.date(found.latest, "medium"),
        command=ctx.command_name(COMMAND),
    )
