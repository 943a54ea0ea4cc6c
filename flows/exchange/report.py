"""The obstacles report as a document (ODT or Markdown through bot/documents): per shown field of action, how many
municipalities contributed, how many named each kind of obstacle, and the approved texts; no municipality named."""

from __future__ import annotations

from datetime import date

from flows.content.content import Content
from flows.content.i18n import N_, Translator
from flows.documents.model import Block, Document, Items, Section, Table, Text
from flows.exchange.obstacles import OBSTACLES, FieldReport, K, Pooled, Source

HEADINGS: dict[Source, str] = {
    "blocked": N_("What held the process back"),
    "hindered": N_("What hindered single measures"),
    "ask": N_("What the Land and the Bund should change"),
}
"""The heading over each source's texts (msgids)."""


def document(content: Content, t: Translator, pooled: Pooled, made: date) -> Document:
    """The report in ``t``'s language."""
    title = t("What holds municipalities back")
    subtitle = t("Obstacles and asks from the mid-term reviews, by field of action")
    cover = [(t("Date"), t.date(made, "long"))]
    if pooled.municipalities:
        cover.append((t("Municipalities contributing"), t.number(pooled.municipalities)))
    cover.append((t("Rules"), rules(t)))
    sections = [_field(content, t, report) for report in pooled.fields]
    if not sections:
        sections.append(
            Section(
                t("No field of action to show"), (Text(t("No field of action has enough municipalities yet."), "note"),)
            )
        )
    if pooled.hidden:
        hidden = t.plural(
            "{n} field of action hidden: fewer than {k} municipalities.",
            "{n} fields of action hidden: fewer than {k} municipalities.",
            pooled.hidden,
            k=t.number(K),
        )
        sections.append(Section(t("Not shown"), (Text(hidden, "note"),)))
    kind = t("Obstacles report")
    return Document(
        kind="obstacles",
        lang=t.lang,
        title=title,
        subtitle=subtitle,
        cover=tuple(cover),
        sections=tuple(sections),
        fields={
            "title": title,
            "subtitle": subtitle,
            "municipality": t("Municipalities of the exchange"),
            "date": t.date(made, "long"),
            "approval": "",
            "version": content.version,
            "kind": kind,
        },
        labels={"contents": t("Contents"), "page": t("Page"), "of": t("of"), "chart": t("Chart")},
    )


def rules(t: Translator) -> str:
    return t(
        "Only fields of action with at least {k} municipalities are shown; free text only as an editor approved it; "
        "no municipality is named.",
        k=t.number(K),
    )


def _field(content: Content, t: Translator, report: FieldReport) -> Section:
    blocks: list[Block] = [
        Text(t.plural("{n} municipality contributed.", "{n} municipalities contributed.", report.municipalities))
    ]
    if report.categories:
        order = _category_order(content)
        rows = sorted(report.categories, key=lambda c: (-c[1], order.get(c[0], len(order))))
        blocks.append(
            Table(
                (t("Kind of obstacle"), t("Municipalities")),
                tuple((_category(content, t.lang, c), t.number(n)) for c, n in rows),
                t("Kinds of obstacle"),
                numeric=(1,),
            )
        )
    else:
        blocks.append(Text(t("No kind of obstacle was chosen."), "note"))
    if not report.quotes:
        blocks.append(Text(t("No free text has been approved yet."), "note"))
    for source, heading in HEADINGS.items():
        texts = tuple(q.text for q in report.quotes if q.source == source)
        if texts:
            blocks += [Text(t(heading), "strong"), Items(texts)]
    label = (
        content.handlungsfelder[report.field].label.get(t.lang)
        if report.field in content.handlungsfelder
        else report.field
    )
    return Section(label, tuple(blocks))


def _category_order(content: Content) -> dict[str, int]:
    return {o.id: i for i, o in enumerate(getattr(content.step(OBSTACLES), "options", ()))}


def _category(content: Content, lang: str, category: str) -> str:
    for option in getattr(content.step(OBSTACLES), "options", ()):
        if option.id == category:
            return str(option.label.get(lang))
    return category
