"""The strategy document: a title page, one section per stage with what the workspace has so far, the authors.

``Document.fields`` (the placeholders of a municipality's template): ``title``, ``subtitle``,
``municipality``, ``date``, ``approval``, ``version``, ``kind``.
"""

from __future__ import annotations

from datetime import date

from flows.content.i18n import N_
from flows.conversation import credits
from flows.conversation.context import Ctx
from flows.conversation.documents import answers, stages
from flows.conversation.overview import approval_line
from flows.documents.model import Block, Document, Items, Kind, Section, Text
from flows.team.approval import APPROVABLE, approval_of
from flows.team.messages import label, role_name

ADOPTION = "wp_adoption"


def strategy(ctx: Ctx, today: date) -> Document:
    sections = [stages.section(ctx, stage) for stage in ctx.content.daks_stages]
    if credits.shown(ctx):
        sections.append(contributors(ctx))
    title = ctx.t("Demography strategy")
    municipality = str(ctx.municipality()["name"])
    return Document(
        kind="strategy",
        lang=ctx.state.lang,
        title=title,
        subtitle=municipality,
        cover=cover(ctx, today),
        sections=tuple(sections),
        fields=fields(ctx, "strategy", title, municipality, today),
        labels=labels(ctx),
    )


def cover(ctx: Ctx, today: date) -> tuple[tuple[str, str], ...]:
    """The title page's lines: the municipality, the date, each stage's approval, the adoption, the version."""
    profile = ctx.municipality()
    lines = [(ctx.t("Municipality"), str(profile["name"]))]
    lines += [(ctx.t(word), str(profile[key])) for key, word in _PROFILE if profile.get(key)]
    region = answers.line(ctx, "ob_region")
    if region:
        lines.append((ctx.t("Region"), region))
    lines.append((ctx.t("Date"), ctx.t.date(today, "long")))
    for stage in (s for s in ctx.content.daks_stages if s.id in APPROVABLE):
        lines.append(
            (ctx.text(stage.title), approval_line(ctx, stage) or ctx.t("not yet agreed by the steering group"))
        )
    adoption = answers.line(ctx, ADOPTION)
    if adoption:
        lines.append((ctx.text(ctx.content.step(ADOPTION).label), adoption))
    lines.append((ctx.t("Content version"), ctx.content.version))
    return tuple(lines)


def approval(ctx: Ctx) -> str:
    """The state of approval in one line: how many stages the steering group agreed, and the adoption."""
    stages_ = [s for s in ctx.content.daks_stages if s.id in APPROVABLE]
    agreed = sum(1 for s in stages_ if approval_of(ctx.team, s.id) is not None)
    line = ctx.t.plural(
        "{agreed} of {n} stage agreed by the steering group",
        "{agreed} of {n} stages agreed by the steering group",
        len(stages_),
        agreed=ctx.t.number(agreed),
    )
    adoption = answers.line(ctx, ADOPTION)
    return (
        ctx.t.joined([line, ctx.labelled(ctx.text(ctx.content.step(ADOPTION).label), adoption)]) if adoption else line
    )


def fields(ctx: Ctx, kind: Kind, title: str, subtitle: str, today: date) -> dict[str, str]:
    """The placeholders a template may use; see the module docstring."""
    return {
        "title": title,
        "subtitle": subtitle,
        "municipality": str(ctx.municipality()["name"]),
        "date": ctx.t.date(today, "long"),
        "approval": approval(ctx),
        "version": ctx.content.version,
        "kind": ctx.t(KINDS[kind]),
    }


def labels(ctx: Ctx) -> dict[str, str]:
    """Words the renderers need: the table of contents, "Page 3 of 7", a chart's caption."""
    # Translators: between the page number and the number of pages: "Seite 3 von 7", "Page 3 sur 7".
    return {"contents": ctx.t("Contents"), "page": ctx.t("Page"), "of": ctx.t("of"), "chart": ctx.t("Chart")}


def contributors(ctx: Ctx) -> Section:
    """Who works on the strategy, in which role, and what the steering group agreed when."""
    team = ctx.team
    assert team is not None
    people = tuple(
        ctx.t("{name} ({role})", name=label(ctx.t, team.members, m.user_id), role=role_name(ctx.t, m.role))
        for m in team.members
    )
    agreed = tuple(
        ctx.labelled(ctx.text(s.title), line) for s in ctx.content.daks_stages if (line := approval_line(ctx, s))
    )
    blocks: list[Block] = [Text(ctx.t("Contributors"), "strong"), Items(people), Text(ctx.t("Approvals"), "strong")]
    blocks.append(
        Items(agreed) if agreed else Text(ctx.t("No stage has been agreed by the steering group yet."), "note")
    )
    return Section(ctx.t("Contributors and approvals"), tuple(blocks))


KINDS: dict[Kind, str] = {"strategy": N_("Strategy document"), "resolution": N_("Draft council resolution")}
"""Each document's name (msgids, translated where used)."""
_PROFILE = (("kind", N_("Type")), ("land", N_("Land")), ("size", N_("Size")))
