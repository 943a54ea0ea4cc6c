"""The Werkstattplan's version in the documents: "Version 2 (Entwurf, Änderungen seit Version 1 vom …)", the changed
cells marked ●, the list of changes since the last approval; and the review's baseline → target → latest value."""

from __future__ import annotations

from datetime import UTC, date, datetime

from flows.content.content import Content
from flows.conversation.context import Ctx
from flows.conversation.documents import build
from flows.documents.model import Document, Items, Table, Text
from flows.practice.model import Report, Version
from tests.flows.conversation.documents.workspace import workspace
from tests.flows.conversation.practice import MemoryPractice
from tests.flows.conversation.test_review import MARCH_15, MITFAHRBANK, dorfladen

DAY = date(2027, 4, 1)
AT = datetime(2027, 3, 12, 16, 0, tzinfo=UTC)
PLAN = {"wp_measures": [dorfladen(), MITFAHRBANK], "wp_adoption": "steering", "wp_monitoring": "2027-09-30"}
"""The Werkstattplan as it was agreed (version 1)."""


def adapted(content: Content, recorded: list[Version], reports: tuple[Report, ...] = (), **answers: object) -> Ctx:
    """The workspace with the plan as version 1 had it, but the Dorfladen ending half a year later."""
    later = dorfladen(end="2029-06")
    ctx = workspace(content, **{**PLAN, "wp_measures": [later, MITFAHRBANK], "zb_review": None, **answers})
    ctx.practice = MemoryPractice(list(reports), recorded=recorded)
    return ctx


def plan_blocks(document: Document, start: str) -> list[object]:
    return list(next(s for s in document.sections if s.title.startswith(start)).blocks)


def plan_table(blocks: list[object]) -> Table:
    return next(b for b in blocks if isinstance(b, Table) and "Verantwortlich" in b.header)


def test_the_strategy_shows_the_draft_version_the_changed_cell_and_the_changes_since_the_approval(content):
    document = build(adapted(content, [Version(1, PLAN, "2027-03-12", AT)]), "strategy", DAY)
    blocks = plan_blocks(document, "4.")
    assert Text("Werkstattplan, Version 2 (Entwurf, Änderungen seit Version 1 vom 12.03.2027)", "strong") in blocks
    table = plan_table(blocks)
    period = table.header.index("Zeitraum")
    assert [row[period] for row in table.rows] == ["Januar 2027 – Juni 2029 ●", "März 2027"]
    assert not any("●" in cell for row in table.rows for i, cell in enumerate(row) if i != period)
    assert Text("● neu oder geändert seit Version 1", "note") in blocks
    heading = blocks.index(Text("Änderungen seit dem letzten Beschluss", "strong"))
    assert blocks[heading + 1] == Items(("Dorfladen, Ende: Dezember 2028 → Juni 2029",))


def test_the_council_report_s_appendix_shows_the_same(content):
    document = build(adapted(content, [Version(1, PLAN, "2027-03-12", AT)]), "resolution", DAY)
    blocks = plan_blocks(document, "Anlage")
    assert blocks[0] == Text("Werkstattplan, Version 2 (Entwurf, Änderungen seit Version 1 vom 12.03.2027)", "strong")
    assert "Januar 2027 – Juni 2029 ●" in plan_table(blocks).rows[0]
    assert Items(("Dorfladen, Ende: Dezember 2028 → Juni 2029",)) in blocks


def test_a_new_measure_and_other_answers_are_listed_and_the_new_title_marked(content):
    bus = {"uid": "r9", "measure": "Bürgerbus", "field": "mobility", "owner": "Ordnungsamt", "start": "2027-05"}
    ctx = adapted(content, [Version(1, PLAN, None, AT)], wp_adoption="council")
    ctx.state.answers["wp_measures"] = [dorfladen(), MITFAHRBANK, bus]
    blocks = plan_blocks(build(ctx, "strategy", DAY), "4.")
    assert Text("Werkstattplan, Version 2 (Entwurf, Änderungen seit Version 1 vom 12.03.2027)", "strong") in blocks
    assert plan_table(blocks).rows[2][2] == "Bürgerbus (Anna) ●"  # after its author
    heading = blocks.index(Text("Änderungen seit Version 1", "strong"))  # version 1 was never agreed
    assert blocks[heading + 1] == Items(
        ("Neue Maßnahme: Bürgerbus", "Beschluss: von der Steuerungsgruppe beschlossen → vom Rat beschlossen")
    )


def test_an_unchanged_plan_is_its_version_and_a_plan_never_recorded_a_draft_of_version_one(content):
    agreed = adapted(content, [Version(1, PLAN, "2027-03-12", AT)], wp_measures=PLAN["wp_measures"])
    blocks = plan_blocks(build(agreed, "strategy", DAY), "4.")
    assert Text("Werkstattplan, Version 1, beschlossen am 12.03.2027", "strong") in blocks
    assert Text("Keine.", "note") in blocks and not any("●" in str(b) for b in blocks)
    recorded = adapted(content, [Version(1, PLAN, None, AT)], wp_measures=PLAN["wp_measures"])
    assert Text("Werkstattplan, Version 1 vom 12.03.2027", "strong") in plan_blocks(
        build(recorded, "strategy", DAY), "4."
    )
    blocks = plan_blocks(build(adapted(content, []), "strategy", DAY), "4.")
    assert Text("Werkstattplan, Version 1 (Entwurf)", "strong") in blocks
    assert not any(isinstance(b, Text) and b.text.startswith("Änderungen") for b in blocks)


def test_in_french_the_version_and_the_changes_read_as_french_writes_them(content):
    document = build(adapted(content, [Version(1, PLAN, "2027-03-12", AT)], lang="fr"), "strategy", DAY)
    blocks = plan_blocks(document, "4.")
    assert (
        Text("Plan d'action, version 2 (projet, modifications depuis la version 1 du 12 mars 2027)", "strong") in blocks
    )
    assert Items(("Dorfladen, Fin\u00a0: décembre 2028 → juin 2029",)) in blocks


def test_the_review_shows_baseline_target_the_latest_value_status_and_decision(content):
    review = [{"uid": "r1", "status": "running", "indicator_now": "8", "decision": "adapt"}]
    report = Report("r1", "delayed", 12.0, MARCH_15, author="Anna")
    ctx = adapted(content, [], (report,), zb_review=review, zb_date="2027-03-01")
    [table] = [b for b in plan_blocks(build(ctx, "strategy", DAY), "5.") if isinstance(b, Table)]
    assert table.rows[0] == (
        "Dorfladen",
        "Nutzer (Personen): Basis 0 (01/2027, Zählung) → Ziel 40 bis 12/2028",
        "12 Personen (15.03.2027)",  # reported after the review: newer than the value typed there
        "verzögert",
        "anpassen",
    )
    ctx.state.answers["zb_date"] = "2027-04-01"  # the review came after the report: its own value and status
    [table] = [b for b in plan_blocks(build(ctx, "strategy", DAY), "5.") if isinstance(b, Table)]
    assert table.rows[0][2:] == ("8", "läuft", "anpassen")
    assert table.rows[1][1] == "Fahrten pro Monat: Ziel 30 bis Ende 2028"
