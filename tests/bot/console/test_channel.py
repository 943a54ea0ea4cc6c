"""Whole conversations piped through the real `daks chat` process, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import re
import stat
import sys
from datetime import date
from pathlib import Path

import pytest

from tests.conftest import ROOT, pipe_chat, run_chat

# (what the user types, what the companion must have said by then), in order.
FIVE_STAGES: list[tuple[str, str]] = [
    ("Musterstadt", "Was für eine Kommune ist Musterstadt?"),
    ("2", "In welchem Land liegt Musterstadt?"),
    ("13", "Wie viele Menschen leben ungefähr in Musterstadt?"),
    ("3", "Welche Handlungsfelder sind für Musterstadt"),
    ("2, 5, 9", "Kick-Off · Frage 1 von 10"),
    ("Bürgermeisterin Dr. Beispiel", "Wer koordiniert den Prozess"),
    ("Demografiebeauftragte im Hauptamt", "Wer gehört zur Steuerungsgruppe?"),
    ("Sozialamt", "Notiert (1)"),
    ("Planungsamt", "Notiert (2)"),
    ("fertig", "Wen laden Sie zum Kick-Off ein?"),
    ("Seniorenbeirat", "Notiert (1)"),
    ("fertig", "Welche Demografie-Projekte"),
    ("ISEK 2030", "Notiert (1)"),
    ("fertig", "Wann findet der Kick-Off statt"),
    ("25.01.2027", "In welchem Format"),
    ("2", "Was soll in fünf bis zehn Jahren in Musterstadt anders sein?"),
    ("Junge Familien halten", "Notiert (1)"),
    ("fertig", "Welche Personalstunden"),
    ("0,5 Stellen und 10.000 Euro", "Was davon ist erledigt?"),
    ("alle", "Zusammenfassung: Kick-Off"),
    ("1", "Kommunalprofil · Frage 1 von 11"),
    ("1", "Stichtag"),
    ("31.12.2025", "Kennzahl 1"),
    ("1", "Kennzahl 1 · Wert"),
    ("12.480", "Kennzahl 1 · Jahr oder Stichtag"),
    ("2025", "Kennzahl 1 · Vergleich"),
    ("/ueberspringen", "Gespeichert"),
    ("fertig", "Welche Angebote, Einrichtungen"),
    ("Drei Kitas und eine Grundschule", "Notiert (1)"),
    ("fertig", "qualitative Interviews"),
    ("12 Gespräche mit Vereinen und Betrieben", "Stärken"),
    ("Starkes Ehrenamt", "Notiert (1)"),
    ("fertig", "Schwächen"),
    ("Wenig Hausärztinnen und Hausärzte", "Notiert (1)"),
    ("fertig", "Chancen"),
    ("Zuzug aus der Großstadt", "Notiert (1)"),
    ("fertig", "Risiken"),
    ("Fachkräftemangel", "Notiert (1)"),
    ("fertig", "Handlungsfelder"),
    ("2, 5, 7", "Was davon ist erledigt?"),
    ("1, 2, 3", "Zusammenfassung: Kommunalprofil"),
    ("1", "Zukunftswerkstatt · Frage 1 von 9"),
    ("2", "Zukunftswerkstatt · Frage 2 von 9"),
    ("/ueberspringen", "Zukunftswerkstatt · Frage 3 von 9"),
    ("1, 3", "Zukunftswerkstatt · Frage 4 von 9"),
    ("Mit dem Lastenrad zu den Vereinen", "1) [ ] Daseinsvorsorge und Nahversorgung"),
    ("2, 1", "Idee 1"),
    ("Gemeinschaftspraxis im Ortskern", "1) Arbeit, Wirtschaft und Fachkräftesicherung"),
    ("2", "Idee 1 · "),
    ("Frau Beispiel", "Idee 1 · "),
    ("1", "Gespeichert"),
    ("fertig", "Zukunftswerkstatt · Frage 7 von 9"),
    ("/ueberspringen", "Zukunftswerkstatt · Frage 8 von 9"),
    ("/ueberspringen", "Was davon ist erledigt?"),
    ("alle", "Zusammenfassung: Zukunftswerkstatt"),
    ("1", "Idee 1 von 1: „Gemeinschaftspraxis im Ortskern“"),
    ("1", "Maßnahme 1 · Handlungsfeld (1/10)"),
    ("2", "Maßnahme 1 · Ziel (2/10)"),
    ("Bis 2028 zwei Praxen neu besetzen", "(3/10)"),
    ("Praxisbörse aufbauen", "(4/10)"),
    ("Wirtschaftsförderung", "(5/10)"),
    ("Kassenärztliche Vereinigung", "(6/10)"),
    ("/ueberspringen", "(7/10)"),
    ("03/2027", "(8/10)"),
    ("12/2028", "(9/10)"),
    ("20.000 Euro aus dem Haushalt", "Indikatoren (10/10)"),
    ("Neu besetzte Praxen", "In welcher Einheit"),
    ("Praxen", "Ausgangswert"),
    ("0, 2026, KV Sachsen", "Zielwert"),
    ("2", "Bis wann"),
    ("2029", "Neu besetzte Praxen (Praxen): Basis 0 (2026, KV Sachsen) → Ziel 2 bis 2029"),
    ("fertig", "Gespeichert: Praxisbörse aufbauen"),
    ("fertig", "Werkstattplan · Frage 2 von 5"),
    ("Sprechstunde im Rathaus", "Notiert (1)"),
    ("fertig", "Werkstattplan · Frage 3 von 5"),
    ("1", "Werkstattplan · Frage 4 von 5"),
    ("01.03.2028", "Was davon ist erledigt?"),
    ("alle", "Zusammenfassung: Werkstattplan"),  # the answers decide all items but the indicators
    ("1", "Zwischenbilanz · Frage 1 von 11"),
    ("15.06.2029", "Maßnahme „Praxisbörse aufbauen“ · Stand (1/5)"),
    ("2", "(2/5)"),
    ("1 Praxis besetzt", "(3/5)"),
    ("/ueberspringen", "(4/5)"),
    ("Wohnraum für Ärztinnen fehlt", "(5/5)"),
    ("1", "✓ Praxisbörse aufbauen"),
    ("fertig", "Zwischenbilanz · Frage 3 von 11"),
    ("Externe Prozessbegleitung", "Notiert (1)"),
    ("fertig", "Zwischenbilanz · Frage 4 von 11"),
    ("Zu wenig Personal", "Notiert (1)"),
    ("fertig", "Zwischenbilanz · Frage 5 von 11"),
    ("1, 2", "Zwischenbilanz · Frage 6 von 11"),
    ("Förderprogramme mit weniger Aufwand", "Notiert (1)"),
    ("fertig", "Zwischenbilanz · Frage 7 von 11"),
    ("1", "Zwischenbilanz · Frage 8 von 11"),
    ("/ueberspringen", "Zwischenbilanz · Frage 9 von 11"),
    ("2", "Zwischenbilanz · Frage 10 von 11"),
    ("Stelle ab 2030 im Haushalt", "Was davon ist erledigt?"),
    ("alle", "alle fünf Phasen"),
]


def assert_in_order(output: str, expected: list[str]) -> None:
    position = 0
    for fragment in expected:
        found = output.find(fragment, position)
        assert found >= 0, f"missing after position {position}: {fragment!r}\n---\n{output[position : position + 1500]}"
        position = found + len(fragment)


def test_a_user_walks_all_five_stages_exports_and_resumes(database_url: str, tmp_path: Path):
    lines = [line for line, _ in FIVE_STAGES] + ["/export md", "/ende"]
    result = run_chat(lines, user="anna", db=database_url, data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    assert_in_order(
        result.stdout,
        ["Guten Tag! Ich bin der DAKS-Begleiter"] + [e for _, e in FIVE_STAGES] + ["als Markdown", "Bis bald"],
    )
    assert "› " not in result.stdout and "\033[" not in result.stdout  # no prompt or colour when piped

    [export] = (tmp_path / "exports").glob("*/daks-*-musterstadt-*.md")
    headings, text = markdown_text(export)
    assert headings[0] == "Demografiestrategie" and text.splitlines()[1] == "Musterstadt"  # the title page
    for heading in ("1. Kick-Off", "2. Kommunalprofil", "4. Werkstattplan", "5. Zwischenbilanz"):
        assert heading in headings, headings
    for fragment in (
        "Bürgermeisterin Dr. Beispiel",
        "Starkes Ehrenamt",
        "Praxisbörse aufbauen",
        "Aus der Zukunftswerkstatt: Gemeinschaftspraxis im Ortskern",  # the measure was taken over from the idea
        "Wirtschaftsförderung",
        "Wohnraum für Ärztinnen fehlt",
    ):
        assert fragment in text, fragment

    again = run_chat(["/fortschritt", "/ende"], user="anna", db=database_url, data_dir=tmp_path)
    assert_in_order(
        again.stdout, ["Willkommen zurück", "Zusammenfassung: Zwischenbilanz", "5 von 5 Phasen abgeschlossen"]
    )


def markdown_text(path: Path) -> tuple[list[str], str]:
    """The headings and the paragraphs of a Markdown file as a reader sees them (markdown-it-py, escapes undone)."""
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").enable("table").parse(path.read_text(encoding="utf-8"))
    shown = ["".join(c.content for c in t.children or () if c.type == "text") for t in tokens]
    headings = [shown[i + 1] for i, t in enumerate(tokens) if t.type == "heading_open"]
    return headings, "\n".join(x for x in shown if x)


def test_quitting_mid_stage_and_coming_back_resumes_exactly_there(database_url: str, tmp_path: Path):
    first = run_chat(
        ["Musterstadt", "2", "13", "3", "2, 5, 9", "Bürgermeisterin", "Hauptamt", "Sozialamt"],
        user="ben",
        db=database_url,
        data_dir=tmp_path,
    )
    assert first.returncode == 0 and "Notiert (1)" in first.stdout
    second = run_chat(["Planungsamt", "fertig", "/ende"], user="ben", db=database_url, data_dir=tmp_path)
    assert_in_order(
        second.stdout,
        [
            "Willkommen zurück",
            "Wer gehört zur Steuerungsgruppe?",
            "1. Sozialamt",
            "Notiert (2)",
            "Wen laden Sie zum Kick-Off ein?",
        ],
    )
    other = run_chat(["/ende"], user="carla", db=database_url, data_dir=tmp_path)
    assert "Guten Tag!" in other.stdout and "Willkommen zurück" not in other.stdout


def test_bad_input_gets_friendly_answers_and_loses_nothing(database_url: str, tmp_path: Path):
    lines = [
        "Musterstadt",
        "",
        "99",
        "-1",
        "Metropole",
        "/gibtsnicht",
        "2",
        "13",
        "3",
        "2, 5, 99",
        "2, 5",
        "x" * 100_000,
        "\x00\x07Bürger\x1bmeisterin <script>alert(1)</script>",
        "/phase 12",
        "/meinedaten",
    ]
    result = run_chat(lines, user="dora", db=database_url, data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    assert_in_order(
        result.stdout,
        [
            "Was für eine Kommune ist Musterstadt?",
            "keinen Text erhalten",
            "Nummer (1 bis 5)",
            "Nummer (1 bis 5)",
            "Nummer (1 bis 5)",
            "/gibtsnicht",
            "In welchem Land",
            "„99“",
            "Kick-Off · Frage 1 von 10",
            "100.000 Zeichen",
            "Wer koordiniert den Prozess",
            "Eine Phase „12“ gibt es nicht",
            "Ihre gespeicherten Daten",
            "console: dora",
        ],
    )
    assert "Traceback" not in result.stdout + result.stderr
    again = run_chat(["/zurueck", "/ende"], user="dora", db=database_url, data_dir=tmp_path)
    assert "Bürgermeisterin <script>alert(1)</script>" in again.stdout


def test_delete_removes_everything_after_confirmation(database_url: str, tmp_path: Path):
    run_chat(["Musterstadt", "2", "13", "3", "2, 5"], user="emil", db=database_url, data_dir=tmp_path)
    result = run_chat(["/loeschen", "2", "/loeschen", "1"], user="emil", db=database_url, data_dir=tmp_path)
    assert_in_order(
        result.stdout,
        [
            "Möchten Sie wirklich alle Ihre Daten löschen",
            "Es wurde nichts gelöscht",
            "Möchten Sie wirklich",
            "Alle Ihre Daten wurden gelöscht",
        ],
    )
    erased = run_chat(["/meinedaten"], user="emil", db=database_url, data_dir=tmp_path)
    assert "Sie haben hier alle Ihre Daten gelöscht" in erased.stdout and "Musterstadt" not in erased.stdout
    fresh = run_chat(["/start"], user="emil", db=database_url, data_dir=tmp_path)
    assert "Ein Neuanfang" in fresh.stdout and "Guten Tag!" in fresh.stdout and "Willkommen zurück" not in fresh.stdout


def test_python_dash_m_bot_and_languages(tmp_path: Path):
    db = f"sqlite:///{tmp_path / 'x.db'}"
    result = run_chat(["/ende"], user="fr-user", db=db, lang="fr", data_dir=tmp_path)
    assert "Bonjour" in result.stdout or "Compagnon DAKS" in result.stdout, result.stdout
    result = run_chat(["/ende"], user="en-user", db=db, lang="en", data_dir=tmp_path)
    assert "DAKS companion" in result.stdout, result.stdout


def test_a_bad_language_or_a_broken_content_dir_is_refused_clearly(tmp_path: Path):
    import subprocess

    bad = subprocess.run(
        [sys.executable, "-m", "bot", "chat", "--lang", "xx"], capture_output=True, text=True, cwd=ROOT, input=""
    )
    assert bad.returncode == 2 and "--lang" in bad.stderr
    (tmp_path / "content").mkdir()
    broken = subprocess.run(
        [sys.executable, "-m", "bot", "chat", "--db", f"sqlite:///{tmp_path}/x.db"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        input="",
        env={**__import__("os").environ, "DAKS_CONTENT_DIR": str(tmp_path / "content")},
    )
    assert broken.returncode == 2
    assert re.search(r"content\.yaml: file is missing", broken.stderr)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_five_stages_in_french_and_english(lang: str, tmp_path: Path, content):
    """The same typed answers work in every language; each stage ends with its summary in that language."""
    t = content.catalogues.translator(lang)
    lines = [line for line, _ in FIVE_STAGES] + ["/export md", "/quit"]
    result = run_chat(lines, user=f"user-{lang}", db=f"sqlite:///{tmp_path / 'x.db'}", lang=lang, data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    expected = [content.stage("onboarding").steps[0].prompt.get(lang)[:40]]
    for stage in content.daks_stages:
        expected += [
            t("{stage} · question {index} of {total}", stage=stage.title.get(lang), index=1, total=len(stage.steps)),
            t("Summary: {stage}", stage=stage.title.get(lang)),
        ]
    expected.append(
        t("You have worked through all five stages. Export your results and share them with your steering group.")[:40]
    )
    assert_in_order(result.stdout, expected)
    [export] = (tmp_path / "exports").glob("*/*.md")
    assert f"3. {content.stage('zukunftswerkstatt').title.get(lang)}" in markdown_text(export)[0]


BIDI_AND_ESCAPES = "\u202e\u2066\u200f\x1b"


def stored_answers(database_url: str) -> list[object]:
    from storage.models import Answer
    from storage.store import Store

    async def read() -> list[object]:
        store = await Store.open(database_url, upgrade=False)
        try:
            rows = await store.run_connection(lambda conn: conn.execute(Answer.__table__.select()).mappings().all())
            return [r["value"] for r in rows]
        finally:
            await store.close()

    return asyncio.run(read())


def test_undecodable_bytes_and_hostile_controls_are_cleaned_and_export_works(database_url: str, tmp_path: Path):
    typed = (
        b"K\xf6ln\xed\xa0\x80\n"  # Latin-1 and an encoded surrogate: not UTF-8
        b"2\n13\n3\n2, 5\n"
        b"B\xc3\xbcrger\xe2\x80\xaemeister\xe2\x81\xa6in \x1b[2J\x1b]0;pwned\x07\x00\n"  # bidi, ESC, BEL, NUL
        b"/export md\n/ende\n"
    )
    result = pipe_chat(typed, user="lena", db=database_url, data_dir=tmp_path)
    out = result.stdout.decode("utf-8")
    assert result.returncode == 0 and b"Traceback" not in result.stderr, result.stderr
    assert_in_order(
        out,
        [
            "Was für eine Kommune ist K\ufffdln\ufffd\ufffd\ufffd?",
            "Kick-Off · Frage 1 von 10",
            "Wer koordiniert den Prozess",
            "als Markdown",
            "Bis bald",
        ],
    )
    assert not set(out) & set(BIDI_AND_ESCAPES + "\x00\x07")
    [export] = [line.removeprefix("📎 ") for line in out.splitlines() if line.startswith("📎 ")]
    _, text = markdown_text(Path(export))
    assert "K\ufffdln" in text and "Bürgermeisterin [2J]0;pwned" in text
    values = stored_answers(database_url)
    assert "K\ufffdln\ufffd\ufffd\ufffd" in values and "Bürgermeisterin [2J]0;pwned" in values
    assert not [v for v in values if isinstance(v, str) and set(v) & set(BIDI_AND_ESCAPES)]


@pytest.mark.parametrize("user", ["\x1b[2Janna", "an\u202enna", b"an\xffna"])
def test_a_user_id_with_control_characters_or_bad_bytes_is_refused_and_never_echoed(user: str | bytes, tmp_path: Path):
    result = pipe_chat(b"/ende\n", user=user, db=f"sqlite:///{tmp_path / 'x.db'}", data_dir=tmp_path)
    assert result.returncode == 2 and b"--user must be printable text" in result.stderr
    assert b"\x1b" not in result.stdout + result.stderr and b"nna" not in result.stdout + result.stderr


def mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def test_exports_are_per_user_unique_transliterated_owner_only_never_through_a_symlink_and_go_with_delete_me(
    tmp_path: Path,
):
    data = tmp_path / "data"
    db = f"sqlite:///{data / 'daks.db'}"
    exports = data / "exports"
    exports.mkdir(parents=True)
    victim = tmp_path / "victim.md"
    victim.write_text("not yours")
    for old_name in ("k-ln", "koeln"):  # the predictable names exports used to get
        (exports / f"daks-{old_name}-{date.today().isoformat()}.md").symlink_to(victim)
    profile = ["Köln", "2", "13", "3", "2, 5"]
    anna = run_chat([*profile, "/export md", "/export md"], user="anna", db=db, data_dir=data)
    ben = run_chat([*profile, "/export md"], user="ben", db=db, data_dir=data)
    nameless = run_chat(["/export md"], user="carla", db=db, data_dir=data)
    for result in (anna, ben, nameless):
        assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert victim.read_text() == "not yours"

    folders = sorted(p for p in exports.iterdir() if p.is_dir() and not p.is_symlink())
    files = {folder: sorted(folder.iterdir()) for folder in folders}
    assert sorted(len(f) for f in files.values()) == [1, 1, 2]  # anna exported twice
    everything = [path for paths in files.values() for path in paths]
    assert len({p.name for p in everything}) == 4
    assert all(re.fullmatch(r"daks-[a-z]+-(koeln|export)-[0-9-]+-[0-9a-f]{6}\.md", p.name) for p in everything)
    assert not [p for p in [*folders, *everything] if {"anna", "ben", "carla"} & set(p.name.split("-"))]
    assert {mode(folder) for folder in folders} == {0o700}
    assert {mode(p) for p in everything} == {0o600} and mode(data / "daks.db") == 0o600
    assert mode(data / "secret.key") == 0o600
    shown = [line.removeprefix("📎 ") for line in anna.stdout.splitlines() if line.startswith("📎 ")]
    [anna_folder] = {Path(line).parent for line in shown}

    erased = run_chat(["/loeschen", "1"], user="anna", db=db, data_dir=data)
    assert "Alle Ihre Daten wurden gelöscht" in erased.stdout
    assert not anna_folder.exists() and sorted(p for p in exports.iterdir() if p.is_dir()) == sorted(
        f for f in folders if f != anna_folder
    )


def test_an_export_is_not_written_into_a_folder_someone_swapped_for_a_symlink(tmp_path: Path):
    data = tmp_path / "data"
    db = f"sqlite:///{data / 'daks.db'}"
    first = run_chat(["Köln", "/export md"], user="dora", db=db, data_dir=data)
    [folder] = (data / "exports").iterdir()
    assert first.returncode == 0 and len(list(folder.iterdir())) == 1
    assert mode(data) == mode(data / "exports") == mode(folder) == 0o700  # created by the app
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    for path in folder.iterdir():
        path.unlink()
    folder.rmdir()
    folder.symlink_to(elsewhere)
    again = run_chat(["/export md"], user="dora", db=db, data_dir=data)
    assert again.returncode == 0 and "Traceback" not in again.stderr
    assert "could not be written" in again.stderr and list(elsewhere.iterdir()) == []
    erased = run_chat(["/loeschen", "1"], user="dora", db=db, data_dir=data)
    assert erased.returncode == 0 and not folder.is_symlink() and elsewhere.is_dir()
