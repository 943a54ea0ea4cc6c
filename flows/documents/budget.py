"""A measure's budget: amount in euros, funding source and years, as stored in the ``budget`` record field.

Stored value (JSON): ``{"text": "25.500 € Fördermittel LEADER 2027–2028", "amount": "25500",
"source": "Fördermittel LEADER", "funding": "grant", "years": [2027, 2028]}``; a budget split by
year also has ``"per_year": {"2027": "12000", "2028": "8000"}`` (its amount is their sum).
``amount`` is a decimal string in euros or null when no amount could be read (the text is kept as
written; source, funding and years are then empty); ``funding`` is a category id from
content/funding.yaml, or null where no keyword named one when it was entered (budgets parsed by
the database migration 0006 have none: ``Ctx.budget`` classifies those from their source when read).
Budgets stored before the field was structured are plain strings; :meth:`Budget.of` reads both.
The budget reader is :func:`flows.reading.read_budget`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any


def _decimal(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        return None
    return number if number.is_finite() else None


def _plain(amount: Decimal) -> str:
    """A decimal as stored: no exponent, no trailing zeros ("25500", "25.5")."""
    return format(amount.normalize(), "f")


@dataclass(frozen=True)
class Budget:
    text: str
    """What the person wrote."""
    amount: Decimal | None = None
    source: str = ""
    """The funding source as written ("Fördermittel LEADER"); empty when none was named."""
    funding: str | None = None
    """The category of the source (own, grant, third, mixed) from content/funding.yaml."""
    years: tuple[int, ...] = ()
    """The years the money is spent in; empty when none were named."""
    per_year: dict[int, Decimal] = field(default_factory=dict)
    """The amount of each year where the person split it ("12.000 € 2027, 8.000 € 2028"); else empty."""

    @classmethod
    def of(cls, value: Any) -> Budget | None:
        """The budget in a stored answer: a dict as above, or an old free-text string."""
        if value is None or value == "":
            return None
        if isinstance(value, str):
            return cls(text=value)
        if not isinstance(value, dict):
            return cls(text=str(value))
        per_year: dict[int, Decimal] = {}
        for year, amount in (value.get("per_year") or {}).items():
            number = _decimal(amount)
            if number is not None and str(year).isdigit():
                per_year[int(year)] = number
        return cls(
            text=str(value.get("text") or ""),
            amount=_decimal(value.get("amount")),
            source=str(value.get("source") or ""),
            funding=value.get("funding") or None,
            years=tuple(int(y) for y in value.get("years") or () if str(y).isdigit()),
            per_year=per_year,
        )

    def value(self) -> dict[str, Any]:
        """The answer to store."""
        stored: dict[str, Any] = {
            "text": self.text,
            "amount": None if self.amount is None else _plain(self.amount),
            "source": self.source,
            "funding": self.funding,
            "years": list(self.years),
        }
        if self.per_year:
            stored["per_year"] = {str(year): _plain(amount) for year, amount in sorted(self.per_year.items())}
        return stored
