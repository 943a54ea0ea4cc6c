"""Statistics sent in chat, end to end: the directory and the files are the fixtures in tests/fixtures/statistics
(fictional values in the Regionaldatenbank's layouts), read by the shell before the unit of work, stored for the
workspace on SQLite and PostgreSQL, and put into the Kommunalprofil."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest

from bot.app import statistics
from bot.app.companion import Companion
from bot.app.directory import store_places
from flows.messages import Inbound, Upload
from flows.statistics.directory import read_gv100ad
from flows.statistics.model import Rejected, Sheet
from storage.models import Answer, Dataset, Figure
from storage.store import Store
from tests.bot.app.test_team import Named
from tests.bot.talk import rows
from tests.conftest import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "statistics"
LONG = "12411-02-03-5-long.csv"
"""Population of Grabow, its Kreis and its Land by sex and 17 age groups, 31.12.2019–2023 (fictional values)."""
GRABOW = "13076052"


async def sends(person: Named, name: str, data: bytes | None = None, media: str = "text/csv") -> str:
    """Sends a file (by default the fixture of that name), as a messenger hands it on."""
    data = (FIXTURES / name).read_bytes() if data is None else data
    upload = Upload(media, len(data), data)
    return await person._send(Inbound(file_name=name, file=upload, name=person.called))


@pytest.fixture
async def directory(store: Store) -> None:
    """The municipality directory, imported as `daks data import gv100ad` does."""
    places = read_gv100ad((FIXTURES / "gv100ad.txt").read_bytes())
    await store.run(lambda unit: store_places(unit, places))


async def in_kommunalprofil(companion: Companion) -> Named:
    """Anna picks Grabow by its key, answers the onboarding and goes to stage 2."""
    anna = Named(companion, "1001", "Anna Muster")
    await anna.says("/start")
    reply = await anna.says(GRABOW)
    assert "Grabow" in reply and "Ludwigslust-Parchim" in reply
    await anna.says("2, 5, 9")  # the fields of action; Land, kind and size come from the directory
    reply = await anna.says("/phase 2")
    assert "Bevölkerungsdaten" in reply  # kp_sources
    return anna


async def tables(store: Store) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The stored files and figures, without the moment of import."""
    datasets = [{k: v for k, v in d.items() if k != "imported_at"} for d in await rows(store, Dataset)]
    return datasets, await rows(store, Figure)


async def answer(store: Store, step_id: str) -> Any:
    found = await rows(store, Answer, Answer.step_id == step_id)
    return found[0]["value"] if found else None


@pytest.mark.usefixtures("directory")
async def test_a_file_sent_in_the_kommunalprofil_is_shown_stored_once_and_filled_in(companion: Companion, store: Store):
    anna = await in_kommunalprofil(companion)
    reply = await sends(anna, LONG)
    assert "Ich habe „12411-02-03-5-long.csv“ gelesen" in reply
    assert "Bevölkerung 31.12.2023: 5.800" in reply  # 920 + 3,000 + 1,000 + 880 (EXPECTED.md)
    assert "−3,3\u00a0%" in reply  # change 2019–2023: (5,800 − 6,000) / 6,000 × 100
    assert "Landkreis Ludwigslust-Parchim" in reply and "Mecklenburg-Vorpommern" in reply
    assert "Für Ihr Team gespeichert" in reply
    charts = [r for r in anna.replies for r in r.attachments]
    assert {a.media_type for a in charts} == {"image/png"} and len(charts) == 2
    assert all(a.data.startswith(b"\x89PNG\r\n\x1a\n") for a in charts)
    population = next(a for a in charts if "population" in a.filename)
    assert "2019: 6.000" in population.alt and "2023: 5.800" in population.alt  # the text alternative lists them
    datasets, figures = await tables(store)
    [dataset] = datasets
    assert dataset["scope"] == dataset["workspace_id"] and dataset["scope"] > 0  # the workspace's own
    assert dataset["table_code"] == "12411-02-03-5" and dataset["source"] == "official"
    assert {f["region"] for f in figures} == {GRABOW, "13076", "13"}

    reply = await sends(anna, LONG)  # the same file again
    assert "schon geschickt" in reply and "nichts hat sich geändert" in reply
    assert await tables(store) == (datasets, figures)

    await anna.presses("_fill")
    filled = await answer(store, "kp_indicators")
    population = next(r for r in filled if r["indicator"] == "population")
    assert population["value"] == "5.800" and population["year"] == "31.12.2023" and population["source"] == "official"
    assert "Ludwigslust-Parchim" in population["comparison"]
    assert await answer(store, "kp_sources") == "regionalstatistik"
    assert await answer(store, "kp_reference_date") == "2023-12-31"


@pytest.mark.usefixtures("directory")
async def test_a_file_with_a_missing_age_group_names_it_and_stores_nothing(companion: Companion, store: Store):
    anna = await in_kommunalprofil(companion)
    reply = await sends(anna, "12411-02-03-5-age-missing.csv")
    assert "nichts importiert" in reply
    assert "„40 bis unter 45 Jahre“" in reply and "13076052 Grabow, Stadt, 31.12.2023" in reply
    assert await tables(store) == ([], [])


@pytest.mark.usefixtures("directory")
async def test_a_municipality_with_only_dashes_has_no_data_never_zero(companion: Companion, store: Store):
    anna = await in_kommunalprofil(companion)
    reply = await sends(anna, "12411-02-03-5-no-data.csv")
    assert "keinen Wert" in reply and "Bevölkerung 31.12.2023" not in reply
    assert "_fill" not in anna.offered  # nothing to put into the profile
    _, figures = await tables(store)
    assert {f["value"] for f in figures if f["region"] == GRABOW} == {None}


@pytest.mark.usefixtures("directory")
async def test_register_then_official_figures_are_never_mixed(companion: Companion, store: Store):
    anna = await in_kommunalprofil(companion)
    reply = await sends(anna, "register-grabow.csv")
    assert "Melderegister" in reply and "Für Ihr Team gespeichert" in reply
    await anna.presses("_fill")
    assert {r["source"] for r in await answer(store, "kp_indicators")} == {"register"}
    assert await answer(store, "kp_sources") == "register"

    reply = await sends(anna, LONG)
    assert "Grabow (amtliche Statistik)" in reply and "Grabow (Melderegister der Gemeinde)" not in reply  # the file's
    assert anna.offered[:2] == ["_fill", "_fill:register"]
    reply = await anna.presses("_fill")
    assert "nie in einer Reihe gemischt" in reply
    assert {r["source"] for r in await answer(store, "kp_indicators")} == {"register"}
    await anna.presses("_replace")
    assert {r["source"] for r in await answer(store, "kp_indicators")} == {"official"}
    assert await answer(store, "kp_sources") == "register"  # answered before: the person's to change


@pytest.mark.usefixtures("directory")
async def test_the_register_template_comes_as_a_csv_file(companion: Companion):
    anna = await in_kommunalprofil(companion)
    await anna.says("/kennzahlen vorlage")
    [template] = [a for r in anna.replies for a in r.attachments]
    assert template.filename == "melderegister-vorlage.csv" and template.media_type == "text/csv"
    header = next(csv.reader(io.StringIO(template.data.decode("utf-8-sig")), delimiter=";"))
    assert [h.casefold() for h in header] == ["jahr", "alter", "geschlecht", "ortsteil", "anzahl"]


async def test_files_outside_the_kommunalprofil_keep_todays_answer(companion: Companion, store: Store):
    anna = Named(companion, "1002", "Ben")
    await anna.says("/start")
    reply = await sends(anna, LONG)
    assert "nur Text" in reply
    assert await tables(store) == ([], [])


@pytest.mark.parametrize(
    ("name", "read"),
    [
        (LONG, Sheet),
        ("register-grabow.csv", Sheet),
        ("12411-02-03-5-age-missing.csv", Rejected),
    ],
)
async def test_read_sheet_reads_statistics_and_the_register_off_the_event_loop(name: str, read: type):
    data = (FIXTURES / name).read_bytes()
    sheet = await statistics.read_sheet(Inbound(file_name=name, file=Upload("text/csv", len(data), data)))
    assert isinstance(sheet, read)


async def test_read_sheet_leaves_other_files_alone():
    for inbound in (
        Inbound(text="Hallo"),
        Inbound(file_name="foto.jpg", file=Upload("image/jpeg", 4, b"\xff\xd8\xff\xe0")),
        Inbound(file_name="gross.csv", file=Upload("text/csv", 80_000_000, None)),
        Inbound(file_name="notizen.txt", file=Upload("text/plain", 5, b"Notiz")),
    ):
        assert await statistics.read_sheet(inbound) is None


def test_a_reader_failure_is_a_rejection_not_a_crash(monkeypatch: pytest.MonkeyPatch):
    def broken(data: bytes, file_name: str = "") -> Sheet:
        raise ValueError("a bug in a reader")

    monkeypatch.setattr(statistics, "read_table", broken)
    found = statistics.read((FIXTURES / LONG).read_bytes(), LONG)
    assert isinstance(found, Rejected) and found.problems[0].message == "I could not read this file."


@pytest.mark.usefixtures("directory")
async def test_the_same_file_for_another_municipality_of_the_workspace_is_imported(companion: Companion, store: Store):
    anna = await in_kommunalprofil(companion)
    await sends(anna, "register-grabow.csv")
    await anna.says("/kommune")
    reply = await anna.says("13003000")  # Rostock
    assert "Rostock" in reply
    reply = await sends(anna, "register-grabow.csv")
    assert "Für Ihr Team gespeichert" in reply and "schon geschickt" not in reply
    datasets, figures = await tables(store)
    assert len(datasets) == 2 and {f["region"] for f in figures} == {GRABOW, "13003000"}
    reply = await sends(anna, "register-grabow.csv")
    assert "schon geschickt" in reply and await tables(store) == (datasets, figures)
