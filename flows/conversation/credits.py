"""Who wrote what, as a shared strategy shows it: a changed-by line under an answer, an author per entry.

Shown when more than one person works on the strategy (``Team.shared``) or when something in it was
written by someone no longer in the team; a strategy only ever written by one person reads as before.
Members who left or deleted their data (or whose id is no longer among the members) show as "former member".
"""

from __future__ import annotations

from flows.content.model import ListStep, RecordsStep, Step
from flows.conversation.context import Ctx
from flows.team import messages
from flows.team.authorship import entry_authors
from flows.team.view import Team


def shown(ctx: Ctx) -> bool:
    team = ctx.team
    return team is not None and (team.shared or by_former_member(team))


def by_former_member(team: Team) -> bool:
    """Some answer or entry was written by someone no longer in the team (a colleague who left or deleted
    their data): the one who stays still reads whose is whose."""
    members = {m.user_id for m in team.members}
    return any(
        w.author_id not in members or any(a not in members for a in w.authors or ()) for w in team.written.values()
    )


def name_of(ctx: Ctx, user_id: int | None, you: bool = True) -> str:
    """A member's name; ``you`` for the person writing (with ``you``), "former member" for someone gone."""
    team = ctx.team
    mate = team.mate(user_id) if team is not None else None
    if team is None or mate is None:
        return ctx.t("former member")
    if you and user_id == team.me:
        return ctx.t("you")
    return messages.label(ctx.t, team.members, mate.user_id)  # as the team list calls them ("Member 2")


def changed_by(ctx: Ctx, step_id: str, you: bool = True) -> str | None:
    """The line "last changed by Anna, 3 Dec" under an answer as stored, when the strategy is shared."""
    team = ctx.team
    written = team.written.get(step_id) if team is not None else None
    if team is None or not shown(ctx) or written is None or ctx.stored.get(step_id) != ctx.state.answers.get(step_id):
        return None
    day = ctx.t.day(written.at)
    if you and written.author_id == team.me:
        return ctx.t("last changed by you, {date}", date=day)
    return ctx.t("last changed by {name}, {date}", name=name_of(ctx, written.author_id, you), date=day)


def authors(ctx: Ctx, step_id: str, you: bool = True) -> list[str] | None:
    """The author's name of each entry of a list or records answer, in order; None when not shown."""
    team = ctx.team
    value = ctx.state.answers.get(step_id)
    if team is None or not shown(ctx) or not isinstance(value, list):
        return None
    written = team.written.get(step_id)
    ids = entry_authors(
        ctx.stored.get(step_id),
        written.authors if written is not None else None,
        value,
        team.me,
        written.author_id if written is not None else None,
    )
    return [name_of(ctx, i, you) for i in ids or []]


def by(ctx: Ctx, entry: str, author: str) -> str:
    """An entry with its author: "Gute Schulen (Anna)"."""
    return ctx.t("{entry} ({author})", entry=entry, author=author)


def headed(ctx: Ctx, text: str, author: str) -> str:
    """A record's text (title, then its details) with its author after the title."""
    title, newline, rest = text.partition("\n")
    return by(ctx, title, author) + newline + rest


def attributed(ctx: Ctx, step_id: str, entries: list[str], you: bool = True) -> list[str]:
    """Each entry with its author when the strategy is shared; the entries as they are otherwise."""
    names = authors(ctx, step_id, you)
    if names is None or len(names) != len(entries):
        return entries
    return [by(ctx, e, n) for e, n in zip(entries, names, strict=True)]


def noted(ctx: Ctx, step: Step, you: bool = True) -> list[str]:
    """The changed-by line of a single answer (not a list or records: their entries name their authors)."""
    line = None if isinstance(step, ListStep | RecordsStep) else changed_by(ctx, step.id, you)
    return [line] if line else []
