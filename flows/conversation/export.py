"""Turn a user's answers into a Markdown document through a Jinja2 template in content/templates."""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from slugify import slugify

from flows.content.model import InfoStep, ListStep, RecordsStep
from flows.conversation import credits
from flows.conversation.context import Ctx
from flows.conversation.overview import approval_line
from flows.messages import Attachment, Bullets, Paragraph

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|!~])")
_LINE_START = re.compile(r"^(\s*)(\d*)([-+=>.)])(\s)", re.MULTILINE)
_GERMAN = [["Ä", "Ae"], ["Ö", "Oe"], ["Ü", "Ue"], ["ä", "ae"], ["ö", "oe"], ["ü", "ue"], ["ß", "ss"], ["ẞ", "SS"]]


def md(text: Any) -> str:
    """Escape user text so it stays literal text in Markdown (no headings, links, HTML)."""
    escaped = _MD_SPECIAL.sub(r"\\\1", str(text))
    return _LINE_START.sub(lambda m: f"{m[1]}{m[2]}\\{m[3]}{m[4]}", escaped).replace("\n", "  \n")


@lru_cache(maxsize=8)
def documents(templates: Path) -> Environment:
    env = Environment(
        loader=FileSystemLoader(templates),
        undefined=StrictUndefined,
        autoescape=select_autoescape(["html", "htm"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["md"] = md
    return env


def export_markdown(ctx: Ctx, today: date) -> Attachment:
    stages = []
    for stage in ctx.content.daks_stages:
        entries: list[dict[str, Any]] = []
        for step in stage.steps:
            if isinstance(step, InfoStep) or not ctx.state.answered(step.id):
                continue
            value = ctx.state.answers[step.id]
            names = credits.authors(ctx, step.id, you=False)
            if isinstance(step, RecordsStep):
                records = [
                    {"title": ctx.record_title(step, r), "details": ctx.record_details(step, r), "author": n}
                    for r, n in zip(value, _each(names, len(value)), strict=True)
                ]
                entries.append(
                    {"label": ctx.text(step.label), "lines": [], "bullets": [], "changed": None, "records": records}
                )
                continue
            blocks = ctx.blocks(step, value)
            bullets = [i for b in blocks if isinstance(b, Bullets) for i in b.items]
            entries.append(
                {
                    "label": ctx.text(step.label),
                    "lines": [b.text for b in blocks if isinstance(b, Paragraph)],
                    "bullets": [
                        {"text": i, "author": n}
                        for i, n in zip(
                            bullets, _each(names if isinstance(step, ListStep) else None, len(bullets)), strict=True
                        )
                    ],
                    "changed": credits.changed_by(ctx, step.id, you=False) if not isinstance(step, ListStep) else None,
                    "records": [],
                }
            )
        stages.append(
            {
                "number": stage.number,
                "title": ctx.text(stage.title),
                "approval": approval_line(ctx, stage),
                "entries": entries,
            }
        )
    municipality = ctx.municipality()
    text = (
        documents(ctx.content.root / "templates")
        .get_template("export.md.j2")
        .render(
            t=ctx.t,
            title=ctx.text(ctx.content.manifest.name),
            municipality=municipality,
            stages=stages,
            today=ctx.t.date(today, "long"),
            version=ctx.content.version,
            fields=[
                ctx.option_label(ctx.content.step(ctx.content.profile_steps["fields"]), f)
                for f in municipality.get("fields") or []
            ]
            if "fields" in ctx.content.profile_steps
            else [],
        )
    )
    return Attachment(file_name(ctx, today), "text/markdown", text.encode("utf-8"))


def _each(names: list[str] | None, count: int) -> list[str | None]:
    """The author of each of ``count`` entries, or None for each when they are not shown."""
    return list(names) if names is not None and len(names) == count else [None] * count


def file_name(ctx: Ctx, today: date) -> str:
    """``daks-koeln-2026-05-04.md``: the municipality in ASCII (German umlauts as ae, oe, ue; accents
    dropped), or ``export`` when there is none. Whoever stores the file adds what makes it unique."""
    name = ctx.state.answers.get(ctx.content.profile_steps.get("name", ""))
    slug = slugify(str(name or ""), replacements=_GERMAN, max_length=40, word_boundary=True) or "export"
    return f"daks-{slug}-{today.isoformat()}.md"
