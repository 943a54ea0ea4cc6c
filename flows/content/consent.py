"""The versioned newsletter consent text and the event kind labels, read from the content directory."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from flows.content.model import EVENT_KINDS, Identifier, LocalText


@dataclass(frozen=True)
class Consent:
    """What a subscriber agrees to; ``version`` is stored with every subscription."""

    version: str
    text: LocalText


class _ConsentFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: str = Field(min_length=1)
    text: LocalText

    @field_validator("version", mode="before")
    @classmethod
    def _unquoted_date(cls, value: Any) -> Any:
        return value.isoformat() if isinstance(value, date) else value


class _Kind(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: Identifier
    label: LocalText


def _read(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ValueError(f"{path}: cannot be read: {exc}") from None


def _problems(path: Path, exc: ValidationError) -> ValueError:
    lines = [
        f"  - {'.'.join(map(str, e['loc'])) or '(file)'}: {e['msg'].removeprefix('Value error, ')}"
        for e in exc.errors()
    ]
    return ValueError(f"{path} is not valid:\n" + "\n".join(lines))


def load_consent(root: Path) -> Consent:
    """Read ``<root>/consent.yaml`` (``version`` and ``text: {de, fr, en}``)."""
    path = Path(root) / "consent.yaml"
    try:
        data = _ConsentFile.model_validate(_read(path))
    except ValidationError as exc:
        raise _problems(path, exc) from None
    missing = data.text.missing()
    if missing:
        raise ValueError(f"{path} is not valid:\n  - text: missing language(s) {missing}")
    return Consent(data.version, data.text)


def load_event_kinds(root: Path) -> dict[str, LocalText]:
    """Read ``<root>/event_kinds.yaml``: each of ``EVENT_KINDS`` once, in file order, id -> label."""
    path = Path(root) / "event_kinds.yaml"
    items = _read(path)
    if not isinstance(items, list):
        raise ValueError(f"{path} is not valid: expected a list of {{id, label}} entries")
    try:
        kinds = [_Kind.model_validate(item) for item in items]
    except ValidationError as exc:
        raise _problems(path, exc) from None
    ids = [k.id for k in kinds]
    if sorted(ids) != sorted(EVENT_KINDS):
        raise ValueError(f"{path} is not valid:\n  - ids: expected each of {list(EVENT_KINDS)} once, found {ids}")
    return {k.id: k.label for k in kinds}
