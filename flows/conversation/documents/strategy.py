"""The strategy document: a title page, then one section per stage with what the workspace has so far."""

from __future__ import annotations

from datetime import date

from flows.content.model import InfoStep
from flows.conversation.context import Ctx
from flows.documents.model import Document, Items, Section, Text
from flows.messages import Bullets, Paragraph


def strategy(ctx: Ctx, today: date) -> Document:
    """PLACEHOLDER (issue 15, helper A replaces it): each stage's answers as paragraphs and lists."""
    sections = []
    for stage in ctx.content.daks_stages:
        blocks: list[Text | Items] = []
        for step in stage.steps:
            if isinstance(step, InfoStep) or not ctx.state.answered(step.id):
                continue
            blocks.append(Text(ctx.text(step.label), "strong"))
            for b in ctx.blocks(step, ctx.state.answers[step.id]):
                if isinstance(b, Paragraph):
                    blocks.append(Text(b.text))
                elif isinstance(b, Bullets):
                    blocks.append(Items(tuple(b.items)))
        sections.append(Section(f"{stage.number}. {ctx.text(stage.title)}", tuple(blocks)))
    municipality = str(ctx.municipality()["name"])
    title = ctx.text(ctx.content.manifest.name)
    day = ctx.t.date(today, "long")
    return Document(
        kind="strategy",
        lang=ctx.state.lang,
        title=title,
        subtitle=municipality,
        cover=(),
        sections=tuple(sections),
        fields={"title": title, "subtitle": municipality, "municipality": municipality, "date": day},
    )
