"""``/stand``: report a measure's status and its indicator's value.

A reminder's buttons run ``status <uid> <status>`` (flows.practice.messages.status_choices); typed, the same works in
every language (``/stand r3 läuft``, ``/avancement r3 en cours 12``). ``/stand`` alone lists the measures the person
may report on and asks measure, status and value in turn. It works on any screen: the question below is kept.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flows.content.model import LANGUAGES
from flows.conversation.actions import ReportProgress
from flows.conversation.screens.menu import back_choice
from flows.conversation.session import Session
from flows.conversation.state import Mode
from flows.conversation.steps.base import Input
from flows.messages import BUTTON, Block, Bullets, Choice, Heading, Paragraph
from flows.practice.measures import MEASURES, measures
from flows.practice.model import STATUS_NAMES, STATUSES, Measure, Report, Status
from flows.practice.progress import reported, status_of, value_of
from flows.reading import fold
from flows.team.roles import owns
from flows.team.view import Team

WORDS = 80
"""Words of ``/stand …`` read at most (a measure's title, a status, a value); the rest of a long message is not."""
STATUS_WORDS = 3
"""A status name has at most this many words (en cours)."""


# -- who reports on what ----------------------------------------------------------------------
def mine(team: Team, measure: Measure) -> bool:
    """The measure's owner is the person writing: by their membership, or (older plans) by their name."""
    owner = measure.owner
    if owner is None:
        return False
    if owner.member is not None:
        return owner.member == team.me
    me = team.mate(team.me)
    return me is not None and me.name is not None and owns({"owner": owner.name}, me.name)


def may_report(team: Team, measure: Measure) -> bool:
    """Coordinators and editors report on every measure; anyone else only on the measures they own."""
    return team.can_edit or mine(team, measure)


def _reportable(s: Session, team: Team) -> list[Measure]:
    """The measures the person may report on, their own first."""
    found = [m for m in measures(s.state.answers) if m.uid and may_report(team, m)]
    return sorted(found, key=lambda m: not mine(team, m))


def now(s: Session) -> datetime:
    return s.facts.now or datetime.now(UTC)


def measure_of(s: Session, uid: object) -> Measure | None:
    """A measure of the plan by its uid (None: there is none, or no more)."""
    return next((m for m in measures(s.state.answers) if m.uid == uid), None)


# -- /stand -----------------------------------------------------------------------------------
def status_command(s: Session, arg: str) -> None:
    """``/stand`` lists the measures; ``/stand <measure> [status [value]]`` reports (asking for what is missing)."""
    team = s.facts.team
    plan = [m for m in measures(s.state.answers) if m.uid]
    if team is None or not plan:
        return s.say(
            s.t(
                "There are no measures to report on yet: they are recorded in the action plan (/{command} {number}).",
                command=s.ctx.command_name("stage"),
                number=s.content.stage_of(MEASURES).number,
            )
        )
    reportable = _reportable(s, team)
    if not reportable:
        return s.say(_not_reporter(s, team))
    words = arg.split()[:WORDS]
    if not words:
        return _open(s, "report_measure", {})
    measure, rest = _named(plan, words)
    if measure is None:
        named = next((words[:n] for n in range(1, len(words)) if _status_in(s, words[n:])[0] is not None), words)
        s.say(s.t("There is no measure “{name}” in the action plan (any more).", name=" ".join(named)[:60].rstrip()))
        return _open(s, "report_measure", {})
    if not may_report(team, measure):
        s.say(_not_reporter(s, team))
        return _open(s, "report_measure", {})
    if not rest:
        return _open(s, "report_status", {"uid": measure.uid})
    status, more = _status_in(s, rest)
    if status is None:
        s.say(s.t("“{word}” is no status I know. Please pick one:", word=" ".join(rest)[:40].rstrip()))
        return _open(s, "report_status", {"uid": measure.uid})
    if not more:
        _report(s, measure, status, None)
        if measure.indicators:  # one tap stores the status; the indicator's value may follow
            _open(s, "report_value", {"uid": measure.uid, "status": status, "stored": True})
        return None
    value = value_of(more)
    if value is None:
        s.say(_not_a_number(s, more))
        return _open(s, "report_value", {"uid": measure.uid, "status": status})
    _report(s, measure, status, value)


def _named(plan: list[Measure], words: list[str]) -> tuple[Measure | None, list[str]]:
    """The measure the words start with (its uid, or its title) and the words after it."""
    by_uid = next((m for m in plan if m.uid.casefold() == words[0].casefold()), None)
    if by_uid is not None:
        return by_uid, words[1:]
    for n in range(len(words), 0, -1):
        typed = fold(" ".join(words[:n]))
        found = next((m for m in plan if fold(m.title) == typed), None)
        if found is not None:
            return found, words[n:]
    return None, words


def _status_in(s: Session, words: list[str]) -> tuple[Status | None, str]:
    """The status the words start with, in any language ("en cours"), and what follows it (a value)."""
    translators = [s.t, *(s.content.catalogues.translator(x) for x in LANGUAGES if x != s.state.lang)]
    for n in range(min(len(words), STATUS_WORDS), 0, -1):
        status = status_of(" ".join(words[:n]), translators)
        if status is not None:
            return status, " ".join(words[n:])
    return None, ""


def _not_reporter(s: Session, team: Team) -> str:
    if team.role == "viewer":
        return s.t("You can read the plan; its measures’ status is reported by their owners and the coordinators.")
    return s.t("You can report only on the measures you are responsible for.")


def _not_a_number(s: Session, text: str) -> str:
    return s.t(
        "I could not read “{text}” as a number. Please type just the number, for example {example}, or skip.",
        text=text.strip()[:40].rstrip(),
        example=s.t.decimal(12.5),
    )


def _report(s: Session, measure: Measure, status: Status, value: float | None) -> None:
    """Store the report (the shell does, before the reply) and say what was stored."""
    team = s.facts.team
    assert team is not None, "only members of a workspace report"
    s.actions.append(ReportProgress(team.workspace_id, measure.uid, status, value))
    me = team.mate(team.me)
    report = Report(measure.uid, status, value, now(s), team.me, me.name if me is not None else None)
    indicator = measure.indicators[0] if measure.indicators else None
    said = reported(s.t, report, s.ctx.zone(), indicator)
    s.say(s.t("Saved: {measure} – {report}", measure=measure.title, report=said))


def _open(s: Session, mode: Mode, view: dict[str, Any]) -> None:
    s.open_overlay(mode)
    s.state.view = {"report": view}


def _view(s: Session) -> dict[str, Any]:
    view: dict[str, Any] = s.state.view.get("report") or {}
    return view


def _gone(s: Session) -> None:
    """The measure was deleted while the person was reporting on it."""
    s.close_overlay()
    s.say(s.t("That measure is no longer in the action plan, so nothing was saved."))


class PickMeasure:
    """The measures the person may report on, with their latest status; picking one asks for its status."""

    overlay = True

    def question(self, s: Session) -> list[Block]:
        team = s.facts.team
        plan = _reportable(s, team) if team is not None else []
        if not plan:
            return [Paragraph(s.t("There are no measures to report on."))]
        lines = tuple(s.ctx.labelled(m.title, s.ctx.last_report(m) or s.t("no report yet")) for m in plan)
        return [
            Heading(s.t("Status of the measures")),
            Bullets(lines),
            Paragraph(s.t("Which measure do you want to report on?")),
        ]

    def choices(self, s: Session) -> list[Choice]:
        team = s.facts.team
        plan = _reportable(s, team) if team is not None else []
        return [*(Choice(f"m:{m.uid}", m.title, short=_short(m.title)) for m in plan), back_choice(s)]

    def on_input(self, s: Session, inp: Input) -> None:
        if inp.choice == "_close":
            return s.close_overlay()
        team = s.facts.team
        picked = next((m for m in _reportable(s, team) if inp.choice == f"m:{m.uid}"), None) if team else None
        if picked is None:
            return s.say_only(s.t("Please pick a measure by its number."))
        s.state.mode = "report_status"
        s.state.view = {"report": {"uid": picked.uid}}
        return None


def _short(title: str) -> str | None:
    return title[: BUTTON - 1] + "…" if len(title) > BUTTON else None


class PickStatus:
    """How the measure is going: running, done, delayed or stopped."""

    overlay = True

    def question(self, s: Session) -> list[Block]:
        measure = measure_of(s, _view(s).get("uid"))
        if measure is None:
            return [Paragraph(s.t("That measure is no longer in the action plan, so nothing was saved."))]
        blocks: list[Block] = [Paragraph(s.t("How is “{measure}” going?", measure=measure.title))]
        last = s.ctx.last_report(measure)
        if last is not None:
            blocks.append(Paragraph(s.t("Last report: {report}", report=last)))
        return blocks

    def choices(self, s: Session) -> list[Choice]:
        return [*(Choice(f"s:{x}", s.t(STATUS_NAMES[x])) for x in STATUSES), back_choice(s)]

    def on_input(self, s: Session, inp: Input) -> None:
        if inp.choice == "_close":
            return s.close_overlay()
        measure = measure_of(s, _view(s).get("uid"))
        if measure is None:
            return _gone(s)
        status = next((x for x in STATUSES if inp.choice == f"s:{x}"), None)
        if status is None and inp.text:
            status, _ = _status_in(s, inp.text.split())
        if status is None:
            return s.say_only(s.t("Please pick one of the options below."))
        if not measure.indicators:
            s.close_overlay()
            return _report(s, measure, status, None)
        s.state.mode = "report_value"
        s.state.view = {"report": {"uid": measure.uid, "status": status}}
        return None


class AskValue:
    """The indicator's value now (typed), or none; after a one-tap status it is asked as an addition."""

    overlay = True

    def question(self, s: Session) -> list[Block]:
        measure = measure_of(s, _view(s).get("uid"))
        if measure is None or not measure.indicators:
            return [Paragraph(s.t("That measure is no longer in the action plan, so nothing was saved."))]
        indicator = measure.indicators[0]
        name = f"{indicator.name} ({indicator.unit})" if indicator.unit else indicator.name
        return [Paragraph(s.t("New value of the indicator “{name}”? Type the number, or skip.", name=name))]

    def choices(self, s: Session) -> list[Choice]:
        return [Choice("_skip", s.t("Skip")), back_choice(s)]

    def on_input(self, s: Session, inp: Input) -> None:
        view = _view(s)
        measure, status = measure_of(s, view.get("uid")), view.get("status")
        if inp.choice == "_close" or (inp.choice == "_skip" and view.get("stored")):
            return s.close_overlay()
        if measure is None or status not in STATUSES:
            return _gone(s)
        if inp.choice == "_skip":
            s.close_overlay()
            return _report(s, measure, status, None)
        value = value_of(inp.text or "")
        if value is None:
            return s.say_only(_not_a_number(s, inp.text or ""))
        s.close_overlay()
        _report(s, measure, status, value)
