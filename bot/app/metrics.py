"""The process's Prometheus metrics (all named ``daks_…``) and the one log line per handled message.

One registry per process (not the library's global one), exposed by bot/app/health.py. Outbox rows
by state are read from the database when Prometheus scrapes, never on the message path.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping

from prometheus_client import (
    GC_COLLECTOR,
    PLATFORM_COLLECTOR,
    PROCESS_COLLECTOR,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from flows.messages import Inbound

log = logging.getLogger("bot.updates")


class Outbox(Collector):
    """``daks_outbox_deliveries{channel, state}`` as last read from the database."""

    def __init__(self) -> None:
        self.rows: Mapping[tuple[str, str], int] | None = None
        """(channel, state) -> rows; None while the database could not be read."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        if self.rows is None:
            return
        family = GaugeMetricFamily(
            "daks_outbox_deliveries",
            "Broadcast deliveries in the outbox, by channel and "
            "state (queued, claimed, sending, sent, skipped, failed, unknown).",
            labels=["channel", "state"],
        )
        for (channel, state), count in sorted(self.rows.items()):
            family.add_metric([channel, state], count)
        yield family


class Metrics:
    """Counters and histograms of one process."""

    def __init__(self) -> None:
        self.registry = registry = CollectorRegistry()
        for collector in (PROCESS_COLLECTOR, PLATFORM_COLLECTOR, GC_COLLECTOR):
            registry.register(collector)
        self.updates = Counter(
            "daks_updates",
            "Messages handled, by channel and outcome (answered, duplicate, unavailable, error, cancelled).",
            ["channel", "outcome"],
            registry=registry,
        )
        self.latency = Histogram(
            "daks_update_seconds",
            "Time from taking a message to its committed answer, by channel.",
            ["channel"],
            registry=registry,
        )
        self.sends = Counter(
            "daks_sends", "Messages the platform accepted, by platform.", ["platform"], registry=registry
        )
        self.rate_limited = Counter(
            "daks_rate_limited",
            "Requests the platform refused for flooding (Telegram 429, Matrix M_LIMIT_EXCEEDED), by platform.",
            ["platform"],
            registry=registry,
        )
        self.database_errors = Counter(
            "daks_database_errors",
            "Transient database errors while handling a message (each one retried), by error.",
            ["error"],
            registry=registry,
        )
        self.reminders = Counter(
            "daks_reminders",
            "Follow-up reminders decided when due, by kind (monitoring, ending, review, idle, commitment) and outcome "
            "(sent, deferred, taken by another process, or skipped: off, paused, late, unreachable, gone).",
            ["kind", "outcome"],
            registry=registry,
        )
        self.outbox = Outbox()
        registry.register(self.outbox)

    def exposition(self) -> bytes:
        """The text exposition format."""
        return generate_latest(self.registry)


METRICS = Metrics()


def kind(inbound: Inbound) -> str:
    """What a user did, without what they said: text, button, file, command, start, resume or edited."""
    if inbound.event != "message":
        return inbound.event
    if inbound.choice is not None or inbound.command is not None:  # a command: a button under a broadcast
        return "button"
    if inbound.file_name is not None:
        return "file"
    return "command" if (inbound.text or "").startswith("/") else "text"


def handled(channel: str, inbound: Inbound, outcome: str, seconds: float) -> None:
    """Count and time one handled message, and log it as one INFO line (never its text or its sender)."""
    METRICS.updates.labels(channel, outcome).inc()
    METRICS.latency.labels(channel).observe(seconds)
    what = kind(inbound)
    milliseconds = round(seconds * 1000, 1)
    log.info(
        "%s %s handled in %.1f ms: %s",
        channel,
        what,
        milliseconds,
        outcome,
        extra={"channel": channel, "kind": what, "latency_ms": milliseconds, "outcome": outcome},
    )


def database_error(error: BaseException) -> None:
    METRICS.database_errors.labels(type(error).__name__).inc()


def reminded(kind: str, outcome: str) -> None:
    """Count one due reminder's outcome (bot/app/followup.py)."""
    METRICS.reminders.labels(kind, outcome).inc()
