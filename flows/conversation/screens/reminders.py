"""``/erinnerungen``: a person's reminder setting and what is coming, with pause, stop and resume."""

from __future__ import annotations

from datetime import datetime, timedelta

from flows.conversation.actions import SetReminders
from flows.conversation.screens.followup import measure_of, now
from flows.conversation.screens.menu import back_choice
from flows.conversation.screens.team import OFF_WORDS, ON_WORDS
from flows.conversation.session import Session
from flows.conversation.steps.base import Input
from flows.messages import Block, Bullets, Choice, Heading, Paragraph
from flows.practice.model import Due, Setting
from flows.practice.progress import local
from flows.practice.schedule import COMMITMENTS
from flows.reading import fold

PAUSE = timedelta(weeks=4)
PAUSE_WORDS = frozenset({"pause", "pausieren", "pausiere", "unterbrechen", "suspendre"})
STOPPING = OFF_WORDS | {"stop", "stopp", "arret", "arreter", "ende", "never", "nie"}
"""What may follow ``/erinnerungen`` (folded), in every language; ON_WORDS turn them on."""


def reminders_command(s: Session, arg: str) -> None:
    """``/erinnerungen`` shows the setting and what is coming; ``an``, ``aus`` or ``pause`` sets it at once."""
    word = fold(arg.strip())
    if not word:
        return s.open_overlay("reminders")
    if word in ON_WORDS:
        return _set(s, "on")
    if word in STOPPING:
        return _set(s, "off")
    if word in PAUSE_WORDS:
        return _set(s, "paused")
    s.say(
        s.t(
            "Please write {on}, {off} or {pause}.",
            on=_typed(s, "on"),
            off=_typed(s, "off"),
            pause=_typed(s, "pause"),
        )
    )
    s.open_overlay("reminders")


def _typed(s: Session, word: str) -> str:
    """``/erinnerungen aus``: the command as typed in the person's language."""
    # Translators: typed after the reminders command to pause them for four weeks (/erinnerungen pause).
    said = {"on": s.t("on"), "off": s.t("off"), "pause": s.t("pause")}[word]
    return f"/{s.ctx.command_name('reminders')} {said}"


def _set(s: Session, setting: Setting) -> None:
    """Store the setting (the shell does, before the reply) and say what happens next."""
    until = now(s) + PAUSE if setting == "paused" else None
    s.actions.append(SetReminders(setting, until))
    if setting == "off":
        return s.say(s.t("Reminders are off. {on} turns them on again.", on=_typed(s, "on")))
    if until is not None:
        day = s.t.date(local(until, s.ctx.zone()).date(), "medium")
        return s.say(s.t("No reminders until {date}. {on} turns them on earlier.", date=day, on=_typed(s, "on")))
    coming = _upcoming(s)
    s.say(
        s.t("Reminders are on. The next one: {reminder}.", reminder=coming[0]) if coming else s.t("Reminders are on.")
    )


def _setting(s: Session) -> tuple[Setting, datetime | None]:
    """The person's setting now: a pause that has ended is on."""
    if s.ctx.practice is None:
        return "on", None
    mine = s.ctx.practice.reminders()
    if mine.setting == "paused" and (mine.until is None or mine.until <= now(s)):
        return "on", None
    return mine.setting, mine.until


def _upcoming(s: Session) -> list[str]:
    """The person's coming reminders, one line each ("15.06.2027: status of “Dorfladen”"); gone subjects left out."""
    if s.ctx.practice is None:
        return []
    lines = []
    for due in s.ctx.practice.reminders().upcoming:
        what = _about(s, due)
        if what is not None:
            day = s.t.date(local(due.due_at, s.ctx.zone()).date(), "medium")
            lines.append(s.ctx.labelled(day, what))
    return lines


def _about(s: Session, due: Due) -> str | None:
    if due.kind in ("monitoring", "ending"):
        measure = measure_of(s, due.subject)
        if measure is None:
            return None
        if due.kind == "ending":
            return s.t("“{measure}” ends soon", measure=measure.title)
        return s.t("status of “{measure}”", measure=measure.title)
    if due.kind == "review":
        return s.t("the mid-term review")
    if due.kind == "idle":
        stage = next((x for x in s.content.daks_stages if x.id == due.subject), None)
        return s.t("carrying on with “{stage}”", stage=s.ctx.text(stage.title)) if stage is not None else None
    record = next((r for r in s.state.answers.get(COMMITMENTS) or [] if r.get("uid") == due.subject), None)
    return s.t("the commitment “{what}”", what=str(record.get("what") or "…")) if record is not None else None


class ReminderSettings:
    """The person's reminder setting and what is coming, with pause, stop and resume."""

    overlay = True

    def question(self, s: Session) -> list[Block]:
        setting, until = _setting(s)
        if setting == "paused" and until is not None:
            day = s.t.date(local(until, s.ctx.zone()).date(), "medium")
            state = s.t("Your reminders are paused until {date}.", date=day)
        elif setting == "off":
            state = s.t("Your reminders are off.")
        else:
            state = s.t("Your reminders are on. I never send them between 20:00 and 08:00.")
        blocks: list[Block] = [Heading(s.t("Reminders")), Paragraph(state)]
        coming = _upcoming(s)
        if coming:
            return [*blocks, Paragraph(s.t("Coming up:")), Bullets(tuple(coming))]
        return [*blocks, Paragraph(s.t("No reminder is planned for you at the moment."))]

    def choices(self, s: Session) -> list[Choice]:
        setting, _ = _setting(s)
        return [
            *([Choice("_on", s.t("Turn them back on"))] if setting != "on" else []),
            *([Choice("_pause", s.t("Pause for 4 weeks"))] if setting == "on" else []),
            *([Choice("_off", s.t("Stop all reminders"))] if setting != "off" else []),
            back_choice(s),
        ]

    def on_input(self, s: Session, inp: Input) -> None:
        chosen: dict[str, Setting] = {"_pause": "paused", "_off": "off", "_on": "on"}
        if inp.choice == "_close":
            return s.close_overlay()
        if inp.choice not in chosen or inp.choice not in {c.id for c in self.choices(s)}:
            return s.say_only(s.t("Please pick one of the options below."))
        s.close_overlay()
        _set(s, chosen[inp.choice])
