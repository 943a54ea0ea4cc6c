"""How typed text is read: forgiving comparison, the done/all/none/yes/no/stop words, questions, dates, times and
option lists."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.dates import get_day_names, get_month_names

from flows.content.model import LANGUAGES, GlossaryTerm
from flows.messages import Choice

DONE_WORDS = frozenset({"fertig", "done", "termine", "terminé", "fini", "finished", "ende"})
ALL_WORDS = frozenset({"alle", "all", "tout", "tous", "toutes"})
NONE_WORDS = frozenset({"keine", "keins", "nichts", "none", "nothing", "aucun", "aucune", "rien"})
STOP_WORDS = frozenset({"stop", "abbestellen", "desabonner", "unsubscribe"})
"""A message of just one of these words ends a subscription (the one-word way for text channels)."""
YES_WORDS = frozenset({"ja", "yes", "oui", "ok", "okay", "jawohl", "genau", "d'accord", "daccord"})
NO_WORDS = frozenset({"nein", "no", "non", "nee", "noe"})
CONTROL_WORDS = DONE_WORDS | ALL_WORDS | NONE_WORDS | YES_WORDS | NO_WORDS | {"weiter", "next", "suivant", "skip"}
"""Words that steer the conversation; typed alone where free text is asked, they are not taken as the answer."""


def word_of(text: str) -> str:
    """A one-word message as the word sets above hold it: case-folded, without surrounding punctuation."""
    return text.strip().strip(".!?\"'„“”»« ").casefold()


def is_control_word(text: str) -> bool:
    """True for a message that is nothing but a control word ("Fertig", "ja", "done", "terminé!")."""
    return word_of(text) in CONTROL_WORDS


_FOLD = str.maketrans(
    {
        "ä": "ae",
        "ö": "oe",
        "ü": "ue",
        "ß": "ss",
        "é": "e",
        "è": "e",
        "ê": "e",
        "à": "a",
        "â": "a",
        "ç": "c",
        "î": "i",
        "ô": "o",
        "û": "u",
        "ù": "u",
        "ë": "e",
        "ï": "i",
    }
)


def fold(text: str) -> str:
    """Compare labels forgivingly: case, umlauts, accents and surrounding punctuation."""
    return " ".join(text.casefold().translate(_FOLD).strip(" .!?\"'„“”»«").split())


# --- questions typed where an answer is expected ---------------------------------------------------

_ASKING = re.compile(
    r"^(?:"
    # German: a question word, or a verb first ("Muss ich …", "Gibt es …")
    r"was|wie|wer|wo|wann|warum|wieso|weshalb|wozu|wofuer|womit|woher|wohin|welche[rsmn]?"
    r"|muss|muessen|soll|sollen|sollte|kann|koennen|darf|gibt es|ist das|ist es|bedeutet|heisst"
    # French (folded: no accents)
    r"|qu'est-ce|qu'est ce|c'est quoi|est-ce|que (?:signifie|veut|faut|dois|doit|faire|mettre|dire|est|sont)"
    r"|quoi|comment|pourquoi|quel|quelle|quels|quelles|combien|ca veut dire|faut-il|dois-je|puis-je"
    # English
    r"|what|whats|how|why|who|which|where|when|is it|is this|is that|is there|are there|do i|do we|does"
    r"|can i|can we|could|should|must i|may i|am i"
    r")(?:\b|$)"
)
QUESTION_WORDS_LIMIT = 12
"""A message that only starts like a question is taken as one up to this many words (longer ones are answers)."""


def is_question(text: str) -> bool:
    """A message that asks rather than answers: it ends in "?", or it is short and opens with a question word
    or a verb-first question ("Was ist AFOM", "Muss ich alle nennen", "c'est quoi un indicateur")."""
    text = text.strip()
    if text.rstrip(" )").endswith("?"):
        return True
    folded = fold(text.replace("’", "'"))
    return len(folded.split()) <= QUESTION_WORDS_LIMIT and _ASKING.match(folded) is not None


PREFIX_MATCH = 6
"""An alias of at least this many letters also names longer forms of its last word (Indikator → Indikatoren)."""


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", fold(text.replace("’", "'")))


def terms_named(glossary: Sequence[GlossaryTerm], text: str, limit: int = 2) -> list[GlossaryTerm]:
    """The glossary terms a message names, in any language, most specific first: where two aliases overlap
    ("plan d'action" and "action") the longer one counts. At most ``limit`` terms."""
    words = _words(text)
    found: list[tuple[int, int, GlossaryTerm]] = []  # (start, length, term)
    for term in glossary:
        for alias in (a for aliases in term.aliases.values() for a in aliases):
            wanted = _words(alias)
            n, last = len(wanted), wanted[-1] if wanted else ""
            for i in range(len(words) - n + 1):
                head, tail = words[i : i + n - 1], words[i + n - 1]
                if head == wanted[:-1] and (tail == last or (len(last) >= PREFIX_MATCH and tail.startswith(last))):
                    found.append((i, n, term))
    found.sort(key=lambda f: (-f[1], f[0]))
    taken: list[tuple[int, int, GlossaryTerm]] = []
    for start, length, term in found:
        inside = any(s <= start and start + length <= s + n for s, n, _ in taken)
        if not inside and all(t.id != term.id for _, _, t in taken):
            taken.append((start, length, term))
    return [term for _, _, term in sorted(taken, key=lambda f: f[0])][:limit]


# --- option lists ---------------------------------------------------------------------------------

_AND = re.compile(r"\s+(?:und|and|et|&)\s+", re.IGNORECASE)
_NUMBERS_ONLY = re.compile(r"^[0-9\s,;]+$")


def pick_many(offers: Sequence[Choice], text: str) -> tuple[list[str], list[str]]:
    """Read '1, 3 und 5' or 'Wohnen; Mobilität' into option ids; also return what was not understood."""
    text = _AND.sub(",", text.strip())
    tokens = re.split(r"[\s,;]+" if _NUMBERS_ONLY.match(text) else r"[,;\n]", text)
    ids: list[str] = []
    unknown: list[str] = []
    by_label = {fold(o.label): o.id for o in offers}
    for token in (t.strip() for t in tokens):
        if not token:
            continue
        if re.fullmatch(r"[0-9]{1,6}", token) and 1 <= int(token) <= len(offers):
            option_id: str | None = offers[int(token) - 1].id
        else:
            option_id = by_label.get(fold(token))
        if option_id is None:
            unknown.append(token)
        elif option_id not in ids:
            ids.append(option_id)
    return ids, unknown


# --- dates as step answers ---------------------------------------------------------------------------
# 25.01.2027, 25/01/2027, 2027-01-25, 15. März 2027 (a day); 01/2027, März 2027, Frühjahr 2027, Q2 2027, Anfang,
# Mitte or Ende 2027, mi-2027, end of 2027 (a month); 2027 (a year).

_DAY = re.compile(r"^(\d{1,2})[./](\d{1,2})[./](\d{2}|\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_MONTH = re.compile(r"^(\d{1,2})[./](\d{4})$|^(\d{4})-(\d{1,2})$")
_YEAR = re.compile(r"^(\d{4})$")
_PART = re.compile(r"^([a-z]+)(?:\s*-\s*|\s+(?:of\s+|de\s+|du\s+|d')?|\s*d')(\d{4})$")
_ORDINAL = r"([1-4])\s*(?:\.|er|e|eme|nd|rd|st|th)?\s*"
_QUARTER = re.compile(
    r"^[qt]\s*([1-4])[\s/-]+(\d{4})$|^(\d{4})[\s/-]+[qt]([1-4])$"
    rf"|^{_ORDINAL}(?:quartal|quarter|trimestre)\s+(?:de\s+|of\s+)?(\d{{4}})$"
)
_HALF = re.compile(
    r"^h([12])[\s/-]+(\d{4})$"
    rf"|^{_ORDINAL}(?:halbjahr|hj\.?|half|semestre)\s+(?:de\s+|of\s+)?(\d{{4}})$"
)
_LEAD = re.compile(r"^(?:d'ici|im|in|ab|bis|ca\.?|etwa|en|vers|au|a|by|from|until|around|about|the|le|la)\s+")
_MONTH_OF_PART = {
    **dict.fromkeys(("anfang", "beginn", "debut", "early", "beginning", "start"), 1),
    **dict.fromkeys(("fruehjahr", "fruehling", "printemps", "spring"), 3),
    **dict.fromkeys(("sommer", "ete", "summer"), 6),
    **dict.fromkeys(("mitte", "mi", "milieu", "mid", "middle"), 6),
    **dict.fromkeys(("herbst", "automne", "autumn", "fall"), 9),
    **dict.fromkeys(("winter", "hiver", "ende", "fin", "end", "late"), 12),
}
"""A part of a year as the month a plan can hold on to: the first month of a season, June for "Mitte", December
for "Ende" and for winter (the winter that begins in that year)."""


def _century(year: int) -> int:
    """Two-digit years are this century's."""
    return year + 2000 if year < 100 else year


def parse_date(text: str) -> str | None:
    """Return an ISO date (``2027-01-25``), month (``2027-01``) or year (``2027``), or None.

    Parts of a year become a month: a quarter or half its first month, a season its first month (winter:
    December), "Anfang" January, "Mitte"/"mi-"/"mid" June, "Ende"/"fin"/"end of" December; "Ende März 2027"
    is March. :func:`flows.content.i18n.Translator.answer_date` shows the value as understood."""
    text = text.strip().rstrip(".")
    try:
        if m := _DAY.match(text):
            day, month, year = int(m[1]), int(m[2]), _century(int(m[3]))
            return _plausible(date(year, month, day).isoformat(), year)
        if m := _ISO.match(text):
            return _plausible(date(int(m[1]), int(m[2]), int(m[3])).isoformat(), int(m[1]))
        if m := _MONTH.match(text):
            month, year = (int(m[1]), int(m[2])) if m[1] else (int(m[4]), int(m[3]))
            return _plausible(f"{date(year, month, 1):%Y-%m}", year)
        if m := _YEAR.match(text):
            return _plausible(m[1], int(m[1]))
    except ValueError:
        return None
    return _in_words(text)


def _in_words(text: str) -> str | None:
    """Months, seasons, quarters and parts of a year in words (see :func:`parse_date`)."""
    words = _LEAD.sub("", fold(text.replace("’", "'")))
    day = parse_day(words, "de")
    if day is not None:
        return _plausible(day.isoformat(), day.year)
    month: int | None = None
    if (m := re.fullmatch(r"(?:([a-z]+)\s+)?([a-z]+)\.?\s+(\d{4})", words)) and (m[2] in _FOLDED_MONTHS):
        month, year = _FOLDED_MONTHS[m[2]], int(m[3])  # "märz 2027", "ende märz 2027"
    elif (m := _PART.match(words)) and m[1] in _MONTH_OF_PART:
        month, year = _MONTH_OF_PART[m[1]], int(m[2])
    elif m := _QUARTER.match(words):
        number, year = (int(m[1]), int(m[2])) if m[1] else (int(m[4]), int(m[3])) if m[3] else (int(m[5]), int(m[6]))
        month = 3 * number - 2
    elif (m := _HALF.match(words)) and int(m[1] or m[3]) <= 2:
        month, year = 6 * int(m[1] or m[3]) - 5, int(m[2] or m[4])
    return _plausible(f"{year:04d}-{month:02d}", year) if month is not None else None


def _plausible(value: str, year: int) -> str | None:
    return value if 1990 <= year <= 2100 else None


# --- days and times as admins type them: 24.11.2026 10:00, 24 novembre 2026 à 10h, 11:30 ------------

_TIME = re.compile(r"(?:^|[\s,]+)(?:um|à|a|at)?\s*(\d{1,2})(?:[:h.](\d{2}))?\s*(h|uhr|am|pm|a\.m\.|p\.m\.)?$")
_NUMERIC = re.compile(r"^(\d{1,2})[./-](\d{1,2})[./-](\d{4}|\d{2})$")
_WORDS = re.compile(r"^(\d{1,2})(?:\.|er)?\s+([^\W\d]+)\.?\s+(\d{4})$|^([^\W\d]+)\.?\s+(\d{1,2}),?\s+(\d{4})$")


def _month_names() -> dict[str, int]:
    names: dict[str, int] = {}
    for lang in LANGUAGES:
        for width in ("wide", "abbreviated"):
            for context in ("format", "stand-alone"):
                for number, name in get_month_names(width, context, lang).items():
                    names[name.casefold().rstrip(".")] = number
    names.update({"sept": 9, "mär": 3})
    return names


_MONTHS = _month_names()
_FOLDED_MONTHS = {fold(name): number for name, number in _MONTHS.items()}
_WEEKDAYS = {
    n.casefold().rstrip(".")
    for lang in LANGUAGES
    for width in ("wide", "abbreviated")
    for n in get_day_names(width, "format", lang).values()
}


def time_zone(name: str) -> ZoneInfo:
    """The IANA time zone ``name``; ValueError with a hint when there is none."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {name!r}; use an IANA name such as 'Europe/Berlin'") from None


def _time(match: re.Match[str]) -> time | None:
    hour, minute, unit = int(match[1]), int(match[2] or 0), (match[3] or "").replace(".", "")
    if not match[2] and not unit:
        return None
    if unit in ("am", "pm"):
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if unit == "pm" else 0)
    return time(hour, minute) if hour < 24 and minute < 60 else None


def parse_day(text: str, lang: str) -> date | None:
    """A day typed in figures or words (``24.11.2026``, ``2026-11-24``, ``Tuesday, 24 Nov 2026``); slashes day first
    except where only the US order fits (English). ``text`` is expected case-folded."""
    text = text.strip(" ,")
    first, _, rest = text.partition(" ")
    if first.rstrip(",.") in _WEEKDAYS and first.rstrip(",.") not in _MONTHS:
        text = rest.strip(" ,")
    text = re.sub(r"^(?:le|am|on|the)\s+", "", text, flags=re.IGNORECASE)
    try:
        if m := _ISO.match(text):
            return date(int(m[1]), int(m[2]), int(m[3]))
        if m := _NUMERIC.match(text):
            day, month, year = int(m[1]), int(m[2]), _century(int(m[3]))
            if lang == "en" and month > 12 and day <= 12:
                day, month = month, day  # 11/24/2026 can only be US order
            return date(year, month, day)
        if m := _WORDS.match(text):
            day_, name, year_ = (m[1], m[2], m[3]) if m[1] else (m[5], m[4], m[6])
            number = _MONTHS.get(name.casefold()) or _FOLDED_MONTHS.get(fold(name))
            return date(int(year_), number, int(day_)) if number else None
    except ValueError:
        return None
    return None


def parse_when(text: str, tz: str, lang: str, base: date | None = None) -> datetime | None:
    """A date and time typed by an admin (``24.11.2026 10:00``, ``24.11.2026, 10 Uhr``, ``2026-11-24 10:00``,
    ``24/11/2026 10h00``, ``24 Nov 2026 10:00``, ``24 novembre 2026 à 10h``), or a bare time (``11:30``)
    on the day ``base``. Slashed dates are day first. Returns an aware datetime in ``tz`` or None."""
    text = re.sub(r"\s+", " ", text.strip().casefold())
    text = re.sub(r"^(\d{4}-\d{1,2}-\d{1,2})t(?=\d)", r"\1 ", text)
    m = _TIME.search(text)
    if not m:
        return None
    at = _time(m)
    head = text[: m.start()]
    day = base if not head.strip(" ,") else parse_day(head, lang)
    if at is None or day is None or not 2000 <= day.year <= 2100:
        return None
    return datetime.combine(day, at, time_zone(tz))
