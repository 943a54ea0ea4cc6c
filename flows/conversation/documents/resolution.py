"""The draft council resolution: a German Beschlussvorlage, a French projet de délibération, an English council report.

German and English: subject, recommendation, background, financial implications, appendix. French
administrative form: objet, exposé des motifs, incidences financières, then « Le conseil municipal,
après en avoir délibéré, décide : » with its articles, and the annex. The appendix is the same plan
table as in the strategy document.
"""

from __future__ import annotations

from datetime import date

from flows.content.i18n import N_
from flows.conversation.context import Ctx
from flows.conversation.documents import answers, changes, official, plan, stages
from flows.conversation.documents.strategy import fields, labels
from flows.documents.model import Block, Document, Items, Section, Text


def resolution(ctx: Ctx, today: date) -> Document:
    municipality = str(ctx.municipality()["name"])
    title = ctx.t("Draft council resolution")
    subject = ctx.t("Demography strategy of {municipality}: adoption of the action plan", municipality=municipality)
    sums = plan.budget_totals(ctx)
    parts = {
        "subject": Section(ctx.t("Subject"), (Text(subject, "strong"),)),
        "decision": decision(ctx, municipality),
        "background": Section(ctx.t("Background"), tuple(background(ctx, municipality))),
        "money": Section(ctx.t("Financial implications"), tuple(plan.totals_blocks(ctx, sums))),
        "appendix": Section(ctx.t("Appendix: action plan"), appendix(ctx) if plan.measures(ctx) else _none(ctx)),
    }
    order = ORDER_FR if ctx.state.lang == "fr" else ORDER
    return Document(
        kind="resolution",
        lang=ctx.state.lang,
        title=title,
        subtitle=subject,
        cover=((ctx.t("Municipality"), municipality), (ctx.t("Date"), ctx.t.date(today, "long"))),
        sections=tuple(parts[p] for p in order),
        fields=fields(ctx, "resolution", title, subject, today),
        labels=labels(ctx),
    )


ORDER = ("subject", "decision", "background", "money", "appendix")
ORDER_FR = ("subject", "background", "money", "decision", "appendix")
"""A délibération states its reasons (« exposé des motifs ») before the decision."""


def decision(ctx: Ctx, municipality: str) -> Section:
    """What the council resolves: adopt the plan, task the administration, funds subject to the budget."""
    articles = [
        ctx.t(
            "The action plan of {municipality} (appendix) is adopted as the basis of the demography strategy.",
            municipality=municipality,
        ),
        _task(ctx),
        ctx.t("The funds are provided within the annual budgets, subject to the council's budget decisions."),
    ]
    if ctx.state.lang == "fr":
        lead = Text(ctx.t("The municipal council, having deliberated, decides:"), "strong")
        body: list[Block] = [
            lead,
            *(Text(ctx.t("Article {n}: {text}", n=n, text=a)) for n, a in enumerate(articles, 1)),
        ]
    else:
        body = [Text(ctx.t("The council resolves:"), "strong"), Items(tuple(articles), numbered=True)]
    return Section(ctx.t("Recommendation"), tuple(body))


def background(ctx: Ctx, municipality: str) -> list[Block]:
    """A few paragraphs from the stages: the kick-off, the profile's findings (with the official population and its
    change where the municipality has official figures), the workshop, the plan."""
    t = ctx.t
    paragraphs = [
        t(
            "{municipality} is drawing up a demography strategy in five stages: kick-off, municipal profile, "
            "future workshop, action plan and mid-term review.",
            municipality=municipality,
        ),
        _sentences(
            ctx,
            ("ko_date", N_("The kick-off took place on {value}.")),
            ("ko_coordinator", N_("The process is coordinated by {value}.")),
            ("ko_steering", N_("The steering group: {value}.")),
            ("ko_sponsor", N_("Political backing: {value}.")),
        ),
        " ".join(
            part
            for part in (
                _sentences(
                    ctx,
                    ("kp_sources", N_("The municipal profile rests on data from {value}.")),
                    ("kp_reference_date", N_("Reference date: {value}.")),
                ),
                official.key_figure(ctx),
                _sentences(ctx, *((s, N_("{label}: {value}.")) for s in stages.SWOT)),
            )
            if part
        ),
        _sentences(
            ctx,
            ("zw_date", N_("The future workshop took place on {value}.")),
            ("zw_target_groups", N_("It reached: {value}.")),
            ("zw_priorities", N_("Priority fields of action: {value}.")),
        ),
    ]
    count = len(plan.measures(ctx))
    if count:
        paragraphs.append(
            t.plural(
                "The action plan sets out {n} measure with an owner, a period, a budget and an indicator.",
                "The action plan sets out {n} measures, each with an owner, a period, a budget and an indicator.",
                count,
            )
        )
    return [Text(p) for p in paragraphs if p]


def _sentences(ctx: Ctx, *parts: tuple[str, str]) -> str:
    """One sentence per answered step: ``{value}`` its answer on one line, ``{label}`` its label."""
    said = []
    for step_id, sentence in parts:
        value = answers.line(ctx, step_id)
        if value:
            said.append(ctx.t(sentence, value=value, label=ctx.text(ctx.content.step(step_id).label)))
    return " ".join(said)


def _task(ctx: Ctx) -> str:
    monitoring = answers.line(ctx, "wp_monitoring")
    if monitoring:
        return ctx.t(
            "The administration is asked to carry out the measures and to report on progress by {date}.",
            date=monitoring,
        )
    return ctx.t("The administration is asked to carry out the measures and to report regularly on progress.")


def appendix(ctx: Ctx) -> tuple[Block, ...]:
    """The plan's version, its table (changed cells marked) and the changes since the last recorded version."""
    found = changes.standing(ctx)
    if found is None:
        return (plan.table(ctx),)
    legend = [changes.legend(ctx, found)] if found.base is not None and found.changes else []
    return (Text(changes.line(ctx, found), "strong"), plan.table(ctx), *legend, *changes.blocks(ctx, found))


def _none(ctx: Ctx) -> tuple[Block, ...]:
    return (Text(ctx.t("No measures have been entered yet."), "note"),)
