"""The plan in practice through the Companion, on SQLite and PostgreSQL: the Werkstattplan completed is version 1,
the steering group's approval agrees it, "anpassen" in the Zwischenbilanz makes version 2 a draft, and the exported
ODT and DOCX show version 2 with the changed field marked and the list of changes."""

from __future__ import annotations

from datetime import date

from bot.app.companion import Companion
from storage.store import Store
from tests.bot.app.test_documents import MEASURES, exported, plans
from tests.bot.app.test_team import Named, coordinator
from tests.bot.documents.reading import Para, docx_blocks, odt_blocks, table_headed
from tests.bot.documents.sample import PLAN_HEADER

V2 = "Werkstattplan, Version 2 (Entwurf, Änderungen seit Version 1 vom 12.03.2027)"


async def versions(store: Store, anna: Named) -> list[tuple[int, str | None, list[str]]]:
    """The workspace's versions: number, the day agreed, each measure's end."""

    def read(unit) -> list[tuple[int, str | None, list[str]]]:
        [(wid, *_)] = unit.memberships(unit.working_on(anna.channel, anna.ref)[0])
        return [(v.number, v.agreed_on, [m["end"] for m in v.answers["wp_measures"]]) for v in unit.plan_versions(wid)]

    return await store.run(read)


async def monitoring(store: Store, anna: Named) -> str:
    """The first monitoring date of the last version."""

    def read(unit) -> str:
        [(wid, *_)] = unit.memberships(unit.working_on(anna.channel, anna.ref)[0])
        return unit.plan_versions(wid)[-1].answers["wp_monitoring"]

    return await store.run(read)


async def keeps(anna: Named) -> str:
    """Keeps a field's answer, skips an empty optional one, or types one where one is needed."""
    for choice in ("_keep", "_skip"):
        if choice in anna.offered:
            return await anna.presses(choice)
    return await anna.says("5 bis 2029")


async def adapts_the_first_measure(anna: Named) -> str:
    """The Zwischenbilanz: the first measure is running and adapted, its end moved to June 2029."""
    await anna.says("/phase 5")
    await anna.says("15.11.2028")  # the review's date
    for answer in ("läuft", "4", "/ueberspringen", "/ueberspringen"):
        await anna.says(answer)
    reply = await anna.says("anpassen")
    assert "Jetzt passen wir „Landarztpraxis fördern“ an (Phase „Werkstattplan“)" in reply
    while "· Ende (" not in anna.text:
        await keeps(anna)
    await anna.says("06/2029")
    while "Zwischenbilanz · Frage" not in anna.text:
        await keeps(anna)
    assert "Maßnahme „Jugendtreff“ · Stand (1/5)" in anna.text  # back in the review, at the next measure
    return anna.text


async def test_the_completed_plan_is_version_1_and_the_approval_agrees_it(companion: Companion, store: Store):
    anna = await coordinator(companion)
    await plans(anna, "/phase 4", MEASURES[:2])
    for answer in ("fertig", "2", "30.09.2027"):  # no quick wins, adopted by the steering group, monitoring
        await anna.says(answer)
    assert await versions(store, anna) == []
    await anna.says("alle")  # the checklist: the stage is complete
    assert await versions(store, anna) == [(1, None, ["2028-12", "2028-12"])]
    await anna.presses("_edit")
    await anna.presses("e:wp_monitoring")
    await anna.says("31.10.2027")  # changed and complete again: still version 1 until the steering group agrees
    assert await versions(store, anna) == [(1, None, ["2028-12", "2028-12"])]
    await anna.says("/beschliessen werkstattplan")
    await anna.says("12.03.2027")
    assert await versions(store, anna) == [(1, "2027-03-12", ["2028-12", "2028-12"])]  # the agreed plan: version 1
    assert await monitoring(store, anna) == "2027-10-31"

    await adapts_the_first_measure(anna)
    assert len(await versions(store, anna)) == 1, "adapting makes a draft, not a version"
    await anna.says("/beschliessen werkstattplan")
    await anna.says("20.11.2028")
    assert await versions(store, anna) == [
        (1, "2027-03-12", ["2028-12", "2028-12"]),
        (2, "2028-11-20", ["2029-06", "2028-12"]),
    ]


async def test_after_adapt_the_export_holds_version_2_with_the_changed_field_marked_and_the_changes(
    companion: Companion, store: Store
):
    anna = await coordinator(companion)
    await plans(anna, "/phase 4", MEASURES[:2])
    for answer in ("fertig", "2", "30.09.2027", "alle"):
        await anna.says(answer)
    await anna.says("/beschliessen werkstattplan")
    await anna.says("12.03.2027")
    await adapts_the_first_measure(anna)

    await anna.says("/export odt strategie")
    odt = odt_blocks(exported(anna, ".odt").data)
    await anna.says("/export docx strategie")
    word = docx_blocks(exported(anna, ".docx").data)
    for blocks in (odt, word):
        assert Para(V2) in blocks
        plan = table_headed(blocks, PLAN_HEADER)
        period = PLAN_HEADER.index("Zeitraum")
        assert [row[period] for row in plan.rows[1:]] == ["März 2027 – Juni 2029 ●", "März 2027 – Dezember 2028"]
        assert Para("● neu oder geändert seit Version 1") in blocks
        changes = blocks.index(Para("Änderungen seit dem letzten Beschluss"))
        assert blocks[changes + 1] == Para("Landarztpraxis fördern, Ende: Dezember 2028 → Juni 2029", item=True)
        assert not (isinstance(blocks[changes + 2], Para) and blocks[changes + 2].item)  # nothing else changed

    await anna.says("/export docx beschluss")
    council = docx_blocks(exported(anna, ".docx").data)
    assert Para(V2) in council and "März 2027 – Juni 2029 ●" in table_headed(council, PLAN_HEADER).rows[1]
    assert date.today()  # the export is of today; the version's date is the approval's
