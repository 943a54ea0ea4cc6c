"""`daks data import gv100ad|cog` on the command line: one summary line, whole or nothing, idempotent."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli.data import data_app
from bot.cli.main import app
from storage.models import Place
from storage.store import Store
from tests.bot.talk import rows
from tests.conftest import ROOT
from tests.fixtures.statistics.gv100ad import fixture, text

if not any(group.name == "data" for group in app.registered_groups):
    app.add_typer(data_app, name="data")  # as bot.cli.main.main() does

FIXTURES = ROOT / "tests" / "fixtures" / "statistics"


def daks(db: str, *args: str):  # type: ignore[no-untyped-def]
    result = CliRunner().invoke(app, [*args, "--db", db])
    assert "Traceback" not in result.output, result.output
    return result


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'daks.db'}"


def places(db: str) -> list[dict]:
    async def read() -> list[dict]:
        store = await Store.open(db)
        try:
            return await rows(store, Place)
        finally:
            await store.close()

    return asyncio.run(read())


def test_the_gv100ad_is_imported_with_one_summary_line_and_again_changes_nothing(database_url: str):
    result = daks(database_url, "data", "import", "gv100ad", str(FIXTURES / "gv100ad.txt"))

    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "3 Länder, 2 Regierungsbezirke, 8 Kreise, 1 Gemeindeverband, 8 Gemeinden imported (Gebietsstand 31.12.2024)"
    ]
    first = places(database_url)
    assert len(first) == 22
    grabow = next(p for p in first if p["key"] == "13076052")
    assert (grabow["name"], grabow["folded"], grabow["kreis"], grabow["land"]) == (
        "Grabow, Stadt",
        "grabow",
        "13076",
        "13",
    )

    again = daks(database_url, "data", "import", "gv100ad", str(FIXTURES / "gv100ad-latin1.txt"))
    assert again.exit_code == 0 and again.stdout == result.stdout
    assert places(database_url) == first


def test_a_rejected_file_names_each_problem_and_imports_nothing(database_url: str, tmp_path: Path):
    assert daks(database_url, "data", "import", "gv100ad", str(FIXTURES / "gv100ad.txt")).exit_code == 0
    before = places(database_url)
    lines = fixture()
    lines[4] = lines[4][:100]
    lines[-1] = lines[-1][:140] + "x" + lines[-1][141:]  # Grabow's population
    broken = tmp_path / "GV100AD_31122025.txt"
    broken.write_bytes(text(lines).encode("iso-8859-1"))

    result = daks(database_url, "data", "import", "gv100ad", str(broken))

    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "GV100AD_31122025.txt: line 5, column 101: The record has 100 characters; a GV100AD record has 220.",
        "GV100AD_31122025.txt: line 22, column 141: “0x000005500” is not a number (Bevölkerung).",
        f"{broken}: rejected, nothing imported",
    ]
    assert places(database_url) == before


def test_a_missing_file_is_one_line(sqlite_url: str, tmp_path: Path):
    result = daks(sqlite_url, "data", "import", "cog", str(tmp_path / "v_commune_2024.csv"))

    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"{tmp_path / 'v_commune_2024.csv'}: cannot be read (No such file or directory)"
    ]


def test_the_cog_files_are_imported_with_the_year_of_their_name(database_url: str):
    outputs = [
        daks(database_url, "data", "import", "cog", str(FIXTURES / name))
        for name in ("v_region_2024.csv", "v_departement_2024.csv", "v_commune_2024.csv", "comsimp2018.txt")
    ]

    assert [(r.exit_code, r.stdout.strip()) for r in outputs] == [
        (0, "5 régions imported (COG of 1 January 2024)"),
        (0, "7 départements imported (COG of 1 January 2024)"),
        (0, "8 communes (of them 1 arrondissement municipal) imported (COG of 1 January 2024)"),
        (0, "3 communes imported (COG of 1 January 2018)"),
    ]
    stored = {p["key"]: p for p in places(database_url)}
    assert len(stored) == 5 + 7 + 8
    assert (stored["2A004"]["land"], stored["REG-94"]["name"]) == ("REG-94", "Corse")
    assert str(stored["2A004"]["stand"]) == "2018-01-01"  # the older file came last: its state is the stored one
    assert str(stored["75101"]["stand"]) == "2024-01-01"
