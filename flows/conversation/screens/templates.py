"""``/vorlage``: the coordinator sees, gets, sends or removes the workspace's own DOCX/ODT templates."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from flows.content.i18n import N_, Translator
from flows.conversation.actions import RemoveTemplate, SaveTemplate, SendDefaultTemplates, ShowTemplates
from flows.conversation.screens.menu import back_choice
from flows.conversation.session import Session
from flows.conversation.steps.base import Input
from flows.messages import FILE_LIMIT, Block, Bullets, Choice, Inbound, Outbound, Paragraph
from flows.reading import fold
from flows.team import messages, rules

FORMATS = ("docx", "odt")
PLACEHOLDERS = ("title", "subtitle", "municipality", "date", "approval", "version", "kind")
"""The fields a template may show (``{{ title }}`` …); the content goes where ``{{p body }}`` / ``{{ body }}`` is."""
REMOVE_WORDS = frozenset({"entfernen", "loeschen", "remove", "delete", "supprimer", "retirer", "enlever"})


def template_command(s: Session) -> None:
    """Coordinators only: what the templates are for and which the workspace has; then wait for a file."""
    if not rules.may_manage(s.facts.team):
        team = s.facts.team
        names = [messages.label(s.t, team.members, m.user_id) for m in rules.coordinators(team)] if team else []
        return s.say_only(messages.not_coordinator(s.t, names))
    s.open_overlay("template")
    s.actions.append(ShowTemplates(_workspace(s)))


def _workspace(s: Session) -> int | None:
    return s.facts.team.workspace_id if s.facts.team is not None else None


class Templates:
    """Waits for a .docx or .odt file; offers the defaults and removing the workspace's own templates."""

    overlay = True

    def question(self, s: Session) -> list[Block]:
        return [
            Paragraph(
                s.t(
                    "Exports in DOCX and ODT can use your municipality’s own template, e.g. with your letterhead. "
                    "Write these placeholders where the values belong:"
                )
            ),
            Bullets(tuple(f"{{{{ {name} }}}}: {s.t(_MEANING[name])}" for name in PLACEHOLDERS)),
            Paragraph(
                s.t(
                    "The document’s content goes where {docx} stands in a DOCX file (a paragraph of its own) and "
                    "where {odt} stands in an ODT file.",
                    docx="{{p body }}",
                    odt="{{ body }}",
                )
            ),
            Paragraph(
                s.t(
                    "Send me the template as a .docx or .odt file (up to {limit} MB); it replaces the previous one "
                    "of that format.",
                    limit=FILE_LIMIT // (1024 * 1024),
                )
            ),
        ]

    def choices(self, s: Session) -> list[Choice]:
        return [
            Choice("_defaults", s.t("Send default templates")),
            Choice("_remove:docx", s.t("Remove the DOCX template")),
            Choice("_remove:odt", s.t("Remove the ODT template")),
            back_choice(s),
        ]

    def on_input(self, s: Session, inp: Input) -> None:
        if inp.choice == "_close":
            return s.close_overlay()
        if not rules.may_manage(s.facts.team):  # demoted since the screen opened
            s.close_overlay()
            return template_command(s)
        if inp.choice == "_defaults":
            s.actions.append(SendDefaultTemplates())
            return s.say_only(s.t("Here are the default templates to adapt. Send me yours when it is ready."))
        removed = _removing(inp)
        if removed is not None:
            s.actions.append(RemoveTemplate(_workspace(s), removed or None))
            return s.close_overlay()
        s.say_only(s.t("Please send the template as a .docx or .odt file, or pick one of the options below."))

    def on_file(self, s: Session, inbound: Inbound) -> None:
        """A file sent while the screen waits for one: stored when it is a usable template, else why not."""
        if not rules.may_manage(s.facts.team):
            s.close_overlay()
            return template_command(s)
        upload = inbound.file
        if upload is not None and upload.too_big:
            return s.say_only(
                s.t(
                    "That file is larger than {limit} MB, so I have not kept it. Please send a smaller template.",
                    limit=FILE_LIMIT // (1024 * 1024),
                )
            )
        if upload is None or upload.data is None:
            return s.say_only(s.t("I could not receive that file. Please send it again as a .docx or .odt file."))
        if upload.kind not in FORMATS:
            return s.say_only(
                s.t("That is not a DOCX or ODT file, so I have not kept it. Please send a .docx or .odt file.")
            )
        if upload.problem is not None:
            return s.say_only(
                s.t(
                    "I cannot use this file as a template ({reason}). Nothing was changed; please correct it "
                    "and send it again.",
                    reason=s.t(upload.problem[0], **dict(upload.problem[1])),
                )
            )
        name = inbound.file_name or f"template.{upload.kind}"
        s.actions.append(SaveTemplate(_workspace(s), upload.kind, name, upload.data))
        s.close_overlay()


def _removing(inp: Input) -> str | None:
    """``entfernen`` (``remove``, ``supprimer`` …) with an optional format, or a remove button: the format, "" for
    both; None when it is no removal."""
    if inp.choice and inp.choice.startswith("_remove:"):
        return inp.choice.removeprefix("_remove:")
    words = fold(inp.text or "").replace(".", " ").split()
    if not words or words[0] not in REMOVE_WORDS or len(words) > 2:
        return None
    if len(words) == 1:
        return ""
    return words[1] if words[1] in FORMATS else None


_MEANING = {
    "title": N_("the document’s title"),
    "subtitle": N_("its subtitle"),
    "municipality": N_("the municipality’s name"),
    "date": N_("the date of the export"),
    "approval": N_("the state of approval by the steering group"),
    "version": N_("the version of the document"),
    "kind": N_("the kind of document (strategy document or draft resolution)"),
}
"""What each placeholder shows (msgids, translated where shown)."""


# -- what the app shell says after it acted on the actions above ----------------------------
def status(t: Translator, rows: Sequence[tuple[str, str, str, datetime]]) -> Outbound:
    """Which own templates the workspace has: format, file name, who sent it and when."""
    if not rows:
        return Outbound(
            [Paragraph(t("Your workspace has no template of its own yet: exports use the default templates."))]
        )
    lines = tuple(
        t(
            "{format}: {file}, sent by {who} on {date}",
            format=fmt.upper(),
            file=file_name,
            who=who,
            date=t.date(at.date(), "medium"),
        )
        for fmt, file_name, who, at in rows
    )
    return Outbound([Paragraph(t("Your workspace’s own templates:")), Bullets(lines)])


def saved(t: Translator, fmt: str, file_name: str, replaced: bool) -> Outbound:
    if replaced:
        text = t(
            "Saved: {file} replaces your previous {format} template. Exports in {format} use it from now on.",
            file=file_name,
            format=fmt.upper(),
        )
    else:
        text = t(
            "Saved: {file} is your {format} template. Exports in {format} use it from now on.",
            file=file_name,
            format=fmt.upper(),
        )
    return Outbound([Paragraph(text)])


def removed(t: Translator, formats: Sequence[str]) -> Outbound:
    if not formats:
        return Outbound([Paragraph(t("There was no template of your own to remove."))])
    if len(formats) > 1:
        return Outbound([Paragraph(t("Removed your DOCX and ODT templates. Exports use the default ones again."))])
    return Outbound(
        [
            Paragraph(
                t(
                    "Removed your {format} template. Exports in {format} use the default one again.",
                    format=formats[0].upper(),
                )
            )
        ]
    )


def no_defaults(t: Translator) -> Outbound:
    return Outbound([Paragraph(t("The default templates are not available on this installation."))])
