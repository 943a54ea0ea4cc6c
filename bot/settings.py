"""One settings object, read from the environment and an optional .env file."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """DAKS_* variables; later channels add their own fields here."""

    model_config = SettingsConfigDict(env_prefix="DAKS_", env_file=".env", extra="ignore")

    data_dir: Path = Field(default=Path("data"), description="Where the SQLite file and exports live.")
    database_url: str | None = Field(default=None, description="SQLAlchemy URL; default: SQLite in data_dir.")
    content_dir: Path = Field(default=PROJECT_ROOT / "content", description="The content set to run.")
    language: str = Field(default="de", pattern="^(de|fr|en)$", description="Language for new users.")
    export_dir: Path | None = Field(default=None, description="Where the terminal chat writes exports.")
    auto_migrate: bool = Field(default=True, description="Upgrade the database schema at start.")
    log_level: str = "WARNING"

    @property
    def database(self) -> str:
        return self.database_url or f"sqlite:///{(self.data_dir / 'daks.db').resolve()}"

    @property
    def exports(self) -> Path:
        return self.export_dir or self.data_dir / "exports"
