"""The admin forms' model (events, newsletters): fields and forms as described in ``content/forms/*.yaml``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import Field, ValidationError, model_validator

from flows.content.model import Identifier, LocalText, Strict
from flows.content.problems import YamlTree, locate

FieldId = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$", max_length=64)]


class FormField(Strict):
    """One question of a form; ``id`` may be dotted to fill a nested value."""

    id: FieldId
    kind: Literal["text", "url", "datetime", "choice", "multi"]
    prompt: LocalText
    optional: bool = False
    max_length: int = Field(default=2000, ge=1, le=8000)
    options: Literal["event_kinds", "topics", "languages"] | None = None
    default: str | None = Field(default=None, description="Stored when an optional field is skipped.")
    after: FieldId | None = Field(default=None, description="An earlier datetime field this one must follow.")

    @model_validator(mode="after")
    def _consistent(self) -> FormField:
        if (self.kind in ("choice", "multi")) != (self.options is not None):
            raise ValueError(f"field {self.id!r}: 'options' is needed for choice and multi fields, and only there")
        if self.after is not None and self.kind != "datetime":
            raise ValueError(f"field {self.id!r}: 'after' only applies to datetime fields")
        return self


class Form(Strict):
    id: Identifier
    title: LocalText
    fields: list[FormField] = Field(min_length=1)

    @model_validator(mode="after")
    def _references(self) -> Form:
        seen: dict[str, FormField] = {}
        for f in self.fields:
            clash = next((s for s in seen if s == f.id or s.startswith(f"{f.id}.") or f.id.startswith(f"{s}.")), None)
            if clash is not None:
                raise ValueError(f"field {f.id!r} clashes with field {clash!r}")
            if f.after is not None and getattr(seen.get(f.after), "kind", None) != "datetime":
                raise ValueError(f"field {f.id!r}: 'after' must name an earlier datetime field, not {f.after!r}")
            seen[f.id] = f
        return self


def load_forms(root: Path) -> dict[str, Form]:
    """Read ``forms/*.yaml`` under the content directory (or ``content/forms`` under the project root)."""
    folder = root / "forms" if (root / "forms").is_dir() else root / "content" / "forms"
    forms: dict[str, Form] = {}
    problems: list[str] = []
    for path in sorted(folder.glob("*.yaml")):
        rel, text = f"forms/{path.name}", path.read_text(encoding="utf-8")
        try:
            data = yaml.safe_load(text)
            form = Form.model_validate(data)
        except yaml.YAMLError as exc:
            problems.append(f"{rel}: not valid YAML: {exc}")
            continue
        except ValidationError as exc:
            for err in exc.errors():
                where, line = locate(YamlTree(text), tuple(err["loc"]))
                problems.append(f"{rel}:{line or '?'} [{where}]{_field_name(data, err['loc'])}: {err['msg']}")
            continue
        if form.id != path.stem:
            problems.append(f"{rel}: id must be {path.stem!r} like the file name, not {form.id!r}")
        forms[form.id] = form
    if problems:
        raise ValueError("forms are invalid:\n" + "\n".join(f"  {p}" for p in problems))
    if not forms:
        raise ValueError(f"no forms found in {folder}")
    return forms


def _field_name(data: Any, loc: tuple[Any, ...]) -> str:
    try:
        return f" (field {data['fields'][loc[1]]['id']!r})" if loc[0] == "fields" else ""
    except (KeyError, IndexError, TypeError):
        return ""
