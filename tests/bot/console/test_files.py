"""Sending a file in the terminal chat: ``/datei PATH`` through the real `daks chat` process."""

from __future__ import annotations

import asyncio
from pathlib import Path

from bot.app.directory import store_places
from flows.statistics.directory import read_gv100ad
from storage.models import Template
from storage.store import Store
from tests.bot.app.test_templates import docx_template, odt_template
from tests.bot.console.test_channel import assert_in_order
from tests.conftest import ROOT, run_chat

COORDINATOR = ["Musterstadt", "2", "13", "3", "2, 5, 9"]
"""Starting the strategy of Musterstadt: the person coordinates its workspace."""
STATISTICS = ROOT / "tests" / "fixtures" / "statistics"


def stored(database_url: str) -> list[tuple[str, str, bytes]]:
    async def read() -> list[tuple[str, str, bytes]]:
        store = await Store.open(database_url, upgrade=False)
        try:
            rows = await store.run_connection(lambda conn: conn.execute(Template.__table__.select()).mappings().all())
            return sorted((r["format"], r["file_name"], r["data"]) for r in rows)
        finally:
            await store.close()

    return asyncio.run(read())


def test_a_coordinator_sends_templates_with_datei_and_a_wrong_path_is_told_kindly(database_url: str, tmp_path: Path):
    docx = docx_template("Briefkopf Musterstadt", "{{ title }}", "{{p body }}")
    odt = odt_template("{{ municipality }}", "{{ body }}")
    folder = tmp_path / "Vorlagen der Stadt"
    folder.mkdir()
    (folder / "briefkopf.docx").write_bytes(docx)
    (folder / "brief.odt").write_bytes(odt)
    missing = tmp_path / "gibt-es-nicht.docx"
    through_a_file = folder / "briefkopf.docx" / "x.docx"
    lines = [
        *COORDINATOR,
        "/vorlage",
        f"/datei {missing}",
        f"/datei {folder}",
        f"/datei {through_a_file}",
        "/datei",
        f'/datei "{folder / "briefkopf.docx"}"',
        "/vorlage",
        f"/file {folder / 'brief.odt'}",
        "/ende",
    ]
    result = run_chat(lines, user="anna", db=database_url, data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert_in_order(
        result.stdout,
        [
            "{{p body }}",
            f"Die Datei {missing} kann ich nicht lesen",
            f"Die Datei {folder} kann ich nicht lesen",
            f"Die Datei {through_a_file} kann ich nicht lesen",
            "schreiben Sie /datei und ihren Pfad",
            "Gespeichert: briefkopf.docx ist Ihre DOCX-Vorlage",
            "DOCX: briefkopf.docx, gesendet von anna",
            "Gespeichert: brief.odt ist Ihre ODT-Vorlage",
            "Bis bald",
        ],
    )
    assert stored(database_url) == [("docx", "briefkopf.docx", docx), ("odt", "brief.odt", odt)]


def test_a_file_outside_the_template_screen_is_not_kept(database_url: str, tmp_path: Path):
    path = tmp_path / "briefkopf.docx"
    path.write_bytes(docx_template("{{p body }}"))
    result = run_chat(
        [*COORDINATOR[:1], f"/datei {path}", f"/datei {tmp_path / 'fehlt.odt'}", "2", "/ende"],
        user="ben",
        db=database_url,
        data_dir=tmp_path,
    )
    assert_in_order(
        result.stdout,
        [
            "Was für eine Kommune ist Musterstadt?",
            "nur Text lesen",
            "kann ich nicht lesen",
            "In welchem Land liegt Musterstadt?",  # the question was still open
        ],
    )
    assert stored(database_url) == []


def test_a_statistics_file_sent_with_datei_in_the_kommunalprofil(database_url: str, tmp_path: Path):
    async def directory() -> None:
        store = await Store.open(database_url)
        try:
            places = read_gv100ad((STATISTICS / "gv100ad.txt").read_bytes())
            await store.run(lambda unit: store_places(unit, places))
        finally:
            await store.close()

    asyncio.run(directory())
    lines = ["13076052", "2, 5, 9", "/phase 2", f"/datei {STATISTICS / '12411-02-03-5-long.csv'}", "1", "/ende"]
    result = run_chat(lines, user="anna", db=database_url, data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert_in_order(
        result.stdout,
        [
            "Bevölkerungsdaten",
            "Ich habe „12411-02-03-5-long.csv“ gelesen",
            "Bevölkerung 31.12.2023: 5.800",
            "kennzahlen-grabow-stadt-population-",  # saved under a name of its own (a random suffix)
            "Für Ihr Team gespeichert",
            "Ich habe 5 Kennzahlen in Ihr Kommunalprofil übernommen",
            "Bis bald",
        ],
    )
