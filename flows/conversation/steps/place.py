"""The municipality: found in the official directory by name, postcode or key, else kept as typed.

A place picked there is stored as ``{"name": "Grabow", "key": "13076052", "country": "de"}`` (read with
``flows.conversation.context.place_name``), and the steps of its stage with ``from_place`` are answered from it
(flows/conversation/derived.py). Without a directory (none imported, or no registry at hand) the typed name is the
answer, as it always was.

The draft: ``{}`` while the name is asked; ``{"phase": "pick", "typed": …, "places": [...]}`` while several
places match; ``{"phase": "unknown", "typed": …}`` when none does.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from flows.content.i18n import N_, Translator
from flows.content.model import PlaceStep
from flows.conversation.context import Ctx
from flows.conversation.derived import answers_from
from flows.conversation.steps.base import Input, Result, StepKind
from flows.conversation.steps.checks import check_text, not_offered
from flows.messages import BUTTON, Block, Bullets, Choice, Paragraph
from flows.reading import fold
from flows.statistics.directory import folded_name, plain_name
from flows.statistics.model import Place, Registry

LIMIT = 8
"""Places offered at most for one name."""
MUNICIPAL = ("gemeinde", "commune")
"""The levels a municipality is picked at."""
TOWN_KREISE = ("41", "42")
"""GV100AD Textkennzeichen of a Kreis that is a town itself (kreisfreie Stadt, Stadtkreis): not named beside it."""
KREIS_WORDS = {"43": N_("Kreis {name}"), "44": N_("Landkreis {name}")}
"""How a Kreis is named by its Textkennzeichen (43 Kreis, 44 Landkreis), where its name does not say so."""
KEY_WORDS = {"de": N_("municipality key {key}"), "fr": N_("INSEE code {key}")}
_NUMBER = re.compile(r"[0-9]{1,3}")
"""Typed where places are offered: a choice's number (out of range), not a postcode."""
_FIELDS = ("country", "key", "level", "name", "kreis", "land", "kind", "postcode", "population")


class PlaceKind(StepKind):
    nav_keep = True

    # -- what the user sees ------------------------------------------------
    def expects(self, ctx: Ctx, step: PlaceStep) -> str:
        return "single" if ctx.state.draft.get("phase") == "pick" else "place"

    def key(self, ctx: Ctx, step: PlaceStep) -> str:
        d = ctx.state.draft
        return f"{step.id}:{d['phase']}:{d['typed']}" if d.get("phase") else step.id

    def question(self, ctx: Ctx, step: PlaceStep) -> list[Block] | None:
        d, t = ctx.state.draft, ctx.t
        if d.get("phase") == "pick":
            blocks: list[Block] = [
                Paragraph(t("Several municipalities match “{name}”. Which one do you work for?", name=d["typed"]))
            ]
            if d.get("more"):
                more = t(
                    "These are the first {n}. If yours is not among them, type more of its name, or its postcode.",
                    n=len(d["places"]),
                )
                blocks.append(Paragraph(more))
            return blocks
        if d.get("phase") == "unknown":
            return [
                Paragraph(
                    t(
                        "I cannot find “{name}” in the official municipality directory. Type the name again, or the "
                        "postcode, or keep the name as you typed it.",
                        name=d["typed"],
                    )
                )
            ]
        return None

    def status(self, ctx: Ctx, step: PlaceStep) -> list[Block]:
        return [] if ctx.state.draft.get("phase") else super().status(ctx, step)

    def choices(self, ctx: Ctx, step: PlaceStep) -> list[Choice]:
        d, t = ctx.state.draft, ctx.t
        if d.get("phase") == "pick":
            places = [_choice(p) for p in d["places"]]
            none = Choice("_typed", t("None of these: keep the name as typed"), short=t("None of these"))
            return [*_distinct(places), none]
        if d.get("phase") == "unknown":
            return [Choice("_typed", t("Keep the name as typed"))]
        return []

    # -- input -------------------------------------------------------------
    def handle(self, ctx: Ctx, step: PlaceStep, inp: Input) -> Result:
        d = ctx.state.draft
        if inp.choice == "_typed" and d.get("typed"):
            kept = ctx.t("I keep the name as you typed it: {name}", name=d["typed"])
            return Result(value=d["typed"], notes=[Paragraph(kept)], done=True, draft={})
        picked = next((p for p in d.get("places", ()) if inp.choice == _id(p)), None)
        if picked is not None:
            return self._take(ctx, step, _place(picked), d)
        if inp.button:
            return not_offered(ctx.t, draft=d)
        checked = check_text(ctx.t, inp.text or "", step.max_length)
        if not checked.done:
            checked.draft = d
            return checked
        typed = checked.value
        if d.get("phase") == "pick" and (fold(typed) == fold(d["typed"]) or _NUMBER.fullmatch(typed)):
            return Result.error(ctx.t("Please pick one of the municipalities, or “None of these”."), draft=d)
        registry = ctx.registry
        if registry is None or not registry.has_places():
            return Result(value=typed, done=True, draft={})
        return self._search(ctx, step, registry, typed)

    def _search(self, ctx: Ctx, step: PlaceStep, registry: Registry, typed: str) -> Result:
        hits = registry.find(typed, None, LIMIT)
        found = [p for p in hits if p.level in MUNICIPAL]
        named = [p for p in found if folded_name(p.name) == folded_name(typed)]  # "Grabow" leaves out "Grabowhöfe"
        places = named or found
        if len(places) == 1:
            return self._take(ctx, step, places[0], {})
        if not places:
            return Result(draft={"phase": "unknown", "typed": typed})
        stored = [_stored(p, _area(registry, p)) for p in places]
        more = not named and len(hits) >= LIMIT
        return Result(draft={"phase": "pick", "typed": typed, "places": stored, "more": more})

    def _take(self, ctx: Ctx, step: PlaceStep, place: Place, draft: dict[str, Any]) -> Result:
        """The place as the answer, said back in full, with the answers it gives the stage's other steps."""
        t, registry = ctx.t, ctx.registry
        area = _draft_area(draft, place) or (_area(registry, place) if registry is not None else {})
        value = {"name": plain_name(place.name), "key": place.key, "country": place.country}
        also = answers_from(ctx.content.stage_of(step.id), place, ctx.place(), ctx.state.answers)
        found = t("Found in the official municipality directory: {place}", place=_said(t, place, area))
        notes: list[Block] = [Paragraph(found)]
        given = [
            ctx.labelled(ctx.text(ctx.content.step(sid).label), ctx.option_label(ctx.content.step(sid), option))
            for sid, option in also.items()
            if option is not None
        ]
        if given:
            notes += [Paragraph(t("The directory also tells me:")), Bullets(tuple(given))]
        return Result(value=value, notes=notes, done=True, draft={}, also=also)

    def back(self, ctx: Ctx, step: PlaceStep) -> dict[str, Any] | None:
        return {} if ctx.state.draft.get("phase") else None


# -- places in the draft (plain JSON) and their labels ---------------------------------------------
def _area(registry: Registry, place: Place) -> dict[str, str]:
    """The names of the Kreis (département) and Land (région) the place lies in, with the Kreis's mark."""
    kreis = registry.place(place.kreis, place.country) if place.kreis else None
    land = registry.place(place.land, place.country) if place.land else None
    return {
        "kreis": kreis.name if kreis is not None else "",
        "kreis_kind": kreis.kind if kreis is not None else "",
        "land": land.name if land is not None else "",
    }


def _stored(place: Place, area: dict[str, str]) -> dict[str, Any]:
    return {**{f: getattr(place, f) for f in _FIELDS}, "area": area}


def _place(stored: dict[str, Any]) -> Place:
    return Place(**{f: stored[f] for f in _FIELDS})


def _draft_area(draft: dict[str, Any], place: Place) -> dict[str, str]:
    """The area of a place offered in the draft (already looked up), else nothing."""
    same = next((p for p in draft.get("places", ()) if _id(p) == f"p:{place.country}:{place.key}"), None)
    return dict(same["area"]) if same is not None else {}


def _id(stored: dict[str, Any]) -> str:
    return f"p:{stored['country']}:{stored['key']}"


def _kreis(place: Place, area: dict[str, str]) -> str:
    """The Kreis (département) worth naming beside the place: not a town that is its own Kreis."""
    name = plain_name(area.get("kreis", ""))
    return "" if area.get("kreis_kind") in TOWN_KREISE or name == plain_name(place.name) else name


def _names(place: Place, kreis: str, area: dict[str, str]) -> list[str]:
    """The Kreis and the Land beside the place, each once, and neither where it is the place itself (Berlin)."""
    plain = plain_name(place.name)
    return [n for n in dict.fromkeys((kreis, area.get("land", ""))) if n and n != plain]


def _said(t: Translator, place: Place, area: dict[str, str]) -> str:
    """ "Grabow, Stadt — Landkreis Ludwigslust-Parchim, Mecklenburg-Vorpommern (municipality key 13076052)"."""
    kreis = _kreis(place, area)
    word = KREIS_WORDS.get(area.get("kreis_kind", ""))
    if kreis and word and "kreis" not in kreis.casefold():  # "Rhein-Sieg-Kreis" says it already
        kreis = t(word, name=kreis)
    names = _names(place, kreis, area)
    key = t(KEY_WORDS[place.country], key=place.key)
    return f"{place.name} — {', '.join(names)} ({key})" if names else f"{place.name} ({key})"


def _choice(stored: dict[str, Any]) -> Choice:
    """ "Grabow (Ludwigslust-Parchim, Mecklenburg-Vorpommern)"; on a button what fits, "Grabow (Ludwigslust-Parc…"."""
    place, area = _place(stored), stored["area"]
    plain, names = plain_name(place.name), _names(place, _kreis(place, area), area)
    label = f"{plain} ({', '.join(names)})" if names else plain
    if len(label) <= BUTTON:
        return Choice(_id(stored), label)
    fitting = [f"{plain} ({n})" for n in names if len(f"{plain} ({n})") <= BUTTON]
    return Choice(_id(stored), label, short=fitting[0] if fitting else _cut(label))


def _cut(text: str) -> str:
    return text if len(text) <= BUTTON else text[: BUTTON - 1].rstrip(" ,(-") + "…"


def _distinct(choices: list[Choice]) -> list[Choice]:
    """Buttons that would read alike are numbered (two places of one name in one Kreis)."""
    buttons = [c.button for c in choices]
    return [
        replace(c, short=_cut(f"{i}. {c.button}")) if buttons.count(c.button) > 1 else c
        for i, c in enumerate(choices, 1)
    ]
