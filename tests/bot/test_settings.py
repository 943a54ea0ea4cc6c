"""Settings come from DAKS_* variables and an optional .env file."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

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


def test_the_secret_key_is_generated_once_into_the_data_folder_unless_configured(monkeypatch, tmp_path: Path):
    import stat

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DAKS_SECRET_KEY", raising=False)
    data = tmp_path / "data"
    key = Settings(data_dir=data).pseudonym_key()
    assert len(key) >= 32 and Settings(data_dir=data).pseudonym_key() == key  # read back on the next start
    assert stat.S_IMODE((data / "secret.key").stat().st_mode) == 0o600
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    assert Settings(data_dir=tmp_path / "other").pseudonym_key() != key

    monkeypatch.setenv("DAKS_SECRET_KEY", "k" * 40)
    assert Settings(data_dir=data).pseudonym_key() == b"k" * 40
    monkeypatch.setenv("DAKS_SECRET_KEY", "too-short")
    with pytest.raises(ValidationError, match="at least 32 characters"):
        Settings()
