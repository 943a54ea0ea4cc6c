"""Settings come from DAKS_* variables and an optional .env file."""

from __future__ import annotations

from pathlib import Path

from bot.settings import PROJECT_ROOT, Settings


def test_defaults_are_an_embedded_sqlite_database_and_the_shipped_content(monkeypatch, tmp_path: Path):
    monkeypatch.chdir(tmp_path)
    for name in ("DAKS_DATABASE_URL", "DAKS_DATA_DIR", "DAKS_CONTENT_DIR", "DAKS_LANGUAGE"):
        monkeypatch.delenv(name, raising=False)
    settings = Settings()
    assert settings.database == f"sqlite:///{tmp_path / 'data' / 'daks.db'}"
    assert settings.content_dir == PROJECT_ROOT / "content"
    assert settings.language == "de"
    assert settings.exports == Path("data") / "exports"


def test_environment_and_dotenv(monkeypatch, tmp_path: Path):
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text("DAKS_DATABASE_URL=postgresql://daks@db/daks\nDAKS_LANGUAGE=fr\n")
    monkeypatch.setenv("DAKS_LANGUAGE", "en")  # the environment wins over .env
    settings = Settings()
    assert settings.database == "postgresql://daks@db/daks"
    assert settings.language == "en"
