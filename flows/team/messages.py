"""What the team's actions answer: invitations, joining, role changes and removals, in the person's language."""

from __future__ import annotations

from collections.abc import Sequence

from flows.content.i18n import Translator
from flows.messages import Block, Bullets, Heading, Outbound, Paragraph
from flows.team.codes import Verdict
from flows.team.view import ROLE_NAMES, Mate, Team

JOINED = "joined"
"""``Outbound.expects`` of the welcome into a team: the conversation restarted, so no question follows it."""


def say(text: str) -> Outbound:
    return Outbound([Paragraph(text)])


def role_name(t: Translator, role: str) -> str:
    return t(ROLE_NAMES[role]) if role in ROLE_NAMES else role


def role_duties(t: Translator, role: str) -> str:
    """What a role may do, in one sentence."""
    duties = {
        "coordinator": t(
            "Coordinators manage the team (invitations, roles, removals), record approvals, may delete the "
            "workspace, and answer every question."
        ),
        "editor": t("Editors answer and change every question of the strategy."),
        "viewer": t("Viewers read the strategy and export it; they change nothing."),
        "owner": t("Measure owners read the strategy and update the Werkstattplan measures assigned to them."),
    }
    return duties.get(role, "")


def channel_name(t: Translator, channel: str) -> str:
    return {"telegram": "Telegram", "matrix": "Matrix", "console": t("Terminal")}.get(channel, channel)


def workspace_name(t: Translator, name: str | None) -> str:
    return name or t("your municipality's workspace")


def label(t: Translator, members: Sequence[Mate], user_id: int) -> str:
    """A member's name, or "Member 2" (their place in the team) when their messenger gave none."""
    for n, mate in enumerate(members, start=1):
        if mate.user_id == user_id:
            return mate.name or t("Member {n}", n=n)
    return t("former member")


def roster(t: Translator, team: Team) -> list[Block]:
    """The team list: the workspace's name, then each member with role and messengers."""
    lines = []
    for mate in team.members:
        channels = ", ".join(channel_name(t, c) for c in mate.channels) or "–"
        you = t(" (you)") if mate.user_id == team.me else ""
        lines.append(
            t(
                "{name}{you}: {role} ({channels})",
                name=label(t, team.members, mate.user_id),
                you=you,
                role=role_name(t, mate.role),
                channels=channels,
            )
        )
    return [Heading(t("Team of {workspace}", workspace=workspace_name(t, team.name))), Bullets(tuple(lines))]


def not_coordinator(t: Translator, coordinators: Sequence[str]) -> str:
    return t(
        "Only the team's coordinator can do that. Please ask {names}.",
        names=t.joined(coordinators) or t("your coordinator"),
    )


def invited(t: Translator, code: str, role: str, until: str, join: str, link: str | None) -> Outbound:
    """The coordinator's new code (``join`` is the join command's name in their language)."""
    blocks: list[Block] = [
        Paragraph(
            t(
                "Your invitation code for a new {role}: {code}. It can be used once, until {until}.",
                role=role_name(t, role),
                code=code,
                until=until,
            )
        ),
        Paragraph(
            t(
                "Your colleague writes /{join} {code} to me on Telegram, Matrix or in the terminal.",
                join=join,
                code=code,
            )
        ),
    ]
    if link is not None:
        blocks.append(Paragraph(t("On Telegram this link does the same: {link}", link=link)))
    return Outbound(blocks)


def joined(t: Translator, name: str | None, role: str) -> Outbound:
    return Outbound(
        [
            Paragraph(
                t(
                    "Welcome to the team of {workspace}! You are a {role} there.",
                    workspace=workspace_name(t, name),
                    role=role_name(t, role),
                )
            ),
            Paragraph(role_duties(t, role)),
        ],
        expects=JOINED,
    )


def already_member(t: Translator, name: str | None) -> Outbound:
    return say(t("You are already a member of {workspace}.", workspace=workspace_name(t, name)))


def refused(t: Translator, verdict: Verdict) -> Outbound:
    """A code that does not let its holder in: unknown, used or expired."""
    if verdict == "used":
        return say(t("This code has already been used. Please ask your coordinator for a new one."))
    if verdict == "expired":
        return say(t("This code has expired (codes are valid for 7 days). Please ask your coordinator for a new one."))
    return say(
        t("I do not know this code. Please check it (8 letters and digits) or ask your coordinator for a new one.")
    )


def slow_down(t: Translator, minutes: int) -> Outbound:
    return say(
        t.plural(
            "Too many wrong codes. Please try again in {n} minute.",
            "Too many wrong codes. Please try again in {n} minutes.",
            minutes,
        )
    )


def role_set(t: Translator, who: str, role: str) -> Outbound:
    return say(t("{name} is now {role}.", name=who, role=role_name(t, role)))


def member_removed(t: Translator, who: str) -> Outbound:
    return say(t("{name} is no longer in the team.", name=who))


def last_coordinator(t: Translator) -> str:
    return t(
        "A workspace always needs a coordinator. Make someone else coordinator first; then this change is possible."
    )


def no_longer_member(t: Translator) -> Outbound:
    return say(t("That person is no longer in the team."))


def removed_notice(t: Translator, name: str) -> str:
    """For a person removed from a workspace, at their next message."""
    return t(
        "You were removed from the team of {workspace}, so you no longer see its strategy. We start afresh.",
        workspace=workspace_name(t, name or None),
    )
