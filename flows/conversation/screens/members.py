"""The team overlays: the member list, one member's role and removal, and inviting someone in a role."""

from __future__ import annotations

from collections.abc import Callable

from flows.content.model import LANGUAGES
from flows.conversation.actions import Invite, Join, RemoveMember, SetMemberRole
from flows.conversation.session import Session
from flows.conversation.state import State
from flows.conversation.steps.base import Input
from flows.messages import BUTTON, Block, Choice, Paragraph
from flows.reading import fold
from flows.team import codes, messages, rules
from flows.team.view import ROLE_NAMES, ROLES, Mate, Role


def _choice(id: str, label: str, short: str) -> Choice:
    """A button whose label may be long (a name, a role): ``short`` is shown where it does not fit."""
    return Choice(id, label, short=short[:BUTTON] if len(label) > BUTTON else None)


def _back(s: Session) -> Choice:
    return Choice("_close", s.t("Back to the question"))


def _refuse(s: Session) -> None:
    team = s.facts.team
    names = [messages.label(s.t, team.members, m.user_id) for m in rules.coordinators(team)] if team else []
    s.say_only(messages.not_coordinator(s.t, names))


def team_command(s: Session) -> None:
    if s.facts.team is None:
        return s.say_only(
            s.t(
                "So far you work on your strategy alone. Invite colleagues with /{invite}.",
                invite=s.ctx.command_name("invite"),
            )
        )
    s.open_overlay("team")


def invite_command(s: Session, arg: str) -> None:
    """``/einladen`` asks for the role; ``/einladen bearbeitung`` (a role's name in any language) makes the code."""
    if not rules.may_manage(s.facts.team):
        return _refuse(s)
    role = _role_named(s, arg)
    if role is None:
        if arg.strip():
            s.say(s.t("I do not know the role “{role}”.", role=arg.strip()))
        return s.open_overlay("invite")
    team = s.facts.team
    s.actions.append(Invite(team.workspace_id if team is not None else None, role))


def _role_named(s: Session, arg: str) -> Role | None:
    """The invitable role ``arg`` names: its id or its name in any language ("Bearbeitung", "rédaction")."""
    wanted = fold(arg)
    for role in rules.INVITABLE:
        names = {role, *(fold(s.content.catalogues.translator(lang)(ROLE_NAMES[role])) for lang in LANGUAGES)}
        if wanted in names:
            return role
    return None


def join_command(s: Session, arg: str) -> None:
    if not arg.strip():
        return s.say_only(
            s.t(
                "Write /{join} followed by the code your coordinator gave you, e.g. /{join} K7M2-QX4P.",
                join=s.ctx.command_name("join"),
            )
        )
    restart = State(version=s.content.version, lang=s.state.lang).position()
    s.actions.append(Join(codes.normal(arg), restart, leave_own=_only_greeted(s)))


def _only_greeted(s: Session) -> bool:
    """Alone, and nothing written yet but the greeting seen (the terminal and Matrix greet before the first line):
    their own workspace holds nothing worth keeping once they join a team."""
    team = s.facts.team
    alone = team is None or [m.user_id for m in team.members] == [team.me]
    return alone and all(k in s.content.steps and s.content.step(k).kind == "info" for k in s.state.answers)


def _about_member(s: Session, ask: Callable[[str, Mate], str]) -> list[Block]:
    """The question about the member picked in the team list, or that they are gone."""
    mate, team = _member(s), s.facts.team
    if mate is None or team is None:
        return [Paragraph(s.t("That person is no longer in the team."))]
    return [Paragraph(ask(messages.label(s.t, team.members, mate.user_id), mate))]


def _member(s: Session) -> Mate | None:
    team = s.facts.team
    return team.mate(s.state.view.get("member")) if team is not None else None


class TeamList:
    """Everyone in the workspace with role and messengers; a coordinator picks a member to manage."""

    overlay = True

    def question(self, s: Session) -> list[Block]:
        team = s.facts.team
        if team is None:
            return [Paragraph(s.t("You are not in a team."))]
        blocks = messages.roster(s.t, team)
        if team.coordinates:
            blocks.append(Paragraph(s.t("Pick a member to change their role or remove them.")))
        return blocks

    def choices(self, s: Session) -> list[Choice]:
        team = s.facts.team
        invite = [Choice("_invite", s.t("Invite someone"))]
        if team is None or not team.coordinates:
            return [_back(s)]
        names = [messages.label(s.t, team.members, m.user_id) for m in team.members]
        members = [_choice(f"m:{m.user_id}", name, name) for m, name in zip(team.members, names, strict=True)]
        return [*members, *invite, _back(s)]

    def on_input(self, s: Session, inp: Input) -> None:
        if inp.choice == "_close":
            return s.close_overlay()
        if inp.choice == "_invite":
            return invite_command(s, "")
        team = s.facts.team
        chosen = (inp.choice or "").removeprefix("m:")
        if (
            team is None
            or not team.coordinates
            or not (chosen.isascii() and chosen.isdigit())
            or team.mate(int(chosen)) is None
        ):
            return s.say_only(s.t("Please pick one of the options below."))
        s.state.view = {"member": int(chosen)}
        s.open_overlay("team_member")


class TeamMember:
    """A coordinator changes one member's role or removes them."""

    overlay = True

    def question(self, s: Session) -> list[Block]:
        return _about_member(
            s,
            lambda name, mate: s.t(
                "{name} is {role}. What would you like to do?", name=name, role=messages.role_name(s.t, mate.role)
            ),
        )

    def choices(self, s: Session) -> list[Choice]:
        mate = _member(s)
        if mate is None:
            return [_back(s)]
        roles = [Choice(f"r:{r}", s.t("Make {role}", role=messages.role_name(s.t, r))) for r in ROLES if r != mate.role]
        return [*roles, Choice("_remove", s.t("Remove from the team")), _back(s)]

    def on_input(self, s: Session, inp: Input) -> None:
        mate, team = _member(s), s.facts.team
        if inp.choice == "_close" or mate is None or team is None:
            return s.open_overlay("team")
        if not team.coordinates:
            return _refuse(s)
        roles = [m.role for m in team.members]
        if inp.choice == "_remove":
            if rules.leaves_no_coordinator(roles, mate.role, None):
                return s.say_only(messages.last_coordinator(s.t))
            return s.open_overlay("team_remove")
        role = (inp.choice or "").removeprefix("r:")
        if role not in ROLES:
            return s.say_only(s.t("Please pick one of the options below."))
        if rules.leaves_no_coordinator(roles, mate.role, role):
            return s.say_only(messages.last_coordinator(s.t))
        s.actions.append(SetMemberRole(team.workspace_id, mate.user_id, role))
        s.close_overlay()


class TeamRemove:
    """Confirm removing a member."""

    overlay = True

    def question(self, s: Session) -> list[Block]:
        return _about_member(
            s,
            lambda name, _: s.t(
                "Really remove {name} from the team? They will no longer see the strategy; what they wrote stays.",
                name=name,
            ),
        )

    def choices(self, s: Session) -> list[Choice]:
        return [Choice("_yes", s.t("Yes, remove")), Choice("_no", s.t("No, keep"))]

    def on_input(self, s: Session, inp: Input) -> None:
        mate, team = _member(s), s.facts.team
        if inp.choice == "_yes" and mate is not None and team is not None and team.coordinates:
            s.actions.append(RemoveMember(team.workspace_id, mate.user_id))
            return s.close_overlay()
        if inp.choice not in ("_yes", "_no"):
            return s.say_only(s.t("Please pick one of the options below."))
        s.open_overlay("team")


class PickInviteRole:
    """The coordinator picks the role a new member gets."""

    overlay = True

    def question(self, s: Session) -> list[Block]:
        return [Paragraph(s.t("Which role should your colleague have?"))]

    def choices(self, s: Session) -> list[Choice]:
        return [
            *(_choice(f"r:{r}", messages.role_name(s.t, r).capitalize(), "") for r in rules.INVITABLE),
            _back(s),
        ]

    def on_input(self, s: Session, inp: Input) -> None:
        if inp.choice == "_close":
            return s.close_overlay()
        role = (inp.choice or "").removeprefix("r:")
        if role not in rules.INVITABLE:
            return s.say_only(s.t("Please pick one of the options below."))
        if not rules.may_manage(s.facts.team):
            return _refuse(s)
        team = s.facts.team
        s.actions.append(Invite(team.workspace_id if team is not None else None, role))
        s.close_overlay()
