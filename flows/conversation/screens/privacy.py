"""The person's own data: linking another messenger, deleting their data, a coordinator deleting the workspace."""

from __future__ import annotations

from flows.conversation.actions import DeleteWorkspace, Effect, Link, MakeLinkCode
from flows.conversation.session import Session
from flows.conversation.state import State
from flows.conversation.steps.base import Input
from flows.messages import Block, Choice, Paragraph
from flows.team import codes
from flows.team.deletion import confirms, may_delete_workspace
from flows.team.linking import not_a_code


def link_command(s: Session, arg: str) -> None:
    """``/link`` gives a personal code; ``/link CODE`` on another messenger joins it to the code's person."""
    command = s.ctx.command_name("link")
    if not arg:
        s.actions.append(MakeLinkCode(command))
        return
    code = codes.normal(arg)
    if code is None:
        s.before.append(not_a_code(s.t, command))
        return
    s.actions.append(Link(code))


def workspace_name(s: Session) -> str:
    team = s.facts.team
    return team.name if team is not None and team.name else s.t("your municipality")


def _shared(s: Session) -> bool:
    return s.facts.team is not None and s.facts.team.shared


def _afresh(s: Session) -> None:
    """Nothing of before stays in the conversation (its answers go with the person or the workspace)."""
    fresh = State(version=s.content.version, lang=s.state.lang)
    for key, value in fresh.model_dump().items():
        setattr(s.state, key, value)


class ConfirmDelete:
    """/delete: a member's personal data; a coordinator of a shared workspace may pick the whole workspace."""

    overlay = True

    def question(self, s: Session) -> list[Block]:
        if not _shared(s):
            return [
                Paragraph(
                    s.t(
                        "Do you really want to delete all your data: your answers, your municipality "
                        "profile and the change log? This cannot be undone."
                    )
                )
            ]
        text = s.t(
            "Do you really want to delete your personal data: your linked messengers, your municipality "
            "profile, your change log and your subscription? What you wrote for {name} stays for your team, "
            "without your name. This cannot be undone.",
            name=workspace_name(s),
        )
        if self._coordinates(s):
            text += " " + s.t(
                "As coordinator you can instead delete the whole workspace {name} for everyone.",
                name=workspace_name(s),
            )
        return [Paragraph(text)]

    @staticmethod
    def _coordinates(s: Session) -> bool:
        return _shared(s) and s.facts.team is not None and may_delete_workspace(s.facts.team.role)

    def choices(self, s: Session) -> list[Choice]:
        if not _shared(s):
            return [Choice("_yes", s.t("Yes, delete everything")), Choice("_no", s.t("No, keep my data"))]
        whole = [Choice("_workspace", s.t("The whole workspace {name}", name=workspace_name(s)))]
        return [
            Choice("_yes", s.t("Yes, delete my personal data")),
            *(whole if self._coordinates(s) else []),
            Choice("_no", s.t("No, keep my data")),
        ]

    def on_input(self, s: Session, inp: Input) -> None:
        if inp.choice == "_workspace" and self._coordinates(s):
            s.state.mode = "confirm_delete_workspace"
            return None
        if inp.choice == "_yes":
            shared, name = _shared(s), workspace_name(s)
            s.effects.append(Effect.DELETE_ME)
            _afresh(s)
            start = s.ctx.command_name("start")
            if shared:
                return s.say_only(
                    s.t(
                        "Your personal data has been deleted. What you wrote for {name} stays for your team, "
                        "without your name. If you want to start again, send /{start}.",
                        name=name,
                        start=start,
                    )
                )
            return s.say_only(
                s.t("All your data has been deleted. If you want to start again, send /{start}.", start=start)
            )
        s.close_overlay()
        s.say(s.t("Nothing was deleted."))


class ConfirmWorkspaceDelete:
    """The coordinator confirms deleting the workspace by pressing a button or typing its name."""

    overlay = True

    def question(self, s: Session) -> list[Block]:
        team = s.facts.team
        text = s.t(
            "Delete the whole workspace {name}? Its answers, approvals, invitation codes, linked group chats "
            "and memberships are deleted for everyone; the other members start afresh. This cannot be undone.",
            name=workspace_name(s),
        )
        if team is not None and team.name:
            text += " " + s.t("To confirm, press the button or type the name: {name}", name=team.name)
        return [Paragraph(text)]

    def choices(self, s: Session) -> list[Choice]:
        return [
            Choice("_delete", s.t("Delete {name}", name=workspace_name(s))),
            Choice("_no", s.t("No, keep the workspace")),
        ]

    def on_input(self, s: Session, inp: Input) -> None:
        team = s.facts.team
        named = inp.choice == "_delete" or (team is not None and confirms(inp.text or "", team.name or ""))
        if team is None or not may_delete_workspace(team.role) or not named:
            s.close_overlay()
            return s.say(s.t("Nothing was deleted."))
        name = workspace_name(s)
        s.actions.append(DeleteWorkspace(team.workspace_id))
        _afresh(s)
        s.say_only(
            s.t(
                "The workspace {name} has been deleted with everything in it. If you want to start again, "
                "send /{start}.",
                name=name,
                start=s.ctx.command_name("start"),
            )
        )
