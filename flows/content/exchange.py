"""The exchange between municipalities as content: its own versioned consent text, and which Länder and régions
neighbour each other (content/exchange.yaml)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from flows.content.consent import Consent
from flows.content.model import Identifier, LocalText

REGION_STEPS = ("ob_land", "ob_region")
"""The onboarding's steps whose options are the regions neighbours name."""


@dataclass(frozen=True)
class Exchange:
    """What a coordinator agrees to when the workspace takes part (``consent.version`` is stored with the profile),
    and the regions that border each region (both ways)."""

    consent: Consent
    neighbours: Mapping[str, frozenset[str]] = field(default_factory=dict)


class _ExchangeFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: str = Field(min_length=1)
    consent: LocalText
    neighbours: dict[Identifier, list[Identifier]] = Field(default_factory=dict)

    @field_validator("version", mode="before")
    @classmethod
    def _unquoted_date(cls, value: Any) -> Any:
        return value.isoformat() if isinstance(value, date) else value


def load_exchange(root: Path, regions: Iterable[str]) -> Exchange:
    """Read ``<root>/exchange.yaml``; every neighbour is one of ``regions`` (the option ids of REGION_STEPS), and
    every pair is listed both ways."""
    path = Path(root) / "exchange.yaml"
    try:
        data = _ExchangeFile.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except (OSError, yaml.YAMLError) as exc:
        raise ValueError(f"{path}: cannot be read: {exc}") from None
    except ValidationError as exc:
        lines = [f"  - {'.'.join(map(str, e['loc'])) or '(file)'}: {e['msg']}" for e in exc.errors()]
        raise ValueError(f"{path} is not valid:\n" + "\n".join(lines)) from None
    problems = [f"  - consent: missing language(s) {data.consent.missing()}"] if data.consent.missing() else []
    known = set(regions)
    for region, others in data.neighbours.items():
        problems += [
            f"  - neighbours.{x}: no Land or région option has this id" for x in [region, *others] if x not in known
        ]
        problems += [
            f"  - neighbours.{other}: lacks {region} (listed as its neighbour)"
            for other in others
            if region not in data.neighbours.get(other, [])
        ]
    if problems:
        raise ValueError(f"{path} is not valid:\n" + "\n".join(dict.fromkeys(problems)))
    neighbours = {region: frozenset(others) for region, others in data.neighbours.items()}
    return Exchange(Consent(data.version, data.consent), neighbours)
