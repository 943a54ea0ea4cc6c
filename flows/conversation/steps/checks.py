"""The checks every question shares, step or admin form: text length, dates, picking options; one message each."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from flows.content.i18n import Translator
from flows.content.model import FundingCategory
from flows.conversation.context import budget_parts
from flows.conversation.steps.base import Result
from flows.messages import Choice, Paragraph
from flows.reading import funding_of, parse_date, read_budget


def check_text(t: Translator, text: str, max_length: int) -> Result:
    """Some text, and not more than ``max_length`` characters of it."""
    text = text.strip()
    if not text:
        return Result.error(t("I did not receive any text. Please type your answer."))
    if len(text) > max_length:
        return Result.error(
            t(
                "Your answer has {length} characters; I can keep up to {limit} here. "
                "Please shorten it or split it up. Nothing has been lost.",
                length=t.number(len(text)),
                limit=t.number(max_length),
            )
        )
    return Result(value=text, done=True)


def check_date(t: Translator, text: str) -> Result:
    """A day, month or year as an ISO string (see :func:`flows.reading.parse_date`), told back as understood."""
    value = parse_date(text)
    if value is None:
        return Result.error(
            t(
                "I could not read that as a date. Please write it like 15.03.2027, 03/2027, "
                "March 2027, spring 2027 or 2027."
            )
        )
    return Result(notes=[Paragraph(t("Noted: {date}.", date=t.answer_date(value)))], value=value, done=True)


def check_budget(t: Translator, text: str, max_length: int, funding: Sequence[FundingCategory]) -> Result:
    """A budget on one line (see :func:`flows.reading.read_budget`), told back as understood; without a readable
    amount it is kept as written, and the person learns how to write one."""
    checked = check_text(t, text, max_length)
    if not checked.done:
        return checked
    budget = read_budget(checked.value)
    if budget.amount is None:
        note = t(
            "I have kept “{text}” as text: I could not read an amount in it. To record an amount, write it like "
            "this: €25,500 LEADER grant 2027–2028.",
            text=budget.text,
        )
        return Result(notes=[Paragraph(note)], value=budget.value(), done=True)
    budget = replace(budget, funding=funding_of(budget.source, funding))
    told = t("Noted: {budget}.", budget=" · ".join(budget_parts(t, budget)))
    return Result(notes=[Paragraph(told)], value=budget.value(), done=True)


def check_choice(t: Translator, offers: Sequence[Choice], choice: str | None) -> Result:
    """One of the options offered."""
    if choice in {o.id for o in offers}:
        return Result(value=choice, done=True)
    return Result.error(t("Please pick one of the options: type its number (1 to {n}) or its name.", n=len(offers)))


def unmatched(t: Translator, what: str, draft: dict[str, Any] | None = None) -> Result:
    """Typed choices that match no option."""
    return Result.error(
        t(
            "I could not match “{what}” to an option. Type the numbers of your choices, "
            "for example “1, 3”, or their names.",
            what=what,
        ),
        draft=draft,
    )


def too_few(t: Translator, n: int, draft: dict[str, Any] | None = None) -> Result:
    """Fewer options chosen than needed."""
    return Result.error(t("Please choose at least {n}.", n=n), draft=draft)


def not_skippable(t: Translator, draft: dict[str, Any] | None = None) -> Result:
    """/skip on a field that must be filled."""
    return Result.error(t("This field is needed, so it cannot be skipped."), draft=draft)


def not_offered(t: Translator, draft: dict[str, Any] | None = None) -> Result:
    """A button that is not among the options shown."""
    return Result.error(t("Please pick one of the options below."), draft=draft)
