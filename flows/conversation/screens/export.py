"""/export: which format, then which document; the reply carries the documents still to be rendered.

``/export`` asks both; ``/export odt`` only the document; ``/export odt beschluss`` nothing. Markdown and
the charts (PNG) are made of the strategy document alone, so they never ask which document.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from flows.content.i18n import N_
from flows.conversation.documents import build, names
from flows.conversation.session import Session
from flows.conversation.steps.base import Input
from flows.documents.model import FORMATS, Document, Format, Kind, Rendering, Section
from flows.messages import Block, Choice, Outbound, Paragraph
from flows.reading import fold

FORMAT_NAMES: dict[Format, str] = {"odt": "ODT", "docx": "DOCX", "pdf": "PDF", "md": "Markdown", "png": "PNG"}
KIND_NAMES: dict[Kind, str] = {"strategy": N_("Strategy document"), "resolution": N_("Council report")}
STRATEGY_ONLY: tuple[Format, ...] = ("md", "png")
"""Formats made of the strategy document only: no second question."""

_FORMAT_WORDS: dict[str, Format] = {**{f: f for f in (*FORMATS, "png")}, "markdown": "md"}
_KIND_WORDS: dict[str, Kind] = {
    **dict.fromkeys(("strategie", "strategy"), "strategy"),
    **dict.fromkeys(("beschluss", "beschlussvorlage", "deliberation", "resolution", "report"), "resolution"),
}
"""What may follow ``/export``, folded (``Délibération`` → ``deliberation``), in every language."""
NO_CHARTS = N_("Your strategy has no charts yet: they are drawn from indicators with values for several years.")


def export_command(s: Session, arg: str) -> None:
    """``/export [format] [document]``: straight to the file when both are given, else ask what is missing."""
    fmt: Format | None = None
    kind: Kind | None = None
    for word in arg.split():
        folded = fold(word)
        if folded in _FORMAT_WORDS and fmt is None:
            fmt = _FORMAT_WORDS[folded]
        elif folded in _KIND_WORDS and kind is None:
            kind = _KIND_WORDS[folded]
        else:
            s.say(
                s.t(
                    "I do not know “{word}” here. You can write, for example, /{export} odt or /{export} pdf. "
                    "Please pick:",
                    word=word[:40],
                    export=s.ctx.command_name("export"),
                )
            )
            return ask(s)
    ask(s, fmt, kind)


def ask(s: Session, fmt: Format | None = None, kind: Kind | None = None) -> None:
    """Deliver at once when nothing is left to ask; else open the export overlay at the missing question."""
    if fmt is not None and (kind is not None or fmt in STRATEGY_ONLY):
        return deliver(s, fmt, kind or "strategy")
    if fmt == "png" and not _charts(s):
        return s.say(s.t(NO_CHARTS))
    s.open_overlay("export")
    s.state.view = {k: v for k, v in (("format", fmt), ("kind", kind)) if v is not None}


def deliver(s: Session, fmt: Format, kind: Kind) -> None:
    """The reply that carries the document (or each chart) to be rendered by the shell after the commit."""
    now = s.facts.now or datetime.now(UTC)
    today = s.today or now.date()
    document = build(s.ctx, "strategy" if fmt in STRATEGY_ONLY else kind, today)
    if fmt == "png":
        documents = chart_documents(document)
        if not documents:
            return s.say(s.t(NO_CHARTS))
        text = s.t.plural("Here is the chart as a PNG image.", "Here are the {n} charts as PNG images.", len(documents))
    else:
        documents = [document]
        text = s.t(
            "Here is “{document}” as {format}.", document=s.t(KIND_NAMES[document.kind]), format=FORMAT_NAMES[fmt]
        )
    renderings = [Rendering(d, fmt, _name(s, d, fmt, now, i, len(documents))) for i, d in enumerate(documents, 1)]
    s.before.append(Outbound([Paragraph(text)], documents=renderings))


def _name(s: Session, document: Document, fmt: Format, now: datetime, number: int, count: int) -> str:
    name = names.file_name(s.ctx, document.kind, fmt, now)
    if count == 1:
        return name
    stem, dot, suffix = name.rpartition(".")
    return f"{stem}-{document.charts()[0].file_stem}-{number}{dot}{suffix}"


def chart_documents(document: Document) -> list[Document]:
    """One document per chart, its only section holding just that chart: what the PNG format renders."""
    return [
        replace(document, sections=(Section(chart.title, (chart,)),), fields=dict(document.fields))
        for chart in document.charts()
    ]


def _charts(s: Session) -> bool:
    now = s.facts.now or datetime.now(UTC)
    return bool(build(s.ctx, "strategy", s.today or now.date()).charts())


class Export:
    """The overlay: the format first (``f:odt`` …), then the document (``k:strategy`` …)."""

    overlay = True

    def question(self, s: Session) -> list[Block]:
        if "format" not in s.state.view:
            return [Paragraph(s.t("In which format would you like the document?"))]
        return [Paragraph(s.t("Which document would you like?"))]

    def choices(self, s: Session) -> list[Choice]:
        back = Choice("_close", s.t("Back to the question"))
        if "format" not in s.state.view:
            formats = [Choice(f"f:{f}", FORMAT_NAMES[f]) for f in FORMATS]
            if _charts(s):
                formats.append(Choice("f:png", s.t("Charts (PNG)")))
            return [*formats, back]
        return [*(Choice(f"k:{k}", s.t(label)) for k, label in KIND_NAMES.items()), back]

    def on_input(self, s: Session, inp: Input) -> None:
        choice = inp.choice or ""
        if choice == "_close":
            return s.close_overlay()
        fmt = _FORMAT_WORDS.get(choice.removeprefix("f:")) if choice.startswith("f:") else s.state.view.get("format")
        kind = _KIND_WORDS.get(choice.removeprefix("k:")) if choice.startswith("k:") else s.state.view.get("kind")
        if fmt is None or (choice.startswith("k:") and kind is None) or not choice.startswith(("f:", "k:")):
            return s.say_only(s.t("Please pick one of the options below."))
        s.close_overlay()
        ask(s, fmt, kind)
