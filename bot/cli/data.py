"""`daks data ...`: the official municipality directory (GV100AD, COG) and official statistics an admin imports
for every municipality, and what is imported.

A file is imported whole or not at all: a rejected file prints each problem as "line 12, column 23: …" and
exits with 2, like any input the command cannot take (bot/app/failures.py; README, "Exit codes"); importing a
file again changes nothing.
"""

from __future__ import annotations

import asyncio
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer

from bot.app import failures
from bot.app.settings import load_settings

if TYPE_CHECKING:
    from bot.app.figures import Stored
    from flows.statistics.model import Place, Problem, Sheet
    from storage.models import Dataset
    from storage.store import Unit

T = TypeVar("T")

data_app = typer.Typer(help="Official statistics: the municipality directory and statistics files.")
import_app = typer.Typer(help="Import a file (whole or not at all; importing it again changes nothing).")
data_app.add_typer(import_app, name="import")

Db = Annotated[str | None, typer.Option("--db", help="Database URL (default: DAKS_DATABASE_URL or SQLite).")]
File = Annotated[Path, typer.Argument(help="The file as the statistical office publishes it.")]
ACTOR = "cli"
"""Who imported what the command line imports (``dataset.imported_by``)."""

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


def _counted(places: Sequence[Place], names: Sequence[tuple[str, str, str]]) -> str:
    count: Counter[str] = Counter(p.level for p in places)
    return ", ".join(
        f"{count[level]:,} {one if count[level] == 1 else many}" for level, one, many in names if count[level]
    )


def _refused(message: str) -> typer.Exit:
    """Exit 2 with ``message`` on stderr: a file the command cannot take (bot/app/failures.py)."""
    return typer.Exit(failures.report(failures.Misconfigured(message)))


# -- statistics files -------------------------------------------------------------------------
async def _in_unit(url: str, work: Callable[[Unit], T]) -> T:
    from storage.store import Store

    store = await Store.open(url)
    try:
        return await store.run(work)
    finally:
        await store.close()


def _bytes_of(file: Path) -> bytes:
    try:
        return file.read_bytes()
    except OSError as exc:
        raise _refused(f"{file}: cannot be read ({exc.strerror or exc})") from None


def problem_line(problem: Problem) -> str:
    """A problem as the command line prints it: "line 12, column 5: …" (in English, the msgid's language)."""
    values = dict(problem.params)
    text = problem.message.format_map(_Keep(values))
    if problem.line is None:
        return text
    where = f"line {problem.line}" + (f", column {problem.column}" if problem.column is not None else "")
    return f"{where}: {text}"


class _Keep(dict[str, str]):
    """Format values; a placeholder without a value stays as it is."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _rejected(file: Path, problems: Iterable[Problem]) -> typer.Exit:
    lines = [problem_line(p) for p in problems]
    return _refused("\n".join([*lines, f"{file}: not imported, nothing stored"]))


@dataclass(frozen=True)
class _Imported:
    stored: Stored
    checked: bool
    new_figures: int
    before: datetime | None
    """When the same file was imported before (``stored.new`` False)."""


def _import_sheet(unit: Unit, sheet: Sheet, data: bytes, file_name: str) -> _Imported:
    """Check the regions against the directory, then store the file for everybody (one transaction)."""
    from bot.app.figures import check_regions, store_sheet
    from flows.statistics.model import Rejected

    problems = check_regions(unit, sheet)
    if problems:
        raise Rejected(problems)
    earlier = unit.dataset_of(0, _sha256(data))
    count = unit.count_figures(0)
    stored = store_sheet(unit, sheet, data, file_name, ACTOR, None)
    if stored.new:
        unit.log_admin(ACTOR, "import_statistics", f"dataset:{stored.dataset_id}", {"table": sheet.table})
    before = earlier.imported_at if earlier is not None else None
    return _Imported(stored, problems is not None, unit.count_figures(0) - count, before)


def _sha256(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()


def _day(value: date) -> str:
    return f"{value:%d.%m.%Y}"


def summary(sheet: Sheet, imported: _Imported) -> str:
    """The one line an import prints: table, figures, regions, Stichtage, and what is new."""
    from flows.news.broadcasting import admin_time

    regions = len({f.region for f in sheet.figures})
    days = sheet.stichtage
    span = (
        ""
        if not days
        else f", Stichtag {_day(days[0])}"
        if len(days) == 1
        else f", Stichtage {_day(days[0])}–{_day(days[-1])}"
    )
    head = f"{sheet.table}: {len(sheet.figures):,} figures for {regions:,} region{'s' * (regions != 1)}{span}"
    if not imported.stored.new:
        when = admin_time(imported.before) if imported.before else "an earlier run"
        return f"{head}; 0 new, already imported on {when}"
    replaced = imported.stored.figures - imported.new_figures
    return f"{head}; {imported.new_figures:,} new" + (f", {replaced:,} replaced" if replaced > 0 else "")


@import_app.command("regionalstatistik")
def import_regionalstatistik(
    file: Annotated[Path, typer.Argument(help="A Regionaldatenbank or GENESIS-Online CSV download, or a flat file.")],
    db: Db = None,
) -> None:
    """Import official statistics (population by sex and age, births, deaths, moves) for every municipality in the
    file: the CSV download (long or wide) or flat file (ffcsv) of the Regionaldatenbank Deutschland or
    GENESIS-Online, layout found by itself. Importing a file again changes nothing; a newer file replaces the
    values it shares with an older one."""
    from flows.statistics.checks import NOT_CHECKED
    from flows.statistics.model import Rejected

    settings = load_settings(db)
    data = _bytes_of(file)
    from flows.statistics.tables import read_table

    try:
        sheet = read_table(data, file.name)
    except Rejected as exc:
        raise _rejected(file, exc.problems) from None
    try:
        imported = asyncio.run(_in_unit(settings.database, lambda unit: _import_sheet(unit, sheet, data, file.name)))
    except Rejected as exc:
        raise _rejected(file, exc.problems) from None
    if not imported.checked:
        typer.echo(f"warning: {NOT_CHECKED} Import it with `daks data import gv100ad FILE` (or `cog FILE`).")
    typer.echo(summary(sheet, imported))


@data_app.command("status")
def status(db: Db = None) -> None:
    """What is imported: the directory's places by country, level and Gebietsstand, and every statistics file
    with its table code, scope, figures and when it was imported."""
    from flows.news.broadcasting import admin_time

    settings = load_settings(db)

    def look(unit: Unit) -> tuple[list[tuple[str, str, date | None, int]], list[tuple[Dataset, int]]]:
        return unit.place_counts(), unit.datasets()

    places, datasets = asyncio.run(_in_unit(settings.database, look))
    typer.echo("Municipality directory:")
    by_stand: dict[tuple[str, date | None], Counter[str]] = {}
    for country, level, stand, n in places:
        by_stand.setdefault((country, stand), Counter())[level] += n
    for (country, stand), levels in by_stand.items():
        counts = ", ".join(f"{n:,} {level}" for level, n in levels.items())
        typer.echo(f"  {country} Gebietsstand {_day(stand) if stand else 'not given'}: {counts}")
    if not places:
        typer.echo("  empty: import it with `daks data import gv100ad FILE` (or `cog FILE`)")
    typer.echo("Statistics files:")
    for d, current in datasets:
        scope = "for everybody" if not d.scope else f"for workspace {d.scope}"
        typer.echo(
            f"  #{d.id} {d.table_code} ({d.source}, {d.layout}) {scope}: {d.figures:,} figures"
            + (f" ({current:,} still current)" if current != d.figures else "")
            + f", {d.file_name or 'no file name'}, imported {admin_time(d.imported_at)} by {d.imported_by}"
        )
    if not datasets:
        typer.echo("  none: import one with `daks data import regionalstatistik FILE`")
