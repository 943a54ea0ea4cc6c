"""The municipality's time zone, quiet hours, and stored dates as moments in it."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

PLACE = "ob_name"
"""The onboarding answer naming the municipality (a picked place: ``{"name", "key", "country"}``)."""

BERLIN = "Europe/Berlin"
PARIS = "Europe/Paris"
OVERSEAS = {
    "971": "America/Guadeloupe",
    "972": "America/Martinique",
    "973": "America/Cayenne",
    "974": "Indian/Reunion",
    "976": "Indian/Mayotte",
}
"""French overseas départements by the first digits of a commune's INSEE code."""

QUIET_FROM = time(20)
QUIET_UNTIL = time(8)
"""Quiet hours, local time: no reminder is delivered from 20:00 to 08:00."""


def zone_of(answers: Mapping[str, Any], country: str | None = None) -> str:
    """The IANA time zone of the municipality: from the place picked in the directory (its country and, in France,
    its INSEE code), else from ``country`` (where the caller knows it otherwise); Germany when unknown."""
    picked = answers.get(PLACE)
    if isinstance(picked, Mapping):
        country = str(picked.get("country") or country or "")
        key = str(picked.get("key") or "")
        if country == "fr":
            return OVERSEAS.get(key[:3], PARIS)
    return PARIS if country == "fr" else BERLIN


def deferred(moment: datetime, zone: str) -> datetime | None:
    """Within quiet hours (20:00 up to 08:00 local): the next 08:00 local, in UTC; else None."""
    tz = ZoneInfo(zone)
    local = moment.astimezone(tz)
    if QUIET_UNTIL <= local.time() < QUIET_FROM:
        return None
    day = local.date() if local.time() < QUIET_UNTIL else local.date() + timedelta(days=1)
    return datetime.combine(day, QUIET_UNTIL, tz).astimezone(UTC)


def day_of(value: Any) -> date | None:
    """A stored ISO day, month or year ("2027-09-30", "2027-09" → 1 Sept., "2027" → 1 Jan.); None if it is none."""
    if not isinstance(value, str):
        return None
    try:
        parts = [int(p) for p in value.strip().split("-")]
        if not 1 <= len(parts) <= 3:
            return None
        return date(*parts, *[1] * (3 - len(parts)))
    except ValueError:
        return None


def local_at(day: Any, zone: str, hour: int = 9) -> datetime | None:
    """A stored ISO day, month or year at ``hour`` o'clock local time, in UTC (None: no date)."""
    found = day if isinstance(day, date) else day_of(day)
    if found is None:
        return None
    return datetime.combine(found, time(hour), ZoneInfo(zone)).astimezone(UTC)
