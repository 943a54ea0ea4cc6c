"""A workspace well into its strategy: answers to every stage but the Zwischenbilanz's last steps, and a team."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from flows.content.content import Content
from flows.conversation.context import Ctx
from flows.conversation.state import State
from flows.statistics.model import Figure
from flows.team.view import Mate, Team, Written
from tests.flows.conversation.registry import AJACCIO, MemoryRegistry
from tests.flows.statistics import grabow
from tests.flows.team.chat import ANNA, BEN, CARLA

GONE = 99
"""A member who has left the workspace (or deleted their data) since they wrote."""
DEC_3 = datetime(2026, 12, 3, 9, 30, tzinfo=UTC)
OWNERS = ("Amt für Soziales (Frau Öztürk)", "Bürgermeister & Jugendpflege", "Verein „Dorfladen eG“ | Vorstand")


DOCTORS = {
    "name": "Hausärzte je 10.000 EW",
    "unit": None,
    "statistic": None,
    "baseline": {"value": 4.1, "date": "2025", "source": "KV"},
    "target": 5.0,
    "target_date": "2029-12",
}
"""An indicator as the Werkstattplan asks it: name, unit, baseline (value, date, source), target, target date."""
AGED = {
    "name": "Anteil 75 Jahre und älter",
    "unit": "in %",
    "statistic": "share_75",
    "baseline": {"value": 10.2, "date": "2023-12-31", "source": "Regionaldatenbank, Tabelle 12411-02-03-5"},
    "target": None,
    "target_date": None,
}


def measure(uid: str, name: str, owner: Any, budget: Any, start: str, end: str | None = None) -> dict[str, Any]:
    """A measure with one indicator; ``owner`` a name (an outsider) or a member as stored."""
    return {
        "uid": uid,
        "field": "health",
        "goal": "ärztliche Versorgung sichern",
        "measure": name,
        "owner": owner,
        "partners": "Landkreis, KV",
        "target_group": "Ältere Menschen",
        "start": start,
        "end": end,
        "budget": budget,
        "indicators": [DOCTORS],
    }


def older(record: dict[str, Any]) -> dict[str, Any]:
    """A measure as stored before indicators had parts: the owner and the indicator and target as typed."""
    owner = record["owner"]
    rest = {k: v for k, v in record.items() if k != "indicators"}
    return {**rest, "owner": owner.get("name") if isinstance(owner, dict) else owner} | {
        "indicator": "Hausärzte je 10.000 EW: 4,1",
        "target": "5,0",
    }


MEASURES = [
    measure(
        "m1",
        "Landarztpraxis fördern",
        {"member": ANNA, "name": OWNERS[0]},
        {"text": "10.000 € Haushalt 2027", "amount": "10000", "source": "Haushalt", "funding": "own", "years": [2027]},
        "2027-03",
    ),
    older(
        measure(
            "m2",
            "Jugendtreff <b>&amp; {{ body }}",
            OWNERS[1],
            {
                "text": "25.500 € Fördermittel LEADER 2027–2028",
                "amount": "25500",
                "source": "Fördermittel LEADER",
                "funding": "grant",
                "years": [2027, 2028],
            },
            "2027-01",
        )
    ),
    measure(
        "m3",
        "Dorfladen",
        {"name": OWNERS[2]},
        {"text": "250.000 € Stiftung", "amount": "250000", "source": "Stiftung Land", "funding": None, "years": []},
        "2027-06",
        "2029-05",
    )
    | {"indicators": [DOCTORS, AGED]},
]

ANSWERS: dict[str, Any] = {
    "ob_name": "Amt Süderbrarup",
    "ob_kind": "amt",
    "ob_land": "sh",
    "ob_size": "xs",
    "ko_sponsor": "Amtsvorsteher Hansen",
    "ko_coordinator": "Hauptamt",
    "ko_steering": ["Sozialamt", "Bauamt", "Seniorenbeirat"],
    "ko_date": "2027-01-25",
    "ko_format": "presence",
    "kp_sources": "landesamt",
    "kp_reference_date": "2025-12-31",
    "kp_indicators": [
        {"uid": "i1", "indicator": "population", "value": "18.432", "year": "2015", "comparison": "Kreis: −2 %"},
        {"uid": "i2", "indicator": "population", "value": "18 100", "year": "2024", "comparison": ""},
        {"uid": "i3", "indicator": "average_age", "value": "47,8 Jahre", "year": "2024"},
    ],
    "kp_strengths": ["aktives Vereinsleben", "gute Schulen"],
    "kp_weaknesses": ["wenig Ärzte"],
    "kp_opportunities": ["Zuzug junger Familien"],
    "kp_threats": ["Schließung der Praxis 2027"],
    "zw_format": "classic",
    "zw_ideas": [
        {"uid": "z1", "idea": "Mitfahrbank", "field": "mobility", "priority": "low"},
        {"uid": "z2", "idea": "Dorfladen", "field": "daseinsvorsorge", "champion": "Frau Jensen", "priority": "high"},
        {"uid": "z3", "idea": "Jugendtreff", "field": "education", "priority": "medium"},
    ],
    "wp_measures": MEASURES,
    "wp_adoption": "planned",
    "wp_monitoring": "2028-03",
    "zb_review": [{"uid": "m2", "status": "running", "indicator_now": "4,5", "decision": "continue"}],
}


def team(me: int = ANNA) -> Team:
    """Anna, Ben and Carla; the SWOT's strengths were written by Ben and by someone who has gone since."""
    written = {
        **{k: Written(ANNA, DEC_3, 1, (ANNA,) * len(v) if isinstance(v, list) else None) for k, v in ANSWERS.items()},
        "kp_strengths": Written(BEN, DEC_3, 3, (BEN, GONE)),
        "ko_steering": Written(ANNA, DEC_3, 2, (ANNA, ANNA, CARLA)),
        "wp_measures": Written(ANNA, DEC_3, 4, (ANNA, BEN, ANNA)),
    }
    members = (Mate(ANNA, "coordinator", "Anna"), Mate(BEN, "editor", "Ben"), Mate(CARLA, "viewer", "Carla"))
    approvals = {"kommunalprofil": ("2026-12-01", {"kp_strengths": ["aktives Vereinsleben", "gute Schulen"]})}
    return Team(
        workspace_id=7, me=me, role="coordinator", revision=4, members=members, written=written, approvals=approvals
    )


def workspace(content: Content, lang: str = "de", shared: bool = True, **changes: Any) -> Ctx:
    answers = {**ANSWERS, **changes}
    state = State(version=content.version, lang=lang, answers=answers)
    return Ctx(content, state, team() if shared else None, stored=dict(answers))


PICKED_GRABOW = {"name": "Grabow", "key": grabow.GRABOW.key, "country": "de"}
PICKED_AJACCIO = {"name": "Ajaccio", "key": AJACCIO.key, "country": "fr"}
"""The answer naming the municipality when it was picked in the directory."""


def with_grabow() -> MemoryRegistry:
    """The directory and statistics with Grabow, its Kreis and its Land, their official figures 2019–2023."""
    return MemoryRegistry(common=[*grabow.grabow(), *grabow.kreis(), *grabow.land()])


def with_ajaccio() -> MemoryRegistry:
    """Ajaccio's population on 1 January 2019 to 2021 as official figures (made up: nothing imports them yet)."""
    years = ((2019, 70800), (2020, 71300), (2021, 71900))
    return MemoryRegistry(
        common=[Figure(AJACCIO.key, "population", date(y, 1, 1), n, table="", country="fr") for y, n in years]
    )


def in_grabow(content: Content, lang: str = "de", **changes: Any) -> Ctx:
    """The workspace, its municipality Grabow picked in the directory, with the official figures at hand."""
    ctx = workspace(content, lang, ob_name=PICKED_GRABOW, ob_land="mv", **changes)
    ctx.registry = with_grabow()
    return ctx
