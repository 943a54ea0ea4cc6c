"""What blocks municipalities, pooled per field of action for the programmes' report, k-anonymously.

A workspace takes part when its Zwischenbilanz answer ``zb_pool`` is "yes" (changing it withdraws). What it
contributes: its fields of action (``zw_priorities``, else its measures' fields), the kinds of obstacle it chose
(``zb_obstacles``) and its free texts: what held the process back (``zb_blocked``), what hindered a measure (the
review's ``blocked``, under the measure's field) and its asks to the Land and the Bund (``zb_asks``).

The rules of the report: a field of action is shown only when at least ``K`` municipalities contribute to it
(workspaces of one municipality count once); hidden fields are only counted, never their municipalities; a free
text appears only as an editor approved it (by its digest), and never when it names a contributing municipality.
Nothing carries a workspace id, a name, an official key or a Land: digests and the municipality's identity are
keyed hashes (the store's key), meaningful only to someone holding the key.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections import Counter
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

K = 5
"""The smallest group of municipalities the report shows."""
NAME, PRIORITIES, MEASURES, REVIEW = "ob_name", "zw_priorities", "wp_measures", "zb_review"
BLOCKED, OBSTACLES, ASKS, POOL = "zb_blocked", "zb_obstacles", "zb_asks", "zb_pool"
STEPS = (NAME, PRIORITIES, MEASURES, REVIEW, BLOCKED, OBSTACLES, ASKS, POOL)
"""The answers a contribution is made of."""
OPTED_IN = "yes"
Source = Literal["blocked", "hindered", "ask"]
SOURCES: tuple[Source, ...] = ("blocked", "hindered", "ask")
GENERIC_WORDS = frozenset(
    "amt bad stadt gemeinde landkreis kreis verbandsgemeinde samtgemeinde markt hansestadt commune ville "
    "communauté saint sainte".split()
)
"""Words of a municipality's name that do not identify it on their own ("Amt", "Stadt", "Saint")."""


@dataclass(frozen=True)
class Entry:
    """One free text: its digest (names the entry for the editor's decision, not the workspace), where it comes
    from, and the field of action of its measure ("" for the whole workspace's fields)."""

    digest: str
    source: Source
    text: str
    field: str = ""


@dataclass(frozen=True)
class Contribution:
    """What one opted-in workspace says about obstacles."""

    municipality: str
    """A keyed hash of the official key (else the name): tells whether two workspaces are one municipality."""
    fields: frozenset[str]
    categories: frozenset[str]
    entries: tuple[Entry, ...]
    names: tuple[str, ...] = field(default=(), repr=False)
    """The municipality's name and key: only to keep them out of quotes, never shown."""

    def fields_of(self, entry: Entry) -> frozenset[str]:
        return frozenset((entry.field,)) if entry.field else self.fields


@dataclass(frozen=True)
class Quote:
    source: Source
    text: str


@dataclass(frozen=True)
class FieldReport:
    """One shown field of action: how many municipalities, how many named each kind of obstacle, approved texts."""

    field: str
    municipalities: int
    categories: tuple[tuple[str, int], ...]
    """Category id and the municipalities that chose it, most first."""
    quotes: tuple[Quote, ...]


@dataclass(frozen=True)
class Pooled:
    fields: tuple[FieldReport, ...]
    """The shown fields, most municipalities first."""
    hidden: int
    """Fields with fewer than K contributing municipalities (at least one)."""
    municipalities: int
    """Municipalities contributing to the shown fields (those only in hidden fields are not counted)."""


@dataclass(frozen=True)
class Pending:
    """A free text waiting for an editor: what the editor sees (never which municipality wrote it)."""

    digest: str
    source: Source
    text: str
    fields: tuple[str, ...]
    named: bool
    """It names its own municipality: approve it only shortened (``--text``)."""


def digest(key: bytes, workspace_id: int, source: str, text: str) -> str:
    """The keyed hash naming one entry: HMAC-SHA256 of workspace id, source and text (64 hex digits)."""
    message = "\x1f".join(("obstacle", str(workspace_id), source, text)).encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def opted_in(answers: Mapping[str, Any]) -> bool:
    return answers.get(POOL) == OPTED_IN


def contribution(key: bytes, workspace_id: int, answers: Mapping[str, Any]) -> Contribution | None:
    """The workspace's contribution; None when it did not opt in, or says nothing about obstacles or fields."""
    if not opted_in(answers):
        return None
    measures = {r.get("uid"): r for r in _records(answers.get(MEASURES))}
    fields = set(_texts(answers.get(PRIORITIES))) or {
        f for m in measures.values() if isinstance(f := m.get("field"), str) and f
    }
    entries = [Entry(digest(key, workspace_id, "blocked", t), "blocked", t) for t in _texts(answers.get(BLOCKED))]
    for review in _records(answers.get(REVIEW)):
        text = review.get("blocked")
        if isinstance(text, str) and text.strip():
            measure_field = measures.get(review.get("uid"), {}).get("field")
            where = measure_field if isinstance(measure_field, str) else ""
            entries.append(Entry(digest(key, workspace_id, "hindered", text.strip()), "hindered", text.strip(), where))
    entries += [Entry(digest(key, workspace_id, "ask", t), "ask", t) for t in _texts(answers.get(ASKS))]
    fields |= {e.field for e in entries if e.field}
    categories = frozenset(_texts(answers.get(OBSTACLES)))
    if not fields or not (categories or entries):
        return None
    names = _names(answers.get(NAME))
    identity = names[-1] if names else f"workspace:{workspace_id}"  # the key where there is one, else the name
    municipality = hmac.new(key, f"municipality\x1f{identity.casefold()}".encode(), hashlib.sha256).hexdigest()
    return Contribution(municipality, frozenset(fields), categories, tuple(entries), names)


def pool(contributions: Iterable[Contribution], approved: Mapping[str, str], only: str | None = None) -> Pooled:
    """The report's figures: per field of action with at least K municipalities, the kinds of obstacle counted per
    municipality and the texts as approved (``approved``: digest to text); ``only``: that field alone."""
    merged = _by_municipality(contributions)
    names = [n for c in merged for n in c.names]
    members: dict[str, list[Contribution]] = {}
    for c in merged:
        for f in c.fields:
            members.setdefault(f, []).append(c)
    if only is not None:
        members = {only: members[only]} if only in members else {}
    shown, hidden, counted = [], 0, set()
    for f, group in members.items():
        if len(group) < K:
            hidden += 1
            continue
        counted |= {c.municipality for c in group}
        counts = Counter(category for c in group for category in c.categories)
        shown.append(
            FieldReport(f, len(group), tuple(sorted(counts.items(), key=_most)), _quotes(f, group, approved, names))
        )
    shown.sort(key=lambda r: (-r.municipalities, r.field))
    return Pooled(tuple(shown), hidden, len(counted))


def shown_fields(contributions: Iterable[Contribution]) -> set[str]:
    """The fields of action the report shows now (at least K municipalities)."""
    return {r.field for r in pool(contributions, {}).fields}


def pending(contributions: Iterable[Contribution], decided: Collection[str]) -> tuple[list[Pending], int]:
    """Free texts no editor has decided on, in the fields the report shows; and how many more wait in fields with
    fewer than K municipalities (listed once their field reaches K)."""
    contributions = list(contributions)
    shown = shown_fields(contributions)
    found: dict[str, Pending] = {}
    waiting: set[str] = set()
    for c in contributions:
        for entry in c.entries:
            if entry.digest in decided or entry.digest in found:
                continue
            fields = sorted(c.fields_of(entry) & shown)
            if not fields:
                waiting.add(entry.digest)
                continue
            found[entry.digest] = Pending(
                entry.digest, entry.source, entry.text, tuple(fields), mentions(entry.text, c.names)
            )
    waiting -= found.keys()
    return sorted(found.values(), key=lambda p: (p.fields, SOURCES.index(p.source), p.text)), len(waiting)


def entries_matching(contributions: Iterable[Contribution], prefix: str) -> list[tuple[Entry, Contribution]]:
    """The entries whose digest starts with ``prefix`` (one per digest), with their contribution."""
    found: dict[str, tuple[Entry, Contribution]] = {}
    for c in contributions:
        for entry in c.entries:
            if entry.digest.startswith(prefix.lower()):
                found.setdefault(entry.digest, (entry, c))
    return list(found.values())


def mentions(text: str, names: Iterable[str]) -> bool:
    """Whether ``text`` names the municipality: its whole name, its key, or a distinctive word of its name."""
    for name in names:
        words = [w for w in re.split(r"[\s\-/,()]+", name) if len(w) >= 4 and w.casefold() not in GENERIC_WORDS]
        for word in {name, *words}:
            if len(word) >= 3 and re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text, re.IGNORECASE):
                return True
    return False


def _quotes(f: str, group: list[Contribution], approved: Mapping[str, str], names: list[str]) -> tuple[Quote, ...]:
    quotes: dict[str, Quote] = {}
    for c in group:
        for entry in c.entries:
            text = approved.get(entry.digest)
            if text and f in c.fields_of(entry) and not mentions(text, names):
                quotes.setdefault(entry.digest, Quote(entry.source, text))
    return tuple(sorted(quotes.values(), key=lambda q: (SOURCES.index(q.source), q.text.casefold())))


def _by_municipality(contributions: Iterable[Contribution]) -> list[Contribution]:
    """Workspaces of one municipality as one contribution (its fields, kinds of obstacle and texts together)."""
    merged: dict[str, Contribution] = {}
    for c in contributions:
        seen = merged.get(c.municipality)
        merged[c.municipality] = (
            c
            if seen is None
            else Contribution(
                c.municipality,
                seen.fields | c.fields,
                seen.categories | c.categories,
                seen.entries + c.entries,
                tuple(dict.fromkeys(seen.names + c.names)),
            )
        )
    return list(merged.values())


def _most(item: tuple[str, int]) -> tuple[int, str]:
    return -item[1], item[0]


def _records(value: Any) -> list[dict[str, Any]]:
    return [r for r in value if isinstance(r, dict)] if isinstance(value, list) else []


def _texts(value: Any) -> list[str]:
    """The non-empty strings of a list answer (one string alone counts as a list of one)."""
    values = value if isinstance(value, list) else [value]
    return [v.strip() for v in values if isinstance(v, str) and v.strip()]


def _names(value: Any) -> tuple[str, ...]:
    """The municipality's name and, where it was picked in the directory, its official key (last)."""
    if isinstance(value, dict):
        return tuple(str(value[k]).strip() for k in ("name", "key") if value.get(k))
    return (value.strip(),) if isinstance(value, str) and value.strip() else ()
