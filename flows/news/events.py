"""Events: validated specs, reading and formatting times, iCalendar files and the messages subscribers get."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo

import yaml
from babel import Locale
from babel.dates import format_date, format_interval, format_time, get_timezone_name
from icalendar import Calendar, Event
from pydantic import BaseModel, ConfigDict, ValidationError, ValidationInfo, field_validator, model_validator

from flows.content.i18n import Translator
from flows.content.model import LANGUAGES, LocalText, RequiredTexts, Texts, known_ids, local, problems
from flows.messages import Attachment, Block, Bullets, Choice, Heading, Outbound, Paragraph, clean_values
from flows.news.newsletters import markdown_blocks, unsubscribe_footer
from flows.reading import parse_day, parse_when, time_zone

DEFAULT_TIMEZONE = "Europe/Berlin"
_LOCALES = {"de": "de_DE", "fr": "fr_FR", "en": "en_GB"}
"""English dates read the European way (24 November 2026, 10:00): the audience is in Germany and France."""


class EventInvalid(ValueError):
    """An event file that cannot be used; ``problems`` holds one ``field: message`` line per problem."""

    def __init__(self, path: Path | str, problems: list[str]):
        self.problems = problems
        super().__init__(f"{path} is not a valid event:\n" + "\n".join(f"  - {p}" for p in problems))


def _url(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    if not re.fullmatch(r"https?://[^\s/?#]+\.[^\s/?#]+(?:[/?#]\S*)?", value):
        raise ValueError(f"{value!r} is not a web address: it must start with https:// or http://")
    return value


class EventSpec(BaseModel):
    """One event (or publication). Naive times are read in ``timezone``; all times are stored aware."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal["online_seminar", "regional_meeting", "conference", "publication"]
    title: RequiredTexts
    description: Texts = {}
    timezone: str = DEFAULT_TIMEZONE
    starts: datetime
    ends: datetime | None = None
    place: str | None = None
    online_url: str | None = None
    topics: list[str] = []
    audience: Texts = {}
    registration_url: str | None = None

    @field_validator("title", mode="before")
    @classmethod
    def _plain_is_german(cls, value: Any) -> Any:
        return {"de": value} if isinstance(value, str) else value

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        time_zone(value)
        return value

    @field_validator("starts", "ends", mode="before")
    @classmethod
    def _typed_time(cls, value: Any, info: ValidationInfo) -> Any:
        zone = info.data.get("timezone", DEFAULT_TIMEZONE)
        if isinstance(value, str):
            value = parse_when(value, zone, "de") or parse_day(value.casefold(), "de") or value
        if isinstance(value, date) and not isinstance(value, datetime):
            if info.data.get("kind") != "publication":
                raise ValueError("give a time as well, e.g. 2026-11-24 10:00")
            return datetime.combine(value, time(), ZoneInfo(zone))
        return value

    @field_validator("starts", "ends")
    @classmethod
    def _aware(cls, value: datetime | None, info: ValidationInfo) -> datetime | None:
        if value is None:
            return None
        zone = ZoneInfo(info.data.get("timezone", DEFAULT_TIMEZONE))
        value = value.replace(tzinfo=zone) if value.tzinfo is None else value.astimezone(zone)
        starts = info.data.get("starts")
        if info.field_name == "ends" and starts is not None and value <= starts:
            raise ValueError("the end must be after the start")
        return value

    @field_validator("online_url", "registration_url")
    @classmethod
    def _web(cls, value: str | None) -> str | None:
        return _url(value)

    @field_validator("topics")
    @classmethod
    def _topics(cls, value: list[str], info: ValidationInfo) -> list[str]:
        return known_ids(value, info, "topics", "topic(s)")

    @model_validator(mode="after")
    def _somewhere(self) -> EventSpec:
        if self.kind != "publication" and not (self.place or self.online_url):
            raise ValueError("place / online_url: give a place, an online link or both")
        return self

    def text(self, field: Literal["title", "description", "audience"], lang: str) -> str:
        """A text field in ``lang``, falling back to German."""
        return local(getattr(self, field), lang)

    def end(self) -> datetime:
        """The end, or one hour after the start when none is given."""
        return self.ends or self.starts + timedelta(hours=1)

    def all_topics(self) -> list[str]:
        """The event kind and the topics: the ids subscribers choose from."""
        return [self.kind, *(t for t in self.topics if t != self.kind)]


def load_event_file(path: Path, topics: set[str]) -> EventSpec:
    """Read a YAML event file; ``topics`` are the allowed topic ids (Handlungsfelder and event kinds)."""
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise EventInvalid(path, [f"cannot be read: {exc}"]) from None
    if not isinstance(data, dict):
        raise EventInvalid(path, ["expected a mapping with kind, title, starts, …"])
    try:
        return EventSpec.model_validate(clean_values(data), context={"topics": topics})
    except ValidationError as exc:
        raise EventInvalid(path, problems(exc)) from None


# --- showing times ------------------------------------------------------------------------------


def _locale(lang: str) -> Locale:
    return Locale.parse(_LOCALES.get(lang, lang))


def _zone_label(moment: datetime, locale: Locale) -> str:
    name = get_timezone_name(moment, "short", locale=locale)
    return get_timezone_name(moment, "long", locale=locale) if re.search(r"\d", name) else name


def format_when(starts: datetime, ends: datetime | None, tz: str, lang: str) -> str:
    """``Dienstag, 24. November 2026, 10:00–11:30 Uhr (MEZ)`` in the event's time zone; both dates if multi-day."""
    zone, locale = time_zone(tz), _locale(lang)

    def local_(moment: datetime) -> datetime:
        return moment.astimezone(zone) if moment.tzinfo else moment.replace(tzinfo=zone)

    def clock(moment: datetime) -> str:
        return format_time(moment, "HH:mm", tzinfo=zone, locale=locale)

    start = local_(starts)
    day, label = format_date(start, "full", locale=locale), _zone_label(start, locale)
    if ends is None:
        return f"{day}, {clock(start)} ({label})"
    end = local_(ends)
    if end.date() == start.date():
        return f"{day}, {format_interval(start, end, 'Hm', tzinfo=zone, locale=locale)} ({label})"
    return f"{day}, {clock(start)} – {format_date(end, 'full', locale=locale)}, {clock(end)} ({label})"


def _short_when(event: EventSpec, lang: str) -> str:
    locale = _locale(lang)
    day = format_date(event.starts, "medium", locale=locale)
    if event.kind == "publication":
        return day
    return f"{day}, {format_time(event.starts, 'HH:mm', tzinfo=event.starts.tzinfo, locale=locale)}"


# --- iCalendar ----------------------------------------------------------------------------------


def event_ics(
    event: EventSpec,
    uid: str,
    lang: str,
    sequence: int = 0,
    method: str = "PUBLISH",
    *,
    t: Translator | None = None,
    stamp: datetime | None = None,
) -> bytes:
    """An RFC 5545 calendar with one VEVENT and its VTIMEZONE. ``method`` is PUBLISH or CANCEL
    (CANCEL also marks the event cancelled); ``t`` labels the registration link in the description."""
    if method not in ("PUBLISH", "CANCEL"):
        raise ValueError(f"method must be PUBLISH or CANCEL, not {method!r}")
    cal = Calendar()
    cal.add("prodid", "-//DAKS-Begleiter//events//EN")
    cal.add("version", "2.0")
    cal.add("method", method)
    vevent = Event()
    vevent.add("uid", uid)
    vevent.add("dtstamp", stamp or datetime.now(UTC))
    vevent.add("sequence", sequence)
    vevent.add("dtstart", event.starts)
    vevent.add("dtend", event.end())
    vevent.add("summary", event.text("title", lang), parameters={"LANGUAGE": lang})
    details = [Outbound(blocks=markdown_blocks(event.text("description", lang))).text()]
    if event.registration_url:
        details.append(t("Registration: {url}", url=event.registration_url) if t else event.registration_url)
    if event.online_url and event.place:
        details.append(event.online_url)
    if description := "\n\n".join(d for d in details if d):
        vevent.add("description", description, parameters={"LANGUAGE": lang})
    if location := event.place or event.online_url:
        vevent.add("location", location)
    if url := event.registration_url or event.online_url:
        vevent.add("url", url)
    vevent.add("status", "CANCELLED" if method == "CANCEL" else "CONFIRMED")
    cal.add_component(vevent)
    cal.add_missing_timezones(
        first_date=event.starts.date() - timedelta(days=366), last_date=event.end().date() + timedelta(days=366)
    )
    return cal.to_ical()


# --- messages -----------------------------------------------------------------------------------


def _kind(kinds: Mapping[str, LocalText], kind: str, lang: str) -> str:
    return kinds[kind].get(lang) if kind in kinds else kind


def _details(event: EventSpec, lang: str, t: Translator) -> list[Block]:
    """When, where and the links of an event."""
    if event.kind == "publication":
        lines = [t("Published: {date}", date=format_date(event.starts, "full", locale=_locale(lang)))]
        if event.online_url:
            lines.append(t("Link: {url}", url=event.online_url))
        return [Paragraph("\n".join(lines))]
    lines = [t("When: {when}", when=format_when(event.starts, event.ends, event.timezone, lang))]
    if event.place:
        lines.append(t("Where: {place}", place=event.place))
    if event.online_url:
        lines.append(t("Online: {url}", url=event.online_url))
    return [Paragraph("\n".join(lines))]


def _attachment(event_id: int, event: EventSpec, lang: str, t: Translator) -> list[Attachment]:
    if event.kind == "publication":
        return []
    uid = f"event-{event_id}@daks-begleiter"
    return [Attachment(f"event-{event_id}.ics", "text/calendar", event_ics(event, uid, lang, t=t))]


def announcement(
    event_id: int,
    event: EventSpec,
    lang: str,
    t: Translator,
    kinds: Mapping[str, LocalText],
    topic_labels: Mapping[str, str],
    unsubscribe_hint: str,
    rsvp_hint: str,
) -> Outbound:
    """The news of an event with its .ics, an RSVP and an unsubscribe button (publications: no RSVP, no .ics).
    ``topic_labels`` maps topic ids to labels in ``lang``; the hints are localised commands like ``/zusage 12``."""
    blocks: list[Block] = [
        Heading(f"{_kind(kinds, event.kind, lang)} · {event.text('title', lang)}"),
        *_details(event, lang, t),
    ]
    if audience := event.text("audience", lang):
        blocks.append(Paragraph(t("Who may attend: {audience}", audience=audience)))
    blocks += markdown_blocks(event.text("description", lang))
    if event.registration_url:
        blocks.append(Paragraph(t("Registration: {url}", url=event.registration_url)))
    if event.topics:
        names = ", ".join(topic_labels.get(i) or _kind(kinds, i, lang) for i in event.topics)
        blocks.append(Paragraph(t("Topics: {topics}", topics=names)))
    choices = []
    if event.kind != "publication":
        blocks.append(Paragraph(t("Will you attend? Use the button or send {command}.", command=rsvp_hint)))
        choices.append(Choice(f"rsvp {event_id}", t("I'll attend")))
    blocks.append(unsubscribe_footer(t, unsubscribe_hint))
    choices.append(Choice("unsubscribe", t("Unsubscribe")))
    return Outbound(blocks=blocks, choices=choices, attachments=_attachment(event_id, event, lang, t))


def reminder(
    event_id: int,
    event: EventSpec,
    lang: str,
    t: Translator,
    kinds: Mapping[str, LocalText],
    unsubscribe_hint: str,
    unrsvp_hint: str | None = None,
) -> Outbound:
    """The day-before reminder for people who said they attend, with the .ics again and a way to cancel."""
    blocks: list[Block] = [
        Heading(t("Reminder for tomorrow: {title}", title=event.text("title", lang))),
        Paragraph(_kind(kinds, event.kind, lang)),
        *_details(event, lang, t),
    ]
    if event.registration_url:
        blocks.append(Paragraph(t("Registration: {url}", url=event.registration_url)))
    if unrsvp_hint:
        blocks.append(Paragraph(t("Can't make it after all? Send {command}.", command=unrsvp_hint)))
    blocks.append(unsubscribe_footer(t, unsubscribe_hint))
    return Outbound(
        blocks=blocks,
        choices=[Choice(f"unrsvp {event_id}", t("I can't attend after all")), Choice("unsubscribe", t("Unsubscribe"))],
        attachments=_attachment(event_id, event, lang, t),
    )


def upcoming(
    events: list[tuple[int, EventSpec, bool]], lang: str, t: Translator, kinds: Mapping[str, LocalText]
) -> list[Block]:
    """The /events list: one line per event (id, spec, whether this user attends)."""
    if not events:
        return [Heading(t("Upcoming events")), Paragraph(t("No upcoming events right now."))]
    lines = []
    for event_id, event, attending in events:
        parts = [
            f"#{event_id} {_short_when(event, lang)} – {event.text('title', lang)}",
            _kind(kinds, event.kind, lang),
        ]
        where = [p for p in (event.place, t("online") if event.online_url else None) if p]
        if where and event.kind != "publication":
            parts.append(" / ".join(where))
        if attending:
            parts.append("✓ " + t("attending"))
        lines.append(" · ".join(parts))
    return [Heading(t("Upcoming events")), Bullets(tuple(lines))]


def preview(
    event_id: int | None,
    event: EventSpec,
    t_by_lang: Mapping[str, Translator],
    kinds: Mapping[str, LocalText],
    topic_labels: Mapping[str, LocalText],
    hints: Mapping[str, tuple[str, str]],
) -> list[Outbound]:
    """The announcement in each language of ``t_by_lang`` (de, fr, en order), headed "Preview · Deutsch".
    ``hints`` maps a language to (unsubscribe_hint, rsvp_hint). Buttons are left out: this is for the admin."""
    out = []
    for lang in (lang for lang in LANGUAGES if lang in t_by_lang):
        t = t_by_lang[lang]
        labels = {i: label.get(lang) for i, label in topic_labels.items()}
        unsubscribe_hint, rsvp_hint = hints.get(lang, ("", ""))
        message = announcement(event_id or 0, event, lang, t, kinds, labels, unsubscribe_hint, rsvp_hint)
        name = Locale.parse(lang).get_display_name(lang) or lang
        message.blocks.insert(0, Heading(t("Preview · {language}", language=name[:1].upper() + name[1:])))
        message.choices = []
        out.append(message)
    return out
