"""What a typed answer means before a step takes it: a question to answer, a control word, or the answer.

- A question ("Was ist eine Verwaltungsspitze?", "c'est quoi AFOM", see :func:`flows.reading.is_question`) is
  answered from the glossary when it names a term, else from the step's help, else with a pointer to /help;
  the question is asked again and nothing is stored. Steps with ``accepts_questions`` take questions as
  answers. Because an answer may now and then be phrased as a question, a free-text question keeps the
  message at hand: the button "Save as answer" (or typing "yes") stores it after all.
- A bare control word ("Fertig", "ja", "alle", "done", "terminé") typed where free text is asked is not
  stored as the answer. On an optional question "fertig", "keine" and "nein" skip it, which is what people
  mean there. Otherwise the companion asks whether to save the word, with Yes/No buttons; typing "ja" or
  "nein" works too. A list still ends with its done words (and "keine" on an empty list).
"""

from __future__ import annotations

from flows.content.model import Step
from flows.conversation.session import Session
from flows.conversation.steps import kind_of
from flows.conversation.steps.base import Input
from flows.messages import Choice
from flows.reading import (
    DONE_WORDS,
    NO_WORDS,
    NONE_WORDS,
    YES_WORDS,
    is_control_word,
    is_question,
    terms_named,
    word_of,
)

FREE_TEXT = frozenset({"text", "list", "budget", "place", "owner", "indicator", "unit"})
"""What a step expects when any words may be the answer (a date or a choice has a form of its own)."""
SKIPPING = DONE_WORDS | NONE_WORDS | NO_WORDS
"""Typed alone on an optional free-text question, these skip it."""
LIST_WORDS = DONE_WORDS | NONE_WORDS
"""A list step reads these itself: they end the list."""


def held_choices(s: Session) -> list[Choice]:
    """The buttons for a held message: Yes/No for a control word, "Save as answer" for a question."""
    held = s.state.held
    if held is None:
        return []
    if is_control_word(held):
        return [Choice("_take", s.t("Yes, save it")), Choice("_drop", s.t("No, I will type it"))]
    return [Choice("_take", s.t("Save as answer"))]


def meant(s: Session, step: Step, inp: Input) -> Input | None:
    """The input the step is to take, or None when this message was answered here (nothing stored)."""
    held, s.state.held = s.state.held, None
    if held is not None and (inp.choice == "_take" or (not inp.button and word_of(inp.text or "") in YES_WORDS)):
        return Input(text=held, choice=None)
    if held is not None and (inp.choice == "_drop" or (is_control_word(held) and word_of(inp.text or "") in NO_WORDS)):
        s.say(s.t("All right. Please type your answer."))
        return None
    if inp.button or inp.choice is not None or not (inp.text or "").strip():
        return inp
    kind = kind_of(step)
    expects, word = kind.expects(s.ctx, step), word_of(inp.text or "")
    if expects in FREE_TEXT and is_control_word(word) and not (expects == "list" and word in LIST_WORDS):
        if kind.optional(s.ctx, step) and word in SKIPPING:
            s.say(s.t("Skipped."))
            return Input(text=None, choice="_skip", button=True)
        s.state.held = (inp.text or "").strip()
        s.say_only(
            s.t(
                "“{word}” looks like an instruction rather than an answer to this question. "
                "Save “{word}” as the answer?",
                word=s.state.held,
            )
        )
        return None
    if not step.accepts_questions and is_question(inp.text or ""):
        answer(s, step, (inp.text or "").strip())
        if expects in FREE_TEXT:
            s.state.held = (inp.text or "").strip()
        return None
    return inp


def answer(s: Session, step: Step, question: str) -> None:
    """Answer a question from the glossary, else the step's help, else point to /help; then ask again."""
    terms = terms_named(s.content.glossary, question)
    for term in terms:
        name = next((words[0] for lang, words in term.aliases.items() if lang == s.state.lang), term.aliases["de"][0])
        s.say(s.ctx.labelled(name, s.ctx.text(term.explanation)))
    if not terms and step.help:
        s.say(s.ctx.text(step.help))
    if not terms and not step.help:
        s.say(
            s.t(
                "I cannot answer that question here. Please type your answer, or send /{help} for help.",
                help=s.ctx.command_name("help"),
            )
        )
    s.show_question = True
