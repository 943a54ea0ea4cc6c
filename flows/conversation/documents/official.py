"""The statistics of the municipality picked in the directory, in the documents: per source (official figures, then
the municipality's register, never in one table) the indicator table beside the Kreis and the Land, the population
series and the age pyramid, each indicator's definition and the notes (source, tables, Stichtag, licence, census
break); and the key figures on one line for the council resolution."""

from __future__ import annotations

from flows.content.i18n import N_
from flows.conversation import figures
from flows.conversation.context import Ctx
from flows.documents.model import Block, Items, Text
from flows.statistics import presenting
from flows.statistics.indicators import Profile

KEY_FIGURE = N_("Population according to the official statistics: {population} ({date}).")
KEY_FIGURE_CHANGE = N_(
    "Population according to the official statistics: {population} ({date}); change {period}: {change}."
)


def profiles(ctx: Ctx) -> list[Profile]:
    """The municipality's profile of each source that has figures of it, official first."""
    at_hand = figures.found(ctx)
    if at_hand is None:
        return []
    return [p for p in (at_hand.of(source) for source in at_hand.sources) if p is not None]


def blocks(ctx: Ctx, shown: list[Profile]) -> list[Block]:
    """Each profile's table, charts and notes (source, tables, licence, what is not available), then the
    definitions of the indicators shown, each once."""
    found: list[Block] = []
    for each in shown:
        found += [presenting.table(ctx.t, each), *presenting.charts(ctx.t, each)]
        found += [Text(note, "note") for note in presenting.notes(ctx.t, each)]
    definitions = list(dict.fromkeys(d for each in shown for d in presenting.definitions(ctx.t, each)))
    if definitions:
        found += [Text(ctx.t("Definitions"), "strong"), Items(tuple(definitions))]
    return found


def key_figure(ctx: Ctx) -> str:
    """The official population and its change on one line ("" without official figures of the municipality)."""
    at_hand = figures.found(ctx)
    official = at_hand.official if at_hand is not None else None
    if official is None:
        return ""
    rows = {r["indicator"]: r for r in presenting.records(ctx.t, official)}
    population, change = rows.get("population"), rows.get("change")
    if population is None:
        return ""
    if change is None:
        return ctx.t(KEY_FIGURE, population=population["value"], date=population["year"])
    return ctx.t(
        KEY_FIGURE_CHANGE,
        population=population["value"],
        date=population["year"],
        period=change["year"],
        change=change["value"],
    )
