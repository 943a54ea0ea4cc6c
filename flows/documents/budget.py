"""A measure's budget: amount in euros, funding source and years, as stored in the ``budget`` record field.

Stored value (JSON): ``{"text": "25.500 € Fördermittel LEADER 2027–2028", "amount": "25500",
"source": "Fördermittel LEADER", "funding": "grant", "years": [2027, 2028]}``. ``amount`` is a
decimal string in euros or null when no amount could be read (the text is kept as written);
``funding`` is a category id from content/funding.yaml or null. Budgets stored before the field
was structured are plain strings; :meth:`Budget.of` reads both.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any


@dataclass(frozen=True)
class Budget:
    text: str
    """What the person wrote."""
    amount: Decimal | None = None
    source: str = ""
    """The funding source as written ("Fördermittel LEADER"); empty when none was named."""
    funding: str | None = None
    """The category of the source (own, grant, third, …) from content/funding.yaml."""
    years: tuple[int, ...] = ()
    """The years the money is spent in; empty when none were named."""

    @classmethod
    def of(cls, value: Any) -> Budget | None:
        """The budget in a stored answer: a dict as above, or an old free-text string."""
        if value is None or value == "":
            return None
        if isinstance(value, str):
            return cls(text=value)
        try:
            amount = Decimal(value["amount"]) if value.get("amount") not in (None, "") else None
        except (InvalidOperation, TypeError, ValueError):
            amount = None
        return cls(
            text=str(value.get("text") or ""),
            amount=amount,
            source=str(value.get("source") or ""),
            funding=value.get("funding") or None,
            years=tuple(int(y) for y in value.get("years") or ()),
        )

    def value(self) -> dict[str, Any]:
        """The answer to store."""
        return {
            "text": self.text,
            "amount": None if self.amount is None else format(self.amount.normalize(), "f"),
            "source": self.source,
            "funding": self.funding,
            "years": list(self.years),
        }
