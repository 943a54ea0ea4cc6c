"""Toolbox recommendations: by stage, the user's Handlungsfelder, size, what they wrote, and their feedback."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol
from weakref import WeakKeyDictionary

from flows.content.content import Content
from flows.content.i18n import Translator
from flows.content.model import LocalText, ToolboxItem
from flows.toolbox import vectors
from flows.toolbox.search import ToolboxIndex

FIELD_SOURCES = ("zw_priorities", "kp_candidates", "ob_fields")
CONCERNS = ("kp_weaknesses", "kp_threats", "zb_blocked")
CACHE = ".toolbox.vectors.cache.npz"
"""Next to the content when no cache file is set: vectors of items edited since `daks content index`."""


class Answers(Protocol):
    """What recommendations read of a conversation: its answers, toolbox feedback and language."""

    @property
    def answers(self) -> Mapping[str, Any]: ...
    @property
    def feedback(self) -> Mapping[str, bool]: ...
    @property
    def lang(self) -> str: ...


class Ctx(Protocol):
    """The conversation's context as recommendations need it (flows.conversation.context.Ctx is one)."""

    @property
    def content(self) -> Content: ...
    @property
    def state(self) -> Answers: ...
    @property
    def t(self) -> Translator: ...
    def text(self, value: LocalText | None) -> str: ...


@dataclass(frozen=True)
class Suggestion:
    item: ToolboxItem
    reason: str


_INDEXES: WeakKeyDictionary[Content, ToolboxIndex] = WeakKeyDictionary()
"""The search index of each content set, built on first use and gone with the content."""


def index_of(ctx: Ctx) -> ToolboxIndex:
    return search_index(ctx.content)


def search_index(content: Content) -> ToolboxIndex:
    """The content's search index, built once; its item vectors load on the first search."""
    if content not in _INDEXES:
        shipped = content.root / vectors.SHIPPED
        cache = content.vector_cache or content.root / CACHE
        _INDEXES[content] = ToolboxIndex(list(content.toolbox.values()), vectors.E5(), shipped, cache)
    return _INDEXES[content]


def user_fields(ctx: Ctx) -> list[str]:
    for step_id in FIELD_SOURCES:
        value = ctx.state.answers.get(step_id)
        if value:
            return list(value)
    return []


def recommend(ctx: Ctx, stage_id: str, limit: int = 3) -> list[Suggestion]:
    """The best items for a stage, each with a one-line reason; items marked 'not useful' never come back."""
    feedback = ctx.state.feedback
    fields = user_fields(ctx)
    size = ctx.state.answers.get("ob_size")
    concerns = [line for step in CONCERNS for line in ctx.state.answers.get(step) or []]
    text_hits: dict[str, tuple[float, str]] = {}
    index = index_of(ctx)
    for concern in concerns:
        for hit in index.search(concern, ctx.state.lang, limit=5):
            weight = 2.0 if hit.close else 1.0 if hit.about else 0.0
            if weight > text_hits.get(hit.item.id, (0.0, ""))[0]:
                text_hits[hit.item.id] = (weight, concern)
    liked = [ctx.content.toolbox[i] for i, good in feedback.items() if good and i in ctx.content.toolbox]
    scored = []
    for item in ctx.content.toolbox.values():
        if feedback.get(item.id) is False or stage_id not in item.stages:
            continue
        shared = [f for f in fields if f in item.fields]
        if item.sizes and size and size not in item.sizes:
            continue
        score = 2.0 * len(shared) + text_hits.get(item.id, (0.0, ""))[0]
        score += sum(0.5 for other in liked if other.id != item.id and set(other.fields) & set(item.fields))
        score += 0.5 if item.verified else 0.0
        if feedback.get(item.id) is True:
            score -= 3.0  # already known to the user; make room for something new
        scored.append((score, item.id, item, shared))
    scored.sort(key=lambda row: (-row[0], row[1]))
    return [
        Suggestion(item, reason(ctx, stage_id, item, shared, text_hits.get(item.id)))
        for _score, _id, item, shared in scored[:limit]
    ]


def reason(ctx: Ctx, stage_id: str, item: ToolboxItem, shared: list[str], hit: tuple[float, str] | None) -> str:
    """Why an item is suggested, and true: the user's words are quoted only when the item really answers them
    (about them by meaning and sharing several of their words); otherwise the field or the stage."""
    stage = ctx.text(ctx.content.stage(stage_id).title)
    if hit is not None and hit[0] >= 2.0:
        return ctx.t("Addresses what you wrote: “{text}”.", text=hit[1][:60])
    if shared:
        field = ctx.text(ctx.content.handlungsfelder[shared[0]].label)
        return ctx.t("Fits the stage {stage} and your field of action {field}.", stage=stage, field=field)
    return ctx.t("A good fit for the stage {stage}.", stage=stage)


def similar(ctx: Ctx, item: ToolboxItem, limit: int = 3) -> list[Suggestion]:
    """'More like this': shared Handlungsfelder and stages, then text similarity."""
    found = index_of(ctx).search(f"{ctx.text(item.title)}. {ctx.text(item.summary)}", ctx.state.lang, limit=10)
    hits = {h.item.id: 1.0 + h.about for h in found}
    scored = []
    for other in ctx.content.toolbox.values():
        if other.id == item.id or ctx.state.feedback.get(other.id) is False:
            continue
        shared = [f for f in item.fields if f in other.fields]
        score = 2.0 * len(shared) + len(set(item.stages) & set(other.stages)) + hits.get(other.id, 0.0)
        scored.append((score, other.id, other, shared))
    scored.sort(key=lambda row: (-row[0], row[1]))
    return [
        Suggestion(
            other,
            ctx.t(
                "Like “{title}”: same field of action {field}.",
                title=ctx.text(item.title),
                field=ctx.text(ctx.content.handlungsfelder[shared[0]].label),
            )
            if shared
            else ctx.t("Like “{title}”.", title=ctx.text(item.title)),
        )
        for _s, _i, other, shared in scored[:limit]
    ]
