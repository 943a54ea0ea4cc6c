"""The team's commands: notices on or off, and the coordinator recording the steering group's approval."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from flows.content.model import Stage
from flows.conversation.actions import Approve, RecordVersion, SetNotices, TellTeam
from flows.conversation.screens.menu import back_choice
from flows.conversation.session import Session
from flows.conversation.steps.base import Input
from flows.messages import Block, Choice, Paragraph
from flows.practice import versions
from flows.reading import fold, parse_date
from flows.team.approval import APPROVABLE, snapshot

ON_WORDS = frozenset({"an", "ein", "ja", "on", "yes", "oui", "activer"})
OFF_WORDS = frozenset({"aus", "nein", "off", "no", "non", "desactiver"})


def notices_command(s: Session, arg: str) -> None:
    """``/hinweise`` toggles the person's team notices; ``an``/``aus`` (``on``/``off``, ``oui``/``non``) sets them."""
    team = s.facts.team
    me = team.mate(team.me) if team is not None else None
    if team is None or me is None:
        return s.say(s.t("Team notices tell you when a teammate completes a stage. You are not in a team yet."))
    word = fold(arg.strip())
    if word and word not in ON_WORDS | OFF_WORDS:
        return s.say(s.t("Please write {on} or {off}.", on=_typed(s, "on"), off=_typed(s, "off")))
    on = word in ON_WORDS if word else not me.notices
    s.actions.append(SetNotices(team.workspace_id, on))
    if on:
        return s.say(
            s.t(
                "Team notices are on: you hear when a teammate completes a stage or the coordinator records an "
                "approval. {off} turns them off.",
                off=_typed(s, "off"),
            )
        )
    s.say(s.t("Team notices are off. {on} turns them on again.", on=_typed(s, "on")))


def _typed(s: Session, word: str) -> str:
    """``/hinweise aus``: the notices command as typed in the user's language."""
    # Translators: typed after the notices command to turn them off (/hinweise aus); ON_WORDS and OFF_WORDS accept it.
    said = s.t("off") if word == "off" else s.t("on")
    return f"/{s.ctx.command_name('notices')} {said}"


def approvable(s: Session) -> list[Stage]:
    return [s.content.stage(x) for x in APPROVABLE if x in {st.id for st in s.content.stages}]


def may_approve(s: Session) -> bool:
    return s.ctx.team is not None and s.ctx.team.coordinates


def approve_command(s: Session, arg: str) -> None:
    """``/beschliessen [stage]``: the coordinator picks a stage (the SWOT or the workshop plan), then the day."""
    if not may_approve(s):
        return s.say(
            s.t(
                "Only your team’s coordinator can record that the steering group agreed on a stage. "
                "Please ask them to do it."
            )
        )
    picked = fold(arg.strip())
    stage = next(
        (x for x in approvable(s) if picked and picked in (str(x.number), x.id, fold(s.ctx.text(x.title)))), None
    )
    open_approval(s, stage)


def open_approval(s: Session, stage: Stage | None) -> None:
    s.open_overlay("approve")
    s.state.view = {"stage": stage.id if stage is not None else None}


class Approval:
    """Which stage the steering group agreed on, and on which day."""

    overlay = True

    def question(self, s: Session) -> list[Block]:
        stage = _stage(s)
        if stage is None:
            return [Paragraph(s.t("Which stage did the steering group agree on?"))]
        return [
            Paragraph(
                s.t(
                    "On which day did the steering group agree on “{stage}”? For example 03.12.2026.",
                    stage=s.ctx.text(stage.title),
                )
            )
        ]

    def choices(self, s: Session) -> list[Choice]:
        if _stage(s) is None:
            return [*(Choice(f"a:{x.id}", f"{x.number}. {s.ctx.text(x.title)}") for x in approvable(s)), back_choice(s)]
        return [Choice("_today", s.t("Today")), back_choice(s)]

    def on_input(self, s: Session, inp: Input) -> None:
        if inp.choice == "_close":
            return s.close_overlay()
        if not may_approve(s):
            s.close_overlay()
            return approve_command(s, "")
        stage = _stage(s)
        if stage is None:
            picked = next((x for x in approvable(s) if inp.choice == f"a:{x.id}"), None)
            if picked is None:
                return s.say_only(s.t("Please pick one of the options below."))
            s.state.view = {"stage": picked.id}
            return None
        if inp.choice == "_today":
            return agreed(s, stage, (s.today or date.today()).isoformat())
        day = parse_date(inp.text or "")
        if day is None or len(day) != len("2026-12-03"):  # a month or a year is not the day of a meeting
            return s.say_only(s.t("Please give the day the steering group agreed, for example 03.12.2026."))
        agreed(s, stage, day)


def _stage(s: Session) -> Stage | None:
    stage_id = s.state.view.get("stage")
    return next((x for x in approvable(s) if x.id == stage_id), None)


def agreed(s: Session, stage: Stage, day: str) -> None:
    """Record the approval with the stage's answers now; the summary shows it at once."""
    team = s.ctx.team
    assert team is not None
    answers = snapshot(stage, s.state.answers)
    s.actions.append(Approve(team.workspace_id, stage.id, day, answers))
    if stage.id == versions.STAGE:  # the plan as agreed is a version of it
        s.actions.append(RecordVersion(team.workspace_id, answers, day))
    if team.shared:
        s.actions.append(TellTeam(team.workspace_id, stage.id, "approved", day))
    s.ctx.team = replace(team, approvals={**team.approvals, stage.id: (day, answers)})
    s.close_overlay()
    s.full = True
    s.say(
        s.t(
            "Recorded: the steering group agreed on “{stage}” on {date}. "
            "Later changes are shown as changes since this approval.",
            stage=s.ctx.text(stage.title),
            date=s.t.answer_date(day),
        )
    )


def room_hint(s: Session) -> None:
    """In a private chat the room command explains where to send it (group chats bind themselves, see the channels)."""
    s.say(
        s.t(
            "To connect your team’s group, add me to the Telegram group or Matrix room and send {command} there. "
            "Completed stages and approvals are then posted in it; the work itself stays in private chats.",
            command="/" + s.ctx.command_name("room"),
        )
    )
