"""The newsletter in chat: choose topics and language, read the consent text, confirm; change or end it."""

from __future__ import annotations

from typing import Any

from flows.content.content import Content
from flows.content.model import LANGUAGE_NAMES, LANGUAGES
from flows.conversation.actions import Attend, ChangeSubscription, Confirm, Facts, RequestConsent, ShowEvents, Withdraw
from flows.conversation.context import Ctx
from flows.conversation.state import State
from flows.conversation.steps.base import Input
from flows.messages import Block, Choice, Heading, Paragraph
from flows.reading import STOP_WORDS, fold

SUB_MODES = ("subscribe", "sub_lang", "sub_consent", "sub_manage")


class Subscribing:
    """Mixed into the engine's session."""

    content: Content
    ctx: Ctx
    state: State
    t: Any
    facts: Facts
    actions: list[Any]
    show_question: bool

    def newsletter(self) -> None:
        if self.content.consent is None:
            self.say(self.t("The newsletter is not offered here."))
            return
        if self.facts.subscribed:
            self.state.view = {"sub": {"topics": list(self.facts.topics), "lang": self.facts.sub_language}}
            return self.open_overlay("sub_manage")
        self.state.view = {"sub": {"topics": [], "lang": self.state.lang}}
        self.open_overlay("subscribe")

    def unsubscribe(self) -> None:
        if not self.facts.subscribed:
            self.say(self.t("You have no newsletter subscription, so there is nothing to end."))
            return
        self.actions.append(Withdraw())
        self.say(self.t("You are unsubscribed; you will get no more newsletters or announcements. "
                        "/newsletter subscribes you again."))

    def attend(self, arg: str, attending: bool) -> None:
        number = arg.strip().lstrip("#")
        if not number.isdigit() or len(number) > 9:
            self.say(self.t("Which event? Give its number, for example /attend 3. /events lists them."))
            return
        self.actions.append(Attend(int(number), attending))

    def events(self) -> None:
        self.actions.append(ShowEvents())

    # -- the overlay ---------------------------------------------------------
    def _sub(self) -> dict[str, Any]:
        return self.state.view.setdefault("sub", {"topics": [], "lang": self.state.lang})

    def on_subscription(self, inp: Input) -> None:
        mode, sub, choice = self.state.mode, self._sub(), inp.choice or ""
        if choice == "_close":
            if mode == "sub_consent":
                self.actions.append(Withdraw())
                self.say(self.t("Nothing was subscribed."))
            return self.close_overlay()
        if mode == "subscribe":
            return self._on_topics(sub, choice)
        if mode == "sub_lang" and choice.startswith("l:") and choice[2:] in LANGUAGES:
            sub["lang"] = choice[2:]
            if self.facts.subscribed:
                return self._changed(sub)
            self.actions.append(RequestConsent(tuple(sub["topics"]), sub["lang"], self.content.consent.version))
            self.state.mode = "sub_consent"
            return None
        if mode == "sub_consent" and choice in ("_yes", "_no"):
            if choice == "_no":
                self.actions.append(Withdraw())
                self.close_overlay()
                return self.say(self.t("Nothing was subscribed."))
            self.actions.append(Confirm(tuple(sub["topics"]), sub["lang"], self.content.consent.version))
            self.close_overlay()
            return self.say(self.t("Thank you, your subscription is active. Every message carries a way to "
                                   "unsubscribe; /unsubscribe works at any time."))
        if mode == "sub_manage" and choice in ("_topics", "_lang", "_unsub"):
            if choice == "_unsub":
                self.close_overlay()
                return self.unsubscribe()
            self.state.mode = "subscribe" if choice == "_topics" else "sub_lang"
            return None
        self.say(self.t("Please pick one of the options below."))
        self.show_question = False
        return None

    def _on_topics(self, sub: dict[str, Any], choice: str) -> None:
        topics: list[str] = sub["topics"]
        if choice.startswith("x:") and choice[2:] in self.content.topics:
            topic = choice[2:]
            sub["topics"] = [t for t in topics if t != topic] if topic in topics else \
                [t for t in self.content.topics if t in topics or t == topic]
            return
        if choice == "_all":
            sub["topics"] = []
            choice = "_done"
        if choice == "_done":
            if self.facts.subscribed:
                return self._changed(sub)
            self.state.mode = "sub_lang"
            return
        self.say(self.t("Please pick one of the options below."))
        self.show_question = False

    def _changed(self, sub: dict[str, Any]) -> None:
        self.actions.append(ChangeSubscription(tuple(sub["topics"]), sub["lang"]))
        self.close_overlay()
        self.say(self.t("Your subscription is updated: {topics}, in {language}.", topics=self._topics(sub["topics"]),
                        language=LANGUAGE_NAMES[sub["lang"]]))

    def _topics(self, topics: list[str]) -> str:
        return ", ".join(self.ctx.topic_label(t) for t in topics) or self.t("all topics")

    def subscription_choices(self) -> list[Choice]:
        t, mode, sub = self.t, self.state.mode, self._sub()
        if mode == "subscribe":
            return [*(Choice(f"x:{x}", self.ctx.topic_label(x), x in sub["topics"]) for x in self.content.topics),
                    Choice("_done", t("Done")), Choice("_all", t("All topics")), Choice("_close", t("Cancel"))]
        if mode == "sub_lang":
            return [*(Choice(f"l:{code}", name) for code, name in LANGUAGE_NAMES.items()),
                    Choice("_close", t("Cancel"))]
        if mode == "sub_consent":
            return [Choice("_yes", t("Yes, I agree and subscribe")), Choice("_no", t("No, do not subscribe"))]
        return [Choice("_topics", t("Change topics")), Choice("_lang", t("Change language")),
                Choice("_unsub", t("Unsubscribe")), Choice("_close", t("Back to the question"))]

    def subscription_question(self) -> list[Block]:
        t, mode, sub = self.t, self.state.mode, self._sub()
        if mode == "subscribe":
            return [Heading(t("Newsletter")),
                    Paragraph(t("Which topics would you like news and event announcements about? Tap to select, "
                                "then Done. Without a selection you get everything."))]
        if mode == "sub_lang":
            return [Paragraph(t("In which language would you like to receive them?"))]
        if mode == "sub_consent":
            return [Heading(t("Your consent")), Paragraph(self.ctx.text(self.content.consent.text)),
                    Paragraph(t("Topics: {topics}. Language: {language}.", topics=self._topics(sub["topics"]),
                                language=LANGUAGE_NAMES[sub["lang"]])),
                    Paragraph(t("Do you want to subscribe?"))]
        return [Heading(t("Newsletter")),
                Paragraph(t("You are subscribed to: {topics}, in {language}.", topics=self._topics(sub["topics"]),
                            language=LANGUAGE_NAMES.get(sub.get("lang") or "de", "Deutsch")))]

    def is_stop_word(self, text: str) -> bool:
        return self.facts.subscribed and fold(text.strip()) in STOP_WORDS
