"""``/praxis``: share a measure of the plan as good practice; editors review, translate and see adoptions.

A member who may change a measure shares it: a short form (what was done, for whom, cost, what helped, what
hindered; the title and what is prefilled from the measure), a preview, then ``SubmitPractice`` in their language.
They see their submissions with status and adoptions. Editors and admins (``Facts.role``) see what waits for review
(approve, reject), add a missing language (``TranslatePractice``), and see every approved practice with how many
municipalities took it over. The form takes /back as its previous question.
"""

from __future__ import annotations

from typing import Any

from flows.content.i18n import N_
from flows.content.model import LANGUAGES
from flows.conversation.actions import ReviewPractice, SubmitPractice, TranslatePractice
from flows.conversation.screens.menu import back_choice
from flows.conversation.screens.toolbox import adoptions_text
from flows.conversation.session import Session
from flows.conversation.steps.base import Input
from flows.conversation.steps.checks import check_text
from flows.exchange.model import PRACTICE_PARTS, Commons, SharedPractice
from flows.exchange.shared import parts_text
from flows.messages import BUTTON, Block, Bullets, Choice, Heading, Paragraph
from flows.practice.measures import MEASURES, measures
from flows.practice.model import Measure
from flows.team.roles import owns

LIMITS = {"title": 200}
"""Characters a part may have (the title; every other part ``LONGEST``)."""
LONGEST = 1000
REQUIRED = ("title", "what")
STATUS_NAMES = {"submitted": N_("submitted"), "approved": N_("approved"), "rejected": N_("rejected")}
"""A submission's status as its submitters read it (msgids)."""
PROMPTS = {
    "title": N_("What should the practice be called? (up to 200 characters)"),
    "what": N_("What was done? A few sentences that let another municipality understand it."),
    "for_whom": N_("For whom was it done?"),
    "cost": N_("What did it cost, and who paid for it?"),
    "helped": N_("What helped to make it work?"),
    "hindered": N_("What hindered it, and what would you do differently?"),
}
LANGUAGE_OF = {"de": N_("German"), "fr": N_("French"), "en": N_("English")}
ADD_TEXT = {
    "de": N_("Add the German text"),
    "fr": N_("Add the French text"),
    "en": N_("Add the English text"),
}


# -- who shares what ---------------------------------------------------------------------------
def shareable(s: Session) -> list[Measure]:
    """The plan's measures the person may change: all of them for coordinators and editors, an owner's own."""
    team = s.facts.team
    if team is None:
        return []
    records = {str(r.get("uid")): r for r in s.state.answers.get(MEASURES) or [] if isinstance(r, dict)}
    mine = team.mate(team.me)
    return [
        m
        for m in measures(s.state.answers)
        if m.uid
        and (team.can_edit or (team.role == "owner" and owns(records[m.uid], mine.name if mine else None, team.me)))
    ]


def commons(s: Session) -> Commons:
    assert s.facts.commons is not None, "checked by the command"
    return s.facts.commons.commons()


def find(s: Session, practice_id: object) -> SharedPractice | None:
    """A practice an editor may look at (waiting or approved) by its id."""
    shown = commons(s)
    return next((p for p in (*shown.waiting, *shown.approved) if p.id == practice_id), None)


def _short(title: str) -> str | None:
    return title[: BUTTON - 1] + "…" if len(title) > BUTTON else None


def _title(practice: SharedPractice, lang: str) -> str:
    return practice.text(lang).get("title") or "…"


# -- /praxis ------------------------------------------------------------------------------------
def practices_command(s: Session, arg: str) -> None:
    if s.facts.commons is None:
        return s.say(s.t("Sharing good practice is not available here."))
    if s.facts.role is None and not shareable(s):
        return s.say(_cannot_share(s))
    s.open_overlay("practices")
    s.state.view = {}


def _cannot_share(s: Session) -> str:
    team = s.facts.team
    if team is not None and team.role in ("viewer", "owner") and measures(s.state.answers):
        return s.t("Measures of the action plan are shared by the coordinators and editors of your team.")
    return s.t(
        "Good practice is shared from the measures of your action plan, and it has none yet (/{command} {number}).",
        command=s.ctx.command_name("stage"),
        number=s.content.stage_of(MEASURES).number,
    )


def _status(s: Session, practice: SharedPractice) -> str:
    """ "freigegeben · Von 2 Kommunen übernommen." (the adoptions once there are any)."""
    said = [s.t(STATUS_NAMES[practice.status])]
    return " · ".join(said + [adoptions_text(s, practice.adoptions)] if practice.adoptions else said)


class Practices:
    """The person's submissions and the measures they may share; for editors what waits and what is shared."""

    overlay = True

    def question(self, s: Session) -> list[Block]:
        t, lang, shown = s.t, s.state.lang, commons(s)
        blocks: list[Block] = []
        if s.facts.role is not None:
            waiting = tuple(
                t("{title} ({municipality})", title=_title(p, lang), municipality=p.municipality) for p in shown.waiting
            )
            blocks += [Heading(t("Waiting for review"))]
            blocks += [Bullets(waiting)] if waiting else [Paragraph(t("Nothing is waiting for review."))]
            approved = tuple(
                t(
                    "{title} ({municipality}): {adoptions}",
                    title=_title(p, lang),
                    municipality=p.municipality,
                    adoptions=adoptions_text(s, p.adoptions),
                )
                for p in shown.approved
            )
            blocks += [Heading(t("Shared good practice"))]
            blocks += [Bullets(approved)] if approved else [Paragraph(t("No practice has been approved yet."))]
            toolbox = tuple(
                s.ctx.labelled(s.ctx.text(s.content.toolbox[i].title), adoptions_text(s, n))
                for i, n in sorted(shown.adopted.items(), key=lambda x: (-x[1], x[0]))
                if i in s.content.toolbox and n
            )
            if toolbox:
                blocks += [Heading(t("Toolbox examples taken over")), Bullets(toolbox)]
        if shareable(s):
            mine = tuple(s.ctx.labelled(_title(p, lang), _status(s, p)) for p in shown.mine)
            blocks += [Heading(t("Good practice from your action plan"))]
            blocks += [Bullets(mine)] if mine else [Paragraph(t("You have not shared any measure yet."))]
            blocks.append(Paragraph(t("Which measure would you like to share with other municipalities?")))
        elif s.facts.role is not None:
            blocks.append(Paragraph(t("Which practice would you like to look at?")))
        return blocks

    def choices(self, s: Session) -> list[Choice]:
        t, lang = s.t, s.state.lang
        found: list[Choice] = []
        if s.facts.role is not None:
            shown = commons(s)
            for p in (*shown.waiting, *shown.approved):
                label = t("Review: {title}", title=_title(p, lang)) if p.status == "submitted" else _title(p, lang)
                found.append(Choice(f"p:{p.id}", label, short=_short(label)))
        found += [Choice(f"m:{m.uid}", m.title, short=_short(m.title)) for m in shareable(s)]
        return [*found, back_choice(s)]

    def on_input(self, s: Session, inp: Input) -> None:
        choice = inp.choice or ""
        if choice == "_close":
            return s.close_overlay()
        if choice.startswith("p:") and s.facts.role is not None:
            practice = find(s, int(choice[2:]) if choice[2:].isdigit() else None)
            if practice is not None:
                s.state.mode, s.state.view = "practice_review", {"review": practice.id}
                return None
        measure = next((m for m in shareable(s) if choice == f"m:{m.uid}"), None)
        if measure is None:
            return s.say_only(s.t("Please pick one of the options below."))
        s.state.mode = "practice_form"
        s.state.view = {"form": {"uid": measure.uid, "at": 0, "lang": s.state.lang, "values": prefilled(s, measure)}}
        return None


def prefilled(s: Session, measure: Measure) -> dict[str, str]:
    """What the measure says already: its title, its goal as what was done, its target group, its budget."""
    records: list[dict[str, Any]] = [r for r in s.state.answers.get(MEASURES) or [] if isinstance(r, dict)]
    record = next((r for r in records if r.get("uid") == measure.uid), {})
    values = {
        "title": measure.title if measure.title != "…" else "",
        "what": measure.goal or "",
        "for_whom": str(record.get("target_group") or ""),
        "cost": s.ctx.budget_text(measure.budget),
    }
    return {k: v.strip()[: LIMITS.get(k, LONGEST)] for k, v in values.items() if v and v.strip()}


# -- the form -------------------------------------------------------------------------------------
def _form(s: Session) -> dict[str, Any]:
    form: dict[str, Any] = s.state.view.get("form") or {}
    return form


def _parts(s: Session, form: dict[str, Any]) -> tuple[str, ...]:
    """A submission asks every part; a translation the parts the original has."""
    practice = find(s, form.get("practice")) if form.get("practice") is not None else None
    if practice is None:
        return PRACTICE_PARTS
    original = practice.texts.get(practice.lang) or {}
    return tuple(k for k in PRACTICE_PARTS if (original.get(k) or "").strip())


def _subject(s: Session, form: dict[str, Any]) -> tuple[str, SharedPractice | None] | None:
    """The title of what the form is about (the measure; the practice translated), or None when it is gone."""
    if form.get("practice") is not None:
        practice = find(s, form.get("practice"))
        return (_title(practice, practice.lang), practice) if practice is not None else None
    measure = next((m for m in measures(s.state.answers) if m.uid == form.get("uid")), None)
    return (measure.title, None) if measure is not None else None


class PracticeForm:
    """One part at a time (the value there so far can be kept), then the whole text to confirm."""

    overlay = True

    def question(self, s: Session) -> list[Block]:
        t, form = s.t, _form(s)
        subject = _subject(s, form)
        if subject is None:
            return [Paragraph(t("That measure is no longer in the action plan, so nothing was saved."))]
        title, practice = subject
        parts, at, values = _parts(s, form), int(form.get("at") or 0), form.get("values") or {}
        if at >= len(parts):
            return [
                Heading(values.get("title") or title),
                Paragraph("\n".join(parts_text(t, values))),
                Paragraph(
                    t("Save this translation?")
                    if practice is not None
                    else t("Share it? An editor reviews it before other municipalities find it in the toolbox.")
                ),
            ]
        part = parts[at]
        if practice is not None:
            language = t(LANGUAGE_OF[form["lang"]])
            heading = t(
                "{language} text of “{title}” · {index} of {total}",
                language=language,
                title=title,
                index=at + 1,
                total=len(parts),
            )
        else:
            heading = t("Sharing “{title}” · {index} of {total}", title=title, index=at + 1, total=len(parts))
        blocks: list[Block] = [Heading(heading), Paragraph(t(PROMPTS[part]))]
        if practice is not None:
            original = (practice.texts.get(practice.lang) or {}).get(part, "")
            blocks.append(
                Paragraph(t("Original ({language}): {text}", language=t(LANGUAGE_OF[practice.lang]), text=original))
            )
        if values.get(part):
            blocks.append(Paragraph(t("So far: {text}", text=values[part])))
        return blocks

    def choices(self, s: Session) -> list[Choice]:
        t, form = s.t, _form(s)
        parts, at, values = _parts(s, form), int(form.get("at") or 0), form.get("values") or {}
        if at >= len(parts):
            return [
                Choice("_submit", t("Save") if form.get("practice") is not None else t("Share")),
                Choice("_cancel", t("Cancel")),
            ]
        part = parts[at]
        found = [Choice("_keep", t("Keep"))] if values.get(part) else []
        found += [Choice("_skip", t("Skip"))] if part not in REQUIRED else []
        return [*found, Choice("_cancel", t("Cancel"))]

    def on_input(self, s: Session, inp: Input) -> None:
        t, form = s.t, _form(s)
        subject = _subject(s, form)
        if inp.choice == "_cancel" or subject is None:
            s.close_overlay()
            return s.say(
                t("Nothing was shared.")
                if subject is not None
                else t("That measure is no longer in the action plan, so nothing was saved.")
            )
        parts, at, values = _parts(s, form), int(form.get("at") or 0), dict(form.get("values") or {})
        if at >= len(parts):
            if inp.choice != "_submit":
                return s.say_only(t("Please pick one of the options below."))
            return _done(s, form, values, subject)
        part = parts[at]
        if inp.choice == "_skip" and part not in REQUIRED:
            values.pop(part, None)
        elif inp.choice != "_keep" or not values.get(part):
            checked = check_text(t, inp.text or "", LIMITS.get(part, LONGEST))
            if not checked.done:
                return s.say_only(" ".join(n.text for n in checked.notes if isinstance(n, Paragraph)))
            values[part] = checked.value
        s.state.view = {"form": {**form, "at": at + 1, "values": values}}
        return None

    def on_back(self, s: Session) -> None:
        """/back: the previous part (on the first: it says so)."""
        form = _form(s)
        at = int(form.get("at") or 0)
        if at == 0:
            return s.say_only(s.t("This is the first question; there is nothing before it."))
        s.state.view = {"form": {**form, "at": min(at, len(_parts(s, form))) - 1}}
        return None


def _done(s: Session, form: dict[str, Any], values: dict[str, str], subject: tuple[str, SharedPractice | None]) -> None:
    t, (title, practice) = s.t, subject
    text = {k: v for k, v in values.items() if k in PRACTICE_PARTS and v}
    s.close_overlay()
    if practice is not None:
        if s.facts.role is None:
            return s.say(t("Only editors add translations."))
        s.actions.append(TranslatePractice(practice.id, form["lang"], text))
        return s.say(t("Saved: the {language} text of “{title}”.", language=t(LANGUAGE_OF[form["lang"]]), title=title))
    team = s.facts.team
    measure = next((m for m in shareable(s) if m.uid == form.get("uid")), None)
    if team is None or measure is None:
        return s.say(_cannot_share(s))
    s.actions.append(SubmitPractice(team.workspace_id, measure.uid, measure.field or "", form["lang"], text))
    s.say(
        t(
            "Thank you! “{title}” is shared. Once an editor has approved it, other municipalities find it in the "
            "toolbox (/{command}).",
            title=text.get("title", title),
            command=s.ctx.command_name("search"),
        )
    )


# -- an editor's review -----------------------------------------------------------------------------
class PracticeReview:
    """One practice in full for an editor: approve or reject it, add a language it lacks."""

    overlay = True

    def question(self, s: Session) -> list[Block]:
        t = s.t
        practice = find(s, s.state.view.get("review"))
        if practice is None:
            return [Paragraph(t("That practice is no longer there, so nothing was saved."))]
        original = practice.texts.get(practice.lang) or practice.text(practice.lang)
        languages = t.joined(t(LANGUAGE_OF[x]) for x in LANGUAGES if x in practice.texts)
        about = t(
            "Submitted by {municipality} · {status} · texts in: {languages}",
            municipality=practice.municipality,
            status=t(STATUS_NAMES[practice.status]),
            languages=languages,
        )
        blocks: list[Block] = [
            Heading(original.get("title") or "…"),
            Paragraph(about),
            Paragraph("\n".join(parts_text(t, original))),
        ]
        if practice.status == "approved":
            blocks.append(Paragraph(adoptions_text(s, practice.adoptions)))
        return blocks

    def choices(self, s: Session) -> list[Choice]:
        t = s.t
        practice = find(s, s.state.view.get("review"))
        if practice is None:
            return [Choice("_list", t("Back to the list")), back_choice(s)]
        found = [Choice("_approve", t("Approve"))] if practice.status == "submitted" else []
        found.append(Choice("_reject", t("Reject") if practice.status == "submitted" else t("Remove from the toolbox")))
        found += [Choice(f"l:{x}", t(ADD_TEXT[x])) for x in LANGUAGES if practice.missing(x)]
        return [*found, Choice("_list", t("Back to the list")), back_choice(s)]

    def on_input(self, s: Session, inp: Input) -> None:
        t, choice = s.t, inp.choice or ""
        if choice == "_close":
            return s.close_overlay()
        if choice == "_list":
            s.state.mode, s.state.view = "practices", {}
            return None
        practice = find(s, s.state.view.get("review"))
        if practice is None or s.facts.role is None:
            s.close_overlay()
            return s.say(t("That practice is no longer there, so nothing was saved."))
        title = _title(practice, s.state.lang)
        if choice in ("_approve", "_reject"):
            s.actions.append(ReviewPractice(practice.id, choice == "_approve"))
            s.close_overlay()
            if choice == "_approve":
                return s.say(t("Approved: “{title}”. Other municipalities find it in the toolbox now.", title=title))
            return s.say(t("Rejected: “{title}”. It is not in the toolbox.", title=title))
        lang = choice.removeprefix("l:")
        if lang not in LANGUAGES or not practice.missing(lang):
            return s.say_only(t("Please pick one of the options below."))
        s.state.mode = "practice_form"
        s.state.view = {"form": {"practice": practice.id, "at": 0, "lang": lang, "values": {}}}
        return None
