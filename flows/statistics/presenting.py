"""A profile as people read it: chat blocks that fit a phone, a document table, charts with their values as
text, rows for the Kommunalprofil's indicator step, each indicator's definition and the notes on the data.

Every text is a msgid translated with ``t``; numbers are written by the Translator (``t.number``,
``t.decimal``). A comparison is headed by the region's own name ("Landkreis Ludwigslust-Parchim", "Ain"),
never by a word such as Kreis or Land.
"""

from __future__ import annotations

import re
from datetime import date

from flows.content.i18n import N_, Translator
from flows.documents.model import Chart, Table
from flows.messages import Block, Bullets, Heading, Paragraph
from flows.statistics.indicators import INDICATORS, Comparison, Indicator, IndicatorId, Profile
from flows.statistics.model import Place

__all__ = [
    "ALT_LIMIT",
    "OPTIONS",
    "blocks",
    "charts",
    "definitions",
    "latest",
    "notes",
    "records",
    "region_name",
    "table",
    "tables_of",
    "unit",
]

ALT_LIMIT = 1000
"""Characters a chart's text alternative may have (a Telegram caption holds 1,024)."""

OPTIONS: dict[IndicatorId, str] = {
    "population": "population",
    "change": "change",
    "natural_balance": "natural_balance",
    "migration_balance": "migration_balance",
    "youth_ratio": "youth_ratio",
    "old_age_ratio": "old_age_ratio",
    "share_75": "old_share_75",
    "share_80": "very_old_share",
    "median_age": "median_age",
}
"""Each indicator's option id in the ``indicator`` field of the Kommunalprofil step ``kp_indicators``."""

NAMES: dict[IndicatorId, str] = {
    "population": N_("Population"),
    "change": N_("Population change"),
    "natural_balance": N_("Natural balance"),
    "migration_balance": N_("Migration balance"),
    "youth_ratio": N_("Youth ratio"),
    "old_age_ratio": N_("Old-age ratio"),
    "share_75": N_("Share aged 75 and over"),
    "share_80": N_("Share aged 80 and over"),
    "median_age": N_("Median age"),
}
DEFINITIONS: dict[IndicatorId, str] = {
    "population": N_("Population: people whose main residence is in the place on the reference date, all ages."),
    "change": N_(
        "Population change: the population on the last reference date of the series compared with the first one, in %."
    ),
    "natural_balance": N_(
        "Natural balance: births minus deaths in the year, per 1,000 inhabitants at the end of the year."
    ),
    "migration_balance": N_(
        "Migration balance: people moving in minus people moving out in the year, per 1,000 inhabitants at the end "
        "of the year."
    ),
    "youth_ratio": N_("Youth ratio: people under 20 per 100 people aged 20 to 64."),
    "old_age_ratio": N_("Old-age ratio: people aged 65 and over per 100 people aged 20 to 64."),
    "share_75": N_("Share aged 75 and over: people aged 75 and over in % of the whole population."),
    "share_80": N_("Share aged 80 and over: people aged 80 and over in % of the whole population."),
    "median_age": N_(
        "Median age: half the population is younger, half older. It is read from single years of age; within the "
        "year of age where half is reached, people are taken as spread evenly over the year."
    ),
}
WITH_UNIT: dict[IndicatorId, str] = {
    "population": "{value}",
    "change": N_("{value}%"),
    "natural_balance": N_("{value} per 1,000 inhabitants"),
    "migration_balance": N_("{value} per 1,000 inhabitants"),
    "youth_ratio": N_("{value} per 100"),
    "old_age_ratio": N_("{value} per 100"),
    "share_75": N_("{value}%"),
    "share_80": N_("{value}%"),
    "median_age": N_("{value} years"),
}
"""A value with its unit, as the chat and the indicator step show it."""
UNITS: dict[IndicatorId, str] = {
    "change": N_("in %"),
    "natural_balance": N_("per 1,000 inhabitants"),
    "migration_balance": N_("per 1,000 inhabitants"),
    "youth_ratio": N_("per 100 people aged 20–64"),
    "old_age_ratio": N_("per 100 people aged 20–64"),
    "share_75": N_("in %"),
    "share_80": N_("in %"),
    "median_age": N_("years"),
}
"""The unit in a table's first column (its value cells then hold the number alone)."""
SIGNED: frozenset[IndicatorId] = frozenset({"change", "natural_balance", "migration_balance"})
EVENTS: frozenset[IndicatorId] = frozenset({"natural_balance", "migration_balance"})
"""Indicators of what happened in a year (its births, its moves): dated by the year, not by a day."""
MINUS = "\u2212"

KREIS_TYPES = {
    "41": "Kreisfreie Stadt",
    "42": "Stadtkreis",
    "43": "Kreis",
    "44": "Landkreis",
    "45": "Regionalverband",
}
"""GV100AD Textkennzeichen of a Kreis (Satzart 40): the type that goes before its name."""
_REGIONALDATENBANK = re.compile(r"^\d{5}-\d{2}-\d{2}-\d")
"""Table codes of the Regionaldatenbank Deutschland (12411-02-03-5); GENESIS-Online's read 12411-0005."""


def region_name(place: Place) -> str:
    """How a place is named in a heading or a column: "Grabow", "Landkreis Ludwigslust-Parchim",
    "Mecklenburg-Vorpommern", "Ain" (French names as the COG writes them)."""
    if place.country != "de":
        return place.name
    head, _, tail = place.name.partition(", ")
    if place.level != "kreis":
        return head if place.level == "gemeinde" else place.name
    if tail in KREIS_TYPES.values():
        return f"{tail} {head}"
    kind = KREIS_TYPES.get(place.kind, place.kind if not place.kind.isdigit() else "")
    return f"{kind} {place.name}" if kind and not tail and not place.name.startswith(kind) else place.name


# -- values --------------------------------------------------------------------------------------------------


def _number(t: Translator, indicator_id: IndicatorId, value: float) -> str:
    """The value as a number alone: "5.122", "−3,4", "42,6"."""
    if indicator_id == "population":
        return t.number(round(value))
    written = t.decimal(abs(value) if indicator_id in SIGNED else value)
    if indicator_id not in SIGNED or written == t.decimal(0):
        return written
    return ("+" if value > 0 else MINUS) + written


def _with_unit(t: Translator, indicator_id: IndicatorId, value: float) -> str:
    """The value with its unit: "−3,4 %", "−9,8 je 1.000 Einw.", "47,8 Jahre"."""
    return t(WITH_UNIT[indicator_id], value=_number(t, indicator_id, value))


def _day(profile: Profile, year: int) -> date:
    return next((d for d in profile.stichtage if d.year == year), date(year, 12, 31))


def _when(t: Translator, profile: Profile, indicator: Indicator, year: int) -> str:
    """What a value is dated by: "31.12.2023", "2023" (the year's births or moves), "2019–2023" (a change)."""
    if indicator.id == "change":
        return f"{indicator.values[0][0]}–{year}"
    if indicator.id in EVENTS:
        return str(year)
    return t.date(_day(profile, year), "medium")


def _beside(t: Translator, profile: Profile, indicator: Indicator, other: Comparison) -> tuple[str, str] | None:
    """A comparison's value beside the place's latest one (number alone), with its date where that differs
    from the place's ("" where it is the same); None where the region has no value."""
    theirs = other.indicator(indicator.id)
    if theirs is None or theirs.latest is None or indicator.latest is None:
        return None
    year = indicator.latest[0]
    same = theirs.at(year)
    if same is not None and (indicator.id != "change" or theirs.values[0][0] == indicator.values[0][0]):
        return _number(t, indicator.id, same), ""
    latest_year, latest = theirs.latest
    return _number(t, indicator.id, latest), _when(t, profile, theirs, latest_year)


def _shown(profile: Profile) -> list[tuple[Indicator, int, float]]:
    """The place's indicators with a value and their latest year and value, in the order of ``INDICATORS``."""
    found = (profile.indicator(n) for n in INDICATORS)
    return [(i, *i.latest) for i in found if i is not None and i.latest is not None]


def _labelled(t: Translator, label: str, value: str) -> str:
    return t("{label}: {value}", label=label, value=value)


def _region(place: Place, when: str) -> str:
    return f"{region_name(place)} ({when})" if when else region_name(place)


def _title(t: Translator, profile: Profile) -> str:
    place = region_name(profile.place)
    if profile.source == "register":
        return t("Indicators: {place} (municipal register)", place=place)
    return t("Indicators: {place} (official statistics)", place=place)


# -- what the engine and the documents call ----------------------------------------------------------------


def blocks(t: Translator, profile: Profile) -> list[Block]:
    """The indicators for a chat message: per indicator a few short lines (its latest value and date, then the
    comparison regions' values), then the definitions and the notes."""
    found: list[Block] = [Heading(_title(t, profile))]
    for indicator, year, value in _shown(profile):
        head = t("{indicator} {when}", indicator=t(NAMES[indicator.id]), when=_when(t, profile, indicator, year))
        lines = [_labelled(t, head, _with_unit(t, indicator.id, value))]
        for other in profile.comparisons:
            beside = _beside(t, profile, indicator, other)
            if beside is not None:
                lines.append(_labelled(t, _region(other.place, beside[1]), t(WITH_UNIT[indicator.id], value=beside[0])))
        found.append(Paragraph("\n".join(lines)))
    if len(found) > 1:
        found += [Heading(t("How they are defined")), Bullets(tuple(definitions(t, profile)))]
    found += [Heading(t("About the data")), Bullets(tuple(notes(t, profile)))]
    return found


def table(t: Translator, profile: Profile) -> Table:
    """The indicators as a document table: Indicator | the place | each comparison region | As of."""
    rows = []
    for indicator, year, value in _shown(profile):
        name = t(NAMES[indicator.id])
        label = (
            t("{indicator} ({unit})", indicator=name, unit=t(UNITS[indicator.id])) if indicator.id in UNITS else name
        )
        cells = [label, _number(t, indicator.id, value)]
        for other in profile.comparisons:
            beside = _beside(t, profile, indicator, other)
            cells.append("–" if beside is None else f"{beside[0]} ({beside[1]})" if beside[1] else beside[0])
        rows.append((*cells, _when(t, profile, indicator, year)))
    places = (region_name(profile.place), *(region_name(c.place) for c in profile.comparisons))
    return Table(
        header=(t("Indicator"), *places, t("As of")),
        rows=tuple(rows),
        caption=_title(t, profile),
        numeric=tuple(range(1, len(places) + 1)),
    )


def charts(t: Translator, profile: Profile) -> list[Chart]:
    """The population per year as a line chart (two years or more) and the age pyramid, each with a text
    alternative that lists every value."""
    found = []
    place = region_name(profile.place)
    population = profile.indicator("population")
    if population is not None and len(population.values) > 1:
        span = f"{population.values[0][0]}–{population.values[-1][0]}"
        title = t("Population of {place}, {span}", place=place, span=span)
        values = t.joined(_labelled(t, str(y), t.number(round(v))) for y, v in population.values)
        found.append(
            Chart(
                title=title,
                points=tuple((str(y), v) for y, v in population.values),
                unit=t("inhabitants"),
                alt=_fit(_labelled(t, title, values)),
                file_stem="population",
            )
        )
    pyramid = profile.pyramid
    if pyramid is not None:
        title = t("Age structure of {place}, {date}", place=place, date=t.date(_day(profile, pyramid.year), "medium"))
        labels = [_band(lo, hi) for lo, hi in pyramid.bands]
        men = [float(n or 0) for n in pyramid.male]  # compute() makes a pyramid of complete bands only
        women = [float(n or 0) for n in pyramid.female]
        values = t.joined(
            t("{band}: {men} men, {women} women", band=b, men=t.number(m), women=t.number(w))
            for b, m, w in zip(labels, men, women, strict=True)
        )
        found.append(
            Chart(
                title=title,
                points=tuple(zip(labels, men, strict=True)),
                unit=t("people"),
                alt=_fit(_labelled(t, title, values)),
                file_stem="age-pyramid",
                kind="pyramid",
                second=tuple(zip(labels, women, strict=True)),
                legend=(t("Men"), t("Women")),
            )
        )
    return found


def records(t: Translator, profile: Profile) -> list[dict[str, str]]:
    """One row per indicator with a value for the step ``kp_indicators``: the option id, the value with its unit,
    its date ("31.12.2023", "2019–2023"), the comparison regions' values, and the source."""
    found = []
    for indicator, year, value in _shown(profile):
        row = {
            "indicator": OPTIONS[indicator.id],
            "value": _with_unit(t, indicator.id, value),
            "year": _when(t, profile, indicator, year),
            "source": profile.source,
        }
        beside = [(c.place, b) for c in profile.comparisons if (b := _beside(t, profile, indicator, c)) is not None]
        if beside:
            row["comparison"] = t.joined(_labelled(t, _region(p, when), number) for p, (number, when) in beside)
        found.append(row)
    return found


def latest(profile: Profile, indicator_id: IndicatorId) -> tuple[float, str] | None:
    """An indicator's latest value and what it is dated by, as a date answer is stored: its Stichtag
    ("2023-12-31"), or the year for a year's births or moves and for a change since the first year ("2023")."""
    indicator = profile.indicator(indicator_id)
    if indicator is None or indicator.latest is None:
        return None
    year, value = indicator.latest
    dated = str(year) if indicator_id == "change" or indicator_id in EVENTS else _day(profile, year).isoformat()
    return value, dated


STATISTICS: dict[IndicatorId, tuple[str, ...]] = {
    "natural_balance": ("12612", "12613"),
    "migration_balance": ("12711",),
}
"""The statistics (the first five digits of a German table code) an indicator counts from: births and deaths, moves;
every other indicator counts from the population (12411)."""


def tables_of(profile: Profile, indicator_id: IndicatorId) -> tuple[str, ...]:
    """The profile's tables an indicator counts from; all of them where the codes do not tell (French data)."""
    wanted = STATISTICS.get(indicator_id, ("12411",))
    return tuple(c for c in profile.tables if c[:5] in wanted) or profile.tables


def unit(t: Translator, indicator_id: IndicatorId) -> str:
    """What an indicator is counted in: "inhabitants", "in %", "per 100 people aged 20–64"."""
    return t(UNITS[indicator_id]) if indicator_id in UNITS else t("inhabitants")


def definitions(t: Translator, profile: Profile) -> list[str]:
    """How each indicator shown is defined, with its age limits."""
    return [t(DEFINITIONS[i.id]) for i, _, _ in _shown(profile)]


def notes(t: Translator, profile: Profile) -> list[str]:
    """What a reader must know about the data: a census break, indicators not available and why, regions
    without figures, the other source kept apart, the source with its tables and Stichtag, the licence."""
    found = [
        t(
            "The series spans the {year} census: the figures from 31 December {year} on are counted from it and are "
            "only partly comparable with the earlier ones.",
            year=str(year),
        )
        for year in profile.breaks
    ]
    reasons: dict[str, list[str]] = {}
    for indicator in profile.indicators:
        if indicator.missing:
            reasons.setdefault(indicator.missing, []).append(t(NAMES[indicator.id]))
    found += [
        # Translators: indicators not available and why ("Anteil 80 Jahre und älter: Die oberste Altersgruppe …").
        t("{indicators}: {reason}", indicators=", ".join(names), reason=t(reason))
        for reason, names in reasons.items()
    ]
    found += [
        t("There are no figures for {place} in the data, so there is no comparison with it.", place=region_name(p))
        for p in profile.uncompared
    ]
    if profile.other_source:
        found.append(
            t("The municipal register's figures are kept apart: they are never mixed with the official ones.")
            if profile.source == "official"
            else t("The official figures are kept apart: they are never mixed with the municipal register's.")
        )
    return [*found, *_sources(t, profile)]


def _sources(t: Translator, profile: Profile) -> list[str]:
    """Where the figures come from, as of when; the licence of official German data."""
    when = t.date(profile.latest, "medium") if profile.latest else ""
    if profile.source == "register":
        return [t("Source: the municipal register, as of {date}.", date=when)]
    if not profile.tables:
        return [t("Source: official statistics, as of {date}.", date=when)]
    if profile.place.country != "de":
        return [_tables(t, profile.tables, when, "other")]
    regional = [c for c in profile.tables if _REGIONALDATENBANK.match(c)]
    federal = [c for c in profile.tables if c not in regional]
    found = [_tables(t, codes, when, kind) for codes, kind in ((regional, "regional"), (federal, "federal")) if codes]
    return [*found, t("Licence: Data licence Germany – attribution – version 2.0 (dl-de/by-2-0).")]


def _tables(t: Translator, codes: list[str] | tuple[str, ...], when: str, kind: str) -> str:
    listed, n = ", ".join(codes), len(codes)
    if kind == "regional":
        return t.plural(
            "Source: Statistical Offices of the Federation and the Länder, Regionaldatenbank Deutschland, table "
            "{tables}, as of {date}.",
            "Source: Statistical Offices of the Federation and the Länder, Regionaldatenbank Deutschland, tables "
            "{tables}, as of {date}.",
            n,
            tables=listed,
            date=when,
        )
    if kind == "federal":
        return t.plural(
            "Source: Federal Statistical Office (Destatis), GENESIS-Online, table {tables}, as of {date}.",
            "Source: Federal Statistical Office (Destatis), GENESIS-Online, tables {tables}, as of {date}.",
            n,
            tables=listed,
            date=when,
        )
    return t.plural(
        "Source: official statistics, table {tables}, as of {date}.",
        "Source: official statistics, tables {tables}, as of {date}.",
        n,
        tables=listed,
        date=when,
    )


def _band(lo: int, hi: int | None) -> str:
    """An age band as a pyramid labels it: "0–2" (under 3), "5" (a single year), "75+"."""
    if hi is None:
        return f"{lo}+"
    return str(lo) if hi == lo + 1 else f"{lo}–{hi - 1}"


def _fit(text: str) -> str:
    """``text`` within ``ALT_LIMIT`` characters, cut after a whole value ("…" where cut)."""
    if len(text) <= ALT_LIMIT:
        return text
    cut = text.rfind(";", 0, ALT_LIMIT - 2)
    return text[: cut if cut > 0 else ALT_LIMIT - 1].rstrip() + " …"
