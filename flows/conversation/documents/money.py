"""Budget totals of the Werkstattplan: per year, per funding source, and the measures without an amount.

Pure arithmetic in :class:`~decimal.Decimal` (never float). An amount spread over several years is
split evenly, in cents; the cents that do not divide go to the last year, so the years add up to
the amount exactly.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

from flows.documents.budget import Budget

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Priced:
    """A measure as the totals see it: its name, budget and the years of its start and end dates."""

    name: str
    budget: Budget | None
    start: str | None = None
    """An answer date as stored: ``2027-03-15``, ``2027-03`` or ``2027``."""
    end: str | None = None


Source = tuple[str, str]
"""How a budget is grouped: ``("funding", category)``, ``("source", text as written)`` or ``("none", "")``."""


@dataclass(frozen=True)
class Totals:
    total: Decimal
    per_year: tuple[tuple[int | None, Decimal], ...]
    """Each year in order with its sum; ``None`` last: amounts with no year at all."""
    per_source: tuple[tuple[Source, Decimal], ...]
    """Each source in the order first named, with its sum."""
    unpriced: tuple[str, ...]
    """Measures whose budget has no amount (or no budget), by name."""
    spread: bool
    """Some amount was split evenly over several years."""


def years_of(measure: Priced) -> tuple[int, ...]:
    """The budget's years, else every year from the start to the end date, else none."""
    if measure.budget is not None and measure.budget.years:
        return tuple(sorted(set(measure.budget.years)))
    first, last = _year(measure.start), _year(measure.end)
    if first is None:
        return () if last is None else (last,)
    if last is None or last < first:
        return (first,)
    return tuple(range(first, last + 1))


def split(amount: Decimal, years: tuple[int, ...]) -> list[tuple[int | None, Decimal]]:
    """``amount`` evenly over ``years`` in whole cents (the rest on the last year); ``None`` without years."""
    if not years:
        return [(None, amount)]
    share = (amount / len(years)).quantize(CENT, rounding=ROUND_DOWN)
    shares = [share] * len(years)
    shares[-1] = amount - share * (len(years) - 1)
    return list(zip(years, shares, strict=True))


def source_of(budget: Budget) -> Source:
    if budget.funding:
        return ("funding", budget.funding)
    if budget.source.strip():
        return ("source", budget.source.strip())
    return ("none", "")


def totals(measures: list[Priced]) -> Totals:
    by_year: dict[int | None, Decimal] = defaultdict(Decimal)
    by_source: dict[Source, Decimal] = {}
    unpriced: list[str] = []
    spread = False
    for measure in measures:
        budget = measure.budget
        if budget is None or budget.amount is None:
            unpriced.append(measure.name)
            continue
        if budget.per_year:  # the person said how much in which year
            shares: list[tuple[int | None, Decimal]] = list(budget.per_year.items())
        else:
            years = years_of(measure)
            spread = spread or len(years) > 1
            shares = split(budget.amount, years)
        for year, share in shares:
            by_year[year] += share
        key = source_of(budget)
        by_source[key] = by_source.get(key, Decimal(0)) + budget.amount
    ordered = sorted(by_year.items(), key=lambda item: (item[0] is None, item[0] or 0))
    return Totals(
        total=sum(by_source.values(), Decimal(0)),
        per_year=tuple(ordered),
        per_source=tuple(by_source.items()),
        unpriced=tuple(unpriced),
        spread=spread,
    )


def _year(value: str | None) -> int | None:
    head = (value or "").split("-")[0]
    return int(head) if len(head) == 4 and head.isdigit() else None
