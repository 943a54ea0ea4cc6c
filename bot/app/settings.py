"""One settings object, read from the environment and an optional .env file."""

from __future__ import annotations

import re
import secrets
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.app import failures, logs
from storage.files import create_private, private_folder

PROJECT_ROOT = Path(__file__).resolve().parents[2]
_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")
_ADMIN = re.compile(r"telegram:[0-9]{1,20}|matrix:@[^:\s]+:[^\s,]+")
_TOKEN = re.compile(r"[0-9]+:[A-Za-z0-9_-]{35}")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


def _env(name: str) -> AliasChoices:
    """A platform's own variable name (``TELEGRAM_TOKEN``), or the same with our ``DAKS_`` prefix."""
    return AliasChoices(name, f"DAKS_{name}")


class Settings(BaseSettings):
    """DAKS_* variables; later channels add their own fields here."""

    model_config = SettingsConfigDict(
        env_prefix="DAKS_", env_file=".env", extra="ignore", hide_input_in_errors=True
    )  # values may be tokens

    data_dir: Path = Field(default=Path("data"), description="Where the SQLite file and exports live.")
    database_url: str | None = Field(default=None, description="SQLAlchemy URL; default: SQLite in data_dir.")
    content_dir: Path = Field(default=PROJECT_ROOT / "content", description="The content set to run.")
    language: str = Field(default="de", pattern="^(de|fr|en)$", description="Language for new users.")
    export_dir: Path | None = Field(default=None, description="Where the terminal chat writes exports.")
    auto_migrate: bool = Field(default=True, description="Upgrade the database schema at start.")
    render_workers: int = Field(
        default=1,
        ge=0,
        le=32,
        description="Processes that render exported documents off the event loop; 0 = one thread (terminal chat).",
    )
    log_level: str = Field(default="WARNING", description="DEBUG, INFO, WARNING, ERROR or CRITICAL.")
    log_format: Literal["text", "json"] = Field(default="text", description="Log lines as text or JSON.")
    metrics_listen: str | None = Field(
        default=None,
        pattern=r"^.+:[0-9]{1,5}$",
        description="host:port for /healthz, /readyz and /metrics; default off.",
    )
    secret_key: SecretStr | None = Field(
        default=None,
        description="Keys the pseudonyms kept after an erasure; "
        "default: a key generated into data_dir/secret.key on first start.",
    )

    telegram_token: SecretStr | None = Field(
        default=None,
        validation_alias=_env("TELEGRAM_TOKEN"),
        description="Bot token from @BotFather; turns Telegram on.",
    )
    telegram_base_url: str = Field(
        default="https://api.telegram.org/bot",
        validation_alias=_env("TELEGRAM_BASE_URL"),
        description="Bot API base URL; a self-hosted server's, e.g. http://127.0.0.1:8081/bot",
    )
    telegram_base_file_url: str = Field(
        default="https://api.telegram.org/file/bot", validation_alias=_env("TELEGRAM_BASE_FILE_URL")
    )
    telegram_webhook_url: str | None = Field(
        default=None,
        validation_alias=_env("TELEGRAM_WEBHOOK_URL"),
        description="Public HTTPS URL; webhook mode instead of polling.",
    )
    telegram_webhook_listen: str = Field(
        default="0.0.0.0:8443",
        validation_alias=_env("TELEGRAM_WEBHOOK_LISTEN"),
        pattern=r"^.+:[0-9]{1,5}$",
        description="host:port the webhook listens on.",
    )
    telegram_webhook_secret: SecretStr | None = Field(
        default=None,
        validation_alias=_env("TELEGRAM_WEBHOOK_SECRET"),
        description="Required in webhook mode: 1-256 of A-Z a-z 0-9 _ -",
    )
    telegram_timeout: float = Field(
        default=10.0,
        gt=0,
        validation_alias=_env("TELEGRAM_TIMEOUT"),
        description="Seconds to wait for Telegram to answer a request.",
    )
    telegram_pacing: bool = Field(
        default=True,
        validation_alias=_env("TELEGRAM_PACING"),
        description="Pace sends within Telegram's limits (off only for benchmarks).",
    )

    matrix_homeserver: str | None = Field(
        default=None,
        validation_alias=_env("MATRIX_HOMESERVER"),
        description="Homeserver URL, e.g. https://matrix.example.org",
    )
    matrix_user_id: str | None = Field(
        default=None,
        validation_alias=_env("MATRIX_USER_ID"),
        pattern=r"^@[^:]+:.+$",
        description="The bot's full Matrix ID.",
    )
    matrix_password: SecretStr | None = Field(default=None, validation_alias=_env("MATRIX_PASSWORD"))
    matrix_access_token: SecretStr | None = Field(default=None, validation_alias=_env("MATRIX_ACCESS_TOKEN"))
    matrix_device_id: str | None = Field(default=None, validation_alias=_env("MATRIX_DEVICE_ID"))
    matrix_store_dir: Path | None = Field(
        default=None,
        validation_alias=_env("MATRIX_STORE_DIR"),
        description="Crypto store, device and sync token; default data_dir/matrix.",
    )
    matrix_allowed_servers: str = Field(
        default="",
        validation_alias=_env("MATRIX_ALLOWED_SERVERS"),
        description="Comma-separated servers whose users may invite the bot.",
    )
    matrix_send_rate: float = Field(
        default=5.0,
        ge=0,
        validation_alias=_env("MATRIX_SEND_RATE"),
        description="Messages per second the bot sends at most (burst 10); 0 = unpaced.",
    )
    matrix_allowed_users: str = Field(
        default="",
        validation_alias=_env("MATRIX_ALLOWED_USERS"),
        description="Comma-separated Matrix IDs that may invite the bot.",
    )

    admins: str = Field(default="", description="Comma-separated telegram:<numeric user id> and matrix:@user:server.")
    broadcast_rate: float = Field(
        default=30.0,
        gt=0,
        le=1000,
        validation_alias=_env("TELEGRAM_BROADCAST_RATE"),
        description="Messages per second for the whole bot token (Telegram: about 30).",
    )
    pace_fraction: float = Field(
        default=0.9,
        gt=0,
        le=1,
        validation_alias=_env("TELEGRAM_PACE_FRACTION"),
        description="Share of TELEGRAM_BROADCAST_RATE actually sent: the safety margin.",
    )

    @field_validator("log_level")
    @classmethod
    def _log_level(cls, value: str) -> str:
        if value.strip().upper() not in LOG_LEVELS:
            raise ValueError(f"{value!r} is not a log level; use {', '.join(LOG_LEVELS[:-1])} or {LOG_LEVELS[-1]}")
        return value.strip().upper()

    @field_validator("telegram_token")
    @classmethod
    def _token_format(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not _TOKEN.fullmatch(value.get_secret_value()):
            raise ValueError(
                "this is not a bot token, which looks like 123456789:AAH… (digits, a colon and 35 "
                "letters, digits, - or _); copy it from @BotFather"
            )
        return value

    @field_validator("matrix_homeserver")
    @classmethod
    def _homeserver_url(cls, value: str | None) -> str | None:
        if value is not None and not re.match(r"https?://[^/\s]+", value):
            raise ValueError("write the homeserver's URL with https://, e.g. https://matrix.example.org")
        return value

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str | None) -> str | None:
        from storage.database import dialect_of

        if value:
            dialect_of(value)
        return value

    @field_validator("admins")
    @classmethod
    def _admin_ids(cls, value: str) -> str:
        for entry in (e.strip() for e in value.split(",") if e.strip()):
            if not _ADMIN.fullmatch(entry):
                raise ValueError(
                    "each admin must be telegram:<numeric user id> or matrix:@user:server (never a username)"
                )
        return value

    @field_validator("secret_key")
    @classmethod
    def _long_secret(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and len(value.get_secret_value()) < 32:
            raise ValueError("must be at least 32 characters")
        return value

    @property
    def admin_ids(self) -> frozenset[str]:
        return frozenset(e.strip() for e in self.admins.split(",") if e.strip())

    @model_validator(mode="after")
    def _webhook_needs_secret(self) -> Settings:
        secret = self.telegram_webhook_secret.get_secret_value() if self.telegram_webhook_secret else ""
        if self.telegram_webhook_url and not _SECRET.fullmatch(secret):
            raise ValueError("TELEGRAM_WEBHOOK_URL needs TELEGRAM_WEBHOOK_SECRET: 1 to 256 of A-Z a-z 0-9 _ -")
        return self

    @model_validator(mode="after")
    def _matrix_needs_a_login(self) -> Settings:
        if self.matrix_homeserver and not (
            self.matrix_user_id and (self.matrix_password or (self.matrix_access_token and self.matrix_device_id))
        ):
            raise ValueError(
                "MATRIX_HOMESERVER needs MATRIX_USER_ID and MATRIX_PASSWORD "
                "(or MATRIX_ACCESS_TOKEN with MATRIX_DEVICE_ID)"
            )
        return self

    @property
    def secrets(self) -> list[str]:
        """Values never to be printed: tokens, passwords, the database password."""
        from sqlalchemy.engine import make_url

        values = [
            s.get_secret_value()
            for s in (
                self.telegram_token,
                self.telegram_webhook_secret,
                self.matrix_password,
                self.matrix_access_token,
                self.secret_key,
            )
            if s
        ]
        return values + [p for p in [make_url(self.database).password] if p]

    def folders(self, exports: bool = False, matrix: bool = False) -> list[tuple[str, Path, str]]:
        """The folders this process writes: (what, folder, the variable that sets it)."""
        from storage.database import sqlite_file

        data = "DAKS_DATA_DIR"
        found = []
        database = sqlite_file(self.database)
        if database and self.database_url:
            found.append(("The SQLite database folder", database.parent, "DAKS_DATABASE_URL (or --db)"))
        elif database:
            found.append(("The data folder", self.data_dir, data))
        if exports:
            found.append(("The export folder", self.exports, "DAKS_EXPORT_DIR" if self.export_dir else data))
        if matrix:
            found.append(
                ("The Matrix store folder", self.matrix_store, "MATRIX_STORE_DIR" if self.matrix_store_dir else data)
            )
        return found

    @property
    def telegram_pace(self) -> float:
        """Messages per second the token is paced at: the broadcast rate less the safety margin."""
        return self.broadcast_rate * self.pace_fraction

    @property
    def matrix_store(self) -> Path:
        return self.matrix_store_dir or self.data_dir / "matrix"

    @property
    def database(self) -> str:
        return self.database_url or f"sqlite:///{(self.data_dir / 'daks.db').resolve()}"

    def pseudonym_key(self) -> bytes:
        """``DAKS_SECRET_KEY``, or the key in ``data_dir/secret.key``, generated (0600) when missing."""
        if self.secret_key is not None:
            return self.secret_key.get_secret_value().encode()
        path = private_folder(self.data_dir) / "secret.key"
        create_private(path, secrets.token_urlsafe(32).encode())
        key = path.read_bytes().strip()
        if len(key) < 32:
            raise ValueError(f"{path} holds fewer than 32 characters; remove it to have a new key generated")
        return key

    @property
    def exports(self) -> Path:
        return self.export_dir or self.data_dir / "exports"


def load_settings(database_url: str | None = None) -> Settings:
    """The settings of this process, its secrets hidden from every failure and log line; ``database_url`` (the
    CLI's ``--db``) wins over the environment. Raises Misconfigured naming each invalid variable, never its value."""
    try:
        settings = Settings(database_url=database_url) if database_url else Settings()
    except ValidationError as exc:  # say what is wrong, never the values (they may hold tokens)
        raise failures.settings_problem(exc) from None
    failures.hide(*settings.secrets)
    logs.configure(settings.log_level, settings.log_format, settings.secrets)
    return settings
