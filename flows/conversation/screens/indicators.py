"""``/kennzahlen``: the picked municipality's indicators from the statistics, a statistics file sent in the
Kommunalprofil, and the indicators put into the Kommunalprofil.

The profile (official, and the register's apart from it) is said once when the overlay opens, with its charts as
PNG pictures; the overlay then asks what to do with it. A file sent here or in a question of the Kommunalprofil is
read by the shell before the turn (``Facts.sheet``); its figures of the place, its Kreis and its Land are shown at
once and stored for the workspace after the turn (``ImportSheet``).
"""

from __future__ import annotations

from collections.abc import Sequence

from flows.content.i18n import N_, Translator
from flows.conversation import profiles
from flows.conversation.actions import ImportSheet, SendRegisterTemplate
from flows.conversation.documents.names import slug
from flows.conversation.profiles import Profiles
from flows.conversation.screens.menu import back_choice, refuse
from flows.conversation.session import Session
from flows.conversation.steps.base import Input
from flows.documents.model import Document, Rendering, Section
from flows.messages import FILE_LIMIT, Block, Bullets, Choice, Inbound, Outbound, Paragraph
from flows.reading import fold
from flows.statistics import presenting
from flows.statistics.indicators import Profile
from flows.statistics.model import Figure, Place, Problem, Rejected, Sheet, Source
from flows.team import roles

TEMPLATE_WORDS = frozenset({"vorlage", "melderegister", "modele", "registre", "template", "register"})
"""What may follow ``/kennzahlen`` to get the register template (folded), in every language."""
REGISTER_FILES = {"de": "melderegister-vorlage.csv", "fr": "modele-registre.csv", "en": "register-template.csv"}
CHART_WORDS = {"de": "kennzahlen", "fr": "indicateurs", "en": "indicators"}
"""The charts' file names start with this word in the reader's language."""
REGIONS_SHOWN = 6
"""Regions of a file named when none of them is the place."""
UNREADABLE = N_("I could not read this file.")
"""A file the reader failed on unexpectedly (the shell logs why)."""
MIXING: dict[Source, str] = {
    "official": N_(
        "The indicators of your municipal profile hold figures from your population register already. Official and "
        "register figures are never mixed in one series. Shall the official figures replace them?"
    ),
    "register": N_(
        "The indicators of your municipal profile hold official figures already. Official and register figures are "
        "never mixed in one series. Shall the figures from your population register replace them?"
    ),
}
"""The warning before the rows of one source replace those of the other (by the source that would replace them)."""


def indicators_command(s: Session, arg: str) -> None:
    """``/kennzahlen`` shows the profile; ``/kennzahlen vorlage`` sends the register template."""
    word = fold(arg.strip())
    if word in TEMPLATE_WORDS:
        return send_template(s)
    if word:
        s.say(
            s.t(
                "I do not know “{word}” here. /{command} shows the indicators, /{command} {template} sends the "
                "template for figures from your population register.",
                word=arg.strip()[:40],
                command=s.ctx.command_name("indicators"),
                template=s.t("template"),
            )
        )
    show(s)


def show(s: Session, sent: Sequence[Figure] = ()) -> None:
    """Open the overlay on the place's profiles (with ``sent``, the place's figures of a file of this message)."""
    found = profiles.lookup(s.ctx, _workspace(s), sent)
    if found is None:
        return s.say(_no_place(s))
    s.open_overlay("indicators")
    s.state.view = {"sources": found.sources}
    for source in found.sources:
        profile = found.of(source)
        assert profile is not None
        s.before.append(Outbound(presenting.blocks(s.t, profile)))
        charts = _charts(s, profile)
        if charts:
            text = s.t.plural("Here is the chart as a picture.", "Here are the {n} charts as pictures.", len(charts))
            s.before.append(Outbound([Paragraph(text)], documents=charts))


def send_template(s: Session) -> None:
    """The register template goes out with how to fill it in; the overlay waits for the filled file."""
    s.actions.append(SendRegisterTemplate(s.state.lang, REGISTER_FILES.get(s.state.lang, REGISTER_FILES["en"])))
    if s.state.mode != "indicators":
        found = profiles.lookup(s.ctx, _workspace(s))
        if found is None:
            return s.say(
                s.t(
                    "Here is the template for figures from your population register. Before you send it back "
                    "filled in, pick your municipality in the official directory: /{command}.",
                    command=_place_command(s),
                )
            )
        s.open_overlay("indicators")
        s.state.view = {"sources": found.sources}
    s.say_only(
        s.t(
            "Here is the template for figures from your population register: one row per year, age, sex and "
            "district (Ortsteil) with the number of people. Fill it in and send it back to me here. These figures "
            "stay apart from the official statistics."
        )
    )


# -- a file sent in the Kommunalprofil ------------------------------------------------------
def takes_files(s: Session) -> bool:
    """Whether a file sent now is read as statistics: in the Kommunalprofil's questions and at its end."""
    return s.state.mode in ("step", "stage_end") and s.state.stage == profiles.STAGE


def take_file(s: Session, inbound: Inbound) -> None:
    """A statistics file: its problems, or its figures of the place shown and stored for the workspace."""
    sheet, upload, name = s.facts.sheet, inbound.file, inbound.file_name or "statistik.csv"
    if upload is not None and upload.too_big:
        return s.say_only(
            s.t(
                "That file is larger than {limit} MB, so I have not read it. Please download the table for your "
                "municipality only and send it again.",
                limit=FILE_LIMIT // (1024 * 1024),
            )
        )
    if sheet is None:
        return s.say_only(_not_statistics(s, received=upload is not None and upload.data is not None))
    if isinstance(sheet, Rejected):
        return _rejected(s, name, sheet)
    if not roles.may_edit(s.facts.team, profiles.INDICATORS_STEP):
        return refuse(s)
    place = s.ctx.place()
    if place is None:
        return s.say_only(_no_place(s))
    figures = profiles.own(sheet, place)
    if not any(f.region == place.key for f in figures):
        return s.say_only(_elsewhere(s, name, sheet, place))
    named = {f.region: sheet.regions.get(f.region) or (place.name if f.region == place.key else "") for f in figures}
    kept = Sheet(figures, sheet.table, sheet.source, sheet.layout, sheet.encoding, named)
    data = upload.data if upload is not None and upload.data is not None else b""
    s.actions.append(ImportSheet(_workspace(s), kept, name, data))
    s.say(_read(s, name, kept, place))
    show(s, figures)


def _rejected(s: Session, name: str, rejected: Rejected) -> None:
    s.say(s.t("I have not imported anything from “{file}”. This is what I found in it:", file=name[:80]))
    s.notes.append(Bullets(tuple(problem_text(s.t, p) for p in rejected.problems)))
    s.say_only(s.t("Please correct the file, or download it again, and send it to me once more."))


def problem_text(t: Translator, problem: Problem) -> str:
    """A file's problem in the reader's language, with its line and column where it has them."""
    text = t(problem.message, **dict(problem.params))
    if problem.line is not None and problem.column is not None:
        return t("Line {line}, column {column}: {problem}", line=problem.line, column=problem.column, problem=text)
    if problem.line is not None:
        return t("Line {line}: {problem}", line=problem.line, problem=text)
    return text


def _read(s: Session, name: str, sheet: Sheet, place: Place) -> str:
    days = sheet.stichtage
    span = (
        s.t.date(days[0], "medium")
        if len(days) == 1
        else f"{s.t.date(days[0], 'medium')}–{s.t.date(days[-1], 'medium')}"
    )
    if sheet.source == "register":
        return s.t.plural(
            "I have read “{file}”: {n} figure of your population register for {place} ({span}). It stays apart from "
            "the official statistics.",
            "I have read “{file}”: {n} figures of your population register for {place} ({span}). They stay apart "
            "from the official statistics.",
            len(sheet.figures),
            file=name[:80],
            place=place.name,
            span=span,
        )
    return s.t.plural(
        "I have read “{file}”: {n} figure of table {table} for {place}, its district and its state ({span}).",
        "I have read “{file}”: {n} figures of table {table} for {place}, its district and its state ({span}).",
        len(sheet.figures),
        file=name[:80],
        table=sheet.table,
        place=place.name,
        span=span,
    )


def _elsewhere(s: Session, name: str, sheet: Sheet, place: Place) -> str:
    """The file has no figure of the place: which regions it has."""
    named = [f"{key} {region}".strip() for key, region in list(sheet.regions.items())[:REGIONS_SHOWN]]
    more = len(sheet.regions) - len(named)
    listed = s.t.joined(named) + (s.t(" and {n} more", n=more) if more > 0 else "")
    return s.t(
        "“{file}” holds figures for {regions}, but none for {place} ({key}), so I have not imported anything. "
        "Please download the table for your municipality and send it again.",
        file=name[:80],
        regions=listed or s.t("no region"),
        place=place.name,
        key=place.key,
    )


def _not_statistics(s: Session, received: bool) -> str:
    if not received:
        return s.t("I could not receive that file. Please send it again.")
    return s.t(
        "I cannot read that file as statistics. I read the CSV downloads of the Regionaldatenbank Deutschland and "
        "of GENESIS-Online (also as flat file), and the template for your population register (/{command} {word}).",
        command=s.ctx.command_name("indicators"),
        word=s.t("template"),
    )


# -- what is shown ---------------------------------------------------------------------------
def _charts(s: Session, profile: Profile) -> list[Rendering]:
    """One PNG per chart of the profile (each a document of that chart alone)."""
    word = CHART_WORDS.get(s.state.lang, CHART_WORDS["en"])
    renderings = []
    for chart in presenting.charts(s.t, profile):
        document = Document("strategy", s.state.lang, chart.title, "", (), (Section(chart.title, (chart,)),))
        stem = f"{word}-{slug(profile.place.name)}-{chart.file_stem}"
        suffix = "-register" if profile.source == "register" else ""
        renderings.append(Rendering(document, "png", f"{stem}{suffix}.png"))
    return renderings


def _no_place(s: Session) -> str:
    return s.t(
        "I can show your municipality’s figures once you have picked it in the official directory of "
        "municipalities. Send /{command} and pick it there.",
        command=_place_command(s),
    )


def _no_figures(s: Session) -> list[Block]:
    place = _place(s)
    if place.country == "fr":
        return [
            Paragraph(
                s.t(
                    "I cannot import French statistics yet. Please enter your indicators by hand in the question "
                    "“{step}” of the municipal profile.",
                    step=s.ctx.text(s.content.step(profiles.INDICATORS_STEP).label),
                )
            )
        ]
    return [
        Paragraph(s.t("There are no official figures for {place} here yet.", place=place.name)),
        Paragraph(
            s.t(
                "You can download them free of charge from the Regionaldatenbank Deutschland at "
                "www.regionalstatistik.de, as CSV files for your municipality, where available:"
            )
        ),
        Bullets(
            (
                s.t("12411-02-03-5: population by sex and age groups"),
                s.t("12612: live births"),
                s.t("12613: deaths"),
                s.t("12711: people moving in and out"),
            )
        ),
        Paragraph(s.t("Send me the CSV file here and I will read it.")),
    ]


def _place(s: Session) -> Place:
    place = s.ctx.place()
    assert place is not None, "the overlay opens on a picked place only"
    return place


def _place_command(s: Session) -> str:
    return s.ctx.command_name("municipality")


def _workspace(s: Session) -> int | None:
    return s.facts.team.workspace_id if s.facts.team is not None else None


def _sources(s: Session) -> list[Source]:
    return [x for x in s.state.view.get("sources", []) if x in profiles.SOURCES]


class Indicators:
    """The overlay on the profile: put it into the Kommunalprofil, get the register template, or go back.

    ``view``: ``sources`` with a profile; ``mixing``: the source to fill from once the person agrees that its rows
    replace those of the other source."""

    overlay = True

    def question(self, s: Session) -> list[Block]:
        mixing = s.state.view.get("mixing")
        if mixing in profiles.SOURCES:
            return [Paragraph(s.t(MIXING[mixing]))]
        if s.ctx.place() is None:
            return [Paragraph(_no_place(s))]
        if not _sources(s):
            return _no_figures(s)
        return [
            Paragraph(
                s.t(
                    "Shall I put these indicators into your municipal profile (question “{step}”)? What you typed "
                    "there yourself stays. You can also send me another statistics file here.",
                    step=s.ctx.text(s.content.step(profiles.INDICATORS_STEP).label),
                )
            )
        ]

    def choices(self, s: Session) -> list[Choice]:
        if s.state.view.get("mixing") in profiles.SOURCES:
            return [Choice("_replace", s.t("Replace them")), Choice("_cancel", s.t("Cancel"))]
        sources = _sources(s) if roles.may_edit(s.facts.team, profiles.INDICATORS_STEP) else []
        filling = []
        if sources == ["official", "register"]:
            filling = [
                Choice("_fill", s.t("Put the official figures into the profile"), short=s.t("Official figures")),
                Choice(
                    "_fill:register", s.t("Put the register figures into the profile"), short=s.t("Register figures")
                ),
            ]
        elif sources:
            filling = [Choice("_fill", s.t("Put into the profile"))]
        template = Choice("_register", s.t("Template for register figures"), short=s.t("Register template"))
        return [*filling, template, back_choice(s)]

    def on_input(self, s: Session, inp: Input) -> None:
        choice = inp.choice or ""
        if choice == "_close":
            return s.close_overlay()
        if choice == "_register":
            return send_template(s)
        mixing = s.state.view.get("mixing")
        if choice == "_cancel" and mixing:
            s.state.view = {k: v for k, v in s.state.view.items() if k != "mixing"}
            return s.say(s.t("Nothing was changed."))
        if choice == "_replace" and mixing in profiles.SOURCES:
            return _fill(s, mixing, replacing=True)
        if choice in ("_fill", "_fill:register") and not mixing:
            sources = _sources(s)
            return _fill(s, "register" if choice == "_fill:register" or sources == ["register"] else "official")
        s.say_only(s.t("Please pick one of the options below, or send me a statistics file."))

    def on_file(self, s: Session, inbound: Inbound) -> None:
        take_file(s, inbound)


def _fill(s: Session, source: Source, replacing: bool = False) -> None:
    """Put the profile of ``source`` into the Kommunalprofil; first ask where rows of the other source would go."""
    if not roles.may_edit(s.facts.team, profiles.INDICATORS_STEP):
        return refuse(s)
    found: Profiles | None = profiles.lookup(s.ctx, _workspace(s))
    profile = found.of(source) if found is not None else None
    if profile is None or not presenting.records(s.t, profile):
        s.close_overlay()
        return s.say(s.t("There are no indicators to put into the profile."))
    if profiles.mixing(s.ctx, source) and not replacing:
        s.state.view = {**s.state.view, "mixing": source}
        return None
    count = profiles.fill(s.ctx, profile)
    s.close_overlay()
    s.say(
        s.t.plural(
            "I have put {n} indicator into your municipal profile. You can change it there like any answer.",
            "I have put {n} indicators into your municipal profile. You can change them there like any answer.",
            count,
        )
    )
    step = s.current_step()
    stage = s.content.stage(profiles.STAGE)
    ids = [x.id for x in stage.steps]
    if s.state.mode == "step" and step is not None and step.id in ids[: ids.index(profiles.INDICATORS_STEP) + 1]:
        s.goto(profiles.INDICATORS_STEP)  # the person sees the rows, can change them, and goes on from there


# -- what the app shell says after it acted on the actions above ----------------------------
def stored(t: Translator, figures: int, new: bool) -> Outbound:
    """A read file's figures stored for the workspace, or the same file imported before."""
    if not new:
        return Outbound([Paragraph(t("You had sent me this file before: it is imported already, nothing changed."))])
    return Outbound(
        [
            Paragraph(
                t.plural(
                    "Saved for your team: {n} figure. It is used in the municipal profile and the documents.",
                    "Saved for your team: {n} figures. They are used in the municipal profile and the documents.",
                    figures,
                )
            )
        ]
    )


def not_stored(t: Translator, coordinators: Sequence[str]) -> Outbound:
    """The person's role changed since the engine looked: nothing stored."""
    names = t.joined(coordinators) or t("the coordinator")
    return Outbound([Paragraph(t("You can read and export; changes are made by {names}.", names=names))])
