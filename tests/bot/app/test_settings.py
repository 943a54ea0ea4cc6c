"""Settings come from DAKS_* variables and an optional .env file."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.app.settings import PROJECT_ROOT, Settings


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


def test_a_log_level_must_be_one_python_knows(monkeypatch, tmp_path: Path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DAKS_LOG_LEVEL", "debug")
    assert Settings().log_level == "DEBUG"
    monkeypatch.setenv("DAKS_LOG_LEVEL", "LOUD")
    with pytest.raises(ValidationError, match="DEBUG, INFO, WARNING, ERROR or CRITICAL"):
        Settings()


def test_a_telegram_token_must_look_like_one_from_botfather(monkeypatch, tmp_path: Path):
    monkeypatch.chdir(tmp_path)
    good = "123456789:AAH" + "x" * 32
    monkeypatch.setenv("TELEGRAM_TOKEN", good)
    assert Settings().telegram_token.get_secret_value() == good
    for bad in ("abc", "123456789:short", "bot123:AAH" + "x" * 32, good + "x", good.replace("x", "!", 1)):
        monkeypatch.setenv("TELEGRAM_TOKEN", bad)
        with pytest.raises(ValidationError, match="TELEGRAM_TOKEN") as info:
            Settings()
        assert bad not in str(info.value)


def test_a_database_url_must_be_sqlite_or_postgresql(monkeypatch, tmp_path: Path):
    monkeypatch.chdir(tmp_path)
    for good in ("sqlite:///data/daks.db", "postgresql://daks@db/daks", "postgres://daks@db:5433/daks"):
        monkeypatch.setenv("DAKS_DATABASE_URL", good)
        assert Settings().database == good
    for bad, named in (("mysql://daks:pw@db/daks", "mysql"), ("daks.db", "not a database URL")):
        monkeypatch.setenv("DAKS_DATABASE_URL", bad)
        with pytest.raises(ValidationError, match=named) as info:
            Settings()
        assert ":pw@" not in str(info.value)


def test_a_matrix_homeserver_is_a_web_address(monkeypatch, tmp_path: Path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MATRIX_USER_ID", "@daks:example.org")
    monkeypatch.setenv("MATRIX_PASSWORD", "secret")
    monkeypatch.setenv("MATRIX_HOMESERVER", "https://matrix.example.org")
    assert Settings().matrix_homeserver == "https://matrix.example.org"
    monkeypatch.setenv("MATRIX_HOMESERVER", "matrix.example.org")
    with pytest.raises(ValidationError, match="MATRIX_HOMESERVER(.|\n)*https://"):
        Settings()


def test_documents_are_rendered_by_one_worker_unless_configured(monkeypatch, tmp_path: Path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DAKS_RENDER_WORKERS", raising=False)
    assert Settings().render_workers == 1
    monkeypatch.setenv("DAKS_RENDER_WORKERS", "0")  # one thread in the bot's own process
    assert Settings().render_workers == 0
    monkeypatch.setenv("DAKS_RENDER_WORKERS", "-1")
    with pytest.raises(ValidationError, match="render_workers"):
        Settings()
