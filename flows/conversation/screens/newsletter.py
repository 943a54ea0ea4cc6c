"""The newsletter in chat: choose topics and language, read the consent text, confirm; change or end it."""

from __future__ import annotations

from typing import Any

from flows.content.model import LANGUAGE_NAMES, LANGUAGES
from flows.conversation.actions import Attend, ChangeSubscription, Confirm, RequestConsent, ShowEvents, Withdraw
from flows.conversation.session import Session
from flows.conversation.steps.base import Input
from flows.messages import Block, Choice, Heading, Paragraph
from flows.reading import STOP_WORDS, fold


def open_newsletter(s: Session) -> None:
    if s.content.consent is None:
        return s.say(s.t("The newsletter is not offered here."))
    if s.facts.subscribed:
        s.state.view = {"sub": {"topics": list(s.facts.topics), "lang": s.facts.sub_language}}
        return s.open_overlay("sub_manage")
    s.state.view = {"sub": {"topics": [], "lang": s.state.lang}}
    s.open_overlay("subscribe")


def unsubscribe(s: Session) -> None:
    if not s.facts.subscribed:
        return s.say(s.t("You have no newsletter subscription, so there is nothing to end."))
    s.actions.append(Withdraw())
    s.say(
        s.t(
            "You are unsubscribed; you will get no more newsletters or announcements. /newsletter subscribes you again."
        )
    )


def attend(s: Session, arg: str, attending: bool) -> None:
    number = arg.strip().lstrip("#")
    if not (number.isascii() and number.isdigit()) or len(number) > 9:
        return s.say(s.t("Which event? Give its number, for example /attend 3. /events lists them."))
    s.actions.append(Attend(int(number), attending))


def events(s: Session) -> None:
    s.actions.append(ShowEvents())


def is_stop_word(s: Session, text: str) -> bool:
    return s.facts.subscribed and fold(text.strip()) in STOP_WORDS


# -- the overlay ---------------------------------------------------------------
def _sub(s: Session) -> dict[str, Any]:
    """The subscription being edited (a default one when the view lost it: every screen here makes sure)."""
    sub: dict[str, Any] = s.state.view.setdefault("sub", {"topics": [], "lang": s.state.lang})
    return sub


def _topics(s: Session, topics: list[str]) -> str:
    return ", ".join(s.ctx.topic_label(x) for x in topics) or s.t("all topics")


def _changed(s: Session, sub: dict[str, Any]) -> None:
    s.actions.append(ChangeSubscription(tuple(sub["topics"]), sub["lang"]))
    s.close_overlay()
    s.say(
        s.t(
            "Your subscription is updated: {topics}, in {language}.",
            topics=_topics(s, sub["topics"]),
            language=LANGUAGE_NAMES[sub["lang"]],
        )
    )


def _cancel(s: Session) -> None:
    s.close_overlay()


def _pick_one(s: Session) -> None:
    s.say_only(s.t("Please pick one of the options below."))


class Subscribe:
    """Topics, toggled; Done goes on to the language (or changes a subscription)."""

    overlay = True

    def question(self, s: Session) -> list[Block]:
        return [
            Heading(s.t("Newsletter")),
            Paragraph(
                s.t(
                    "Which topics would you like news and event announcements about? Tap to select, "
                    "then Done. Without a selection you get everything."
                )
            ),
        ]

    def choices(self, s: Session) -> list[Choice]:
        t, sub = s.t, _sub(s)
        return [
            *(Choice(f"x:{x}", s.ctx.topic_label(x), x in sub["topics"]) for x in s.content.topics),
            Choice("_done", t("Done")),
            Choice("_all", t("All topics")),
            Choice("_close", t("Cancel")),
        ]

    def on_input(self, s: Session, inp: Input) -> None:
        sub, choice = _sub(s), inp.choice or ""
        if choice == "_close":
            return _cancel(s)
        topics: list[str] = sub["topics"]
        if choice.startswith("x:") and choice[2:] in s.content.topics:
            topic = choice[2:]
            picked = (
                [x for x in topics if x != topic]
                if topic in topics
                else [x for x in s.content.topics if x in topics or x == topic]
            )
            s.state.view = {**s.state.view, "sub": {**sub, "topics": picked}}  # a new view: new choices
            return None
        if choice == "_all":
            sub["topics"] = []
            choice = "_done"
        if choice == "_done":
            if s.facts.subscribed:
                return _changed(s, sub)
            s.state.mode = "sub_lang"
            return None
        return _pick_one(s)


class SubLang:
    overlay = True

    def question(self, s: Session) -> list[Block]:
        return [Paragraph(s.t("In which language would you like to receive them?"))]

    def choices(self, s: Session) -> list[Choice]:
        _sub(s)
        return [*(Choice(f"l:{code}", name) for code, name in LANGUAGE_NAMES.items()), Choice("_close", s.t("Cancel"))]

    def on_input(self, s: Session, inp: Input) -> None:
        sub, choice = _sub(s), inp.choice or ""
        if choice == "_close":
            return _cancel(s)
        if not (choice.startswith("l:") and choice[2:] in LANGUAGES):
            return _pick_one(s)
        sub["lang"] = choice[2:]
        if s.facts.subscribed:
            return _changed(s, sub)
        assert s.content.consent is not None  # the newsletter opens only where consent is configured
        s.actions.append(RequestConsent(tuple(sub["topics"]), sub["lang"], s.content.consent.version))
        s.state.mode = "sub_consent"
        return None


class SubConsent:
    overlay = True

    def question(self, s: Session) -> list[Block]:
        t, sub = s.t, _sub(s)
        assert s.content.consent is not None  # the newsletter opens only where consent is configured
        return [
            Heading(t("Your consent")),
            Paragraph(s.ctx.text(s.content.consent.text)),
            Paragraph(
                t(
                    "Topics: {topics}. Language: {language}.",
                    topics=_topics(s, sub["topics"]),
                    language=LANGUAGE_NAMES[sub["lang"]],
                )
            ),
            Paragraph(t("Do you want to subscribe?")),
        ]

    def choices(self, s: Session) -> list[Choice]:
        _sub(s)
        return [Choice("_yes", s.t("Yes, I agree and subscribe")), Choice("_no", s.t("No, do not subscribe"))]

    def on_input(self, s: Session, inp: Input) -> None:
        sub, choice = _sub(s), inp.choice or ""
        if choice in ("_close", "_no"):
            s.actions.append(Withdraw())
            if choice == "_close":
                s.say(s.t("Nothing was subscribed."))
                return s.close_overlay()
            s.close_overlay()
            return s.say(s.t("Nothing was subscribed."))
        if choice != "_yes":
            return _pick_one(s)
        assert s.content.consent is not None  # the newsletter opens only where consent is configured
        s.actions.append(Confirm(tuple(sub["topics"]), sub["lang"], s.content.consent.version))
        s.close_overlay()
        s.say(
            s.t(
                "Thank you, your subscription is active. Every message carries a way to "
                "unsubscribe; /unsubscribe works at any time."
            )
        )


class SubManage:
    overlay = True

    def question(self, s: Session) -> list[Block]:
        sub = _sub(s)
        return [
            Heading(s.t("Newsletter")),
            Paragraph(
                s.t(
                    "You are subscribed to: {topics}, in {language}.",
                    topics=_topics(s, sub["topics"]),
                    language=LANGUAGE_NAMES.get(sub.get("lang") or "de", "Deutsch"),
                )
            ),
        ]

    def choices(self, s: Session) -> list[Choice]:
        t, _ = s.t, _sub(s)
        return [
            Choice("_topics", t("Change topics")),
            Choice("_lang", t("Change language")),
            Choice("_unsub", t("Unsubscribe")),
            Choice("_close", t("Back to the question")),
        ]

    def on_input(self, s: Session, inp: Input) -> None:
        choice, _ = inp.choice or "", _sub(s)
        if choice == "_close":
            return _cancel(s)
        if choice == "_unsub":
            s.close_overlay()
            return unsubscribe(s)
        if choice in ("_topics", "_lang"):
            s.state.mode = "subscribe" if choice == "_topics" else "sub_lang"
            return None
        return _pick_one(s)
