"""The stages' screens: a new conversation, the question of a step, and the end of a stage."""

from __future__ import annotations

from flows.content.i18n import N_
from flows.content.model import Step
from flows.conversation import clash, figures, meaning, overview, profiles
from flows.conversation.screens import export, indicators, menu, team, toolbox
from flows.conversation.screens.menu import refuse
from flows.conversation.session import Session
from flows.conversation.steps import kind_of
from flows.conversation.steps.base import KEEP, Input, Result
from flows.messages import Block, Bullets, Choice, Heading, Inbound, Paragraph
from flows.reading import is_question
from flows.team import roles
from flows.team.approval import APPROVABLE
from flows.toolbox.recommend import recommend

ONLY_TEXT = N_("I can only read text here, so I have not kept the file. Please type your answer instead.")


def on_file(s: Session, inbound: Inbound) -> None:
    """A file sent to a question or a stage's end: statistics in the Kommunalprofil, else only text is read."""
    if indicators.takes_files(s):
        return indicators.take_file(s, inbound)
    s.say(s.t(ONLY_TEXT))


class Start:
    """Before the first message: nothing asked yet (the engine starts the conversation on any input)."""

    overlay = False

    def question(self, s: Session) -> list[Block]:
        return []

    def choices(self, s: Session) -> list[Choice]:
        return []

    def on_input(self, s: Session, inp: Input) -> None:
        return None


class Question:
    """The current step, asked by its kind."""

    overlay = False

    def question(self, s: Session) -> list[Block]:
        step = s.current_step()
        assert step is not None
        stage = s.content.stage_of(step.id)
        kind = kind_of(step)
        blocks: list[Block] = []
        if stage.number > 0:
            asked = [x.id for x in stage.steps]
            blocks.append(
                Heading(
                    s.t(
                        "{stage} · question {index} of {total}",
                        stage=s.ctx.text(stage.title),
                        index=asked.index(step.id) + 1,
                        total=len(asked),
                    )
                )
            )
            first = asked.index(step.id) == 0 and kind.opening(s.ctx, step)
            if first and not s.again and s.state.clash is None:  # the stage's goal, once
                blocks.append(Paragraph(s.ctx.text(stage.goal)))
                if stage.id == profiles.STAGE and (available := figures.available(s.ctx)):
                    blocks.append(Paragraph(available))
        if s.state.clash is not None:
            return [*blocks, Paragraph(s.ctx.text(step.prompt)), *clash.question(s.ctx, step)]
        return blocks + (kind.question(s.ctx, step) or [Paragraph(s.ctx.text(step.prompt))]) + kind.status(s.ctx, step)

    def choices(self, s: Session) -> list[Choice]:
        step = s.current_step()
        if step is None:
            return []
        if s.state.clash is not None:
            return clash.choices(s.ctx, step)
        kind = kind_of(step)
        choices = kind.choices(s.ctx, step)
        if kind.nav_keep and s.state.has_value(step.id):
            choices.append(Choice("_keep", s.t("Keep answer")))
        if step.optional and step.kind in ("text", "date", "single", "multi"):
            choices.append(Choice("_skip", s.t("Skip")))
        held = meaning.held_choices(s)
        return [*held, *choices] if held and held[0].id == "_take" and len(held) > 1 else [*choices, *held]

    def on_input(self, s: Session, inp: Input) -> None:
        step = s.current_step()
        assert step is not None
        kind = kind_of(step)
        if s.state.clash is not None:
            settled = clash.settle(s.ctx, step, inp.choice)
            if settled is not None:
                return apply(s, step, settled)
        if not roles.may_edit(s.ctx.team, step.id) and inp.choice not in PASSING:
            if not inp.button and is_question(inp.text or ""):  # reading includes asking what a word means
                return meaning.answer(s, step, (inp.text or "").strip())
            return refuse(s)
        taken = meaning.meant(s, step, inp)
        if taken is None:
            return None
        inp = taken
        if inp.choice == "_skip":
            inner = kind.skip(s.ctx, step)
            return apply(s, step, inner) if inner is not None else skip(s, step)
        if inp.choice == "_keep" and s.state.has_value(step.id) and kind.nav_keep:
            return s.advance(step)
        apply(s, step, kind.handle(s.ctx, step, inp))

    def on_file(self, s: Session, inbound: Inbound) -> None:
        on_file(s, inbound)


_NONE = object()
PASSING = frozenset({"_keep", "_done", "_next"})
"""Choices that move on without changing anything (what they would change is checked when it is stored)."""


def apply(s: Session, step: Step, result: Result) -> None:
    """What a step kind decided: store, tell, and move on when it is done.

    A change the person's role does not allow is refused; one that would overwrite a teammate's
    change they have not seen is held until they choose (flows/conversation/clash.py).
    """
    if result.held is not None:
        s.state.clash, s.state.draft, s.show_question = result.held, result.draft or s.state.draft, True
        return None
    answers = s.state.answers
    mine = result.value is not KEEP and result.value != answers.get(step.id, _NONE)
    if mine or (result.value is KEEP and result.also):  # KEEP with ``also``: only other answers (a dropped idea)
        changed = {**({step.id: result.value} if mine else {}), **result.also}
        if not all(roles.may_change(s.ctx.team, k, answers.get(k), v) for k, v in changed.items()):
            if result.draft is not None:
                s.state.draft = result.draft
            return refuse(s)
        if mine and clash.newer(s.ctx, step) is not None:
            clash.hold(s.ctx, step, result.value, result.also)
            s.show_question = True
            return None
        if mine:
            answers[step.id] = result.value
        for k, v in result.also.items():  # answers that come with it (a place's Land and size): None lets one go
            if v is None:
                answers.pop(k, None)
            else:
                answers[k] = v
    if result.draft is not None:
        s.state.draft = result.draft
    s.notes += result.notes
    s.show_question = result.prompt
    if result.goto is not None:
        s.state.remember(step.id)
        s.goto(result.goto[0])
        if result.goto[1] is not None:
            s.state.draft = result.goto[1]
    elif result.done:
        s.advance(step)


def skip(s: Session, step: Step) -> None:
    if not step.optional:
        return s.say_only(
            s.t(
                "This question is needed for the next stages, so it cannot be skipped. "
                "You can answer briefly and change it later."
            )
        )
    if not s.state.answered(step.id):
        if not roles.may_change(s.ctx.team, step.id, _NONE, None):
            return refuse(s)
        s.state.answers[step.id] = None
    s.advance(step)


class StageEnd:
    """A stage's summary, with the next stage, tools, changes, export and progress on offer."""

    overlay = False

    def question(self, s: Session) -> list[Block]:
        stage = s.content.stage(s.state.stage or s.content.stages[-1].id)
        if s.again and not s.full:  # the summary is already on screen: say where we are, not all of it again
            return [Paragraph(overview.stage_line(s.ctx, stage)), Paragraph(s.t("What would you like to do?"))]
        blocks = overview.summary(s.ctx, stage)
        if stage.number > 0 and s.content.toolbox:
            ahead = next((x for x in s.content.daks_stages if x.number > stage.number), stage)
            picks = recommend(s.ctx, ahead.id, limit=3)  # what helps with the stage that comes next
            if picks:
                blocks += [
                    Paragraph(s.t("Tools that may help next:")),
                    Bullets(
                        tuple(s.t("{label}: {value}", label=s.ctx.text(p.item.title), value=p.reason) for p in picks)
                    ),
                ]
        if stage.number == s.content.daks_stages[-1].number and overview.complete(s.ctx, stage):
            blocks.append(
                Paragraph(
                    s.t(
                        "You have worked through all five stages. Export your results "
                        "and share them with your steering group."
                    )
                )
            )
        return blocks

    def choices(self, s: Session) -> list[Choice]:
        t = s.t
        stage = s.content.stage(s.state.stage or s.content.stages[-1].id)
        following = [x for x in s.content.daks_stages if x.number > stage.number]
        choices = []
        if following:
            choices.append(
                Choice(
                    "_nextstage",
                    t(
                        "On to stage {number}: {title}",
                        number=following[0].number,
                        title=s.ctx.text(following[0].title),
                    ),
                )
            )
        if stage.id in APPROVABLE and team.may_approve(s):
            choices.append(Choice("_approve", t("Record the steering group’s approval")))
        return [
            *choices,
            Choice("_tools", t("Matching tools")),
            *([Choice("_edit", t("Change an answer"))] if menu.writes(s) else []),
            Choice("_export", t("Export as a file")),
            Choice("_progress", t("Show progress")),
            Choice("_summary", t("Show the summary")),
        ]

    def on_input(self, s: Session, inp: Input) -> None:
        stage = s.content.stage(s.state.stage or s.content.stages[-1].id)
        if inp.choice == "_nextstage":
            following = [x for x in s.content.daks_stages if x.number > stage.number]
            if following:
                s.note_needs(following[0])
                return s.enter_stage(following[0])
        if inp.choice == "_edit":
            return s.open_overlay("pick_edit")
        if inp.choice == "_export":
            return export.ask(s)
        if inp.choice == "_progress":
            return menu.progress(s)
        if inp.choice == "_summary":
            s.full = True
            return None
        if inp.choice == "_tools":
            return toolbox.recommend_here(s)
        if inp.choice == "_approve" and stage.id in APPROVABLE:
            return team.approve_command(s, stage.id)
        s.say_only(s.t("Please pick one of the options below."))

    def on_file(self, s: Session, inbound: Inbound) -> None:
        on_file(s, inbound)
