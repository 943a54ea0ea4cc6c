"""Admin forms (events, newsletters) filled in chat one field at a time, described in ``content/forms/*.yaml``.

The walker is a set of pure functions over a JSON-serialisable draft, which the caller keeps in the
conversation state: ``{"form": id, "at": index of the current field, "values": {...}, "picked": [...]}``.
``values`` is nested by the dotted field ids (``title.de`` → ``{"title": {"de": ...}}``); ``picked`` holds
the toggled options of the current multi field.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import reduce
from typing import Any
from urllib.parse import urlsplit

from babel.dates import format_datetime

from flows.content.forms import Form, FormField
from flows.content.i18n import Translator
from flows.conversation.steps.base import Result
from flows.conversation.steps.checks import check_choice, check_text, not_offered, not_skippable, too_few, unmatched
from flows.messages import Block, Choice, Heading, Paragraph
from flows.reading import NONE_WORDS, fold, parse_when, pick_many

Options = Callable[[str], list[Choice]]
"""Supplied by the caller: an option source name → its choices in the user's language."""
EXAMPLES = {"de": "24.11.2026 10:00", "fr": "24/11/2026 10h00", "en": "24/11/2026 10:00"}
_ABSENT: Any = object()


@dataclass
class FormResult:
    """What one answer did: the new draft, notes for the user, and whether the form is done or cancelled."""

    draft: dict[str, Any]
    notes: list[str] = field(default_factory=list)
    done: bool = False
    cancelled: bool = False


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
    heading = t(
        "{stage} · question {index} of {total}",
        stage=form.title.get(t.lang),
        index=draft["at"] + 1,
        total=len(form.fields),
    )
    offered = options(f.options) if f.options else []
    choices = [replace(c, selected=c.id in draft["picked"]) if f.kind == "multi" else c for c in offered]
    choices += [Choice("_done", t("Done"))] if f.kind == "multi" else []
    choices += [Choice("_skip", t("Skip"))] if f.optional else []
    return [Heading(heading), Paragraph(f.prompt.get(t.lang))], [*choices, Choice("_cancel", t("Cancel"))]


def answer(
    form: Form,
    draft: dict[str, Any],
    text: str | None,
    choice: str | None,
    t: Translator,
    options: Options,
    tz: str = "Europe/Berlin",
    lang: str = "de",
) -> FormResult:
    """Take a typed ``text`` or a pressed ``choice`` id for the current field; never changes ``draft`` itself."""
    f = current(form, draft)
    if f is None:
        return FormResult(copy.deepcopy(draft), done=True)
    controls = {fold(t("Skip")): "_skip", fold(t("Cancel")): "_cancel", fold(t("Done")): "_done"}
    control = choice or controls.get(fold(text or ""))
    if control == "_cancel":
        return FormResult(copy.deepcopy(draft), cancelled=True)
    empty_multi = f.kind == "multi" and (
        (control == "_done" and not draft["picked"])
        or (not choice and fold(text or "") in {fold(w) for w in NONE_WORDS})
    )
    if control == "_skip" or (f.optional and empty_multi):
        if not f.optional:
            return _rejected(draft, not_skippable(t))
        return _advance(form, draft, f, _default(f))
    if f.kind == "multi" and choice and choice != "_done":  # an option button switches it on or off
        if choice not in {c.id for c in options(f.options or "")}:
            return _rejected(draft, not_offered(t))
        picked = [i for i in draft["picked"] if i != choice]
        picked += [] if choice in draft["picked"] else [choice]
        return FormResult({**copy.deepcopy(draft), "picked": picked})
    result = _read(f, draft, text, control, t, options, tz, lang)
    if not result.done:
        return _rejected(draft, result)
    return _advance(form, draft, f, result.value)


def _rejected(draft: dict[str, Any], result: Result) -> FormResult:
    """The draft unchanged, with the check's note telling the user why."""
    return FormResult(copy.deepcopy(draft), [n.text for n in result.notes if isinstance(n, Paragraph)])


def _read(
    f: FormField,
    draft: dict[str, Any],
    text: str | None,
    control: str | None,
    t: Translator,
    options: Options,
    tz: str,
    lang: str,
) -> Result:
    """The value for the field from the input, with the step kinds' checks."""
    typed = (text or "").strip()
    if f.kind in ("choice", "multi"):
        offers = options(f.options or "")
        if f.kind == "multi" and control == "_done":
            if not draft["picked"]:
                return too_few(t, 1)
            return Result(value=[o.id for o in offers if o.id in draft["picked"]], done=True)
        if f.kind == "multi" and typed:
            picked, unknown = pick_many(offers, typed)
            if not unknown and picked:
                return Result(value=picked, done=True)
            return unmatched(t, ", ".join(unknown) or typed)
        return check_choice(t, offers, _one_of(offers, typed, control))
    checked = check_text(t, typed, f.max_length)
    if not checked.done:
        return checked
    if f.kind == "url" and not _web_address(typed):
        return Result.error(
            t(
                "That does not look like a web address. Please send the full link starting with "
                "https://, for example https://www.example.org/event"
            )
        )
    if f.kind == "datetime":
        return _when(f, draft, typed, t, tz, lang)
    return checked


def _one_of(offers: list[Choice], typed: str, control: str | None) -> str | None:
    """The option pressed, or typed as its number, label or id."""
    word = fold(typed)
    for number, offer in enumerate(offers, 1):
        if control == offer.id or (typed and word in (str(number), fold(offer.label), fold(offer.id))):
            return offer.id
    return None


def _web_address(typed: str) -> bool:
    parts = urlsplit(typed)
    return parts.scheme.lower() in ("http", "https") and "." in parts.netloc and not any(c.isspace() for c in typed)


def _when(f: FormField, draft: dict[str, Any], typed: str, t: Translator, tz: str, lang: str) -> Result:
    """An ISO datetime with offset; a bare time is read on the date of the ``after`` field."""
    earlier = (
        reduce(lambda node, key: node.get(key) if isinstance(node, dict) else None, f.after.split("."), draft["values"])
        if f.after
        else None
    )
    start_at = datetime.fromisoformat(earlier) if isinstance(earlier, str) else None
    when = parse_when(typed, tz, lang, base=start_at.date() if start_at else None)
    if when is None:
        return Result.error(
            t(
                "I could not read that as a date and time. Please type it like this: {example}",
                example=EXAMPLES.get(lang, EXAMPLES["de"]),
            )
        )
    if start_at is not None and when <= start_at:
        return Result.error(
            t(
                "This has to be later than the start ({start}). Please type a later date and time.",
                start=format_datetime(start_at, "short", tzinfo=start_at.tzinfo, locale=lang),
            )
        )
    return Result(value=when.isoformat(), done=True)


def _default(f: FormField) -> Any:
    if f.default is None:
        return _ABSENT
    return [part.strip() for part in f.default.split(",") if part.strip()] if f.kind == "multi" else f.default


def _advance(form: Form, draft: dict[str, Any], f: FormField, value: Any) -> FormResult:
    new = copy.deepcopy(draft)
    if value is not _ABSENT:
        *parents, last = f.id.split(".")
        target = new["values"]
        for part in parents:
            target = target.setdefault(part, {})
        target[last] = value
    new["at"], new["picked"] = new["at"] + 1, []
    return FormResult(new, done=new["at"] >= len(form.fields))
