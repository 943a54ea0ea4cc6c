"""What a reminder says: the measure and its indicator with one-tap status buttons, the review's summary, a nudge."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from flows.content.content import Content
from flows.content.i18n import Translator
from flows.messages import Block, Choice, Outbound, Paragraph
from flows.practice import shown
from flows.practice.measures import measures, owner_of
from flows.practice.model import STATUS_NAMES, STATUSES, Indicator, Kind, Measure, Report, latest
from flows.practice.schedule import COMMITMENTS, Member, end_day, recipients, review_day

REVIEW_STAGE = "zwischenbilanz"


def command(content: Content, lang: str, command_id: str, arg: str = "") -> str | None:
    """What to type for a command in ``lang`` (``/erinnerungen``), None where the content has no such command."""
    found = next((c for c in content.commands if c.id == command_id), None)
    if found is None:
        return None
    names = found.names.get(lang) or found.names["de"]
    return f"/{names[0]} {arg}".rstrip()


def indicator_parts(t: Translator, indicator: Indicator) -> list[str]:
    """ "Basis 0 (01/2027, Zählung)", "Ziel 40 bis 12/2028": what the plan set, as documents show it."""
    base = shown.baseline(t, indicator.baseline) if indicator.baseline is not None else ""
    return [p for p in (base, shown.target(t, indicator)) if p]


def indicator_line(t: Translator, indicator: Indicator, last: Report | None, current: float | None) -> str:
    """ "Indicator: users (persons) · baseline 0 (January 2027) · target 40 by December 2028 · latest 12 (…)"."""
    parts = [t("Indicator: {name}", name=shown.named(t, indicator)), *indicator_parts(t, indicator)]
    if last is not None and last.value is not None:
        when = t.date(last.at.date(), "medium")
        parts.append(
            t("latest {value} ({date}, {author})", value=t.number(last.value), date=when, author=last.author)
            if last.author
            else t("latest {value} ({date})", value=t.number(last.value), date=when)
        )
    if current is not None:
        parts.append(t("official figure now {value}", value=t.number(current)))
    return " · ".join(parts)


def report_line(t: Translator, last: Report) -> str:
    """ "Letzte Meldung: läuft (15.03.2027, Anna)"."""
    when = t.date(last.at.date(), "medium")
    status = t(STATUS_NAMES[last.status]) if last.status is not None else "–"
    if last.author:
        return t("Last report: {status} ({date}, {author})", status=status, date=when, author=last.author)
    return t("Last report: {status} ({date})", status=status, date=when)


def status_choices(t: Translator, uid: str) -> list[Choice]:
    """One button per status; pressing it runs ``/stand <uid> <status>``."""
    return [Choice(f"status {uid} {status}", t(STATUS_NAMES[status])) for status in STATUSES]


def _typed(content: Content, t: Translator, uid: str) -> list[Paragraph]:
    """The buttons as a command to type, for channels that show a broadcast's commands in its text (Matrix)."""
    words = [t(STATUS_NAMES[status]) for status in STATUSES]
    typed = command(content, t.lang, "status", f"{uid} {words[0]}")
    if typed is None:
        return []
    return [Paragraph(t("To answer by message: {command} (or {others})", command=typed, others=", ".join(words[1:])))]


def _pause(content: Content, t: Translator) -> list[Paragraph]:
    typed = command(content, t.lang, "reminders")
    return [Paragraph(t("Pause or stop these reminders: {command}", command=typed))] if typed else []


def _measure_lines(
    t: Translator, measure: Measure, reports: Sequence[Report], current: float | None, members: Sequence[Member]
) -> list[str]:
    lines = []
    owner = measure.owner
    if owner is not None and (owner.member is None or (members and recipients(owner, members) != [owner.member])):
        lines.append(t("Owner: {name}, outside the team. Please ask them and report for them.", name=owner.name))
    last = latest(list(reports), measure.uid)
    if last is not None and last.status is not None:
        lines.append(report_line(t, last))
    for number, indicator in enumerate(measure.indicators):
        lines.append(indicator_line(t, indicator, last if number == 0 else None, current if number == 0 else None))
    return lines


def _about_measure(
    content: Content,
    t: Translator,
    kind: Kind,
    measure: Measure,
    reports: Sequence[Report],
    current: float | None,
    members: Sequence[Member],
) -> Outbound:
    end = end_day(measure.end)
    if kind == "ending" and end is not None:
        first = t("“{measure}” ends on {date}. Is it on track?", measure=measure.title, date=t.date(end, "long"))
    else:
        first = t("How is “{measure}” going?", measure=measure.title)
    lines = [first, *_measure_lines(t, measure, reports, current, members)]
    blocks: list[Block] = [Paragraph("\n".join(lines)), *_typed(content, t, measure.uid), *_pause(content, t)]
    return Outbound(blocks, status_choices(t, measure.uid), kind="broadcast")


def summary(t: Translator, plan: Sequence[Measure], reports: Sequence[Report]) -> str:
    """The measures by their latest status: "3 laufen, 1 erledigt, 2 ohne Meldung"."""
    counts = {status: 0 for status in STATUSES}
    silent = 0
    for measure in plan:
        last = latest(list(reports), measure.uid)
        if last is None or last.status is None:
            silent += 1
        else:
            counts[last.status] += 1
    words = {
        "running": t.plural("{n} running", "{n} running", counts["running"]),
        "done": t.plural("{n} done", "{n} done", counts["done"]),
        "delayed": t.plural("{n} delayed", "{n} delayed", counts["delayed"]),
        "stopped": t.plural("{n} stopped", "{n} stopped", counts["stopped"]),
    }
    parts = [words[s] for s in STATUSES if counts[s]]
    if silent:
        parts.append(t.plural("{n} without a report", "{n} without a report", silent))
    return ", ".join(parts)


def _review(content: Content, t: Translator, answers: Mapping[str, Any], reports: Sequence[Report]) -> Outbound:
    day = review_day(answers)
    lines = [t("The mid-term review is due on {date}.", date=t.date(day, "long")) if day else ""]
    plan = measures(answers)
    if plan:
        said = summary(t, plan, reports)
        lines.append(
            t.plural(
                "The plan has {n} measure: {summary}.",
                "The plan has {n} measures: {summary}.",
                len(plan),
                summary=said,
            )
        )
    stage = next((s for s in content.daks_stages if s.id == REVIEW_STAGE), None)
    typed = command(content, t.lang, "stage", str(stage.number)) if stage is not None else None
    if typed:
        lines.append(t("Start it with {command}.", command=typed))
    return Outbound([Paragraph("\n".join(line for line in lines if line)), *_pause(content, t)], kind="broadcast")


def _idle(content: Content, t: Translator, stage_id: str, days: int) -> Outbound | None:
    stage = next((s for s in content.daks_stages if s.id == stage_id), None)
    if stage is None:
        return None
    title = stage.title.get(t.lang)
    typed = command(content, t.lang, "stage", str(stage.number)) or ""
    text = t.plural(
        "Nothing has happened in “{stage}” for {n} day. Carry on with {command}?",
        "Nothing has happened in “{stage}” for {n} days. Carry on with {command}?",
        days,
        stage=title,
        command=typed,
    )
    return Outbound([Paragraph(text), *_pause(content, t)], kind="broadcast")


def _commitment(content: Content, t: Translator, answers: Mapping[str, Any], uid: str) -> Outbound | None:
    record = next((r for r in answers.get(COMMITMENTS) or [] if isinstance(r, Mapping) and r.get("uid") == uid), None)
    if record is None:
        return None
    who = owner_of(record.get("who"))
    text = t(
        "Six months ago, {who} promised: “{what}”. How is it going?",
        who=who.name if who is not None else t("someone"),
        what=str(record.get("what") or "…"),
    )
    return Outbound([Paragraph(text), *_pause(content, t)], kind="broadcast")


def reminder(
    content: Content,
    lang: str,
    kind: Kind,
    subject: str,
    answers: Mapping[str, Any],
    reports: Sequence[Report] = (),
    current: float | None = None,
    members: Sequence[Member] = (),
    idle_days: int = 30,
) -> Outbound | None:
    """The reminder of ``kind`` about ``subject`` (a measure's or commitment's uid, a stage id, "" for the review) in
    ``lang``; ``current``: the official value of the measure's first indicator now, where it is one; ``members``: the
    workspace's, to name an owner who is not (or no longer) one of them. None: the subject is gone (a deleted
    measure or commitment, an unknown stage), so nothing is sent."""
    t = content.catalogues.translator(lang)
    if kind in ("monitoring", "ending"):
        measure = next((m for m in measures(answers) if m.uid == subject), None)
        return _about_measure(content, t, kind, measure, reports, current, members) if measure is not None else None
    if kind == "review":
        return _review(content, t, answers, reports)
    if kind == "idle":
        return _idle(content, t, subject, idle_days)
    return _commitment(content, t, answers, subject)
