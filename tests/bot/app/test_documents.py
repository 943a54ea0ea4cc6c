"""The issue's documents, end to end: people type a strategy into the Companion (on SQLite and PostgreSQL),
/export renders it through the real Press, and the attachment is opened as a council's office would, with
python-docx, odfdo and pypdf."""

from __future__ import annotations

import io

import docx
import pytest

from bot.app.companion import Companion
from bot.documents.press import Press
from flows.content.content import Content
from flows.messages import Attachment
from storage.store import Store, Unit
from tests.bot.app.test_team import Named, coordinator, invite
from tests.bot.app.test_templates import sends
from tests.bot.documents.reading import (
    Grid,
    Para,
    docx_blocks,
    docx_headers,
    items_after,
    odt_blocks,
    pdf_text,
    table_headed,
    tables,
    text_of,
    under,
)
from tests.bot.documents.sample import PLAN_HEADER
from tests.bot.talk import user_id
from tests.conftest import CONTENT

OWNERS = ("Amt für Soziales (Frau Öztürk)", 'Bürgermeister & Jugendpflege "Treff"', "Verein „Dorfladen eG“ <Vorstand>")
MEASURES = (
    ("Landarztpraxis fördern", OWNERS[0], "10.000 € Haushalt 2027"),
    ("Jugendtreff", OWNERS[1], "25.500 € Fördermittel LEADER 2027–2028"),
    ("Dorfladen", OWNERS[2], "250.000 € Stiftung 2028"),
)
INDICATOR = ("Hausärzte", "je 10.000 EW", "4,1, 2025, KV", "5", "12/2029")
"""One indicator's parts as typed: name, unit, baseline (value, date, source), target, target date."""
PLAN = PLAN_HEADER  # the Werkstattplan's header as the German documents write it
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT = "application/vnd.oasis.opendocument.text"


def exported(person: Named, suffix: str) -> Attachment:
    """The one file of the last reply."""
    [file] = [a for r in person.replies for a in r.attachments]
    assert file.filename.endswith(suffix), file.filename
    return file


async def plans(person: Named, stage: str, measures: tuple[tuple[str, str, str], ...]) -> None:
    """Types the Werkstattplan's measures, every field of each (``stage`` is /phase 4 in the person's language)."""
    await person.says(stage)
    for number, (title, owner, budget) in enumerate(measures):
        if number:
            await person.presses("_add")
        for value in ("1", "Versorgung sichern", title, owner, "Landkreis", "Ältere", "03/2027", "12/2028", budget):
            await person.says(value)
        for value in INDICATOR:
            await person.says(value)
        reply = await person.presses("_done")
        assert owner in reply, reply  # saved, shown back as typed
    await person.presses("_done")


async def swot(person: Named, stage: str, *quadrants: tuple[str, ...]) -> None:
    """Walks the Kommunalprofil to its SWOT (one population figure on the way) and types the four lists."""
    await person.says(stage)
    await person.says("1")  # the first data source offered
    await person.presses("_skip")  # no reference date
    for value in ("1", "18.432", "2024"):  # one indicator: population
        await person.says(value)
    await person.presses("_skip")
    await person.presses("_done")
    await person.says("Kita")  # the inventory
    await person.presses("_done")
    await person.presses("_skip")  # no interviews
    for points in quadrants:
        for point in points:
            await person.says(point)
        await person.presses("_done")


async def test_three_measures_make_a_council_report_in_docx_and_odt_and_the_swot_a_grid(companion: Companion):
    anna = await coordinator(companion)
    await swot(
        anna, "/phase 2", ("aktives Vereinsleben", "gute Schulen"), ("wenig Ärzte",), ("Zuzug",), ("Praxis & Co",)
    )
    await plans(anna, "/phase 4", MEASURES)

    assert "Hier ist „Beschlussvorlage“ als DOCX." in await anna.says("/export docx beschluss")
    word = exported(anna, ".docx")
    assert word.media_type == DOCX
    assert "Hier ist „Beschlussvorlage“ als ODT." in await anna.says("/export odt beschluss")
    odt = exported(anna, ".odt")
    assert odt.media_type == ODT
    for blocks in (docx_blocks(word.data), odt_blocks(odt.data)):
        plan = table_headed(blocks, PLAN)
        assert [row[PLAN.index("Verantwortlich")] for row in plan.rows[1:]] == list(OWNERS)
        assert [row[PLAN.index("Maßnahme")] for row in plan.rows[1:]] == [m[0] for m in MEASURES]
        assert {row[PLAN.index("Indikator → Zielwert")] for row in plan.rows[1:]} == {
            "Hausärzte (je 10.000 EW): Basis 4,1 (2025, KV) → Ziel 5 bis 12/2029"
        }
        money = text_of(under(blocks, "Finanzielle Auswirkungen"))
        assert "285.500\u00a0€" in money  # babel's no-break space between amount and sign

    await anna.says("/export docx strategie")
    strategy = docx_blocks(exported(anna, ".docx").data)
    [grid] = [t for t in tables(strategy) if "aktives Vereinsleben" in text_of([t])]
    assert grid.rows == (
        ("Stärken\naktives Vereinsleben\ngute Schulen", "Schwächen\nwenig Ärzte"),
        ("Chancen\nZuzug", "Risiken\nPraxis & Co"),
    )


def pango_problem() -> str | None:
    """Why WeasyPrint cannot make PDFs here (it loads Pango from the system when imported), or None."""
    try:
        import weasyprint  # noqa: F401
    except OSError as exc:
        return f"WeasyPrint needs Pango (libpango-1.0-0, libpangoft2-1.0-0): {exc}"
    return None


async def test_the_pdf_made_in_a_worker_process_holds_the_owners(content: Content, store: Store):
    """The one export here rendered in a real worker process, as the bot runs it (DAKS_RENDER_WORKERS)."""
    if problem := pango_problem():
        pytest.skip(problem)
    companion = Companion(content, store, press=Press(CONTENT / "templates", workers=1))
    try:
        anna = await coordinator(companion)
        await plans(anna, "/phase 4", MEASURES)
        assert "Hier ist „Beschlussvorlage“ als PDF." in await anna.says("/export pdf beschluss")
        pdf = exported(anna, ".pdf")
        assert pdf.media_type == "application/pdf"
        text = pdf_text(pdf.data)
        for owner in OWNERS:
            assert " ".join(owner.split()) in text
        assert "285.500 €" in text.replace("\u00a0", " ")  # pypdf gives the no-break space as a space or as it is
    finally:
        companion.close()


async def test_in_french_the_deliberation_and_the_strategy_read_as_french_writes_them(companion: Companion):
    amelie = Named(companion, "3001", "Amélie Martin")
    amelie.lang = "fr"
    for line in ("/start", "Saint-Martin-d’Hères", "1", "13", "3", "2, 5, 9"):
        await amelie.says(line)
    await swot(amelie, "/etape 2", ("vie associative",), ("peu de médecins",), ("nouvelles familles",), ("fermeture",))
    pilots = (
        "Service social (Mme Öztürk)",
        "Maire & service jeunesse « Le Local »",
        'Association "L’Épicerie" <bureau>',
    )
    budgets = ("10 000 € budget communal 2027", "25 500 € subvention LEADER 2027–2028", "250 000 € fondation 2028")
    await plans(
        amelie, "/etape 4", tuple(zip(("Maison de santé", "Local jeunes", "Épicerie"), pilots, budgets, strict=True))
    )

    assert "Voici «\u00a0Projet de délibération\u00a0» au format ODT." in await amelie.says(
        "/exporter odt deliberation"
    )
    deliberation = odt_blocks(exported(amelie, ".odt").data)
    [plan] = [t for t in tables(deliberation) if t.rows[0][:4] == ("Champ d'action", "Objectif", "Action", "Pilote")]
    assert [row[3] for row in plan.rows[1:]] == list(pilots)
    money = text_of(under(deliberation, "Incidences financières"))
    assert "285\u202f500\u00a0€" in money  # a narrow no-break space between the thousands

    await amelie.says("/exporter odt strategie")
    strategy = odt_blocks(exported(amelie, ".odt").data)
    diagnostic = under(strategy, "2. Diagnostic territorial")
    label = diagnostic.index(Para("Analyse AFOM"))
    assert diagnostic[label + 1] == Grid(
        (
            ("Atouts\nvie associative", "Faiblesses\npeu de médecins"),
            ("Opportunités\nnouvelles familles", "Menaces\nfermeture"),
        )
    )


async def test_a_colleagues_entries_carry_his_name_until_he_deletes_his_data(companion: Companion):
    anna = await coordinator(companion)
    code = await invite(anna)
    for line in ("Bürgermeisterin", "Hauptamt", "Sozialamt"):
        await anna.says(line)
    await anna.presses("_done")  # on to the actors invited to the kick-off
    ben = Named(companion, "2002", "Ben Berger")
    assert "Wen laden Sie zum Kick-Off ein?" in await ben.says(f"/beitreten {code}")
    await anna.says("Vereine")
    assert "Notiert (2)" in await ben.says("Schulen")

    await anna.says("/export docx strategie")
    strategy = docx_blocks(exported(anna, ".docx").data)
    assert items_after(strategy, "Eingeladene Akteure") == ["Vereine (Anna Muster)", "Schulen (Ben Berger)"]
    assert items_after(strategy, "Steuerungsgruppe") == ["Sozialamt (Anna Muster)"]

    await ben.says("/loeschen")
    assert "Ihre persönlichen Daten wurden gelöscht." in await ben.presses("_yes")
    await anna.says("/export docx strategie")
    strategy = docx_blocks(exported(anna, ".docx").data)
    assert items_after(strategy, "Eingeladene Akteure") == ["Vereine (Anna Muster)", "Schulen (ehemaliges Mitglied)"]
    assert "Ben" not in text_of(strategy)


def letterhead(*body: str) -> bytes:
    """A municipality's DOCX as a clerk makes it in Word: the letterhead in the page header, then the body."""
    word = docx.Document()
    header = word.sections[0].header
    header.paragraphs[0].text = "Amt Süderbrarup – Der Amtsvorsteher"
    header.add_paragraph("Sitzungsvorlage für {{ municipality }}")
    for line in body:
        word.add_paragraph(line)
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


async def test_a_municipalitys_own_docx_template_keeps_its_letterhead(companion: Companion):
    anna = await coordinator(companion)
    await plans(anna, "/phase 4", MEASURES)
    await anna.says("/vorlage")
    reply = await sends(
        anna, "briefkopf.docx", letterhead("Vorlage der Verwaltung von {{ municipality }}", "{{p body }}")
    )
    assert "Gespeichert: briefkopf.docx ist Ihre DOCX-Vorlage" in reply

    await anna.says("/export docx beschluss")
    data = exported(anna, ".docx").data
    assert docx_headers(data) == ["Amt Süderbrarup – Der Amtsvorsteher", "Sitzungsvorlage für Musterstadt"]
    blocks = docx_blocks(data)
    assert blocks[0] == Para("Vorlage der Verwaltung von Musterstadt")
    assert [row[3] for row in table_headed(blocks, PLAN).rows[1:]] == list(OWNERS)
    assert "{{" not in text_of(blocks) and "{%" not in text_of(blocks)


async def test_a_broken_stored_template_is_said_kindly_and_the_answers_stay(companion: Companion, store: Store):
    anna = await coordinator(companion)
    await plans(anna, "/phase 4", MEASURES[:1])
    uid = await user_id(store, anna)

    def damage(unit: Unit) -> dict:
        _, saved = unit.open_conversation("telegram", "1001", "de")
        unit.set_template(saved.shared.workspace_id, "docx", "briefkopf.docx", b"PK\x03\x04 nicht mehr lesbar", uid)
        return saved.answers

    before = await store.run(damage)
    reply = await anna.says("/export docx beschluss")
    assert "Die Vorlage Ihrer Kommune konnte nicht verwendet werden" in reply, reply
    assert not [a for r in anna.replies for a in r.attachments]
    assert await store.run(lambda unit: unit.open_conversation("telegram", "1001", "de")[1].answers) == before
    await anna.says("/export odt beschluss")  # the ODT has no template of its own: made as ever
    assert [row[3] for row in table_headed(odt_blocks(exported(anna, ".odt").data), PLAN).rows[1:]] == [OWNERS[0]]
