"""`daks admin report obstacles` and `daks admin report quotes` on SQLite and PostgreSQL: the field of action with 5
municipalities is in the ODT (parsed with odfdo) and the one with 4 is not; no name or key anywhere; free texts only
after an editor approved them; operator mistakes end in one line on stderr and a documented exit code."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from odfdo import Document as Odt
from sqlalchemy import insert, update
from sqlmodel import col
from typer.testing import CliRunner, Result

from bot.app.failures import CONFIGURATION, UNREACHABLE
from bot.cli.admin import admin_app
from bot.cli.main import app
from bot.cli.report import report_app
from flows.exchange.obstacles import digest
from storage.models import AdminLog, Answer, Quote, Workspace, utcnow
from storage.store import Unit
from tests.bot.cli.test_data import in_store
from tests.bot.talk import rows
from tests.flows.exchange.municipalities import HEALTH, MOBILITY, NAMES, OFFICIAL_KEYS

if not any(group.name == "report" for group in admin_app.registered_groups):
    admin_app.add_typer(report_app, name="report")  # as bot.cli.main.main() does
if not any(group.name == "admin" for group in app.registered_groups):
    app.add_typer(admin_app, name="admin")

SECRET = "s" * 40
HEALTH_DE, MOBILITY_DE = "Gesundheit, Pflege und gut alt werden", "Mobilität und ÖPNV"


@pytest.fixture(autouse=True)
def key(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> bytes:
    monkeypatch.setenv("DAKS_SECRET_KEY", SECRET)
    monkeypatch.setenv("DAKS_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("DAKS_LANGUAGE", "de")
    return SECRET.encode()


def daks(db: str, *args: str) -> Result:
    result = CliRunner().invoke(app, ["admin", "report", *args, "--db", db])
    assert "Traceback" not in result.output, result.output
    return result


def workspaces(db: str, *groups: dict[int, dict[str, Any]]) -> None:
    """The workspaces with their answers, as the Companion stores them."""

    def put(unit: Unit) -> None:
        for group in groups:
            for wid, answers in group.items():
                name = answers["ob_name"]["name"]
                unit.conn.execute(insert(Workspace).values(id=wid, name=name, revision=1, created_at=utcnow()))
                for step_id, value in answers.items():
                    unit.conn.execute(
                        insert(Answer).values(
                            workspace_id=wid,
                            step_id=step_id,
                            value=value,
                            revision=1,
                            created_at=utcnow(),
                            updated_at=utcnow(),
                        )
                    )

    in_store(db, lambda store: store.run(put))


def answer(db: str, wid: int, step_id: str, value: Any) -> None:
    def change(unit: Unit) -> None:
        unit.conn.execute(
            update(Answer).where(col(Answer.workspace_id) == wid, col(Answer.step_id) == step_id).values(value=value)
        )

    in_store(db, lambda store: store.run(change))


def no_one_named(text: str) -> None:
    assert not [n for n in NAMES if n.lower() in text.lower()], text
    assert not [k for k in OFFICIAL_KEYS if k in text], text
    assert "Sachsen" not in text


def test_the_odt_shows_the_field_with_five_municipalities_and_not_the_one_with_four(database_url: str, tmp_path: Path):
    workspaces(database_url, HEALTH, MOBILITY)
    target = tmp_path / "bericht.odt"

    result = daks(database_url, "obstacles", "--format", "odt", "--output", str(target))

    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == f"{target}: 1 fields of action shown, 1 hidden"
    text = Odt(str(target)).body.text_recursive
    assert HEALTH_DE in text and MOBILITY_DE not in text
    assert "5 Kommunen haben beigetragen." in text and "zu wenig Personal" in text
    assert "1 Handlungsfeld nicht gezeigt: weniger als 5 Kommunen." in text
    assert "Noch kein Freitext ist von der Redaktion freigegeben." in text
    assert "Beteiligte Kommunen\n5\n" in text  # those only in the hidden field are not counted
    no_one_named(text)
    assert "Eigenanteil" not in text  # no free text before an editor approved it
    log = in_store(database_url, lambda store: rows(store, AdminLog))
    assert [(e["action"], e["detail"]) for e in log] == [("report_obstacles", {"format": "odt", "lang": "de"})]


def test_markdown_goes_to_standard_output_and_a_field_can_be_asked_for(database_url: str):
    workspaces(database_url, HEALTH, MOBILITY)

    health = daks(database_url, "obstacles", "--field", "health", "--lang", "fr")
    mobility = daks(database_url, "obstacles", "--field", "mobility")

    assert health.exit_code == mobility.exit_code == 0
    assert "## Santé, soins et bien vieillir" in health.stdout and "5 collectivités ont contribué." in health.stdout
    assert "| manque de personnel | 4 |" in health.stdout
    assert MOBILITY_DE not in mobility.stdout and "1 Handlungsfeld nicht gezeigt" in mobility.stdout
    assert "Beteiligte Kommunen" not in mobility.stdout  # not even how many
    no_one_named(health.stdout + mobility.stdout)


def test_free_texts_appear_once_an_editor_approved_them(database_url: str, key: bytes):
    workspaces(database_url, HEALTH, MOBILITY)

    listed = daks(database_url, "quotes")

    assert listed.exit_code == 0, listed.output
    lines = listed.stdout.splitlines()
    assert [line[12:].split(None, 2) for line in lines] == [
        ["health", "blocked", "Die Stelle war zwei Jahre unbesetzt"],
        ["health", "blocked", "Eigenanteil zu hoch"],
        ["health", "hindered", "Keine Praxisräume in Süderbrarup  [names the municipality: approve only with --text]"],
        ["health", "ask", "Förderprogramme bündeln"],
    ]
    assert listed.stderr.strip() == "4 texts waiting; 1 more in fields of action with fewer than 5 municipalities"
    grabow, sebnitz, suederbrarup, barleben = (line[:12] for line in lines)
    assert grabow == digest(key, 1, "blocked", "Die Stelle war zwei Jahre unbesetzt")[:12]

    named = daks(database_url, "quotes", "approve", suederbrarup)
    assert named.exit_code == CONFIGURATION and "names the municipality" in named.stderr
    steps = [
        daks(database_url, "quotes", "approve", suederbrarup, "--text", "Keine Praxisräume im Ort"),
        daks(database_url, "quotes", "approve", grabow[:8], "--text", "Eine Stelle blieb lange unbesetzt."),
        daks(database_url, "quotes", "approve", barleben),
        daks(database_url, "quotes", "reject", sebnitz),
    ]
    assert [s.exit_code for s in steps] == [0, 0, 0, 0], [s.output for s in steps]
    assert steps[3].stdout.strip() == f"{sebnitz} rejected"

    report = daks(database_url, "obstacles")

    assert "- Keine Praxisräume im Ort" in report.stdout and "- Eine Stelle blieb lange unbesetzt." in report.stdout
    assert "- Förderprogramme bündeln" in report.stdout
    assert "Eigenanteil" not in report.stdout and "zwei Jahre" not in report.stdout
    no_one_named(report.stdout)
    quotes = in_store(database_url, lambda store: rows(store, Quote))
    assert sorted((q["source"], q["status"], q["text"]) for q in quotes) == [
        ("ask", "approved", "Förderprogramme bündeln"),
        ("blocked", "approved", "Eine Stelle blieb lange unbesetzt."),
        ("blocked", "rejected", ""),
        ("hindered", "approved", "Keine Praxisräume im Ort"),
    ]
    assert daks(database_url, "quotes").stdout == ""  # nothing waits any more


def test_a_workspace_that_withdraws_is_gone_from_the_next_report(database_url: str):
    workspaces(database_url, HEALTH, MOBILITY)
    first = daks(database_url, "quotes").stdout.splitlines()[1][:12]  # Sebnitz's text
    assert daks(database_url, "quotes", "approve", first).exit_code == 0

    answer(database_url, 5, "zb_pool", "no")
    answer(database_url, 6, "zb_pool", "no")
    report = daks(database_url, "obstacles")

    assert HEALTH_DE not in report.stdout and "2 Handlungsfelder nicht gezeigt" in report.stdout
    assert in_store(database_url, lambda store: rows(store, Quote)) == []  # its approved text is forgotten


def test_operator_mistakes_end_in_one_line_and_an_exit_code(tmp_path: Path):
    db = f"sqlite:///{tmp_path / 'daks.db'}"
    missing = daks(f"sqlite:///{tmp_path / 'none.db'}", "obstacles")
    assert missing.exit_code == UNREACHABLE == 3
    assert missing.stderr.splitlines() == [f"no database at {tmp_path / 'none.db'}; check DAKS_DATABASE_URL (or --db)"]
    assert not (tmp_path / "none.db").exists()
    workspaces(db, HEALTH)

    cases = {
        ("obstacles", "--field", "gesundheit"): "unknown field of action 'gesundheit'; known: strategy, ",
        ("obstacles", "--format", "pdf"): "unknown format 'pdf'; use md or odt",
        ("obstacles", "--lang", "it"): "--lang must be de, fr or en",
        (
            "obstacles",
            "--output",
            str(tmp_path / "no" / "r.md"),
        ): f"cannot write {tmp_path / 'no' / 'r.md'}: the folder",
        ("obstacles", "--output", str(tmp_path)): f"cannot write {tmp_path}: it is a folder",
        ("quotes", "approve", "xyz"): "a digest is hexadecimal, at least 8 characters",
        ("quotes", "reject", "0123456789ab"): "no text of an opted-in workspace has the digest 0123456789ab",
        ("quotes", "approve", "abcdef01", "--text", " "): "--text must hold 1 to 2000 characters",
    }
    for args, said in cases.items():
        result = daks(db, *args)
        assert result.exit_code == CONFIGURATION == 2, (args, result.output)
        assert len(result.stderr.splitlines()) == 1 and result.stderr.startswith(said), (args, result.stderr)
        assert result.stdout == ""
