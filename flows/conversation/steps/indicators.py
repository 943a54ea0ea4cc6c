"""A record field of kind ``indicators``: one or more indicators, asked one part after the other.

Per indicator: its name (an official indicator of the municipality's statistics by button, or typed), its unit
(typed ones only: an official one's is known), its baseline (the official figure, only confirmed; else typed as
"value, date, source"), its target and the date to reach it; then another one, or done. Stored as
flows.practice.model describes. /back goes one part back, /skip passes an optional part.

The dialogue lives in the records draft under ``SUB``: ``at`` (the part asked), ``done`` (the indicators
finished), ``cur`` (the one being asked), ``index`` (its place in ``done`` when it is being changed) and
``entered`` (the field was opened on indicators already stored and nothing was done yet).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from flows.content.model import FieldIndicators
from flows.conversation import figures
from flows.conversation.context import Ctx
from flows.conversation.steps.base import Input, Result
from flows.conversation.steps.checks import check_date, check_text, not_offered, not_skippable
from flows.messages import Block, Bullets, Choice, Paragraph
from flows.practice.measures import indicator_of
from flows.practice.model import Baseline
from flows.practice.shown import baseline as baseline_text
from flows.practice.shown import indicator_text
from flows.reading import DONE_WORDS, NO_WORDS, NONE_WORDS, fold, parse_date, read_figure
from flows.statistics import presenting
from flows.statistics.indicators import INDICATORS, IndicatorId, Profile

SUB = "ind"
"""The key of the dialogue in the records draft."""
NAME, UNIT, BASELINE, TARGET, WHEN, MORE, CHANGE, REMOVE = (
    "name",
    "unit",
    "baseline",
    "target",
    "when",
    "more",
    "change",
    "remove",
)
EXPECTS = {NAME: "indicator", UNIT: "unit", BASELINE: "baseline", TARGET: "number", WHEN: "date"}
"""What each part expects (``Outbound.expects``); the parts answered by buttons expect "more"."""
LEGACY = ("indicator", "target")
"""An older record's text fields, replaced by the list once the indicators are asked again."""
OFFICIAL = "o:"
PICK = "i:"
NAME_LENGTH, UNIT_LENGTH, SOURCE_LENGTH = 200, 60, 200
_PARTS = re.compile(r"\s*;\s*|\s*,\s+|\s*[()]\s*")
"""What separates a typed baseline's value, date and source: a semicolon, a comma and a space, parentheses."""
_FINISHING = DONE_WORDS | NO_WORDS | NONE_WORDS


@dataclass(frozen=True)
class Official:
    """An official indicator the municipality has a value of: its latest value is the baseline on offer."""

    id: IndicatorId
    name: str
    unit: str
    value: float
    date: str
    source: str


def officials(ctx: Ctx) -> list[Official]:
    """The official indicators with a value for the picked municipality (worked out once per message)."""
    if "officials" not in ctx.cache:
        found = figures.found(ctx)
        profile = found.official if found is not None else None
        ctx.cache["officials"] = _officials(ctx, profile) if profile is not None else []
    return list(ctx.cache["officials"])


def _officials(ctx: Ctx, profile: Profile) -> list[Official]:
    found = []
    for indicator_id in INDICATORS:
        latest = presenting.latest(profile, indicator_id)
        if latest is not None:
            label = ctx.t(presenting.NAMES[indicator_id])
            unit = presenting.unit(ctx.t, indicator_id)
            found.append(Official(indicator_id, label, unit, *latest, _source(ctx, profile, indicator_id)))
    return found


def _source(ctx: Ctx, profile: Profile, indicator_id: IndicatorId) -> str:
    """Where an official value comes from: "Regionaldatenbank, Tabelle 12411-02-03-5"."""
    name, tables = figures.source_name(ctx, profile), presenting.tables_of(profile, indicator_id)
    if not tables:
        return name
    listed = ", ".join(tables)
    return ctx.t.plural(
        "{source}, table {tables}", "{source}, tables {tables}", len(tables), source=name, tables=listed
    )


# -- the dialogue's state -------------------------------------------------------------------------------------


def _stored(value: Any) -> list[dict[str, Any]]:
    return (
        [dict(i) for i in value if isinstance(i, dict) and indicator_of(i) is not None]
        if isinstance(value, list)
        else []
    )


def sub(f: FieldIndicators, d: dict[str, Any]) -> dict[str, Any]:
    """Where the dialogue is: as the draft says, else at its start (the indicators stored, an older record's
    text fields to go through, or a first indicator)."""
    if isinstance(d.get(SUB), dict):
        return d[SUB]
    values = d.get("values") or {}
    done = _stored(values.get(f.id))
    if done:
        return {"at": MORE, "done": done, "cur": {}, "index": None, "entered": True}
    old = values.get(LEGACY[0])
    cur = {"name": old.strip(), "target": values.get(LEGACY[1]) or None} if isinstance(old, str) and old.strip() else {}
    return {"at": NAME, "done": [], "cur": cur, "index": None, "entered": False}


def _official(ctx: Ctx, cur: dict[str, Any]) -> Official | None:
    return next((o for o in officials(ctx) if o.id == cur.get("statistic")), None)


def expects(f: FieldIndicators, d: dict[str, Any]) -> str:
    return EXPECTS.get(sub(f, d)["at"], "more")


def optional(f: FieldIndicators, d: dict[str, Any]) -> bool:
    """Whether the part asked may be left out: all but the name (of a first indicator of a required field)."""
    s = sub(f, d)
    if s["at"] == NAME:
        return f.optional and _first(s)
    return s["at"] in (UNIT, BASELINE, TARGET, WHEN)


def _first(s: dict[str, Any]) -> bool:
    """Asking for a first indicator: none finished, none being changed."""
    return not s["done"] and s["index"] is None


def key(f: FieldIndicators, d: dict[str, Any]) -> str:
    s = sub(f, d)
    return f"{s['at']}:{s['index']}:{len(s['done'])}"


def replacing(values: dict[str, Any], field_id: str, value: Any) -> dict[str, Any]:
    """The record's values with the indicators in place of an older record's text fields (which stay where the
    indicators were skipped: nothing is lost)."""
    if value is None:
        return {**values, field_id: None}
    return {**{k: v for k, v in values.items() if k not in LEGACY}, field_id: value}


# -- what the person sees -------------------------------------------------------------------------------------


def question(ctx: Ctx, f: FieldIndicators, d: dict[str, Any]) -> list[Block]:
    t, s = ctx.t, sub(f, d)
    at, cur = s["at"], s["cur"]
    name = cur.get("name") or ""
    blocks: list[Block] = []
    if at == NAME:
        if _first(s):
            blocks.append(Paragraph(ctx.text(f.prompt)))
        else:
            blocks.append(
                Paragraph(
                    t(
                        "Indicator {n}: what is it called?",
                        n=s["index"] + 1 if s["index"] is not None else len(s["done"]) + 1,
                    )
                )
            )
        if _offered(ctx, s):
            blocks.append(
                Paragraph(t("Official figures are available for these: pick one, or type an indicator of your own."))
            )
        current = name
    elif at == UNIT:
        blocks.append(Paragraph(t("What is “{name}” counted in? For example people, visits a week or %.", name=name)))
        current = cur.get("unit") or ""
    elif at == BASELINE:
        official = _official(ctx, cur)
        if official is not None:
            figure = baseline_text(t, Baseline(official.value, official.date, official.source))
            blocks.append(Paragraph(t("From the official statistics: {baseline}.", baseline=figure)))
            blocks.append(Paragraph(t("Take it as the baseline, or type another one: value, date, source.")))
        else:
            blocks.append(
                Paragraph(
                    t(
                        "What is the value of “{name}” now, the baseline? Write the value and, where you know them, "
                        "its date and source, separated by commas: 12, 2025, count by the association.",
                        name=name,
                    )
                )
            )
        base = cur.get("baseline")
        current = baseline_text(t, _baseline(base)) if isinstance(base, dict) else ""
    elif at == TARGET:
        blocks.append(Paragraph(t("Which value should “{name}” reach, the target? Please type a number.", name=name)))
        target = cur.get("target")
        current = t.number(target) if isinstance(target, int | float) else str(target or "")
    elif at == WHEN:
        blocks.append(Paragraph(t("By when should the target be reached? For example 12/2028.")))
        current = t.answer_date(cur["target_date"]) if cur.get("target_date") else ""
    elif at == MORE:
        listed = tuple(indicator_text(t, i) for i in (indicator_of(v) for v in s["done"]) if i is not None)
        blocks += [Paragraph(t("Indicators of this measure:")), Bullets(listed, numbered=True)]
        if len(s["done"]) < f.max_indicators:
            blocks.append(Paragraph(t("Is there another indicator, or is that all?")))
        current = ""
    else:
        blocks.append(
            Paragraph(
                t("Which indicator do you want to change?")
                if at == CHANGE
                else t("Which indicator do you want to remove?")
            )
        )
        current = ""
    if current:
        blocks.append(Paragraph(t("Current answer: {value}", value=current)))
    return blocks


def _offered(ctx: Ctx, s: dict[str, Any]) -> list[Official]:
    """The official indicators on offer: those not among the other indicators of the measure."""
    taken = {i.get("statistic") for n, i in enumerate(s["done"]) if n != s["index"]}
    return [o for o in officials(ctx) if o.id not in taken]


def choices(ctx: Ctx, f: FieldIndicators, d: dict[str, Any], end: str | None) -> list[Choice]:
    """The buttons of the part asked; ``end``: the measure's end, offered as the target date."""
    t, s = ctx.t, sub(f, d)
    at, cur = s["at"], s["cur"]
    found: list[Choice] = []
    if at == NAME:
        found += [Choice(f"{OFFICIAL}{o.id}", o.name) for o in _offered(ctx, s)]
    elif at == BASELINE and _official(ctx, cur) is not None:
        found.append(Choice("_take", t("Take this baseline")))
    elif at == WHEN and end:
        found.append(Choice("_end", t("By the end of the measure ({date})", date=t.short_date(end))))
    elif at == MORE:
        if len(s["done"]) < f.max_indicators:
            found.append(Choice("_another", t("Add another indicator")))
        if s["done"]:
            found += [Choice("_change", t("Change an indicator")), Choice("_remove", t("Remove an indicator"))]
        return [*found, Choice("_done", t("Done"))]
    elif at in (CHANGE, REMOVE):
        found += [Choice(f"{PICK}{n}", i.get("name") or "…") for n, i in enumerate(s["done"])]
        return [*found, Choice("_cancel", t("Cancel"))]
    if _has(cur, at):
        found.append(Choice("_keep", t("Keep answer")))
    if optional(f, d):
        found.append(Choice("_skip", t("Skip")))
    elif at == NAME and not _first(s):
        found.append(Choice("_cancel", t("Cancel")))
    return found


_FIELD_OF = {NAME: "name", UNIT: "unit", BASELINE: "baseline", TARGET: "target", WHEN: "target_date"}


def _has(cur: dict[str, Any], at: str) -> bool:
    return at in _FIELD_OF and cur.get(_FIELD_OF[at]) not in (None, "", {})


# -- input --------------------------------------------------------------------------------------------------


def handle(ctx: Ctx, f: FieldIndicators, inp: Input, d: dict[str, Any], end: str | None) -> Result:
    """Take the answer to the part asked. A Result with ``done`` carries the field's value (the indicators, or
    None when skipped); otherwise its draft is the records draft with the dialogue moved on. ``end``: the
    measure's end, offered as the target date."""
    return _Answer(ctx, f, inp, d, end).take()


@dataclass
class _Answer:
    """One answer to the part asked, and where it leads."""

    ctx: Ctx
    f: FieldIndicators
    inp: Input
    d: dict[str, Any]
    end: str | None

    def __post_init__(self) -> None:
        self.s = sub(self.f, self.d)
        self.at: str = self.s["at"]
        self.cur: dict[str, Any] = dict(self.s["cur"])

    def to(self, part: str, notes: list[Block] | None = None, **changes: Any) -> Result:
        moved = {**self.s, "at": part, "cur": self.cur, "entered": False, **changes}
        return Result(notes=notes or [], draft={**self.d, SUB: moved})

    def error(self, message: str) -> Result:
        return Result.error(message, draft=self.d)

    def take(self) -> Result:
        choice, at = self.inp.choice, self.at
        if choice == "_keep" and _has(self.cur, at):
            return self.finish() if at == WHEN else self.to(_after(self.ctx, at, self.cur))
        if choice == "_skip":
            return self.skip()
        if choice == "_cancel" and at in (NAME, CHANGE, REMOVE) and not (at == NAME and _first(self.s)):
            return self.to(MORE, cur={}, index=None)
        handler = {
            NAME: self.name,
            UNIT: self.unit,
            BASELINE: self.baseline,
            TARGET: self.target,
            WHEN: self.when,
            MORE: self.more,
        }
        return handler.get(at, self.pick)()

    def skip(self) -> Result:
        if not optional(self.f, self.d):
            return not_skippable(self.ctx.t, draft=self.d)
        if self.at == NAME:
            return Result(value=None, done=True)
        self.cur[_FIELD_OF[self.at]] = None
        return self.finish() if self.at == WHEN else self.to(_after(self.ctx, self.at, self.cur))

    def name(self) -> Result:
        offered = _offered(self.ctx, self.s)
        picked = next((o for o in offered if self.inp.choice == f"{OFFICIAL}{o.id}"), None)
        if picked is None and self.inp.choice is not None:
            return not_offered(self.ctx.t, draft=self.d)
        if picked is None:
            checked = check_text(self.ctx.t, self.inp.text or "", NAME_LENGTH)
            if not checked.done:
                return self.error(_message(checked))
            picked = next((o for o in offered if fold(o.name) == fold(checked.value)), None)
            if picked is None:
                if self.cur.get("statistic"):  # an official one renamed: its unit and baseline were the statistics'
                    self.cur = {k: v for k, v in self.cur.items() if k not in ("unit", "baseline")}
                self.cur.update(name=checked.value, statistic=None)
                return self.to(UNIT)
        if self.cur.get("statistic") != picked.id:
            self.cur.pop("baseline", None)
        self.cur.update(name=picked.name, unit=picked.unit, statistic=picked.id)
        return self.to(BASELINE)

    def unit(self) -> Result:
        checked = check_text(self.ctx.t, self.inp.text or "", UNIT_LENGTH)
        if not checked.done:
            return self.error(_message(checked))
        self.cur["unit"] = checked.value
        return self.to(BASELINE)

    def baseline(self) -> Result:
        official = _official(self.ctx, self.cur)
        if self.inp.choice == "_take" and official is not None:
            self.cur["baseline"] = {"value": official.value, "date": official.date, "source": official.source}
            return self.to(TARGET)
        read = read_baseline(self.inp.text or "")
        if read is None:
            return self.error(
                self.ctx.t(
                    "I could not read a number at the start. Please write the baseline like this: "
                    "12, 2025, count by the association."
                )
            )
        self.cur["baseline"] = read
        return self.to(TARGET)

    def target(self) -> Result:
        value = read_figure(self.inp.text or "")
        if value is None:
            return self.error(self.ctx.t("Please type the target as one number, for example 40. The date comes next."))
        self.cur["target"] = value
        return self.to(WHEN)

    def when(self) -> Result:
        if self.inp.choice == "_end" and self.end:
            self.cur["target_date"] = self.end
            return self.finish()
        checked = check_date(self.ctx.t, self.inp.text or "")
        if not checked.done:
            return self.error(_message(checked))
        self.cur["target_date"] = checked.value
        return self.finish(checked.notes)

    def finish(self, notes: list[Block] | None = None) -> Result:
        """The indicator asked is complete: into the list (in its place when it was changed), then "another one?"."""
        done = list(self.s["done"])
        entry = {k: self.cur.get(k) for k in ("name", "unit", "statistic", "baseline", "target", "target_date")}
        index = self.s["index"]
        if index is not None and 0 <= index < len(done):
            done[index] = entry
        else:
            done.append(entry)
        return self.to(MORE, notes, done=done, cur={}, index=None)

    def more(self) -> Result:
        done, choice = self.s["done"], self.inp.choice
        if choice == "_done" or (choice is None and self.inp.word in _FINISHING):
            if not done and not self.f.optional:
                return self.error(self.ctx.t("Please record at least one indicator first."))
            return Result(value=done or None, done=True)
        if choice == "_another" and len(done) < self.f.max_indicators:
            return self.to(NAME, cur={}, index=None)
        if choice == "_change" and len(done) == 1:
            return self.to(NAME, cur=dict(done[0]), index=0)
        if choice in ("_change", "_remove") and done:
            return self.to(CHANGE if choice == "_change" else REMOVE)
        return not_offered(self.ctx.t, draft=self.d)

    def pick(self) -> Result:
        """An indicator picked to change or remove."""
        done, choice = self.s["done"], self.inp.choice or ""
        n = int(choice.removeprefix(PICK)) if re.fullmatch(rf"{PICK}\d{{1,3}}", choice) else -1
        if not 0 <= n < len(done):
            return not_offered(self.ctx.t, draft=self.d)
        if self.at == CHANGE:
            return self.to(NAME, cur=dict(done[n]), index=n)
        rest = [i for k, i in enumerate(done) if k != n]
        note: list[Block] = [Paragraph(self.ctx.t("Deleted: {title}", title=done[n].get("name") or "…"))]
        return self.to(MORE if rest else NAME, note, done=rest, cur={}, index=None)


def _message(checked: Result) -> str:
    """The message of a failed check."""
    note = checked.notes[0] if checked.notes else None
    return note.text if isinstance(note, Paragraph) else ""


def _after(ctx: Ctx, at: str, cur: dict[str, Any]) -> str:
    """The part after ``at``: an official indicator's unit is known, so its baseline follows its name."""
    if at == NAME:
        return BASELINE if _official(ctx, cur) is not None else UNIT
    return {UNIT: BASELINE, BASELINE: TARGET, TARGET: WHEN}.get(at, MORE)


def read_baseline(text: str) -> dict[str, Any] | None:
    """A typed baseline, "value, date, source" ("12, 2025, Zählung des Vereins", "1.234 (31.12.2024; Melderegister)"):
    the value is needed, the date and source may be left out; a second part that is no date is the source."""
    first, *rest = [p.strip() for p in _PARTS.split(text.strip())]
    value = read_figure(first)
    if value is None:
        return None
    rest = [p for p in rest if p]
    day = parse_date(rest[0]) if rest else None
    if day is not None:
        rest = rest[1:]
    source = ", ".join(rest).strip()[:SOURCE_LENGTH] or None
    return {"value": value, "date": day, "source": source}


def _baseline(value: dict[str, Any]) -> Baseline:
    number = value.get("value")
    return Baseline(
        float(number) if isinstance(number, int | float) else None,
        value.get("date") or None,
        value.get("source") or None,
    )


def back(ctx: Ctx, f: FieldIndicators, d: dict[str, Any]) -> dict[str, Any] | None:
    """/back one part; None at the first part of the field (the records step goes back a field)."""
    s = sub(f, d)
    at = s["at"]
    if at == NAME:
        if _first(s):
            return None
        part: dict[str, Any] = {"at": MORE, "cur": {}, "index": None}
    elif at == MORE:
        if s["entered"] or not s["done"]:
            return None
        last = len(s["done"]) - 1
        part = {"at": WHEN, "cur": dict(s["done"][last]), "index": last}
    elif at in (CHANGE, REMOVE):
        part = {"at": MORE}
    else:
        before = {
            UNIT: NAME,
            BASELINE: NAME if _official(ctx, s["cur"]) is not None else UNIT,
            TARGET: BASELINE,
            WHEN: TARGET,
        }
        part = {"at": before[at]}
    return {**d, SUB: {**s, **part, "entered": False}}
