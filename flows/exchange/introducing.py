"""Introductions by double opt-in: who may ask and answer, what each side sees meanwhile, and what they are told.

A refusal is never reported as one: the asking side reads "no answer yet" until ``ANSWER_WITHIN_DAYS`` after asking,
then "closed", whether the other side declined or stayed silent. Names and contacts appear only once accepted.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Literal

from flows.content.content import Content
from flows.content.i18n import Translator
from flows.exchange.model import ANSWER_WITHIN_DAYS, Facts, Introduction, Reason
from flows.exchange.shown import describe, reasons_text
from flows.messages import Block, Choice, Outbound, Paragraph

ANSWER_WITHIN = timedelta(days=ANSWER_WITHIN_DAYS)
ASK_AGAIN_AFTER_DAYS = 90
"""Days after an introduction closed (or was declined: it reads as closed) before the same municipality may be asked
again."""
ANSWER_WORDS = {"de": ("annehmen", "ablehnen"), "fr": ("accepter", "refuser"), "en": ("accept", "decline")}
"""The words that answer a request, typed after the command (``/austausch annehmen 12``)."""

Seen = Literal["waiting", "closed", "accepted"]
Refusal = Literal["open", "recent", "introduced", "theirs"]
"""Why a municipality may not ask another now: its own ask is open or closed recently, they were introduced already,
or the other one asked first and waits for an answer."""
Unanswerable = Literal["unknown", "not_coordinator", "answered", "closed", "left"]


# -- rules -----------------------------------------------------------------------------------------
def closes_at(intro: Introduction) -> datetime:
    """When an unanswered (or declined) introduction reads as closed."""
    return intro.asked_at + ANSWER_WITHIN


def seen(intro: Introduction, now: datetime) -> Seen:
    """The status as both sides may read it: accepted, else waiting for an answer until it closes, else closed.
    A declined one reads exactly as one nobody answered."""
    if intro.status == "accepted" and not intro.left:
        return "accepted"
    if intro.status in ("asked", "declined") and not intro.left and now < closes_at(intro):
        return "waiting"
    return "closed"


def refusal(intros: Iterable[Introduction], asking: int, asked: int, now: datetime) -> tuple[Refusal, int] | None:
    """Why ``asking`` may not ask ``asked`` now (with the introduction that says so), or None when it may."""
    again = timedelta(days=ASK_AGAIN_AFTER_DAYS)
    for intro in sorted(intros, key=lambda i: i.asked_at, reverse=True):
        pair = {intro.asking, intro.asked} == {asking, asked}
        if not pair or intro.left:
            continue
        state = seen(intro, now)
        if state == "accepted":
            return "introduced", intro.id
        if intro.asking == asked:
            if state == "waiting" and intro.status == "asked":
                return "theirs", intro.id
            continue
        if state == "waiting":
            return "open", intro.id
        if now < closes_at(intro) + again:
            return "recent", intro.id
    return None


def unanswerable(
    intro: Introduction | None, workspace_id: int, coordinates: bool, now: datetime
) -> Unanswerable | None:
    """Why this person cannot answer ``intro`` (asked of their workspace ``workspace_id``), or None when they may."""
    if intro is None or intro.asked != workspace_id:
        return "unknown"
    if not coordinates:
        return "not_coordinator"
    if intro.left:
        return "left"
    if intro.status in ("accepted", "declined"):
        return "answered"
    if intro.status != "asked" or now >= closes_at(intro):
        return "closed"
    return None


def unnamed(facts: Facts) -> Facts:
    """What may be known of a municipality before an introduction is accepted: its facts without name or keys."""
    return replace(facts, name="", key="", kreis="")


# -- what is said ------------------------------------------------------------------------------------
def command(content: Content, lang: str, arg: str = "") -> str:
    """``/austausch annehmen 12`` in ``lang``."""
    names = next(c.names for c in content.commands if c.id == "exchange")
    return f"/{(names.get(lang) or names['de'])[0]} {arg}".rstrip()


def answers_typed(content: Content, lang: str, intro_id: int) -> tuple[str, str]:
    """The commands that accept and decline request ``intro_id``, in ``lang``."""
    accept, decline = ANSWER_WORDS.get(lang, ANSWER_WORDS["de"])
    return command(content, lang, f"{accept} {intro_id}"), command(content, lang, f"{decline} {intro_id}")


def answer_choices(t: Translator, intro_id: int) -> list[Choice]:
    """The buttons under a request (commands: they work for as long as the message)."""
    return [Choice(f"exchange accept {intro_id}", t("Accept")), Choice(f"exchange decline {intro_id}", t("Decline"))]


def request(
    content: Content, t: Translator, intro_id: int, asking: Facts, reasons: Sequence[Reason], asked_at: datetime
) -> Outbound:
    """What the asked workspace's coordinators receive: the asking municipality without its name, why it fits,
    what accepting means, and how to answer (buttons, and typed for channels without them)."""
    lang = t.lang
    accept, decline = answers_typed(content, lang, intro_id)
    why = reasons_text(content, t, lang, reasons)
    blocks: list[Block] = [
        Paragraph(t("A municipality would like to be introduced to yours (request {id}):", id=intro_id)),
        Paragraph(describe(content, t, lang, unnamed(asking))),
    ]
    if why:
        blocks.append(Paragraph(t("Why it fits: {reasons}", reasons=why)))
    blocks += [
        Paragraph(
            t(
                "If you accept, both sides receive the contact each chose to share in the exchange profile. If you "
                "decline or do not answer, the other side is not told; the request closes on {date}.",
                date=t.date((asked_at + ANSWER_WITHIN).date(), "medium"),
            )
        ),
        Paragraph(t("To answer by message: {accept} or {decline}", accept=accept, decline=decline)),
    ]
    return Outbound(blocks, answer_choices(t, intro_id), kind="broadcast")


def contact_line(t: Translator, name: str, contact: str) -> str:
    """ "Musterstadt: Anna Muster, 030 1234" (or that no contact was given)."""
    return t("{name}: {contact}", name=name or t("a municipality"), contact=contact.strip() or t("no contact given"))


def introduced_asker(t: Translator, name: str, contact: str, asked_at: datetime) -> Outbound:
    """The one message to the person who asked, once the other side accepted: its name and contact."""
    return Outbound(
        [
            Paragraph(
                t(
                    "Good news: the municipality you asked on {date} agreed to be introduced. Its contact: {contact}",
                    date=t.date(asked_at.date(), "medium"),
                    contact=contact_line(t, name, contact),
                )
            ),
            Paragraph(t("It has received your municipality’s contact as shared in your exchange profile.")),
        ],
        kind="broadcast",
    )


def introduced_answerer(t: Translator, name: str, contact: str) -> Outbound:
    """The reply to the coordinator who accepted: the asking municipality's name and contact."""
    return Outbound(
        [
            Paragraph(
                t("Thank you. You have been introduced. Contact: {contact}", contact=contact_line(t, name, contact))
            ),
            Paragraph(t("The municipality that asked receives your contact as shared in your exchange profile.")),
        ]
    )


def declined(t: Translator) -> Outbound:
    """The reply to the coordinator who declined."""
    return Outbound(
        [
            Paragraph(
                t(
                    "Thank you, your answer is saved. The municipality that asked is not told of a refusal: for it, "
                    "the request closes without an answer."
                )
            )
        ]
    )


def cannot_answer(t: Translator, why: Unanswerable, intro_id: int) -> str:
    if why == "not_coordinator":
        return t("Only your team’s coordinators can answer a request for an introduction.")
    if why == "answered":
        return t("Request {id} has already been answered.", id=intro_id)
    if why == "closed":
        return t(
            "Request {id} is closed: it was not answered within {days} days.", id=intro_id, days=ANSWER_WITHIN_DAYS
        )
    if why == "left":
        return t(
            "Request {id} is closed: one of the two municipalities no longer takes part in the exchange.", id=intro_id
        )
    return t("There is no request number {id} for your municipality.", id=intro_id)


def cannot_ask(t: Translator, content: Content, why: Refusal, intro_id: int) -> str:
    """Why asking is refused; a refusal by the other side is never hinted at."""
    if why == "introduced":
        return t(
            "You have already been introduced to this municipality: its contact is listed under {command}.",
            command=command(content, t.lang),
        )
    if why == "theirs":
        return t(
            "This municipality has already asked to be introduced to you. Your coordinators can accept: {command}",
            command=answers_typed(content, t.lang, intro_id)[0],
        )
    return t("You have already asked to be introduced to this municipality.")


def asked_now(t: Translator) -> str:
    """The confirmation of an ask."""
    return t(
        "Your request has been sent. The municipality’s coordinators see a description of your municipality without "
        "its name, and why you fit. Only if they agree do both sides receive the contact each chose to share. "
        "Without an answer, the request closes after {days} days.",
        days=ANSWER_WITHIN_DAYS,
    )


def status_lines(
    content: Content, t: Translator, workspace_id: int, intros: Iterable[Introduction], now: datetime, coordinates: bool
) -> list[str]:
    """The workspace's introductions as its members read them: requests waiting for its answer (coordinators get the
    commands, others a count), the accepted ones with the other side's name and contact (none once a side left the
    exchange), then its own asks (no names before acceptance; a refusal reads as no answer, then closed), newest
    first in each group."""
    lang = t.lang
    again = timedelta(days=ASK_AGAIN_AFTER_DAYS)
    waiting: list[str] = []
    accepted: list[str] = []
    asks: list[str] = []
    for intro in sorted(intros, key=lambda i: i.asked_at, reverse=True):
        state = seen(intro, now)
        when = t.date(intro.asked_at.date(), "medium")
        mine = intro.asking == workspace_id
        other = describe(content, t, lang, unnamed((intro.asked_facts if mine else intro.asking_facts) or Facts()))
        if state == "accepted":
            contact = contact_line(t, intro.name or "", intro.contact or "")
            accepted.append(t("Introduced (asked on {date}): {contact}", date=when, contact=contact))
        elif intro.status == "accepted":  # and a side left since: it was answered, but names nobody any more
            accepted.append(
                t(
                    "Introduced (asked on {date}); closed since: one of the two municipalities no longer takes part "
                    "in the exchange.",
                    date=when,
                )
            )
        elif mine and state == "waiting":
            asks.append(t("{municipality}: asked on {date}, no answer yet", date=when, municipality=other))
        elif mine and now < closes_at(intro) + again:
            asks.append(t("{municipality}: asked on {date}, closed, no answer", date=when, municipality=other))
        elif not mine and state == "waiting" and intro.status == "asked":
            accept, decline = answers_typed(content, lang, intro.id)
            why = reasons_text(content, t, lang, intro.reasons)
            said = t("Request {id} of {date}: {municipality}", id=intro.id, date=when, municipality=other)
            if why:
                said += " – " + t("why it fits: {reasons}", reasons=why)
            waiting.append(said + " – " + t("answer: {accept} or {decline}", accept=accept, decline=decline))
    if waiting and not coordinates:
        waiting = [
            t.plural(
                "{n} request for an introduction waits for your coordinators’ answer.",
                "{n} requests for an introduction wait for your coordinators’ answer.",
                len(waiting),
            )
        ]
    return waiting + accepted + asks
