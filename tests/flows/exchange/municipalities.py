"""Workspaces' answers as the obstacles report reads them: eight municipalities, five working on health (one of
them through two workspaces) and four on mobility (one of them also on health), with kinds of obstacle and texts."""

from __future__ import annotations

from typing import Any

KEY = b"k" * 32
"""The store's key in the pure tests."""


def answers(
    name: str,
    key: str = "",
    fields: tuple[str, ...] = (),
    obstacles: tuple[str, ...] = (),
    blocked: tuple[str, ...] = (),
    hindered: tuple[tuple[str, str], ...] = (),
    asks: tuple[str, ...] = (),
    pool: str | None = "yes",
) -> dict[str, Any]:
    """A workspace's answers; ``hindered``: (field of the measure, what hindered it) per measure."""
    found: dict[str, Any] = {
        "ob_name": {"name": name, "key": key, "country": "de"} if key else name,
        "ob_land": "sn",
        "zw_priorities": list(fields),
        "wp_measures": [
            {"uid": f"m{i}", "field": f, "measure": f"Maßnahme in {name}"} for i, (f, _) in enumerate(hindered)
        ],
        "zb_review": [{"uid": f"m{i}", "status": "delayed", "blocked": text} for i, (_, text) in enumerate(hindered)],
        "zb_obstacles": list(obstacles),
        "zb_blocked": list(blocked),
        "zb_asks": list(asks),
    }
    if pool is not None:
        found["zb_pool"] = pool
    return found


HEALTH = {
    1: answers("Grabow", "13076052", ("health",), ("staff", "funding"), ("Die Stelle war zwei Jahre unbesetzt",)),
    2: answers("Barleben", "15083040", ("health", "mobility"), ("staff",), asks=("Förderprogramme bündeln",)),
    3: answers(
        "Süderbrarup",
        "01059085",
        ("health",),
        ("complexity",),
        hindered=(("health", "Keine Praxisräume in Süderbrarup"),),
    ),
    4: answers("Wittstock/Dosse", "12068468", ("health",), ("staff", "pressure")),
    5: answers("Sebnitz", "14628340", ("health",), ("funding",), ("Eigenanteil zu hoch",)),
    6: answers("Sebnitz", "14628340", ("health",), ("staff",)),  # a second workspace of Sebnitz
}
"""Five municipalities working on health, Sebnitz through two workspaces."""
MOBILITY = {
    8: answers("Templin", "12073572", ("mobility",), ("data",), asks=("Daten auf Gemeindeebene",)),
    9: answers("Pritzwalk", "12070316", ("mobility",), ("data", "staff")),
    10: answers("Perleberg", "12070296", ("mobility",), ("politics",)),
}
"""With Barleben, four municipalities on mobility."""
NAMES = ["Grabow", "Barleben", "Süderbrarup", "Wittstock", "Sebnitz", "Templin", "Pritzwalk", "Perleberg"]
OFFICIAL_KEYS = [a["ob_name"]["key"] for a in (*HEALTH.values(), *MOBILITY.values())]
