"""`daks bench --team`: the same walk by members of one workspace and by people each in their own."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlmodel import col

from bot.cli.bench import measure_team
from storage.models import Answer, Conversation
from storage.store import Store, Unit


def who_wrote_where(unit: Unit) -> dict[int, set[int | None]]:
    """The workspaces the simulated people work on, and who wrote their answers (or a list's entries)."""
    people = unit.users_of("bench")
    where = unit.conn.execute(
        select(col(Conversation.workspace_id)).where(col(Conversation.user_id).in_(people))
    ).scalars()
    wrote: dict[int, set[int | None]] = {}
    for wid in where:
        rows = unit.conn.execute(
            select(col(Answer.author_id), col(Answer.authors)).where(col(Answer.workspace_id) == wid)
        )
        wrote[wid] = {who for last, entries in rows for who in [last, *(entries or [])]}
    return wrote


@pytest.mark.parametrize("shared", [True, False], ids=["one workspace", "separate"])
async def test_a_team_walks_all_stages_in_one_workspace_or_each_in_their_own(
    companion, store: Store, shared: bool
) -> None:
    figures = await measure_team(companion, store, 3, shared, content_load_ms=0.0)
    assert figures.workspaces == ("one shared" if shared else "separate")
    assert figures.users == 3 and figures.messages > 3 * 75  # everyone went through all five stages

    authors = await store.run(who_wrote_where)
    people = set(await store.run(lambda unit: unit.users_of("bench")))
    if shared:  # all three worked on one strategy, and each of them wrote some of it
        assert list(authors.values()) == [people]
    else:
        assert len(authors) == 3 and set().union(*authors.values()) == people
        assert all(len(wrote) == 1 for wrote in authors.values())


async def test_the_team_of_eight_that_make_bench_runs_finishes_its_walk(companion, store: Store) -> None:
    """Regression: with the Zwischenbilanz's three new questions a diligent member of a team of eight (who reviews
    every teammate's measure) needed 1,002 messages, and `make bench` stopped at the walk's limit of 1,000."""
    figures = await measure_team(companion, store, 8, True, content_load_ms=0.0)
    assert figures.users == 8 and figures.messages > 8 * 1000
