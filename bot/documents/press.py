"""Renders documents off the event loop: a pool of worker processes with the renderers already loaded.

A :class:`~flows.documents.model.Rendering` is handed to a worker whole (the document model is plain
frozen data); the worker picks the renderer by format (bot/documents/odt, docx, pdf, markdown; charts
for PNG) and returns the bytes; a chart's PNG comes with its text alternative (``Attachment.alt``).
What cannot be made becomes :class:`NotMade`, which names a msgid for the person; the handler never
crashes on it.
"""

from __future__ import annotations

import asyncio
import importlib
import logging
import multiprocessing
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from functools import partial
from pathlib import Path
from typing import Any

from bot.documents.errors import BadTemplate
from flows import notices
from flows.documents.model import Document, Format, Rendering, Section, Text
from flows.messages import Attachment

log = logging.getLogger(__name__)

RENDERERS: dict[Format, str] = {"odt": "odt", "docx": "docx", "pdf": "pdf", "md": "markdown", "png": "charts"}
"""The module in bot/documents that makes each format."""
TELEGRAM_LIMIT = 50 * 1000 * 1000
"""Bytes a Telegram bot may send as one document (50 MB)."""
LIMITS: dict[str, int] = {"telegram": TELEGRAM_LIMIT}
"""The largest file each channel delivers; channels not listed take any size."""
TIMEOUT = 120.0
"""Seconds a document may take before the person is told it could not be made."""


class NotMade(Exception):
    """A document could not be made: ``message`` is the msgid to tell the person, ``params`` its values."""

    def __init__(self, message: str, **params: Any):
        super().__init__(message)
        self.message = message
        self.params = params


def render(rendering: Rendering, templates: Path) -> bytes:
    """The rendering's bytes, in the worker. Renderer modules are imported by name, when first needed."""
    module = importlib.import_module(f"bot.documents.{RENDERERS[rendering.format]}")
    if rendering.format == "png":
        [chart] = rendering.document.charts()
        data: bytes = module.picture(chart, rendering.document.lang)
        return data
    data = module.render(rendering.document, rendering.template, templates)
    return data


def alt(rendering: Rendering) -> str:
    """The text alternative that goes with a chart sent as PNG (its values), for a caption or an event body;
    "" for a document, whose charts carry theirs inside."""
    if rendering.format != "png":
        return ""
    return next((chart.alt for chart in rendering.document.charts()), "")


def warm(templates: Path) -> None:
    """Load every renderer and make one small document in each format, so a worker's first export is quick."""
    sample = Document("strategy", "de", "Warm", "", (), (Section("Warm", (Text("Warm"),)),))
    for fmt in RENDERERS:
        if fmt == "png":
            continue
        try:
            render(Rendering(sample, fmt, f"warm.{fmt}"), templates)
        except Exception as exc:  # a renderer missing or failing shows up again, logged, on the real export
            log.debug("the %s renderer could not be warmed: %s", fmt, exc)
    try:
        importlib.import_module("bot.documents.charts")
    except ImportError as exc:
        log.debug("charts could not be warmed: %s", exc)


def _ready() -> None:
    """A no-op job: submitting one starts a worker (and its warming) before the first export needs it."""


class Press:
    """Renders off the event loop: ``workers`` processes (forkserver), or one thread with ``workers=0``."""

    def __init__(self, templates: Path, workers: int = 1, *, warm_up: bool = True):
        self.templates = templates
        self.workers = workers
        self.warm_up = warm_up
        self._executor = self._new()

    def _new(self) -> Executor:
        initializer = partial(warm, self.templates) if self.warm_up else None
        if self.workers == 0:
            return ThreadPoolExecutor(1, "press", initializer=initializer)
        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
        executor = ProcessPoolExecutor(self.workers, context, initializer=initializer)
        for _ in range(self.workers):
            executor.submit(_ready)
        return executor

    async def attachment(
        self, rendering: Rendering, templates: Path | None = None, limit: int | None = None
    ) -> Attachment:
        """The rendered file; raises :class:`NotMade` for an unusable template, a failure or a file over ``limit``."""
        loop = asyncio.get_running_loop()
        try:
            job = loop.run_in_executor(self._executor, render, rendering, templates or self.templates)
            data = await asyncio.wait_for(job, TIMEOUT)
        except BadTemplate as exc:
            raise NotMade(notices.BAD_TEMPLATE, reason=str(exc)) from exc
        except BrokenProcessPool as exc:
            log.error("a document worker died; starting new ones")
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = self._new()
            raise NotMade(notices.DOCUMENT_FAILED) from exc
        except Exception as exc:
            log.exception("the %s document %s could not be made", rendering.format, rendering.document.kind)
            raise NotMade(notices.DOCUMENT_FAILED) from exc
        if limit is not None and len(data) > limit:
            raise NotMade(notices.DOCUMENT_TOO_LARGE, size=-(-len(data) // 1_000_000), limit=limit // 1_000_000)
        return Attachment(rendering.file_name, rendering.media_type, data, alt(rendering))

    def close(self) -> None:
        """Stop the workers (after the documents in hand)."""
        self._executor.shutdown(wait=True, cancel_futures=True)
