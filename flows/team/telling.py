"""What teammates are told when a stage is completed or approved: one short notice per language."""

from __future__ import annotations

from collections.abc import Mapping

from flows.content.content import Content
from flows.content.model import LANGUAGES
from flows.messages import Outbound, Paragraph


def team_notice(
    content: Content,
    kind: str,
    stage_id: str,
    who: str | None,
    workspace: str | None,
    agreed_on: str | None = None,
    personal: bool = True,
) -> dict[str, str]:
    """The notice in every language: who did what in which stage of which workspace, and (``personal``, not in a
    group room) how to stop notices."""
    stage = content.stage(stage_id)
    command = next(c for c in content.commands if c.id == "notices")
    texts = {}
    for lang in LANGUAGES:
        t = content.catalogues.translator(lang)
        params = {
            "who": who or t("A teammate"),
            "stage": stage.title.get(lang),
            "workspace": workspace or t("your team"),
        }
        if kind == "approved" and agreed_on is not None:
            said = t(
                "{who} recorded that the steering group agreed on “{stage}” on {date} ({workspace}).",
                date=t.answer_date(agreed_on),
                **params,
            )
        else:
            said = t("{who} has completed the stage “{stage}” ({workspace}).", **params)
        off = t("off")
        typed = "/" + (command.names.get(lang) or command.names["de"])[0] + " " + off
        texts[lang] = said + " " + t("{command} turns these notices off.", command=typed) if personal else said
    return texts


def notice_message(body: Mapping[str, str], lang: str) -> Outbound:
    """A stored team notice as its recipient sees it."""
    return Outbound([Paragraph(body.get(lang) or body["de"])], kind="broadcast")
