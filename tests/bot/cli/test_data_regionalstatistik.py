"""`daks data import regionalstatistik FILE` and `daks data status` on the command line: a file stored once for
every municipality with one summary line, a bad file or an unknown region refused line by line with exit code 2
and nothing stored."""

from __future__ import annotations

import asyncio
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import insert
from typer.testing import CliRunner, Result

from bot.app.failures import CONFIGURATION
from bot.cli.data import data_app
from bot.cli.main import app
from storage.models import AdminLog, Dataset, Figure, Place
from storage.store import Store, Unit
from tests.conftest import ROOT
from tests.storage.test_store import rows

if not any(group.name == "data" for group in app.registered_groups):
    app.add_typer(data_app, name="data")  # as bot.cli.main.main() does

FIXTURES = ROOT / "tests" / "fixtures" / "statistics"
LONG = FIXTURES / "12411-02-03-5-long.csv"
"""Population of Grabow, its Kreis and its Land by sex and 17 age groups, 31.12.2019–2023 (fictional values)."""
MISSING_AGE = FIXTURES / "12411-02-03-5-age-missing.csv"
MV = [("13", "land", "Mecklenburg-Vorpommern"), ("13076", "kreis", "Ludwigslust-Parchim")]
GRABOW = ("13076052", "gemeinde", "Grabow, Stadt")


def daks(db: str, *args: str) -> Result:
    result = CliRunner().invoke(app, [*args, "--db", db])
    assert "Traceback" not in result.output, result.output
    return result


def in_store(db: str, work: Any) -> Any:
    async def run() -> Any:
        store = await Store.open(db)
        try:
            return await work(store)
        finally:
            await store.close()

    return asyncio.run(run())


def directory(db: str, *places: tuple[str, str, str]) -> None:
    """Places in the municipality directory (as `daks data import gv100ad` stores them)."""

    def put(unit: Unit) -> None:
        for key, level, name in places:
            values = {"country": "de", "key": key, "level": level, "name": name, "folded": name.lower()}
            unit.conn.execute(insert(Place).values(**values))

    in_store(db, lambda store: store.run(put))


def stored(db: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    return in_store(db, lambda store: rows(store, Dataset, "id")), in_store(db, lambda store: rows(store, Figure, "id"))


def reader() -> None:
    """Skip, saying why, while the statistics reader (task B, flows.statistics.tables) is not merged yet."""
    try:
        from flows.statistics.tables import read_table  # noqa: F401
    except ImportError as exc:
        pytest.skip(f"flows.statistics.tables.read_table is not there yet ({exc}); it comes with branch ws-tables")
    if not LONG.exists():
        pytest.skip(f"{LONG.relative_to(ROOT)} is not there yet; it comes with branch ws-tables")


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'daks.db'}"


def test_a_file_is_imported_for_everybody_once(database_url: str, tmp_path: Path) -> None:
    reader()
    directory(database_url, *MV, GRABOW)
    file = tmp_path / LONG.name
    shutil.copy(LONG, file)

    first = daks(database_url, "data", "import", "regionalstatistik", str(file))

    assert first.exit_code == 0, first.output
    datasets, figures = stored(database_url)
    regions = sorted({f["region"] for f in figures})
    days = sorted({f["stichtag"] for f in figures})
    assert regions == ["13", "13076", "13076052"]
    assert first.stdout.strip() == (
        f"12411-02-03-5: {len(figures):,} figures for 3 regions, "
        f"Stichtage {days[0]:%d.%m.%Y}–{days[-1]:%d.%m.%Y}; {len(figures):,} new"
    )
    assert [(d["scope"], d["workspace_id"], d["imported_by"], d["figures"]) for d in datasets] == [
        (0, None, "cli", len(figures))
    ]
    assert {f["table_code"] for f in figures} == {"12411-02-03-5"} and {f["scope"] for f in figures} == {0}
    assert [r["action"] for r in in_store(database_url, lambda store: rows(store, AdminLog))] == ["import_statistics"]

    again = daks(database_url, "data", "import", "regionalstatistik", str(file))

    assert again.exit_code == 0, again.output
    assert "; 0 new, already imported on " in again.stdout
    assert stored(database_url) == (datasets, figures), "two imports of one file give the same database"


def test_a_region_not_in_the_directory_is_refused_and_nothing_stored(sqlite_url: str) -> None:
    reader()
    directory(sqlite_url, *MV)

    result = daks(sqlite_url, "data", "import", "regionalstatistik", str(LONG))

    assert result.exit_code == CONFIGURATION == 2
    assert result.stderr.splitlines() == [
        'Region 13076052 "Grabow, Stadt" is not in the municipality directory.',
        f"{LONG}: not imported, nothing stored",
    ]
    assert stored(sqlite_url) == ([], [])


def test_without_a_directory_the_regions_are_not_checked_and_it_says_so(sqlite_url: str) -> None:
    reader()

    result = daks(sqlite_url, "data", "import", "regionalstatistik", str(LONG))

    assert result.exit_code == 0, result.output
    warning, summary = result.stdout.splitlines()
    assert warning.startswith("warning: The municipality directory is empty")
    assert summary.startswith("12411-02-03-5: ")
    assert len(stored(sqlite_url)[0]) == 1


def test_a_file_with_a_missing_age_group_is_refused_line_by_line(sqlite_url: str) -> None:
    reader()
    directory(sqlite_url, *MV, GRABOW)

    result = daks(sqlite_url, "data", "import", "regionalstatistik", str(MISSING_AGE))

    assert result.exit_code == 2
    *problems, last = result.stderr.splitlines()
    assert problems and any("40 bis unter 45 Jahre" in line for line in problems), result.stderr
    assert last == f"{MISSING_AGE}: not imported, nothing stored"
    assert stored(sqlite_url) == ([], [])


def test_a_missing_file_is_one_line(sqlite_url: str, tmp_path: Path) -> None:
    missing = tmp_path / "nirgendwo.csv"

    result = daks(sqlite_url, "data", "import", "regionalstatistik", str(missing))

    assert result.exit_code == 2
    assert result.stderr.splitlines() == [f"{missing}: cannot be read (No such file or directory)"]


def test_status_lists_the_directory_and_the_imported_files(database_url: str) -> None:
    empty = daks(database_url, "data", "status")
    assert empty.exit_code == 0, empty.output
    assert empty.stdout.splitlines() == [
        "Municipality directory:",
        "  empty: import it with `daks data import gv100ad FILE` (or `cog FILE`)",
        "Statistics files:",
        "  none: import one with `daks data import regionalstatistik FILE`",
    ]

    directory(database_url, *MV, GRABOW, ("13076001", "gemeinde", "Alt Zachun"))
    dataset = {"sha256": "a" * 64, "source": "official", "table_code": "12612-01-01-5", "layout": "wide"}
    dataset |= {"file_name": "geburten.csv", "imported_by": "cli"}
    births = [
        {"country": "de", "region": key, "source": "official", "measure": "births", "stichtag": date(2023, 12, 31)}
        | {"sex": "", "age": "", "ortsteil": "", "value": 40, "table_code": "12612-01-01-5"}
        for key in ("13076052", "13076001")
    ]
    in_store(database_url, lambda store: store.run(lambda unit: unit.put_figures(dataset, births)))

    listed = daks(database_url, "data", "status").stdout.splitlines()

    assert listed[:2] == ["Municipality directory:", "  de Gebietsstand not given: 2 gemeinde, 1 kreis, 1 land"]
    assert listed[2] == "Statistics files:"
    assert listed[3].startswith("  #1 12612-01-01-5 (official, wide) for everybody: 2 figures, geburten.csv, imported ")
    assert listed[3].endswith(" by cli") and len(listed) == 4
