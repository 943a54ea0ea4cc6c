"""The content with the Werkstattplan's measures carrying an owner (field kind ``owner``) and indicators (field kind
``indicators``) and the checklist item "Indikatoren mit Zielwert" decided by them, and plans to put in it.

Until those fields have landed in content/, a copy of the content is changed to have them; once they are there,
the shipped content is used as it is.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from flows.content.content import Content
from flows.content.loader import load_content
from flows.content.model import ChecklistStep, RecordsStep
from tests.conftest import CONTENT

OLD_FIELDS = """      - id: indicator
        kind: text
        label: {de: "Indikator", fr: "Indicateur de suivi", en: "Indicator"}
"""
NEW_FIELD = """      - id: indicators
        kind: indicators
        label: {de: "Indikatoren", fr: "Indicateurs de suivi", en: "Indicators"}
        prompt:
          de: "Woran erkennen Sie, dass die Maßnahme wirkt?"
          fr: "À quoi verrez-vous que l'action porte ses fruits ?"
          en: "How will you know the measure works?"
      - id: indicator
        kind: text
        label: {de: "Indikator (alt)", fr: "Indicateur (ancien)", en: "Indicator (old)"}
"""
OLD_OWNER = "      - id: owner\n        kind: text\n"
NEW_OWNER = "      - id: owner\n        kind: owner\n"
ITEM = 'en: "Indicators and targets"}}'
RULE = 'en: "Indicators and targets"},\n         rule: {every: wp_measures, has: [indicators]}}'


def _ready(content: Content) -> bool:
    measures = content.step("wp_measures")
    checklist = content.step("wp_done")
    assert isinstance(measures, RecordsStep) and isinstance(checklist, ChecklistStep)
    item = next(i for i in checklist.items if i.id == "indicators")
    kinds = {f.id: f.kind for f in measures.fields}
    return kinds.get("owner") == "owner" and kinds.get("indicators") == "indicators" and item.rule is not None


def plan_content(shipped: Content, scratch: Path) -> Content:
    """The content whose Werkstattplan checklist decides "Indikatoren mit Zielwert" from the measures' indicators:
    ``shipped`` where it does, else a changed copy in ``scratch``."""
    if _ready(shipped):
        return shipped
    copy = scratch / "content"
    shutil.copytree(CONTENT, copy)
    path = copy / "stages" / "werkstattplan.yaml"
    text = path.read_text(encoding="utf-8")
    assert all(old in text for old in (OLD_FIELDS, OLD_OWNER, ITEM)), "update tests/flows/conversation/plan.py"
    text = text.replace(OLD_FIELDS, NEW_FIELD).replace(OLD_OWNER, NEW_OWNER).replace(ITEM, RULE)
    path.write_text(text, encoding="utf-8")
    return load_content(copy)


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
