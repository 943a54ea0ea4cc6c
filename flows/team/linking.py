"""What linking another messenger answers: the code to enter there, the refusals, and the confirmation."""

from __future__ import annotations

from flows.content.i18n import Translator
from flows.messages import Outbound, Paragraph
from flows.team.codes import LINK_VALID, Refusal, shown
from flows.team.messages import slow_down


def _say(text: str) -> Outbound:
    return Outbound([Paragraph(text)])


def code_made(t: Translator, code: str, command: str) -> Outbound:
    """The personal code, and how to use it on the other messenger."""
    hours = int(LINK_VALID.total_seconds() // 3600)
    return _say(
        t.plural(
            "Your personal code: {code}. On your other messenger, write /{command} {code} within {n} hour. "
            "The code works once; only this code links, never a name.",
            "Your personal code: {code}. On your other messenger, write /{command} {code} within {n} hours. "
            "The code works once; only this code links, never a name.",
            hours,
            code=shown(code),
            command=command,
        )
    )


def not_a_code(t: Translator, command: str) -> Outbound:
    return _say(
        t(
            "That is not a code: a code has 8 letters and digits, e.g. /{command} ABCD-EFGH. "
            "Send /{command} alone to get your own code.",
            command=command,
        )
    )


def refused(t: Translator, why: Refusal, minutes: int = 0) -> Outbound:
    """Why an entered code did not link (unknown, used, expired, the person's own, or too many failures)."""
    if why == "too_many":
        return slow_down(t, minutes)
    texts = {
        "unknown": t("I do not know this code. Please check it, or make a new one on your other messenger."),
        "used": t("This code has been used already. Make a new one on your other messenger."),
        "expired": t("This code has expired. Make a new one on your other messenger."),
        "own": t(
            "This messenger is already linked to the person who made this code. "
            "Enter the code on the messenger you want to link."
        ),
    }
    return _say(texts[why])


def linked(t: Translator) -> Outbound:
    """Said on the messenger that entered the code; the other one carries on as before."""
    return _say(
        t(
            "Done: this messenger is now linked to you. Your workspace, your answers and your newsletter "
            "subscription are the same on every linked messenger; /mydata lists them all. We continue here:"
        )
    )
