"""How typed text is read: forgiving comparison, the done/all/none/yes/no/stop words, questions, dates, times,
option lists and budgets."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from fnmatch import fnmatchcase
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.dates import get_day_names, get_month_names

from flows.content.model import LANGUAGES, FundingCategory, GlossaryTerm
from flows.documents.budget import Budget
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


# --- budgets: "25.500 € Fördermittel LEADER 2027–2028" -------------------------------------------------

_SPACES = "\u00a0\u202f\u2009\u2007\u200a\t"
_DASHES = "\u2013\u2014\u2011\u2012\u2212"
_NORMAL = str.maketrans({**dict.fromkeys(_SPACES, " "), **dict.fromkeys(_DASHES, "-"), "’": "'"})
"""Every kind of space becomes a space and every dash a hyphen, one character for one (positions stay)."""

_YEAR_SPAN = re.compile(
    r"(?<![\d.,'€])(19[89]\d|20\d\d|2100)"
    r"(?:\s*(?:-|/|bis|à|au|a|to|until|till|through|jusqu'à|jusqu'en)\s*(\d{4}|\d{2})(?!\d))?"
    r"(?![\d.,']?\d)(?!\s?(?:€|eur|mio|mrd|millions?|milliards?|tsd|tausend|mille|[kt]€|teur|k\b))",
    re.IGNORECASE,
)
_AMOUNT = re.compile(
    r"(?:(?P<pre>€|eur\b|euros?\b)\s?)?"
    r"(?<![\d.,'])(?P<num>\d{1,3}(?:[ ']\d{3}(?!\d))+(?:[.,]\d+)?|\d+(?:[.,]\d+)*)"
    r"(?:\s?(?P<scale>mio\b\.?|millionen\b|millions?\b|mrd\b\.?|milliarden?\b|milliards?\b|tsd\b\.?|tausend\b"
    r"|mille\b|k(?![a-zäöüéè])|t(?=€|eur)))?"
    r"(?:\s?(?:d'|de\s)?(?P<cur>€|eur(?:os?)?\b|euros?\b))?",
    re.IGNORECASE,
)
_EACH_YEAR = re.compile(
    r"\b(?:pro|je)\s+jahr\b|\bj[äa]hrlich\b|\bjeweils\b|\bp\.\s?a\.|\bpar\s+an\b|\bpar\s+année\b|\bchaque\s+année\b"
    r"|\bje\b|\bchacun\b|\bchaque\b|\beach\b|\bper\s+(?:year|annum)\b|\ba\s+year\b|\beach\s+year\b|\bannually\b|\byearly\b",
    re.IGNORECASE,
)
_PART_OF = re.compile(r"\b(?:davon|darunter|dont|of\s+which|including)\b", re.IGNORECASE)
_FILLER = re.compile(
    r"^(?:(?:aus|dem|der|den|des|vom|von|über|ueber|via|durch|mit|im|in|für|fuer|from|by|through|the|of|de|du|d'"
    r"|la|le|les|l'|par|sur|pour|for|ca\.?|circa|etwa|rund|ungefähr|environ|about|approx\.?|approximately"
    r"|(?:budget|kosten|betrag|summe|gesamt|insgesamt|total|coût|cout|montant|cost|costs|amount)\s*:)(?:\s+|$|(?<=')))+",
    re.IGNORECASE,
)
_AMOUNT_WORDS = re.compile(
    r"\b(?:in\s+höhe\s+von|in\s+höhe|à\s+hauteur\s+de|d'un\s+montant\s+de|pour\s+un\s+montant\s+de"
    r"|in\s+the\s+amount\s+of|(?:gesamt)?kosten\s*:|budget\s*:|montant\s*:|coût\s*:|cost\s*:)",
    re.IGNORECASE,
)
_TRAILING = re.compile(
    r"(?:\s+(?:en|in|im|ab|bis|für|fuer|for|from|until|in|à|au|dès|des|de|seit|since|par|pour|jusqu'à|jusqu'en|von|vom))+$",
    re.IGNORECASE,
)
BARE_AMOUNT_MIN = 100
AMOUNT_MAX = Decimal(10) ** 12
"""More than a trillion euros is no municipal budget but a typo: such a number is kept as text, not read as money."""
"""A number without €, EUR or a scale word counts as an amount only from this much (and only when no number in the
text is marked as one): "für 3 Ortsteile" is not a budget."""


def read_budget(text: str) -> Budget:
    """A budget as a person types it on a phone: amount in euros, years and source, the text kept as written.

    Amounts: German ``25.500`` / ``25.500,50``, French ``25 500`` / ``25 500,50`` (any kind of space, also
    ``25'500``), English ``25,500.50``; a scale word multiplies: ``1,2 Mio. €``, ``2 millions``, ``50 T€``,
    ``50 TEUR``, ``12,5k``, ``10 Tsd.``. Where both ``.`` and ``,`` appear the last one is the decimal mark; where
    one of them appears once it marks thousands when exactly three digits follow and no scale word does
    (``25.500`` and ``25,500`` are 25500 in every language: a euro has no thousandths) and decimals otherwise
    (``25.50``, ``1,5``, ``1,250 Mio``); appearing more often it marks thousands (``1.250.000``). A four-digit
    number from 1990 to 2100 without € or a scale word is a year; ``2027–2028``, ``2027-2029``, ``2027 bis
    2028``, ``2027 à 2029``, ``2027/28`` are every year of the span.

    Several amounts: each with a year of its own (``12.000 € 2027, 8.000 € 2028``, ``2027: 12.000 €; 2028:
    8.000 €``) is a split per year; after ``davon``/``dont``/``of which`` the first amount is the total; otherwise
    they add up (``10.000 € Haushalt + 15.000 € LEADER``). One amount ``pro Jahr``/``par an``/``per year`` over a
    span of years is that much in each year. The source is what remains once amounts, years and leading filler
    words ("aus dem", "de la", "from") are taken out. Without any amount ("noch offen") the budget is the text
    alone."""
    text = text.strip()
    plain = text.translate(_NORMAL)
    years: list[tuple[int, int, tuple[int, ...]]] = []  # (start, end, years)
    for m in _YEAR_SPAN.finditer(plain):
        span = _years_of(int(m[1]), m[2])
        years.append((m.start(), m.end(), span))
    masked = _mask(plain, [(s, e) for s, e, _ in years])
    amounts = [(m.start(), m.end(), value) for m in _AMOUNT.finditer(masked) if (value := _amount(m)) is not None]
    marked = [a for a in amounts if a[2][1]]
    chosen = marked or [a for a in amounts if a[2][0] >= BARE_AMOUNT_MIN]
    if not chosen:
        return Budget(text=text)
    values = [value for _, _, (value, _) in chosen]
    all_years = sorted({y for _, _, span in years for y in span})
    per_year: dict[int, Decimal] = {}
    singles = [span[0] for _, _, span in years if len(span) == 1]
    rest = _mask(masked, [(s, e) for s, e, _ in chosen])
    if len(values) > 1 and len(singles) == len(values) == len(years) and len(set(singles)) == len(singles):
        per_year = dict(zip(singles, values, strict=True))
    elif len(values) == 1 and len(all_years) > 1 and (each := _EACH_YEAR.search(rest)):
        per_year = dict.fromkeys(all_years, values[0])
        rest = _mask(rest, [each.span()])
    if per_year:
        total = sum(per_year.values(), Decimal(0))
    elif len(values) > 1 and _PART_OF.search(rest):
        total = values[0]
    else:
        total = sum(values, Decimal(0))
    return Budget(text=text, amount=total, source=_source(rest), years=tuple(all_years), per_year=per_year)


def _years_of(first: int, last: str | None) -> tuple[int, ...]:
    """The years from ``first`` to ``last`` (2027/28 too); ``first`` alone when ``last`` is not later."""
    if last is None:
        return (first,)
    end = int(last) if len(last) == 4 else first - first % 100 + int(last)
    return tuple(range(first, end + 1)) if first < end <= first + 30 else (first,)


def _mask(text: str, spans: Sequence[tuple[int, int]]) -> str:
    """``text`` with the given spans blanked out (positions stay)."""
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


def _amount(m: re.Match[str]) -> tuple[Decimal, bool] | None:
    """The amount of an ``_AMOUNT`` match and whether € or a scale word marks it as money."""
    scale = (m["scale"] or "").casefold().rstrip(".")
    number = read_number(m["num"], scaled=bool(scale))
    if number is None:
        return None
    if scale:
        number *= Decimal(10) ** _power(scale)
    if number > AMOUNT_MAX:
        return None
    return number, bool(m["pre"] or m["cur"] or scale)


def _power(scale: str) -> int:
    """The power of ten of a scale word: Mio./Millionen/million 6, Mrd./milliard 9, k/T/Tsd./tausend/mille 3."""
    if scale.startswith(("milliard", "mrd")):
        return 9
    if scale.startswith(("mio", "million")):
        return 6
    return 3


_GROUPS = re.compile(r"^\d{1,3}([.,]\d{3})+$")


def read_number(raw: str, scaled: bool = False) -> Decimal | None:
    """Digits with thousands and decimal marks as German, French or English write them, without a sign.

    Spaces of any kind and apostrophes between digit groups separate thousands ("18 432"). When both
    "." and "," occur, the last one is the decimal mark ("1.234,5", "1,234.5"). One mark followed by
    exactly three digits separates thousands ("18.432", "18,432"), unless a scale word follows
    (``scaled``: "1,250 Mio."); with one or two digits it is the decimal mark ("4,1"). One kind of
    mark several times separates thousands when every group has three digits ("1.234.567");
    otherwise ("1.2.3") it is no number.
    """
    digits = re.sub(r"[\s']", "", raw)
    dot, comma = digits.count("."), digits.count(",")
    if dot and comma:
        mark = max(digits.rfind("."), digits.rfind(","))
        digits = re.sub(r"[.,]", "", digits[:mark]) + "." + digits[mark + 1 :]
    elif dot + comma == 1:
        head, tail = re.split(r"[.,]", digits)
        digits = f"{head}{tail}" if len(tail) == 3 and not scaled else f"{head}.{tail}"
    elif dot + comma > 1:
        if not _GROUPS.match(digits):
            return None
        digits = re.sub(r"[.,]", "", digits)
    try:
        return Decimal(digits)
    except InvalidOperation:
        return None


_FIGURE = re.compile(
    r"\s*(?:(?:ca|circa|etwa|rund|ungefähr|env|environ|about|around|approx)\.?\s+)?([-+\u2212\u2013]?)\s*"
    r"(\d{1,3}(?:[ \u00a0\u202f']\d{3}(?!\d))+(?:[.,]\d+)?|\d[\d.,]*\d|\d)[^\d]*",
    re.IGNORECASE,
)
FIGURE_MAX = Decimal(10) ** 15
"""Larger figures are no indicator's value (and would not survive as JSON numbers)."""


def read_figure(text: str) -> float | None:
    """A number typed alone or followed by its unit: "40", "ca. 1.250 Nutzer", "−3,4 %", "12 000". None where
    words come first or other digits follow ("zwei bis 2029", "40 bis 2028": which number is meant cannot be
    told), and from ``FIGURE_MAX`` on."""
    found = _FIGURE.fullmatch(text)
    if found is None:
        return None
    value = read_number(found[2])
    if value is None or value >= FIGURE_MAX:
        return None
    return -float(value) if found[1] in ("-", "\u2212", "\u2013") else float(value)


def _source(rest: str) -> str:
    """What remains of a budget once amounts and years are out: its parts without filler words and stray marks."""
    parts = []
    for part in re.split(r"\s*[,;+·|]\s*|\s+-\s+", _AMOUNT_WORDS.sub(" ", rest)):
        part = " ".join(part.split()).strip(" .:-–/&()")
        part = re.sub(r"\(\s*\)", "", part)
        part = _TRAILING.sub("", _FILLER.sub("", part)).strip(" .:-/&")
        part = re.sub(r"\s+(?:und|et|and)$", "", part, flags=re.IGNORECASE)
        part = re.sub(r"^(?:und|et|and)\s+", "", part, flags=re.IGNORECASE)
        if part.count("(") != part.count(")"):
            part = part.replace("(", "").replace(")", "").strip()
        if part:
            parts.append(part)
    return ", ".join(parts)


def funding_of(source: str, categories: Sequence[FundingCategory]) -> str | None:
    """The funding category a source names by its keywords (content/funding.yaml), in any language; the category
    marked ``mixed`` where keywords of several others appear ("Haushalt + LEADER"); None where none does.

    Keywords compare folded (case, umlauts, accents) word by word; ``*`` in a keyword stands for any letters
    (``förder*`` finds "Fördermittel", ``*förderung`` "Städtebauförderung")."""
    words = _words(source)
    named: list[FundingCategory] = []
    for category in categories:
        for keyword in (k for keywords in category.keywords.values() for k in keywords):
            wanted = re.findall(r"[a-z0-9*]+", fold(keyword.replace("’", "'")))
            n = len(wanted)
            if n and any(
                all(fnmatchcase(words[i + j], wanted[j]) for j in range(n)) for i in range(len(words) - n + 1)
            ):
                named.append(category)
                break
    mixed = next((c for c in categories if c.mixed), None)
    if mixed is not None and (mixed in named or len([c for c in named if not c.mixed]) > 1):
        return mixed.id
    return named[0].id if named else None
