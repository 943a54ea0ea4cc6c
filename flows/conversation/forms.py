"""Admin forms (events, newsletters) filled in chat one field at a time, described in ``content/forms/*.yaml``.

The walker is a set of pure functions over a JSON-serialisable draft, which the caller keeps in the
conversation state: ``{"form": id, "at": index of the current field, "values": {...}, "picked": [...]}``.
``values`` is nested by the dotted field ids (``title.de`` → ``{"title": {"de": ...}}``); ``picked`` holds
the toggled options of the current multi field.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import reduce
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import yaml
from babel.dates import format_datetime
from pydantic import Field, ValidationError, model_validator

from flows.content.i18n import Translator
from flows.content.model import Identifier, LocalText, Strict
from flows.conversation.context import Offer
from flows.conversation.steps.base import NONE_WORDS, fold
from flows.conversation.steps.choice import pick_many
from flows.messages import Block, Choice, Heading, Paragraph

Options = Callable[[str], list[tuple[str, str]]]
"""Supplied by the caller: an option source name → (id, label) pairs in the user's language."""
FieldId = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$", max_length=64)]
EXAMPLES = {"de": "24.11.2026 10:00", "fr": "24/11/2026 10h00", "en": "24/11/2026 10:00"}
_ABSENT: Any = object()


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
    from flows.content.loader import _Lazy, _locate

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
                where, line = _locate(_Lazy(text), tuple(err["loc"]))
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


@dataclass
class Step:
    """What one answer did: the new draft, notes for the user, and whether the form is done or cancelled."""

    draft: dict[str, Any]
    notes: list[str] = field(default_factory=list)
    done: bool = False
    cancelled: bool = False


class _Rejected(Exception):
    """The input does not fit the field; the message tells the user why."""


def start(form: Form) -> dict[str, Any]:
    return {"form": form.id, "at": 0, "values": {}, "picked": []}


def values(draft: dict[str, Any]) -> dict[str, Any]:
    """The collected values, nested by dotted ids; skipped fields without a default are absent."""
    return copy.deepcopy(draft["values"])


def current(form: Form, draft: dict[str, Any]) -> FormField | None:
    """The field being asked, or None when the form is complete."""
    if draft.get("form") != form.id:
        raise ValueError(f"draft belongs to form {draft.get('form')!r}, not {form.id!r}")
    return form.fields[draft["at"]] if draft["at"] < len(form.fields) else None


def question(form: Form, draft: dict[str, Any], t: Translator, options: Options) -> tuple[list[Block], list[Choice]]:
    """The current field's prompt under a progress heading, and the buttons that go with it."""
    f = current(form, draft)
    if f is None:
        raise ValueError(f"form {form.id!r} is complete; there is no question left")
    heading = t("{stage} · question {index} of {total}", stage=form.title.get(t.lang), index=draft["at"] + 1,
                total=len(form.fields))
    offered = options(f.options) if f.options else []
    choices = [Choice(i, label, i in draft["picked"] if f.kind == "multi" else None) for i, label in offered]
    choices += [Choice("_done", t("Done"))] if f.kind == "multi" else []
    choices += [Choice("_skip", t("Skip"))] if f.optional else []
    return [Heading(heading), Paragraph(f.prompt.get(t.lang))], [*choices, Choice("_cancel", t("Cancel"))]


def answer(form: Form, draft: dict[str, Any], text: str | None, choice: str | None, t: Translator,
           options: Options, tz: str = "Europe/Berlin", lang: str = "de") -> Step:
    """Take a typed ``text`` or a pressed ``choice`` id for the current field; never changes ``draft`` itself."""
    f = current(form, draft)
    if f is None:
        return Step(copy.deepcopy(draft), done=True)
    controls = {fold(t("Skip")): "_skip", fold(t("Cancel")): "_cancel", fold(t("Done")): "_done"}
    control = choice or controls.get(fold(text or ""))
    if control == "_cancel":
        return Step(copy.deepcopy(draft), cancelled=True)
    empty_multi = f.kind == "multi" and ((control == "_done" and not draft["picked"])
                                         or (not choice and fold(text or "") in {fold(w) for w in NONE_WORDS}))
    if control == "_skip" or (f.optional and empty_multi):
        if not f.optional:
            return Step(copy.deepcopy(draft), [t("This field is needed, so it cannot be skipped.")])
        return _advance(form, draft, f, _default(f))
    if f.kind == "multi" and choice and choice != "_done":  # an option button switches it on or off
        if choice not in {i for i, _ in options(f.options or "")}:
            return Step(copy.deepcopy(draft), [t("Please pick one of the options below.")])
        picked = [i for i in draft["picked"] if i != choice]
        picked += [] if choice in draft["picked"] else [choice]
        return Step({**copy.deepcopy(draft), "picked": picked})
    try:
        value = _read(f, draft, text, control, t, options, tz, lang)
    except _Rejected as rejected:
        return Step(copy.deepcopy(draft), [str(rejected)])
    return _advance(form, draft, f, value)


def _read(f: FormField, draft: dict[str, Any], text: str | None, control: str | None, t: Translator,
          options: Options, tz: str, lang: str) -> Any:
    """The value for the field from the input, or _Rejected with a friendly note."""
    typed = (text or "").strip()
    if f.kind in ("choice", "multi"):
        offers = [Offer(i, label) for i, label in options(f.options or "")]
        if f.kind == "multi" and control == "_done":
            if not draft["picked"]:
                raise _Rejected(t("Please choose at least {n}.", n=1))
            return [o.id for o in offers if o.id in draft["picked"]]
        if f.kind == "multi" and typed:
            picked, unknown = pick_many(offers, typed)
            if not unknown and picked:
                return picked
            raise _Rejected(t("I could not match “{what}” to an option. Type the numbers of your choices, "
                              "for example “1, 3”, or their names.", what=", ".join(unknown) or typed))
        word = fold(typed)
        for number, offer in enumerate(offers, 1):
            if control == offer.id or (typed and word in (str(number), fold(offer.label), fold(offer.id))):
                return offer.id
        raise _Rejected(t("Please pick one of the options: type its number (1 to {n}) or its name.", n=len(offers)))
    if not typed:
        raise _Rejected(t("I did not receive any text. Please type your answer."))
    if len(typed) > f.max_length:
        raise _Rejected(t("Your answer has {length} characters; I can keep up to {limit} here. "
                          "Please shorten it or split it up. Nothing has been lost.",
                          length=t.number(len(typed)), limit=t.number(f.max_length)))
    if f.kind == "url":
        parts = urlsplit(typed)
        if parts.scheme.lower() not in ("http", "https") or "." not in parts.netloc or any(c.isspace() for c in typed):
            raise _Rejected(t("That does not look like a web address. Please send the full link starting with "
                              "https://, for example https://www.example.org/event"))
    if f.kind == "datetime":
        return _when(f, draft, typed, t, tz, lang)
    return typed


def _when(f: FormField, draft: dict[str, Any], typed: str, t: Translator, tz: str, lang: str) -> str:
    """An ISO datetime with offset; a bare time is read on the date of the ``after`` field."""
    from flows.news.events import parse_when

    earlier = reduce(lambda node, key: node.get(key) if isinstance(node, dict) else None,
                     f.after.split("."), draft["values"]) if f.after else None
    start_at = datetime.fromisoformat(earlier) if isinstance(earlier, str) else None
    when = parse_when(typed, tz, lang, base=start_at.date() if start_at else None)
    if when is None:
        raise _Rejected(t("I could not read that as a date and time. Please type it like this: {example}",
                          example=EXAMPLES.get(lang, EXAMPLES["de"])))
    if when.tzinfo is None:
        when = when.replace(tzinfo=ZoneInfo(tz))
    if start_at is not None and when <= start_at:
        raise _Rejected(t("This has to be later than the start ({start}). Please type a later date and time.",
                          start=format_datetime(start_at, "short", tzinfo=start_at.tzinfo, locale=lang)))
    return when.isoformat()


def _default(f: FormField) -> Any:
    if f.default is None:
        return _ABSENT
    return [part.strip() for part in f.default.split(",") if part.strip()] if f.kind == "multi" else f.default


def _advance(form: Form, draft: dict[str, Any], f: FormField, value: Any) -> Step:
    new = copy.deepcopy(draft)
    if value is not _ABSENT:
        *parents, last = f.id.split(".")
        target = new["values"]
        for part in parents:
            target = target.setdefault(part, {})
        target[last] = value
    new["at"], new["picked"] = new["at"] + 1, []
    return Step(new, done=new["at"] >= len(form.fields))
