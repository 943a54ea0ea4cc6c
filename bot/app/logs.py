"""Logging set-up: one handler on standard error, as text or JSON lines, with secrets blanked out.

Libraries that can log request parameters or URLs below WARNING (python-telegram-bot puts message
texts and the token-bearing Bot API URL into its DEBUG lines, matrix-nio user and device ids,
SQLAlchemy and peewee SQL with its parameters once their loggers are enabled) are held at WARNING
whatever ``DAKS_LOG_LEVEL`` says.
"""

from __future__ import annotations

import json
import logging
import re
import sys
from collections.abc import Iterable

from pythonjsonlogger.json import JsonFormatter

TEXT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
QUIET = ("telegram", "httpx", "httpcore", "nio", "peewee", "sqlalchemy", "aiohttp.access", "aiohttp.client")
"""Loggers that never go below WARNING: their lower levels carry message texts, tokens or personal ids."""
_TOKENS = re.compile(
    r"(?<![0-9])[0-9]{5,}:[A-Za-z0-9_-]{30,}"  # Telegram: <bot id>:<secret>
    r"|\b(?:syt|mct)_[A-Za-z0-9_]{10,}"  # Synapse and MAS access tokens
    r"|(?<=access_token=)[^&\s\"']+"
)
"""Anything shaped like a token, also in query strings."""
HIDDEN = "[hidden]"
status = logging.getLogger("daks.status")
"""Start and stop lines of ``daks serve``: shown whatever the level (in the chosen format)."""


class Redacting(logging.Formatter):
    """Formats with another formatter, then blanks out the given secrets and anything shaped like a token."""

    def __init__(self, inner: logging.Formatter, secrets: Iterable[str] = ()):
        super().__init__()
        self.inner = inner
        self.secrets = tuple(secrets)

    def format(self, record: logging.LogRecord) -> str:
        return redact(self.inner.format(record), self.secrets)


def redact(text: str, secrets: Iterable[str]) -> str:
    """``text`` without the given secrets (also JSON-escaped; short ones only as whole words) and
    without anything shaped like a token."""
    forms = {form for secret in secrets if secret for form in (secret, json.dumps(secret)[1:-1])}
    for secret in sorted(forms, key=len, reverse=True):
        pattern = re.escape(secret) if len(secret) >= 8 else rf"(?<![\w-]){re.escape(secret)}(?![\w-])"
        text = re.sub(pattern, HIDDEN, text)
    return _TOKENS.sub(HIDDEN, text)


def configure(level: str, form: str, secrets: Iterable[str] = ()) -> None:
    """Log to standard error at ``level`` as ``text`` or ``json`` lines; ``secrets`` never appear."""
    secrets = tuple(secrets)
    if form == "json":
        inner: logging.Formatter = JsonFormatter(
            "{levelname}{name}{message}",
            style="{",
            timestamp="time",
            rename_fields={"levelname": "level", "name": "logger"},
        )
        plain = inner
    else:
        inner, plain = logging.Formatter(TEXT), logging.Formatter("%(message)s")
    root = logging.getLogger()
    root.handlers[:] = [_handler(Redacting(inner, secrets))]
    root.setLevel(level.upper())
    status.handlers[:] = [_handler(Redacting(plain, secrets))]
    status.setLevel(logging.INFO)
    status.propagate = False
    for name in QUIET:
        logging.getLogger(name).setLevel(max(root.level, logging.WARNING))
    logging.captureWarnings(True)


def _handler(formatter: logging.Formatter) -> logging.Handler:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(formatter)
    return handler
