"""Start-up failures: one or two lines saying what is wrong and what to do, and the exit code.

Exit codes (README, "Exit codes"): 0 done, 1 a check found problems (or an unexpected error),
2 configuration, 3 a dependency cannot be reached, 130 interrupted. The full traceback is
printed only with ``DAKS_LOG_LEVEL=DEBUG``; known secrets are masked in everything printed here.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import sys
import traceback
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TypeVar

from pydantic import ValidationError

from bot.app.logs import redact
from storage.database import causes

log = logging.getLogger(__name__)
T = TypeVar("T")

DONE, PROBLEMS, CONFIGURATION, UNREACHABLE, INTERRUPTED = 0, 1, 2, 3, 130
START_RETRIES = (1.0, 2.0, 4.0)
"""Seconds between tries to reach a dependency at start; after the last one the process gives up (exit 3)."""

_hidden: set[str] = set()


class Failure(Exception):
    """An operator's problem at start; the message says what is wrong and what to do."""

    code = CONFIGURATION


class Misconfigured(Failure):
    """A setting, a folder or a credential that cannot work."""


class Unreachable(Failure):
    """A database, the Telegram Bot API or a Matrix homeserver that does not answer."""

    code = UNREACHABLE


def hide(*secrets: str | None) -> None:
    """Never print these values (tokens, passwords) in a failure or its traceback."""
    _hidden.update(s for s in secrets if s)


def mask(text: str) -> str:
    """``text`` with every hidden value, and anything shaped like a token, blanked out."""
    return redact(text, _hidden)


def settings_problem(exc: ValidationError) -> Misconfigured:
    """Every invalid setting by its environment variable, without its value (it may be a token)."""
    problems = "; ".join(
        f"{_variable(error['loc'])}{error['msg'].removeprefix('Value error, ')}" for error in exc.errors()
    )
    return Misconfigured(f"Configuration problem: {problems}")


def _variable(loc: tuple[int | str, ...]) -> str:
    if not loc:
        return ""
    name = str(loc[0])
    variable = name if name.isupper() else f"DAKS_{name.upper()}"
    return f"{variable} (or --db): " if name == "database_url" else f"{variable}: "


def usable_folder(folder: Path, what: str, variable: str) -> None:
    """Raise Misconfigured unless ``folder`` exists and may be written, or can be created."""
    existing = folder
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        reason = f"{existing} is a file, not a folder"
    elif not os.access(existing, os.W_OK | os.X_OK):
        reason = f"{existing} is not writable for this user"
    else:
        return
    raise Misconfigured(
        f"{what} {folder} cannot be used: {reason}.\n"
        f"Point {variable} to a folder this user may write, or fix the permissions."
    )


async def reach(attempt: Callable[[], Awaitable[T]], transient: Callable[[BaseException], bool], what: str) -> T:
    """``attempt()``, tried again after each pause of START_RETRIES while it fails in a ``transient`` way."""
    for pause in START_RETRIES:
        try:
            return await attempt()
        except Exception as exc:
            if not transient(exc):
                raise
            log.info("%s not reachable (%s); trying again in %.0f s", what, network_reason(exc), pause)
            await asyncio.sleep(pause)
    return await attempt()


def network_reason(exc: BaseException) -> str:
    """Why a connection failed, in a few words: unknown host, connection refused, no answer, or the error."""
    for cause in causes(exc):
        if isinstance(cause, socket.gaierror):
            return "unknown host"
        if isinstance(cause, ConnectionRefusedError):
            return "connection refused"
        if isinstance(cause, TimeoutError):
            return "no answer in time"
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


def report(exc: BaseException) -> int:
    """Print what went wrong (with the traceback at DEBUG) and return the exit code."""
    code, message = _explain(exc)
    if _debug():
        sys.stderr.write(mask("".join(traceback.format_exception(exc))))
    sys.stderr.write(mask(message.rstrip()) + "\n")
    sys.stderr.flush()
    return code


def _explain(exc: BaseException) -> tuple[int, str]:
    from flows.content.loader import ContentInvalid
    from storage.database import DatabaseMisconfigured, DatabaseUnreachable, SchemaUnknown

    if isinstance(exc, Failure):
        return exc.code, str(exc)
    if isinstance(exc, (ContentInvalid, SchemaUnknown, DatabaseMisconfigured)):
        return CONFIGURATION, str(exc)
    if isinstance(exc, DatabaseUnreachable):
        return UNREACHABLE, str(exc)
    if isinstance(exc, ValidationError):
        return CONFIGURATION, str(settings_problem(exc))
    first = str(exc).splitlines()[0] if str(exc) else ""
    return PROBLEMS, (
        f"Unexpected error: {type(exc).__name__}: {first}\n"
        "Run again with DAKS_LOG_LEVEL=DEBUG for the full traceback, and please report it."
    )


def _debug() -> bool:
    return (
        logging.getLogger().isEnabledFor(logging.DEBUG)
        or os.environ.get("DAKS_LOG_LEVEL", "").strip().upper() == "DEBUG"
    )
