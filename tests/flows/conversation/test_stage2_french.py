"""Stage 2 as a French commune goes through it: every question, its help, the records and the summary, without a
German category (Kreis, Land, Stichtag …); a German Gemeinde still reads them where they are right."""

from __future__ import annotations

import re
from typing import Any

import pytest

from flows.content.content import Content
from flows.conversation.actions import Facts
from flows.conversation.state import State
from flows.messages import Inbound
from flows.statistics.model import Registry
from tests.conftest import EngineChat
from tests.flows.conversation.documents.workspace import PICKED_AJACCIO, PICKED_GRABOW, with_ajaccio, with_grabow
from tests.flows.conversation.registry import MemoryRegistry

GERMAN = re.compile(
    r"\b(Kreis|Landkreis|Land|Bundesland|Gemeinde\w*|Stichtag\w*|Melderegister|Landesamt\w*|Regionaldatenbank"
    r"|AGS|Einwohner\w*)\b"
)
"""German categories of places and statistics that have no place in a French commune's texts."""
FIELDS = ["health", "mobility"]
AJACCIO = {"ob_name": PICKED_AJACCIO, "ob_kind": "commune", "ob_region": "cor", "ob_size": "m", "ob_fields": FIELDS}
GRABOW = {"ob_name": PICKED_GRABOW, "ob_kind": "stadt", "ob_land": "mv", "ob_size": "xs", "ob_fields": FIELDS}


class PlaceChat(EngineChat):
    """A chat whose engine reaches a directory and statistics (``Facts.registry``), from a finished onboarding."""

    def __init__(self, content: Content, lang: str, answers: dict[str, Any], registry: Registry | None):
        self.seen: list[str] = []
        """Every reply's text, in order."""
        super().__init__(content, lang, Facts(registry=registry))
        self.state = State(
            version=content.version,
            lang=lang,
            mode="stage_end",
            stage="kickoff",
            answers={"ob_welcome": True, **answers},
        )
        self.seen.clear()

    def _send(self, inbound: Inbound) -> str:
        self.seen.append(super()._send(inbound))
        return self.text


def walk(chat: PlaceChat, lines: list[str]) -> None:
    """Each line in turn; at every new question, /help (/aide) first, so its help text is read too."""
    help_command = {"de": "/hilfe", "fr": "/aide"}[chat.lang]
    asked = None
    for line in lines:
        if chat.state is not None and (chat.state.step, chat.state.draft.get("field")) != asked:
            asked = (chat.state.step, chat.state.draft.get("field"))
            chat.says(help_command)
        chat.says(line)


FRENCH_WALK = [
    "1",  # INSEE
    "01/01/2021",
    "1",  # population
    "71 900",
    "2021",
    "plus que le département",
    "terminé",
    "deux écoles",
    "terminé",
    "la directrice d'école",
    *("la mer", "terminé", "le chômage", "terminé", "le tourisme", "terminé", "le climat", "terminé"),
    "1 2",
    "tout",
]


@pytest.mark.parametrize(
    ("name", "registry"),
    [(PICKED_AJACCIO, with_ajaccio()), (PICKED_AJACCIO, MemoryRegistry()), ("Ajaccio", None)],
    ids=["picked-with-figures", "picked-without-figures", "typed"],
)
def test_a_french_commune_finishes_stage_2_without_a_german_category(
    content: Content, name: Any, registry: Registry | None
):
    chat = PlaceChat(content, "fr", {**AJACCIO, "ob_name": name}, registry)
    chat.says("/etape 2")
    walk(chat, FRENCH_WALK)
    assert chat.state is not None and (chat.state.mode, chat.state.stage) == ("stage_end", "kommunalprofil")
    stage = content.stage("kommunalprofil")
    assert all(chat.state.answered(s.id) for s in stage.steps), "a question of stage 2 was left open"
    said = "\n".join(chat.seen)
    assert "au département, à la région ou à des collectivités de taille comparable" in said
    assert "l'Observatoire des territoires de l'ANCT\u00a0: leurs dates" in said  # the data source's help
    assert "Population municipale" in said
    found = sorted({m.group() for m in GERMAN.finditer(said)})
    assert not found, f"German categories in the French walk: {found}"


def test_a_french_commune_with_official_figures_hears_of_them_at_the_start(content: Content):
    chat = PlaceChat(content, "fr", AJACCIO, with_ajaccio())
    opening = chat.says("/etape 2")
    assert (
        "Des chiffres officiels sont disponibles pour Ajaccio (statistique publique, au 1 janv. 2021)\u00a0: "
        "/indicateurs les affiche et les reprend dans le diagnostic territorial." in opening
    )
    assert chat.says("1").count("/indicateurs") == 0  # once, at the start


GERMAN_WALK = [
    "4",  # Regionaldatenbank Deutschland
    "31.12.2023",
    "1",
    "5.122",
    "31.12.2023",
    "unter dem Landesschnitt",
    "fertig",
    "Grundschule",
    "fertig",
    "Schulleitung",
    *("Vereine", "fertig", "Ärztemangel", "fertig", "Tourismus", "fertig", "Hitze", "fertig"),
    "1 2",
    "alle",
]


def test_a_german_gemeinde_compares_with_its_landkreis_and_land(content: Content):
    chat = PlaceChat(content, "de", GRABOW, with_grabow())
    opening = chat.says("/phase 2")
    assert (
        "Für Grabow liegen amtliche Zahlen vor (Regionaldatenbank, Stand 31.12.2023): /kennzahlen zeigt sie und "
        "übernimmt sie ins Kommunalprofil." in opening
    )
    walk(chat, GERMAN_WALK)
    assert chat.state is not None and (chat.state.mode, chat.state.stage) == ("stage_end", "kommunalprofil")
    said = "\n".join(chat.seen)
    assert "im Vergleich mit dem Landkreis, dem Land oder ähnlich großen Kommunen" in said
    assert "Zahlen des Landesamts" in said and "Melderegister" in said  # the data source's help
    assert "/kennzahlen zeigt die amtlichen Zahlen" in said  # the indicators' help
    assert said.count("Für Grabow liegen amtliche Zahlen vor") == 1


def test_a_german_gemeinde_read_in_french_keeps_landkreis_and_land(content: Content):
    chat = PlaceChat(content, "fr", GRABOW, with_grabow())
    chat.says("/etape 2")
    walk(chat, ["4", "31/12/2023", "1", "5 122", "2023"])  # Regionaldatenbank; the population
    assert "par rapport au Landkreis, au Land ou à des collectivités de taille comparable" in chat.text
    assert "/indicateurs" in chat.seen[0] and "Regionaldatenbank" in chat.seen[0]


def test_without_a_directory_nothing_is_said_of_official_figures(content: Content):
    chat = PlaceChat(content, "de", {**GRABOW, "ob_name": "Grabow"}, MemoryRegistry())
    assert "amtliche Zahlen vor" not in chat.says("/phase 2")
