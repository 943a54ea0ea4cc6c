"""A record field of kind ``owner``: who is responsible, picked among the workspace's members or typed by name.

A member button stores ``{"member": user_id, "name": name}``; a typed name stores ``{"name": typed}``, or the
member's where the name is a member's (see flows.practice.model). Without a workspace the name is typed.
"""

from __future__ import annotations

from typing import Any

from flows.content.model import FieldOwner
from flows.conversation.context import Ctx
from flows.conversation.steps.base import Input, Result
from flows.conversation.steps.checks import check_text, not_offered
from flows.messages import Choice, Paragraph
from flows.reading import fold
from flows.team import messages

MEMBER = "m:"
"""The id of a member's button: ``m:<user id>``."""
OTHER = "_other"


def _members(ctx: Ctx) -> list[tuple[int, str]]:
    """Each member's user id and name ("Member 2" where their messenger gave none)."""
    team = ctx.team
    if team is None:
        return []
    return [(m.user_id, messages.label(ctx.t, team.members, m.user_id)) for m in team.members]


def choices(ctx: Ctx, f: FieldOwner) -> list[Choice]:
    """A button per member (the person writing marked "you"), then "someone else"; none without a workspace."""
    found = []
    me = ctx.team.me if ctx.team is not None else None
    for user_id, name in _members(ctx):
        found.append(Choice(f"{MEMBER}{user_id}", name + (ctx.t(" (you)") if user_id == me else "")))
    return [*found, Choice(OTHER, ctx.t("Someone else"))] if found else []


def hint(ctx: Ctx) -> list[Paragraph]:
    """How to answer where members are offered."""
    return (
        [Paragraph(ctx.t("Pick a member of the team, or type the name of a person or unit."))] if _members(ctx) else []
    )


def handle(ctx: Ctx, f: FieldOwner, inp: Input, draft: dict[str, Any]) -> Result:
    """The owner from a member's button or a typed name; "someone else" asks for the name."""
    members = _members(ctx)
    if inp.choice == OTHER:
        return Result.error(ctx.t("Please type the name of the person or unit responsible."), draft=draft)
    if inp.choice and inp.choice.startswith(MEMBER):
        picked = next(((u, n) for u, n in members if f"{MEMBER}{u}" == inp.choice), None)
        if picked is None:
            return not_offered(ctx.t, draft=draft)
        return Result(value={"member": picked[0], "name": picked[1]}, done=True)
    checked = check_text(ctx.t, inp.text or "", f.max_length)
    if not checked.done:
        checked.draft = draft
        return checked
    typed = fold(checked.value)
    member = next(((u, n) for u, n in members if fold(n) == typed), None)
    if member is not None:
        return Result(value={"member": member[0], "name": member[1]}, done=True)
    return Result(value={"name": checked.value}, done=True)
