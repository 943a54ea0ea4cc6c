"""The municipality's figures where the conversation and the documents name them: its profiles from the registry
(:func:`flows.conversation.profiles.lookup` for the workspace of this message), the name of their source, and the
line that opens the Kommunalprofil when official figures are at hand."""

from __future__ import annotations

from flows.content.i18n import N_
from flows.content.model import SingleStep
from flows.conversation import profiles
from flows.conversation.context import Ctx
from flows.statistics.indicators import Profile

COMMAND = "indicators"
"""The command that shows the figures and puts them into the Kommunalprofil (/kennzahlen, /indicateurs)."""
AVAILABLE = N_(
    "Official figures are available for {municipality} ({source}, as of {date}): /{command} shows them and "
    "puts them into the municipal profile."
)


def found(ctx: Ctx) -> profiles.Profiles | None:
    """The picked municipality's profiles (official, register) with the figures of its workspace."""
    return profiles.lookup(ctx, ctx.team.workspace_id if ctx.team is not None else None)


def source_name(ctx: Ctx, profile: Profile) -> str:
    """Where the profile's figures come from, as the Kommunalprofil's question for the data source names it
    ("Regionaldatenbank"), else "official statistics"."""
    step = ctx.content.step(profiles.SOURCES_STEP) if profiles.SOURCES_STEP in ctx.content.steps else None
    option_id = profiles.SOURCE_OPTIONS.get((profile.place.country, profile.source))
    option = next((o for o in step.options if o.id == option_id), None) if isinstance(step, SingleStep) else None
    return ctx.text(option.short or option.label) if option is not None else ctx.t("official statistics")


def available(ctx: Ctx) -> str:
    """The stage's opening line when the municipality has official figures ("" when it has none)."""
    at_hand = found(ctx)
    official = at_hand.official if at_hand is not None else None
    if official is None or official.latest is None:
        return ""
    return ctx.t(
        AVAILABLE,
        municipality=ctx.municipality()["name"],
        source=source_name(ctx, official),
        date=ctx.t.date(official.latest, "medium"),
        command=ctx.command_name(COMMAND),
    )
