"""Budget totals: per year (spread evenly), per funding source, and measures without an amount; Decimal only."""

from __future__ import annotations

from decimal import Decimal

from flows.conversation.documents.money import Priced, split, totals, years_of
from flows.documents.budget import Budget


def priced(name: str, amount: str | None, years: tuple[int, ...] = (), **kw: str) -> Priced:
    budget = Budget("…", Decimal(amount) if amount else None, kw.pop("source", ""), kw.pop("funding", None), years)
    return Priced(name, budget, kw.get("start"), kw.get("end"))


def test_years_come_from_the_budget_else_from_start_to_end():
    assert years_of(priced("a", "1", (2028, 2027))) == (2027, 2028)
    assert years_of(priced("b", "1", start="2027-03", end="2029-05-31")) == (2027, 2028, 2029)
    assert years_of(priced("c", "1", start="2027")) == (2027,)
    assert years_of(priced("d", "1", start="2029", end="2027")) == (2029,)  # an end before the start: the start
    assert years_of(priced("e", "1")) == ()


def test_an_amount_over_three_years_splits_into_cents_that_add_up():
    shares = split(Decimal("250000"), (2027, 2028, 2029))
    assert shares == [(2027, Decimal("83333.33")), (2028, Decimal("83333.33")), (2029, Decimal("83333.34"))]
    assert sum(s for _, s in shares) == Decimal("250000")


def test_totals_per_year_per_source_and_the_measures_without_an_amount():
    sums = totals(
        [
            priced("Landarzt", "10000", (2027,), source="Haushalt", funding="own"),
            priced("Jugendtreff", "25500", (2027, 2028), source="Fördermittel LEADER", funding="grant"),
            priced("Dorfladen", "250000", source="Stiftung Land"),
            priced("Radweg", "4000", source="LEADER", funding="grant", start="2028-04"),
            priced("Fest", None),
            Priced("Bank", None),
            priced("Kiosk", "1.50"),
        ]
    )
    assert sums.total == Decimal("289501.50")
    assert sums.per_year == (
        (2027, Decimal("22750")),
        (2028, Decimal("16750")),
        (None, Decimal("250001.50")),  # no year given: last
    )
    assert sums.per_source == (
        (("funding", "own"), Decimal("10000")),
        (("funding", "grant"), Decimal("29500")),  # LEADER twice, as written differently: one category
        (("source", "Stiftung Land"), Decimal("250000")),
        (("none", ""), Decimal("1.50")),
    )
    assert sums.unpriced == ("Fest", "Bank")
    assert sums.spread


def test_nothing_spread_nothing_said():
    sums = totals([priced("a", "100", (2027,))])
    assert not sums.spread and sums.per_year == ((2027, Decimal("100")),) and sums.unpriced == ()


def test_amounts_the_person_gave_per_year_are_taken_as_given_not_spread():
    budget = Budget(
        "12.000 € 2027, 8.000 € 2028",
        Decimal("20000"),
        years=(2027, 2028),
        per_year={2027: Decimal("12000"), 2028: Decimal("8000")},
    )
    sums = totals([Priced("Bücherbus", budget, "2027-01", "2029-12")])
    assert sums.per_year == ((2027, Decimal("12000")), (2028, Decimal("8000")))
    assert not sums.spread
    assert sums.total == Decimal("20000")
