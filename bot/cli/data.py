"""`daks data import ...`: the official municipality directory (GV100AD, COG) into the database.

A file is imported whole or not at all: a rejected file prints each problem as "line 12, column 23: …" and
exits with 2, like any input the command cannot take (bot/app/failures.py); importing a file again changes
nothing.
"""

from __future__ import annotations

import asyncio
import re
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from bot.app import failures
from bot.app.settings import load_settings

if TYPE_CHECKING:
    from flows.statistics.model import Place, Problem

data_app = typer.Typer(help="Official statistics: the municipality directory and statistics files.")
import_app = typer.Typer(help="Import a file (whole or not at all; importing it again changes nothing).")
data_app.add_typer(import_app, name="import")

Db = Annotated[str | None, typer.Option("--db", help="Database URL (default: DAKS_DATABASE_URL or SQLite).")]
File = Annotated[Path, typer.Argument(help="The file as the statistical office publishes it.")]

_GERMAN = (
    ("land", "Land", "Länder"),
    ("regierungsbezirk", "Regierungsbezirk", "Regierungsbezirke"),
    ("region", "Region", "Regionen"),
    ("kreis", "Kreis", "Kreise"),
    ("gemeindeverband", "Gemeindeverband", "Gemeindeverbände"),
    ("gemeinde", "Gemeinde", "Gemeinden"),
)
_FRENCH = (
    ("region", "région", "régions"),
    ("departement", "département", "départements"),
    ("commune", "commune", "communes"),
)
_COG_YEAR = re.compile(r"(?<!\d)(?:0101)?((?:19|20)\d\d)(?!\d)")
"""The COG's year in its file name (v_commune_2024.csv, communes-01012019.csv): the state on 1 January."""


@import_app.command("gv100ad")
def import_gv100ad(file: File, db: Db = None) -> None:
    """The Destatis Gemeindeverzeichnis GV100AD (fixed-width records, UTF-8 or ISO-8859-1): Länder,
    Regierungsbezirke, Kreise, Gemeindeverbände and Gemeinden with their official keys and population."""
    from flows.statistics.directory import read_gv100ad

    places = _import(file, db, read_gv100ad)
    stands = sorted({p.stand for p in places if p.stand})
    when = f" (Gebietsstand {', '.join(s.strftime('%d.%m.%Y') for s in stands)})" if stands else ""
    typer.echo(f"{_counted(places, _GERMAN)} imported{when}")


@import_app.command("cog")
def import_cog(file: File, db: Db = None) -> None:
    """An INSEE Code officiel géographique file: communes (v_commune_*.csv), départements (v_departement_*.csv)
    or régions (v_region_*.csv), whichever its header names; import all three so that a commune's
    département and région have names."""
    from flows.statistics.directory import read_cog

    year = _COG_YEAR.search(file.name)
    stand = date(int(year.group(1)), 1, 1) if year else None
    places = _import(file, db, lambda data: read_cog(data, stand))
    arrondissements = sum(1 for p in places if p.kind == "ARM")
    arm = "arrondissement municipal" if arrondissements == 1 else "arrondissements municipaux"
    of_which = f" (of them {arrondissements:,} {arm})" if arrondissements else ""
    when = f" (COG of {stand.day} January {stand.year})" if stand else ""
    typer.echo(f"{_counted(places, _FRENCH)}{of_which} imported{when}")


def _import(file: Path, db: str | None, read: Callable[[bytes], list[Place]]) -> list[Place]:
    """Read ``file`` whole, then store every place in one transaction; exit 2 with each problem otherwise."""
    from bot.app.directory import store_places
    from flows.statistics.model import Rejected
    from storage.store import Store

    settings = load_settings(db)
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise _refused(f"{file}: cannot be read ({exc.strerror or exc})") from None
    try:
        places = read(data)
    except Rejected as exc:
        for problem in exc.problems:
            typer.echo(f"{file.name}: {problem_line(problem)}", err=True)
        raise _refused(f"{file}: rejected, nothing imported") from None

    async def store() -> None:
        opened = await Store.open(settings.database)
        try:
            await opened.run(lambda unit: store_places(unit, places))
        finally:
            await opened.close()

    asyncio.run(store())
    return places


def problem_line(problem: Problem) -> str:
    """A problem in one line for the operator (English): "line 12, column 23: …"."""
    where = ", ".join(
        f"{what} {number}" for what, number in (("line", problem.line), ("column", problem.column)) if number
    )
    message = problem.message.format(**dict(problem.params))
    return f"{where}: {message}" if where else message


def _counted(places: Sequence[Place], names: Sequence[tuple[str, str, str]]) -> str:
    count: Counter[str] = Counter(p.level for p in places)
    return ", ".join(
        f"{count[level]:,} {one if count[level] == 1 else many}" for level, one, many in names if count[level]
    )


def _refused(message: str) -> typer.Exit:
    """Exit 2 with ``message`` on stderr: a file the command cannot take (bot/app/failures.py)."""
    return typer.Exit(failures.report(failures.Misconfigured(message)))
