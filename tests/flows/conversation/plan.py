"""Plans to put in the Werkstattplan, whose measures carry an owner (field kind ``owner``) and indicators (field kind
``indicators``) and whose checklist item "Indikatoren mit Zielwert" is decided by them."""

from __future__ import annotations

from typing import Any

from flows.content.content import Content
from flows.content.model import ChecklistStep, RecordsStep


def ready(content: Content) -> bool:
    """Whether the content's measures have the owner and indicators fields and its checklist decides the
    indicators item."""
    measures = content.step("wp_measures")
    checklist = content.step("wp_done")
    assert isinstance(measures, RecordsStep) and isinstance(checklist, ChecklistStep)
    item = next(i for i in checklist.items if i.id == "indicators")
    kinds = {f.id: f.kind for f in measures.fields}
    return kinds.get("owner") == "owner" and kinds.get("indicators") == "indicators" and item.rule is not None


def indicator(name: str, target: float | str | None = None) -> dict[str, Any]:
    return {"name": name, "unit": None, "statistic": None, "baseline": None, "target": target, "target_date": None}


def measure(uid: str, title: str, *indicators: dict[str, Any], **fields: Any) -> dict[str, Any]:
    """A measure with an owner, a timeline and a budget; ``fields`` change or add fields."""
    budget = {"text": "20.000 € Haushalt", "amount": "20000", "source": "Haushalt", "funding": "own", "years": []}
    return {
        "uid": uid,
        "field": "daseinsvorsorge",
        "goal": "Nahversorgung sichern",
        "measure": title,
        "owner": {"name": "Bauamt"},
        "start": "2027-03",
        "end": "2028-12",
        "budget": budget,
        "indicators": list(indicators),
        **fields,
    }
