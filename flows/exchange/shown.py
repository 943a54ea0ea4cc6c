"""How a municipality of the exchange and the reasons it fits are written, in the reader's language, without its
name: "Stadt in Sachsen (5.000 bis 20.000 Einwohner)", "ebenfalls 5.000 bis 20.000 Einwohner"."""

from __future__ import annotations

from collections.abc import Iterable

from flows.content.content import Content
from flows.content.exchange import REGION_STEPS
from flows.content.i18n import Translator
from flows.exchange.model import Facts, Reason

KIND_STEP, SIZE_STEP = "ob_kind", "ob_size"
LANGUAGE_NAMES = {"de": "Deutsch", "fr": "français", "en": "English"}
"""Each language by its own name, as people choose the language they speak."""


def option_label(content: Content, lang: str, step_ids: Iterable[str], option_id: str) -> str:
    """The label of ``option_id`` in the first of ``step_ids`` that offers it ("" when none does)."""
    for step_id in step_ids:
        if step_id not in content.steps:
            continue
        for option in getattr(content.step(step_id), "options", ()):
            if option.id == option_id:
                return option.label.get(lang)
    return ""


def field_labels(content: Content, lang: str, fields: Iterable[str]) -> list[str]:
    """The fields' short labels ("Wohnen und Ortsmitte"), which read well in a sentence; the label without one."""
    found = [content.handlungsfelder[f] for f in fields if f in content.handlungsfelder]
    return [(h.short or h.label).get(lang) for h in found]


def fields_text(content: Content, lang: str, fields: Iterable[str]) -> str:
    """Fields of action in a sentence, by commas alone (their labels hold "und" themselves)."""
    return ", ".join(field_labels(content, lang, fields))


def listed(t: Translator, items: list[str]) -> str:
    """Items as a sentence lists them: "Gesundheit, Wohnen und Mobilität"."""
    if len(items) <= 1:
        return "".join(items)
    return t("{items} and {last}", items=", ".join(items[:-1]), last=items[-1])


def describe(content: Content, t: Translator, lang: str, facts: Facts) -> str:
    """The municipality without its name: kind, region and size, then its priority fields and stage."""
    kind = option_label(content, lang, [KIND_STEP], facts.kind) or t("Municipality")
    region = option_label(content, lang, REGION_STEPS, facts.region)
    size = option_label(content, lang, [SIZE_STEP], facts.size)
    said = t("{kind} in {region}", kind=kind, region=region) if region else kind
    if size:
        said = t("{place} ({size} inhabitants)", place=said, size=size)
    parts = [said]
    fields = fields_text(content, lang, facts.fields[:3])
    if fields:
        parts.append(t("priorities: {fields}", fields=fields))
    if facts.stage in {s.id for s in content.daks_stages}:
        parts.append(t("working on “{stage}”", stage=content.stage(facts.stage).title.get(lang)))
    return ", ".join(parts)


def reason_text(content: Content, t: Translator, lang: str, reason: Reason) -> str:
    """One reason as the reader reads it."""
    values = list(reason.values)
    if reason.kind == "size":
        return t("also {size} inhabitants", size=option_label(content, lang, [SIZE_STEP], values[0]))
    if reason.kind == "kind":
        return t("also: {kind}", kind=option_label(content, lang, [KIND_STEP], values[0]))
    if reason.kind == "fields":
        return t("also a focus on {fields}", fields=fields_text(content, lang, values))
    if reason.kind == "stage":
        return t("also working on “{stage}”", stage=content.stage(values[0]).title.get(lang))
    if reason.kind == "plan":
        return t("has a Werkstattplan")
    if reason.kind == "offers":
        return t("has experience to share in {fields}", fields=fields_text(content, lang, values))
    if reason.kind == "seeks":
        return t("looks for what you offer: {fields}", fields=fields_text(content, lang, values))
    if reason.kind == "twin":
        return t("your partner town")
    if reason.kind == "language":
        return t("speaks {languages}", languages=listed(t, [LANGUAGE_NAMES.get(v, v) for v in values]))
    near = {
        "kreis": t("in the same district"),
        "region": t("in the same state or region"),
        "neighbour": t("in a neighbouring state or region"),
    }
    return near.get(values[0] if values else "", "")


def reasons_text(content: Content, t: Translator, lang: str, reasons: Iterable[Reason]) -> str:
    """The reasons on one line, separated by commas."""
    return ", ".join(x for x in (reason_text(content, t, lang, r) for r in reasons) if x)
