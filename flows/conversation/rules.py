"""Checklist items the answers decide (an item's ``rule``, see flows.content.model.Rule): met or not, and why.

What counts as filled, per field kind: text, date and single choice: given (not blank); budget: an amount, or a
source that names a funding category (content/funding.yaml) — "noch offen" / "to be decided" without an amount is
not; owner: a member or a name; indicators: at least one indicator with a target (a number or a typed target;
older records' text ``indicator`` and ``target`` count through flows.practice.measures.indicators_of).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from flows.content.content import Content
from flows.content.i18n import Translator
from flows.content.model import ChecklistItem, ChecklistStep, LocalText, RecordField, RecordsStep, Rule, Step
from flows.conversation.state import State
from flows.documents.budget import Budget
from flows.practice.measures import indicators_of, owner_of
from flows.reading import funding_of, read_budget


class Reader(Protocol):
    """What deciding and explaining need of the conversation context (flows.conversation.context.Ctx)."""

    content: Content
    state: State
    t: Translator

    def text(self, value: LocalText | None) -> str: ...

    def short(self, step: Step, value: Any) -> str: ...

    def labelled(self, label: str, value: str) -> str: ...

    def record_title(self, step: RecordsStep, record: dict[str, Any]) -> str: ...


@dataclass(frozen=True)
class Verdict:
    met: bool
    missing: list[str] = field(default_factory=list)
    """The titles of the records that lack a field."""
    lacking: list[str] = field(default_factory=list)
    """What those records lack: field labels (or "target value"), each once."""
    total: int = 0
    """The records the rule looked at (those its ``where`` picks)."""


def decide(ctx: Reader, rule: Rule) -> Verdict:
    """Whether the answers meet ``rule`` now."""
    answers = ctx.state.answers
    if rule.every is None:
        return Verdict(all(_given(answers.get(s)) and _among(answers.get(s), rule.among) for s in rule.answer))
    step = ctx.content.step(rule.every)
    assert isinstance(step, RecordsStep)  # content check: every names a records step
    fields = {f.id: f for f in step.fields}
    records = [r for r in answers.get(rule.every) or [] if isinstance(r, dict)]
    picked = [r for r in records if all(r.get(k) in ids for k, ids in rule.where.items())]
    missing: list[str] = []
    lacking: list[str] = []
    for record in picked:
        gaps = [gap for name in rule.has if (gap := _lacks(ctx, fields[name], record)) is not None]
        if gaps:
            missing.append(ctx.record_title(step, record))
            lacking += [g for g in gaps if g not in lacking]
    return Verdict(bool(records) and not missing, missing, lacking, len(picked))


def ticked(ctx: Reader, step: ChecklistStep, value: Any) -> list[str]:
    """The items done now, in their order: the stored ticks of the items people tick, and the decided items the
    answers meet (whatever was stored for them)."""
    stored = value if isinstance(value, list) else []
    return [
        item.id
        for item in step.items
        if (item.rule is None and item.id in stored) or (item.rule is not None and decide(ctx, item.rule).met)
    ]


def decided(step: ChecklistStep) -> list[ChecklistItem]:
    return [item for item in step.items if item.rule is not None]


def explain(ctx: Reader, rule: Rule, verdict: Verdict) -> str:
    """Why an item is met or not, in a line: "2 of 3 measures without “Indicator”: Dorfladen, Mitfahrbank"."""
    t = ctx.t
    if rule.every is None:
        return t("; ").join(_answer_line(ctx, step_id) for step_id in rule.answer)
    step = ctx.content.step(rule.every)
    assert isinstance(step, RecordsStep)
    records = _noun(ctx, ctx.text(step.label))
    if verdict.total == 0:
        if verdict.met:
            return t("None of the entries under “{records}” is concerned", records=ctx.text(step.label))
        return t("Nothing has been entered under “{records}” yet", records=ctx.text(step.label))
    item = _noun(ctx, ctx.text(step.item))
    if verdict.met:
        labels = [_quoted(ctx, ctx.text(f.label)) for f in step.fields if f.id in rule.has]
        return t.plural(
            "{n} of {n} {noun} with {fields}",
            "{n} of {n} {noun} with {fields}",
            verdict.total,
            noun=item if verdict.total == 1 else records,
            fields=t(" and ").join(labels),
        )
    return t.plural(
        "{missing} of {n} {noun} without {fields}: {names}",
        "{missing} of {n} {noun} without {fields}: {names}",
        verdict.total,
        missing=t.number(len(verdict.missing)),
        noun=item if verdict.total == 1 else records,
        fields=t(" or ").join(_quoted(ctx, label) for label in verdict.lacking),
        names=", ".join(verdict.missing),
    )


def subject(ctx: Reader, rule: Rule) -> str:
    """Where the answers that decide ``rule`` are changed: the step labels, quoted."""
    steps = [rule.every] if rule.every is not None else rule.answer
    return ctx.t(" or ").join(_quoted(ctx, ctx.text(ctx.content.step(s).label)) for s in steps)


def _answer_line(ctx: Reader, step_id: str) -> str:
    step = ctx.content.step(step_id)
    label = ctx.text(step.label)
    if not ctx.state.has_value(step_id):
        return ctx.t("{label}: not answered yet", label=label)
    return ctx.labelled(label, ctx.short(step, ctx.state.answers[step_id]))


def _given(value: Any) -> bool:
    if isinstance(value, str):
        return bool(value.strip())
    return value is not None and value != [] and value != {}


def _among(value: Any, ids: list[str]) -> bool:
    if not ids:
        return True
    return any(v in ids for v in value) if isinstance(value, list) else value in ids


def _lacks(ctx: Reader, field_def: RecordField, record: Mapping[str, Any]) -> str | None:
    """What the record lacks of the field (its label, or "target value"); None when it is filled."""
    value = record.get(field_def.id)
    label = ctx.text(field_def.label)
    if field_def.kind == "indicators":
        indicators = indicators_of(record)
        if not indicators:
            return label
        return None if any(i.target is not None or i.target_text for i in indicators) else ctx.t("target value")
    if field_def.kind == "owner":
        return None if owner_of(value) is not None else label
    if field_def.kind == "budget":
        return None if funded(ctx.content, value) else label
    return None if _given(value) else label


def funded(content: Content, value: Any) -> bool:
    """A budget with an amount or a funding source; "noch offen" or "to be decided" alone is none."""
    budget = Budget.of(value)
    if budget is None:
        return False
    if budget.amount is not None or budget.source:
        return True
    return read_budget(budget.text).amount is not None or funding_of(budget.text, content.funding) is not None


def _quoted(ctx: Reader, text: str) -> str:
    return ctx.t("“{text}”", text=text)


def _noun(ctx: Reader, text: str) -> str:
    """A label inside a sentence: French and English write nouns in lower case, German does not."""
    return text if ctx.state.lang == "de" or not text else text[0].lower() + text[1:]
