"""The exchange between municipalities as content: its own versioned consent text (content/exchange.yaml)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from flows.content.consent import Consent
from flows.content.model import LocalText

REGION_STEPS = ("ob_land", "ob_region")
"""The onboarding's steps whose options are the Länder and régions."""


class _ExchangeFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: str = Field(min_length=1)
    consent: LocalText

    @field_validator("version", mode="before")
    @classmethod
    def _unquoted_date(cls, value: Any) -> Any:
        return value.isoformat() if isinstance(value, date) else value


def load_exchange(root: Path) -> Consent:
    """Read ``<root>/exchange.yaml``: what a coordinator agrees to when the workspace takes part (``version`` is
    stored with the profile), in every language."""
    path = Path(root) / "exchange.yaml"
    try:
        data = _ExchangeFile.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except (OSError, yaml.YAMLError) as exc:
        raise ValueError(f"{path}: cannot be read: {exc}") from None
    except ValidationError as exc:
        lines = [f"  - {'.'.join(map(str, e['loc'])) or '(file)'}: {e['msg']}" for e in exc.errors()]
        raise ValueError(f"{path} is not valid:\n" + "\n".join(lines)) from None
    if data.consent.missing():
        raise ValueError(f"{path} is not valid:\n  - consent: missing language(s) {data.consent.missing()}")
    return Consent(data.version, data.consent)
