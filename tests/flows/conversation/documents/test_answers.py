"""A checklist in the documents: what is done and what is still open follows the answers now, not only the ticks
stored when the list was answered."""

from __future__ import annotations

from datetime import date

from flows.content.content import Content
from flows.conversation.documents import answers, build
from flows.documents.model import Items, Text
from flows.messages import Bullets
from tests.flows.conversation.documents.workspace import workspace

BUDGET = "Für jede Maßnahme gibt es eine Haushaltsposition oder eine Finanzierungsidee."
TIMELINE = "Jede Maßnahme hat einen Zeitplan."
ADOPTED = "Die Steuerungsgruppe, idealerweise auch der Rat, hat den Plan beschlossen."


def still_open(ctx_blocks: list[object]) -> list[str]:
    lists = [b.items for b in ctx_blocks if isinstance(b, Items | Bullets)]
    return list(lists[0]) if lists else []


def test_a_plan_with_a_budget_for_every_measure_is_not_reported_with_the_budget_still_open(content: Content):
    # Regression: the checklist was ticked before the budgets were entered, and the strategy said "budget still open".
    ctx = workspace(content, wp_done=["owners"])
    step = content.step("wp_done")
    found = answers.blocks(ctx, step)
    assert Text("Noch offen:") in found
    assert BUDGET not in still_open(found)
    assert TIMELINE in still_open(found) and ADOPTED in still_open(found)  # two measures have no end; "planned"
    assert BUDGET not in still_open(ctx.blocks(step, ctx.state.answers["wp_done"]))  # the stage's summary
    document = build(ctx, "strategy", date(2026, 12, 7))
    assert BUDGET not in str(document) and TIMELINE in str(document)


def test_a_checklist_ticked_when_nothing_held_shows_what_holds_now(content: Content):
    ctx = workspace(content, ko_done=[])
    found = answers.blocks(ctx, content.step("ko_done"))
    assert found[0] == Text("Checkliste Kick-Off: 1 von 5 erledigt")  # the coordinator and steering group are named
    assert "Koordination und Steuerungsgruppe sind benannt." not in still_open(found)
