"""``/austausch``: the workspace's exchange profile (opt-in with its own consent) and similar municipalities.

Another municipality is only ever shown by ``describe`` and its reasons, never by its name, key or contact; the
list keeps the workspace ids it showed in ``state.view`` so that "Introduce me: 2" means what was on screen.
"""

from __future__ import annotations

from typing import Any

from flows.content.model import LANGUAGE_NAMES, LANGUAGES
from flows.conversation.actions import LeaveExchange, SaveProfile
from flows.conversation.screens import introductions
from flows.conversation.screens.menu import back_choice
from flows.conversation.session import Session
from flows.conversation.steps.base import Input
from flows.exchange.model import Facts, Match, Profile
from flows.exchange.profile import derive
from flows.exchange.shown import describe, fields_text, reasons_text
from flows.exchange.similarity import Yardstick, match, matches
from flows.messages import Block, Bullets, Choice, Heading, Paragraph
from flows.reading import fold
from flows.statistics.model import Country
from flows.team import messages, rules

COUNTRY_WORDS: dict[str, Country] = {
    "frankreich": "fr",
    "france": "fr",
    "deutschland": "de",
    "allemagne": "de",
    "germany": "de",
}
LEAVE_WORDS = frozenset({"aus", "off", "stop", "beenden", "quitter"})
PROFILE_WORDS = frozenset({"profil", "profile"})
"""What may follow ``/austausch`` (folded), in every language."""
CONTACT_LIMIT, TWIN_LIMIT = 500, 255
FORM = ("offers", "seeks", "languages", "contact", "twin")
"""The guided profile's questions, in order."""


def exchange_command(s: Session, arg: str) -> None:
    """``/austausch``: the list (or what taking part means); ``frankreich``/``deutschland`` filter it, ``profil``
    changes the profile, ``aus`` leaves the exchange at once."""
    word = fold(arg.strip())
    if word in LEAVE_WORDS:
        return leave(s)
    if word in PROFILE_WORDS:
        return _edit(s) if mine(s) is not None else show(s)
    if word and word not in COUNTRY_WORDS:
        command = f"/{s.ctx.command_name('exchange')}"
        s.say(s.t("After {command} you can write: {words}.", command=command, words=_words(s, command)))
    show(s, COUNTRY_WORDS.get(word))


def _words(s: Session, command: str) -> str:
    # Translators: the words typed after the exchange command; keep {command} and translate the words after it.
    return s.t("{command} france, {command} germany, {command} profile or {command} off", command=command)


def show(s: Session, country: Country | None = None) -> None:
    """Open the exchange screen, with the matches of ``country`` (None: both countries)."""
    shown = [m.profile.workspace_id for m in _ranked(s, country)]
    s.state.view = {"exchange": {"country": country, "shown": shown}}
    if s.state.mode in EXCHANGE_MODES:
        s.state.mode = "exchange"
    else:
        s.open_overlay("exchange")


def leave(s: Session) -> None:
    """Withdraw the workspace at once (``/austausch aus``); coordinators only."""
    team = s.facts.team
    if mine(s) is None or team is None:
        return s.say(s.t("Your municipality does not take part in the exchange."))
    if not rules.may_manage(team):
        return s.say(_refused(s))
    s.actions.append(LeaveExchange(team.workspace_id))
    s.say(
        s.t(
            "Your municipality no longer takes part in the exchange; its profile is deleted and appears in no "
            "results. {command} lets you take part again.",
            command=f"/{s.ctx.command_name('exchange')}",
        )
    )


def mine(s: Session) -> Profile | None:
    """The workspace's profile as this message leaves it: saved or withdrawn now (the shell stores it after the
    engine), else as stored."""
    for action in reversed(s.actions):
        if isinstance(action, LeaveExchange):
            return None
        if isinstance(action, SaveProfile):
            return Profile(
                workspace_id=action.workspace_id or 0,
                facts=_facts(s),
                offers=action.offers,
                seeks=action.seeks,
                languages=action.languages,
                contact=action.contact,
                twin_town=action.twin_town,
            )
    return s.facts.profiles.mine() if s.facts.profiles is not None else None


def _facts(s: Session) -> Facts:
    return derive(s.content, s.state.answers, s.ctx.place())


def _ranked(s: Session, country: Country | None) -> list[Match]:
    me = mine(s)
    if me is None or s.facts.profiles is None:
        return []
    return matches(me, s.facts.profiles.candidates(), Yardstick.of(s.content), country)


def _view(s: Session) -> dict[str, Any]:
    view: dict[str, Any] = s.state.view.setdefault("exchange", {"country": None, "shown": []})
    return view


def _shown(s: Session) -> list[Match]:
    """The matches on screen, in the order shown: those still opted in (one who left is gone at once)."""
    me = mine(s)
    if me is None or s.facts.profiles is None:
        return []
    by_id = {p.workspace_id: p for p in s.facts.profiles.candidates()}
    found = [match(me, by_id[w], Yardstick.of(s.content)) for w in _view(s).get("shown", []) if w in by_id]
    return [m for m in found if m is not None]


def _refused(s: Session) -> str:
    team = s.facts.team
    names = [messages.label(s.t, team.members, m.user_id) for m in rules.coordinators(team)] if team else []
    return messages.not_coordinator(s.t, names)


def _name(s: Session) -> str:
    return str(s.ctx.municipality()["name"])


def _pick_one(s: Session) -> None:
    s.say_only(s.t("Please pick one of the options below."))


# -- the list ---------------------------------------------------------------------------------
class ExchangeList:
    """Not taking part: what it means, the consent text and, for a coordinator, Take part. Taking part: the
    introductions' state, then similar municipalities with their reasons and the buttons to be introduced."""

    overlay = True

    def question(self, s: Session) -> list[Block]:
        t = s.t
        blocks: list[Block] = [Heading(t("Exchange between municipalities")), *introductions.status_blocks(s)]
        if mine(s) is None:
            blocks.append(
                Paragraph(
                    t(
                        "Municipalities in Germany and France that work on similar things can learn from each "
                        "other. When yours takes part, I show you similar municipalities and why they fit, and "
                        "others see yours, always without names. Names and contacts are exchanged only when both "
                        "sides agree to an introduction."
                    )
                )
            )
            if s.content.exchange is not None:
                blocks.append(Paragraph(s.ctx.text(s.content.exchange.text)))
            if not rules.may_manage(s.facts.team):
                blocks.append(Paragraph(_refused(s)))
            return blocks
        return blocks + self._list(s)

    def _list(self, s: Session) -> list[Block]:
        t, country = s.t, _view(s).get("country")
        shown = _shown(s)
        if not shown:
            return [
                Paragraph(
                    t("No municipality in France that shares a language with yours takes part yet.")
                    if country == "fr"
                    else t("No municipality in Germany that shares a language with yours takes part yet.")
                    if country == "de"
                    else t("No other municipality that shares a language with yours takes part yet.")
                )
            ]
        lang = s.state.lang
        lines = tuple(
            t(
                "{n}. {municipality}\nWhy: {reasons}",
                n=i,
                municipality=describe(s.content, t, lang, m.profile.facts),
                reasons=reasons_text(s.content, t, lang, m.reasons) or t("a municipality taking part"),
            )
            for i, m in enumerate(shown, start=1)
        )
        heading = (
            t("Similar municipalities in France:")
            if country == "fr"
            else t("Similar municipalities in Germany:")
            if country == "de"
            else t("Similar municipalities:")
        )
        return [
            Paragraph(heading),
            *(Paragraph(line) for line in lines),
            Paragraph(
                t(
                    "Names and contacts are exchanged only when both sides agree. Tap “Introduce me” and I ask "
                    "the other municipality."
                )
            ),
        ]

    def choices(self, s: Session) -> list[Choice]:
        t = s.t
        manage = rules.may_manage(s.facts.team)
        if mine(s) is None:
            return [*([Choice("_join", t("Take part"))] if manage else []), back_choice(s)]
        country = _view(s).get("country")
        asks = [Choice(f"_ask:{i}", t("Introduce me: {n}", n=i)) for i in range(1, len(_shown(s)) + 1)]
        answers = [
            choice
            for i in introductions.waiting(s)
            for choice in (
                Choice(f"_yes:{i.id}", t("Accept request {id}", id=i.id)),
                Choice(f"_no:{i.id}", t("Decline request {id}", id=i.id)),
            )
        ]
        return [
            *answers,
            *asks,
            *([Choice("_fr", t("Only in France"))] if country != "fr" else []),
            *([Choice("_de", t("Only in Germany"))] if country != "de" else []),
            *([Choice("_all", t("Both countries"))] if country is not None else []),
            *([Choice("_profile", t("Change profile")), Choice("_leave", t("Leave the exchange"))] if manage else []),
            back_choice(s),
        ]

    def on_input(self, s: Session, inp: Input) -> None:
        choice = inp.choice or ""
        if choice == "_close":
            return s.close_overlay()
        typed = fold(inp.text or "")
        if not choice and typed in COUNTRY_WORDS and mine(s) is not None:
            return show(s, COUNTRY_WORDS[typed])
        if choice not in {c.id for c in self.choices(s)}:
            return _pick_one(s)
        if choice == "_join":
            return _join(s)
        if choice.startswith("_ask:"):
            return introductions.ask(s, _shown(s)[int(choice[5:]) - 1])
        verb, _, number = choice.partition(":")
        if verb in ("_yes", "_no"):  # a request waiting for this coordinator's answer
            s.close_overlay()
            return introductions.answer_command(s, f"{'accept' if verb == '_yes' else 'decline'} {number}")
        if choice in ("_fr", "_de", "_all"):
            return show(s, None if choice == "_all" else "fr" if choice == "_fr" else "de")
        if choice == "_profile":
            return _edit(s)
        s.state.mode = "exchange_leave"
        return None


def _join(s: Session) -> None:
    if not s.state.has_value(s.content.profile_steps.get("name", "")):
        return s.say_only(
            s.t(
                "First tell me which municipality you work for: {command}.",
                command=f"/{s.ctx.command_name('municipality')}",
            )
        )
    _start_form(s, {"offers": [], "seeks": [], "languages": [s.state.lang], "contact": "", "twin": "", "new": True})


def _edit(s: Session) -> None:
    me = mine(s)
    if not rules.may_manage(s.facts.team):
        return s.say_only(_refused(s))
    if me is None:
        return _join(s)
    form = {
        "offers": list(me.offers),
        "seeks": list(me.seeks),
        "languages": list(me.languages),
        "contact": me.contact,
        "twin": me.twin_town,
        "new": False,
    }
    _start_form(s, form)


def _start_form(s: Session, form: dict[str, Any]) -> None:
    s.state.view = {"exchange": {**_view(s), "form": {**form, "at": FORM[0]}}}
    if s.state.mode in EXCHANGE_MODES:
        s.state.mode = "exchange_profile"
    else:
        s.open_overlay("exchange_profile")


# -- the guided profile --------------------------------------------------------------------------------
def _form(s: Session) -> dict[str, Any]:
    form: dict[str, Any] = _view(s).setdefault("form", {"at": FORM[0]})
    for key, empty in (("offers", []), ("seeks", []), ("languages", [s.state.lang]), ("contact", ""), ("twin", "")):
        form.setdefault(key, empty)
    return form


def _next(s: Session, form: dict[str, Any], **changed: Any) -> None:
    """On to the question after the current one (a new view: new choices), or the preview after the last."""
    at = form.get("at", FORM[0])
    later = FORM[FORM.index(at) + 1 :] if at in FORM else ()
    new = {**form, **changed, "at": later[0] if later else at}
    s.state.view = {"exchange": {**_view(s), "form": new}}
    if not later:
        s.state.mode = "exchange_consent"


class ProfileForm:
    """What the municipality offers and seeks (fields of action), its languages, the contact to share and a
    partner town; one question at a time."""

    overlay = True

    def question(self, s: Session) -> list[Block]:
        t, form = s.t, _form(s)
        at = form["at"]
        if at == "offers":
            said = t("What can your municipality tell others about? Tap the fields of action, then Done.")
        elif at == "seeks":
            said = t("What would your municipality like to learn about from others? Tap the fields, then Done.")
        elif at == "languages":
            said = t("In which languages can your team exchange? Tap them, then Done.")
        elif at == "contact":
            said = t(
                "Which contact should another municipality get once both sides agree to an introduction? For "
                "example: “Anna Muster, demography officer, 030 1234567, anna.muster@example.org” (at most "
                "{limit} characters).",
                limit=t.number(CONTACT_LIMIT),
            )
            if form["contact"]:
                said += "\n" + t("Now: {contact}", contact=form["contact"])
        else:
            said = t("Does your municipality have a partner town (twinning)? Type its name.")
            if form["twin"]:
                said += "\n" + t("Now: {town}", town=form["twin"])
        return [Heading(t("Your exchange profile")), Paragraph(said)]

    def choices(self, s: Session) -> list[Choice]:
        t, form = s.t, _form(s)
        at = form["at"]
        cancel = Choice("_close", t("Cancel"))
        if at in ("offers", "seeks"):
            fields = s.content.handlungsfelder
            toggles = [
                Choice(f"f:{f}", s.ctx.text(h.label), f in form[at], s.ctx.text(h.short) if h.short else None)
                for f, h in fields.items()
            ]
            return [*toggles, Choice("_done", t("Done")), cancel]
        if at == "languages":
            toggles = [Choice(f"l:{x}", LANGUAGE_NAMES[x], x in form["languages"]) for x in LANGUAGES]
            return [*toggles, Choice("_done", t("Done")), cancel]
        if at == "contact":
            return [*([Choice("_keep", t("Keep it"))] if form["contact"] else []), cancel]
        keep = [Choice("_keep", t("Keep it"))] if form["twin"] else []
        return [*keep, Choice("_none", t("No partner town")), cancel]

    def on_input(self, s: Session, inp: Input) -> None:
        form, choice = _form(s), inp.choice or ""
        at = form["at"]
        if choice == "_close":
            s.say(s.t("Nothing was changed."))
            return s.close_overlay()
        if at in ("offers", "seeks", "languages"):
            return _toggle(s, form, at, choice)
        if choice == "_keep":
            return _next(s, form)
        if at == "twin" and choice == "_none":
            return _next(s, form, twin="")
        text = " ".join((inp.text or "").split())
        if not text or choice:
            return _pick_one(s)
        limit = CONTACT_LIMIT if at == "contact" else TWIN_LIMIT
        if len(text) > limit:
            return s.say_only(
                s.t(
                    "That is {length} characters; please keep it to {limit}.",
                    length=s.t.number(len(text)),
                    limit=s.t.number(limit),
                )
            )
        _next(s, form, **{at: text})


def _toggle(s: Session, form: dict[str, Any], at: str, choice: str) -> None:
    known = s.content.handlungsfelder if at != "languages" else LANGUAGES
    picked: list[str] = form[at]
    if choice == "_done":
        if at == "languages" and not picked:
            return s.say_only(s.t("Please pick at least one language."))
        return _next(s, form)
    item = choice[2:] if choice[:2] in ("f:", "l:") else ""
    if item not in known:
        return _pick_one(s)
    now = [x for x in known if (x in picked) != (x == item)]
    s.state.view = {"exchange": {**_view(s), "form": {**form, at: now}}}


class ProfileConsent:
    """What others will see and what only an agreed introduction gives; agreeing saves the profile."""

    overlay = True

    def question(self, s: Session) -> list[Block]:
        t, form, lang = s.t, _form(s), s.state.lang
        facts = _facts(s)
        offers = fields_text(s.content, lang, form["offers"]) or "–"
        seeks = fields_text(s.content, lang, form["seeks"]) or "–"
        shared = [
            t("Offers: {fields}", fields=offers),
            t("Seeks: {fields}", fields=seeks),
            t("Languages: {languages}", languages=", ".join(LANGUAGE_NAMES[x] for x in form["languages"])),
        ]
        blocks: list[Block] = [
            Heading(t("Your exchange profile")),
            Paragraph(t("Other municipalities in the exchange see, without your name:")),
            Paragraph(describe(s.content, t, lang, facts)),
            Bullets(tuple(shared)),
            Paragraph(
                t(
                    "Only after both sides agree to an introduction does the other municipality learn: {name}, "
                    "and your contact: {contact}",
                    name=facts.name or _name(s),
                    contact=form["contact"] or "–",
                )
            ),
        ]
        if form["twin"]:
            blocks.append(Paragraph(t("Partner town: {town}", town=form["twin"])))
        if not form.get("new") and s.content.exchange is not None:
            blocks.append(Paragraph(s.ctx.text(s.content.exchange.text)))
        return blocks

    def choices(self, s: Session) -> list[Choice]:
        new = bool(_form(s).get("new"))
        agree = s.t("Agree and take part") if new else s.t("Agree and save")
        return [Choice("_yes", agree), Choice("_back", s.t("Change something")), Choice("_close", s.t("Cancel"))]

    def on_input(self, s: Session, inp: Input) -> None:
        form, choice = _form(s), inp.choice or ""
        if choice == "_close":
            s.say(s.t("Nothing was changed."))
            return s.close_overlay()
        if choice == "_back":
            s.state.view = {"exchange": {**_view(s), "form": {**form, "at": FORM[0]}}}
            s.state.mode = "exchange_profile"
            return None
        if choice != "_yes" or s.content.exchange is None:
            return _pick_one(s)
        if not rules.may_manage(s.facts.team):
            s.close_overlay()
            return s.say(_refused(s))
        team = s.facts.team
        s.actions.append(
            SaveProfile(
                workspace_id=team.workspace_id if team is not None else None,
                offers=tuple(form["offers"]),
                seeks=tuple(form["seeks"]),
                languages=tuple(form["languages"]),
                contact=form["contact"],
                twin_town=form["twin"],
                version=s.content.exchange.version,
            )
        )
        s.say(
            s.t("Thank you: your municipality takes part in the exchange.")
            if form.get("new")
            else s.t("Your exchange profile is saved.")
        )
        show(s, _view(s).get("country"))


class ConfirmLeave:
    overlay = True

    def question(self, s: Session) -> list[Block]:
        return [
            Paragraph(
                s.t(
                    "Leave the exchange? Your municipality’s profile is deleted at once and appears in no results; "
                    "open requests are closed. You can take part again at any time."
                )
            )
        ]

    def choices(self, s: Session) -> list[Choice]:
        return [Choice("_yes", s.t("Yes, leave")), Choice("_no", s.t("No, stay"))]

    def on_input(self, s: Session, inp: Input) -> None:
        if inp.choice == "_no":
            return show(s, _view(s).get("country"))
        if inp.choice != "_yes":
            return _pick_one(s)
        s.close_overlay()
        leave(s)


EXCHANGE_MODES = frozenset({"exchange", "exchange_profile", "exchange_consent", "exchange_leave"})
