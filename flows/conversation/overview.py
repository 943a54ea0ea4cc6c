"""Progress across the five stages, stage summaries and the 'my data' view."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

from flows.content.i18n import N_
from flows.content.model import LANGUAGE_NAMES, ChecklistStep, InfoStep, ListStep, RecordsStep, Stage, Step
from flows.conversation import credits, rules
from flows.conversation.context import Ctx
from flows.messages import Block, Bullets, Heading, Paragraph
from flows.practice.measures import measures
from flows.practice.messages import summary as statuses
from flows.team.approval import approval_of, changed_since
from flows.team.messages import role_name

CONSENT_ACTIONS = {
    "requested": N_("subscription requested"),
    "confirmed": N_("subscription confirmed"),
    "changed": N_("topics or language changed"),
    "withdrawn": N_("consent withdrawn"),
    "declined": N_("subscription declined"),
    "erased": N_("data erased"),
}
"""What each consent record's action says in the 'my data' view."""


def open_steps(ctx: Ctx, stage: Stage) -> list[str]:
    """Steps of a stage that still need an answer (optional ones count once skipped)."""
    return [
        s.id for s in stage.steps if not isinstance(s, InfoStep) and not ctx.state.answered(s.id) and ctx.applies(s)
    ]


def complete(ctx: Ctx, stage: Stage) -> bool:
    return not open_steps(ctx, stage)


def stage_line(ctx: Ctx, stage: Stage) -> str:
    """How far a stage is: "Kommunalprofil: 6 of 8 questions answered"."""
    asked = [s for s in stage.steps if not isinstance(s, InfoStep)]
    answered = sum(1 for s in asked if ctx.state.answered(s.id))
    return ctx.t.plural(
        "{stage}: {answered} of {n} question answered",
        "{stage}: {answered} of {n} questions answered",
        len(asked),
        stage=ctx.text(stage.title),
        answered=ctx.t.number(answered),
    )


def progress(ctx: Ctx) -> list[Block]:
    """Each stage done or open with its counts, where the user is, and what comes next."""
    stages = ctx.content.daks_stages
    lines = []
    for stage in stages:
        answered = [s for s in stage.steps if not isinstance(s, InfoStep) and ctx.state.answered(s.id)]
        mark = "✓" if complete(ctx, stage) else "◐" if answered else "○"
        line = f"{mark} {stage.number}. {stage_line(ctx, stage)}"
        checklist = next((s for s in stage.steps if isinstance(s, ChecklistStep)), None)
        if checklist and isinstance(ctx.state.answers.get(checklist.id), list):
            ticked = rules.ticked(ctx, checklist, ctx.state.answers[checklist.id])
            line += ctx.t(", checklist {done}/{total}", done=len(ticked), total=len(checklist.items))
        if ctx.state.stage == stage.id:
            line += ctx.t(" ← you are here")
        lines.append(line)
    done = sum(1 for s in stages if complete(ctx, s))
    blocks: list[Block] = [
        Heading(ctx.t("Progress")),
        Bullets(tuple(lines)),
        Paragraph(
            ctx.t.plural("{n} stage of {total} complete.", "{n} stages of {total} complete.", done, total=len(stages))
        ),
    ]
    plan = measures(ctx.state.answers)
    if plan and ctx.practice is not None:
        blocks.append(Paragraph(ctx.t("Measures: {summary}", summary=statuses(ctx.t, plan, ctx.practice.reports()))))
    following = next_up(ctx)
    return [*blocks, Paragraph(following)] if following else blocks


def next_up(ctx: Ctx) -> str | None:
    """What comes next: the question the user is at, or the next stage after a stage's end."""
    state = ctx.state
    if state.mode == "step" and state.step in ctx.content.steps:
        stage = ctx.content.stage_of(state.step)
        asked = [s.id for s in stage.steps]
        return ctx.t(
            "Next: “{question}” ({stage}, question {index} of {total}).",
            question=ctx.text(ctx.content.step(state.step).label),
            stage=ctx.text(stage.title),
            index=asked.index(state.step) + 1,
            total=len(asked),
        )
    here = ctx.content.stage(state.stage) if state.stage in {s.id for s in ctx.content.stages} else None
    following = [s for s in ctx.content.daks_stages if here is None or s.number > here.number]
    if following:
        return ctx.t("Next: stage {number}, {title}.", number=following[0].number, title=ctx.text(following[0].title))
    if all(complete(ctx, s) for s in ctx.content.daks_stages):
        return ctx.t(
            "You have worked through all five stages. Export your results and share them with your steering group."
        )
    return None


def approval_line(ctx: Ctx, stage: Stage) -> str | None:
    """ "Agreed by the steering group on 3 December 2026; changed since: …" (None before any approval)."""
    agreed = approval_of(ctx.team, stage.id)
    if agreed is None:
        return None
    day = ctx.t.answer_date(agreed[0])
    changed = [ctx.text(ctx.content.step(x).label) for x in changed_since(stage, agreed[1], ctx.state.answers)]
    if not changed:
        return ctx.t("Agreed by the steering group on {date}.", date=day)
    return ctx.t(
        "Agreed by the steering group on {date}; changed since: {changes}.", date=day, changes=ctx.t.joined(changed)
    )


def summary(ctx: Ctx, stage: Stage) -> list[Block]:
    blocks: list[Block] = [Heading(ctx.t("Summary: {stage}", stage=ctx.text(stage.title)))]
    agreed = approval_line(ctx, stage)
    if agreed is not None:
        blocks.append(Paragraph(agreed))
    for step in stage.steps:
        if isinstance(step, InfoStep) or not ctx.state.answered(step.id):
            continue
        value = ctx.state.answers[step.id]
        inner = attributed(ctx, step, ctx.blocks(step, value))
        if len(inner) == 1 and isinstance(inner[0], Paragraph) and "\n" not in inner[0].text:
            line = ctx.labelled(ctx.text(step.label), inner[0].text)
            blocks.append(Paragraph("\n".join([line, *credits.noted(ctx, step)])))
        else:
            blocks += [Paragraph(ctx.t("{label}:", label=ctx.text(step.label))), *inner]
    missing = [ctx.text(ctx.content.step(s).label) for s in open_steps(ctx, stage)]
    if missing:
        blocks += [Paragraph(ctx.t("Not answered yet:")), Bullets(tuple(missing))]
    return blocks


def attributed(ctx: Ctx, step: Step, blocks: list[Block]) -> list[Block]:
    """A list's bullets and a records answer's entries with their authors, when the strategy is shared."""
    if isinstance(step, ListStep) and len(blocks) == 1 and isinstance(blocks[0], Bullets):
        return [Bullets(tuple(credits.attributed(ctx, step.id, list(blocks[0].items))))]
    if isinstance(step, RecordsStep) and blocks:
        names = credits.authors(ctx, step.id)
        if names is not None and len(names) == len(blocks):
            return [
                Paragraph(credits.headed(ctx, b.text, n)) if isinstance(b, Paragraph) else b
                for b, n in zip(blocks, names, strict=True)
            ]
    return blocks


class Subscription(Protocol):
    """What the 'my data' view reads of a subscription: a ``storage.people.Subscriber`` (flows imports no storage)."""

    @property
    def language(self) -> str: ...

    @property
    def topics(self) -> tuple[str, ...]: ...

    @property
    def confirmed_at(self) -> datetime | None: ...


@dataclass(frozen=True)
class StoredData:
    """What storage holds about a user, for the 'my data' view (Art. 15 GDPR)."""

    user_id: str
    created_at: datetime
    language: str
    identities: list[tuple[str, str, datetime]]
    municipality: dict[str, object]
    answers: int
    audit_entries: int
    conversation_updated_at: datetime | None
    subscription: Subscription | None = None
    consent: list[dict[str, Any]] = field(default_factory=list)
    attending: list[int] = field(default_factory=list)
    workspaces: list[tuple[str | None, str]] = field(default_factory=list)
    """The workspaces they are a member of: name (None before the municipality is named) and role."""
    templates: list[tuple[str | None, str, datetime]] = field(default_factory=list)
    """The document templates they sent that are still stored: workspace name, format (docx, odt) and when."""
    exchange: list[dict[str, Any]] = field(default_factory=list)
    """The exchange profiles they opted their workspaces in with (storage.people ``stored``)."""


def stored_data(ctx: Ctx, data: StoredData) -> list[Block]:
    t = ctx.t
    ids = tuple(
        t("{channel}: {ref} (since {since})", channel=c, ref=r, since=t.date(s.date(), "medium"))
        for c, r, s in data.identities
    )
    steps = ctx.content.profile_steps
    profile = tuple(
        t(
            "{label}: {value}",
            label=ctx.text(ctx.content.step(steps[k]).label),
            value=ctx.short(ctx.content.step(steps[k]), v),
        )
        for k, v in data.municipality.items()
        if k in steps and v not in (None, "", [])
    )
    return [
        Heading(t("Your stored data")),
        Paragraph(
            t(
                "User number {id}, created on {date}; language: {lang}.",
                id=data.user_id,
                date=t.date(data.created_at.date(), "medium"),
                lang=data.language,
            )
        ),
        Paragraph(t("Accounts linked to you:")),
        Bullets(ids),
        Paragraph(t("Municipality profile:")),
        Bullets(profile or (t("nothing yet"),)),
        *workspace_blocks(ctx, data),
        Paragraph(
            t.plural("{n} answer is stored.", "{n} answers are stored.", data.answers)
            + " "
            + t.plural("The change log has {n} entry.", "The change log has {n} entries.", data.audit_entries)
        ),
        *subscription_blocks(ctx, data),
        *exchange_blocks(ctx, data),
        Paragraph(t("/export gives you all answers as a file; /delete removes everything.")),
    ]


def workspace_blocks(ctx: Ctx, data: StoredData) -> list[Block]:
    """The workspaces the person works in, with their role there."""
    t = ctx.t
    rows = tuple(
        t(
            "{name}: {role}",
            name=name or t("a municipality not named yet"),
            role=role_name(t, role),
        )
        for name, role in data.workspaces
    )
    blocks: list[Block] = [Paragraph(t("Workspaces and your role there:")), Bullets(rows or (t("none yet"),))]
    if data.templates:
        sent = tuple(
            t(
                "{format} template for {name}, sent on {date}",
                format=fmt.upper(),
                name=name or t("a municipality not named yet"),
                date=t.date(at.date(), "medium"),
            )
            for name, fmt, at in data.templates
        )
        blocks += [Paragraph(t("Document templates you sent:")), Bullets(sent)]
    return blocks


def exchange_blocks(ctx: Ctx, data: StoredData) -> list[Block]:
    """The exchange profiles the person opted in, with the consent they rest on and everything they share."""
    t, fields = ctx.t, ctx.content.handlungsfelder
    blocks: list[Block] = []

    def labels(ids: list[str]) -> str:
        return ", ".join(ctx.text(fields[f].label) for f in ids if f in fields) or "–"

    for profile in data.exchange:
        lines = [
            t("Offers: {fields}", fields=labels(profile["offers"])),
            t("Seeks: {fields}", fields=labels(profile["seeks"])),
            t("Languages: {languages}", languages=", ".join(LANGUAGE_NAMES.get(x, x) for x in profile["languages"])),
            t("Contact, shared only after an agreed introduction: {contact}", contact=profile["contact"]),
        ]
        if profile["twin_town"]:
            lines.append(t("Partner town: {town}", town=profile["twin_town"]))
        blocks += [
            Paragraph(
                t(
                    "Exchange between municipalities: {name} takes part since {at}, with your consent "
                    "(consent text version {version}).",
                    name=profile["workspace"] or t("a municipality not named yet"),
                    at=_moment(profile["opted_in_at"]),
                    version=profile["consent_version"],
                )
            ),
            Bullets(tuple(lines)),
        ]
    return blocks


def _moment(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def subscription_blocks(ctx: Ctx, data: StoredData) -> list[Block]:
    """The newsletter subscription and the consent record behind it (Art. 7(1) GDPR)."""
    t, sub = ctx.t, data.subscription
    if sub is None or sub.confirmed_at is None:
        blocks: list[Block] = [Paragraph(t("Newsletter: not subscribed."))]
    else:
        blocks = [
            Paragraph(
                t(
                    "Newsletter: subscribed in {lang} to: {topics}.",
                    lang=LANGUAGE_NAMES.get(sub.language, sub.language),
                    topics=", ".join(ctx.topic_label(x) for x in sub.topics) or t("all topics"),
                )
            )
        ]
    if data.consent:
        blocks.append(Paragraph(t("Consent record:")))
        blocks.append(
            Bullets(
                tuple(
                    t(
                        "{at}: {action} (consent text version {version}, {channel} {ref})",
                        at=_moment(r["at"]),
                        action=t(CONSENT_ACTIONS.get(r["action"], r["action"])),
                        version=r["consent_version"],
                        channel=r["channel"],
                        ref=r["ref"] or "",
                    )
                    for r in data.consent
                )
            )
        )
    if data.attending:
        blocks.append(
            Paragraph(t("You said you will attend the events {ids}.", ids=", ".join(f"#{i}" for i in data.attending)))
        )
    return blocks
