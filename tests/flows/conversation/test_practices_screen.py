"""/praxis and "Übernehmen" as people meet them in the pure engine: Anna shares a measure of Musterstadt's plan, a
viewer may not, Eva (an editor) approves it and adds the French text, Bernd in Beispieldorf finds it with /suche and
takes it over as a draft measure that names where it came from, and Eva sees it taken over."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from flows.content.content import Content
from flows.content.model import ToolboxItem
from flows.conversation.actions import (
    Action,
    AdoptPractice,
    Facts,
    ReviewPractice,
    Role,
    SubmitPractice,
    TranslatePractice,
)
from flows.conversation.engine import Engine
from flows.conversation.state import State
from flows.messages import Inbound, Outbound
from flows.team.view import Mate, Team
from flows.team.view import Role as TeamRole
from tests.flows.conversation.commons import MemoryCommons

NOW = datetime(2026, 12, 7, 10, 30, tzinfo=UTC)
MUSTERSTADT, BEISPIELDORF = 7, 8
ASKED = "Für welche Kommune arbeiten Sie?"
"""The question each person is at all along (the onboarding's first)."""
DORFLADEN = {
    "uid": "r1",
    "measure": "Dorfladen mit Bürgerbus",
    "field": "daseinsvorsorge",
    "goal": "Einkaufen im Ort ohne Auto",
    "target_group": "Ältere ohne Auto",
    "budget": "25.000 € Fördermittel LEADER",
    "owner": {"name": "Bauamt"},
}
WHAT = "Ein genossenschaftlicher Dorfladen mit Lieferdienst und einem Bürgerbus, der zweimal die Woche fährt."


class Chat:
    """One person on the pure engine; what the shell stores is played by a shared MemoryCommons."""

    def __init__(
        self,
        content: Content,
        commons: MemoryCommons,
        municipality: str,
        wid: int | None,
        team_role: TeamRole = "coordinator",
        role: Role | None = None,
        lang: str = "de",
        plan: list[dict[str, Any]] | None = None,
    ):
        self.engine, self.commons, self.municipality, self.role = Engine(content), commons, municipality, role
        self.team = Team(wid, 1, team_role, name=municipality, members=(Mate(1, team_role, "Anna"),)) if wid else None
        self.lang = lang
        self.state: State | None = None
        self.replies: list[Outbound] = []
        self.actions: list[Action] = []
        self.says("/start")
        assert self.state is not None
        self.state.answers["wp_measures"] = plan or []

    def _send(self, inbound: Inbound) -> str:
        wid = self.team.workspace_id if self.team is not None else None
        port = self.commons.port(wid, self.role is not None)
        facts = Facts(team=self.team, role=self.role, now=NOW, commons=port)
        turn = self.engine.handle(self.state, inbound, lang=self.lang if self.state is None else None, facts=facts)
        self.state, self.replies, self.actions = turn.state, turn.replies, list(turn.actions)
        self.commons.take(self.actions, self.municipality, NOW)
        return self.text

    def says(self, text: str) -> str:
        return self._send(Inbound(text=text))

    def presses(self, label: str) -> str:
        last = self.replies[-1]
        [choice] = [c for c in last.choices if label.casefold() in c.label.casefold()]
        return self._send(Inbound(choice=choice.id, turn=last.turn))

    @property
    def labels(self) -> list[str]:
        return [c.label for c in self.replies[-1].choices]

    @property
    def text(self) -> str:
        return "\n\n".join(r.text() + "".join(f"\n{c.label}" for c in r.choices) for r in self.replies)


@pytest.fixture
def commons() -> MemoryCommons:
    return MemoryCommons()


@pytest.fixture
def anna(content: Content, commons: MemoryCommons) -> Chat:
    """Coordinator of Musterstadt; its plan has the Dorfladen."""
    return Chat(content, commons, "Musterstadt", MUSTERSTADT, plan=[DORFLADEN])


@pytest.fixture
def eva(content: Content, commons: MemoryCommons) -> Chat:
    """An editor of the programme, with no workspace of her own."""
    return Chat(content, commons, "", None, role="editor")


def shares(anna: Chat) -> None:
    """Anna shares the Dorfladen: the title kept, what was done typed, the rest as prefilled, nothing hindered."""
    anna.says("/praxis")
    anna.presses("Dorfladen")
    anna.presses("Beibehalten")
    anna.says(WHAT)
    anna.presses("Beibehalten")
    anna.presses("Beibehalten")
    anna.presses("Überspringen")
    anna.presses("Überspringen")
    anna.presses("Teilen")


# -- sharing ----------------------------------------------------------------------------------------
def test_anna_shares_a_measure_through_a_short_prefilled_form(anna: Chat):
    reply = anna.says("/praxis")
    assert "Sie haben noch keine Maßnahme geteilt." in reply
    assert "Welche Maßnahme möchten Sie mit anderen Kommunen teilen?" in reply
    assert anna.labels == ["Dorfladen mit Bürgerbus", "Zurück zur Frage"]
    reply = anna.presses("Dorfladen")
    assert "„Dorfladen mit Bürgerbus“ teilen · 1 von 6" in reply and "Wie soll die Praxis heißen?" in reply
    assert "Bisher: Dorfladen mit Bürgerbus" in reply
    assert anna.labels == ["Beibehalten", "Abbrechen"]  # the title is needed: no skipping
    reply = anna.presses("Beibehalten")
    assert "Was wurde getan?" in reply and "Bisher: Einkaufen im Ort ohne Auto" in reply  # the measure's goal
    assert "Bisher: Ältere ohne Auto" in anna.says(WHAT)  # the target group
    assert "Bisher: 25.000 € Fördermittel LEADER" in anna.presses("Beibehalten")  # the budget
    reply = anna.presses("Beibehalten")
    assert "Was hat geholfen, damit es gelingt?" in reply and "Überspringen" in anna.labels
    reply = anna.says("x" * 1001)
    assert "Ihre Antwort hat 1.001 Zeichen; hier kann ich bis zu 1.000 speichern." in reply
    anna.says("Der Dorfverein und ein Zuschuss des Landkreises")
    assert "Was hat gebremst" in anna.text
    reply = anna.says("/zurueck")  # back to what helped, with what she typed
    assert "Bisher: Der Dorfverein und ein Zuschuss des Landkreises" in reply
    anna.presses("Beibehalten")
    reply = anna.presses("Überspringen")
    assert "Dorfladen mit Bürgerbus\n\nWas getan wurde: " + WHAT in reply
    assert "Kosten: 25.000 € Fördermittel LEADER\nWas geholfen hat: Der Dorfverein" in reply
    assert "Was gebremst hat" not in reply
    assert anna.actions == []
    reply = anna.presses("Teilen")
    [submitted] = anna.actions
    assert submitted == SubmitPractice(
        MUSTERSTADT,
        "r1",
        "daseinsvorsorge",
        "de",
        {
            "title": "Dorfladen mit Bürgerbus",
            "what": WHAT,
            "for_whom": "Ältere ohne Auto",
            "cost": "25.000 € Fördermittel LEADER",
            "helped": "Der Dorfverein und ein Zuschuss des Landkreises",
        },
    )
    assert reply.startswith("Danke! „Dorfladen mit Bürgerbus“ ist eingereicht. Sobald die Redaktion")
    assert ASKED in reply
    assert "• Dorfladen mit Bürgerbus: eingereicht" in anna.says("/praxis")


def test_cancelling_or_going_back_from_the_first_question_shares_nothing(anna: Chat):
    anna.says("/praxis")
    anna.presses("Dorfladen")
    assert "Das ist die erste Frage" in anna.says("/zurueck")
    reply = anna.presses("Abbrechen")
    assert reply.startswith("Es wurde nichts geteilt.") and ASKED in reply and anna.actions == []


@pytest.mark.parametrize("team_role", ["viewer", "owner"])
def test_a_member_without_edit_rights_on_the_measure_is_refused(content: Content, commons, team_role):
    carla = Chat(content, commons, "Musterstadt", MUSTERSTADT, team_role=team_role, plan=[DORFLADEN])
    reply = carla.says("/praxis")
    assert "Maßnahmen des Werkstattplans teilen die Koordination und die Bearbeitenden Ihres Teams." in reply
    assert carla.actions == [] and carla.state is not None and carla.state.mode == "step"


def test_without_measures_the_plan_is_named(content: Content, commons):
    reply = Chat(content, commons, "Musterstadt", MUSTERSTADT).says("/praxis")
    assert "und er hat noch keine (/phase 4)" in reply


# -- review -----------------------------------------------------------------------------------------
def test_eva_approves_adds_the_french_text_and_bernd_takes_it_over(content, commons, anna: Chat, eva: Chat):
    shares(anna)
    claire = Chat(content, commons, "Exempleville", 9, lang="fr")
    assert "Dorfladen mit" not in claire.says("/chercher Dorfladen Bürgerbus")  # not before approval

    reply = eva.says("/praxis")
    assert "Wartet auf Prüfung\n\n• Dorfladen mit Bürgerbus (Musterstadt)" in reply
    assert "Noch ist keine Praxis freigegeben." in reply
    reply = eva.presses("Prüfen: Dorfladen")
    assert "Eingereicht von Musterstadt · eingereicht · Texte auf: Deutsch" in reply and WHAT in reply
    assert eva.labels[:5] == [
        "Freigeben",
        "Ablehnen",
        "Französischen Text ergänzen",
        "Englischen Text ergänzen",
        "Zurück zur Liste",
    ]
    reply = eva.presses("Freigeben")
    assert eva.actions == [ReviewPractice(1, True)]
    assert reply.startswith(
        "Freigegeben: „Dorfladen mit Bürgerbus“. Andere Kommunen finden es jetzt im Werkzeugkoffer."
    )

    reply = claire.says("/chercher Dorfladen Bürgerbus")  # no French text yet: the German one, marked
    assert "Dorfladen mit Bürgerbus" in reply
    claire.presses("Dorfladen")
    assert "Exemple de bonne pratique · proposé par Musterstadt (pas encore traduit en français)" in claire.text

    eva.says("/praxis")
    reply = eva.presses("Dorfladen")
    assert "Von 0 Kommunen übernommen." in reply
    reply = eva.presses("Französischen Text ergänzen")
    assert "Text auf Französisch zu „Dorfladen mit Bürgerbus“ · 1 von 4" in reply
    assert "Original (Deutsch): Dorfladen mit Bürgerbus" in reply
    for french in (
        "Épicerie de village et bus citoyen",
        "Une épicerie coopérative avec livraison et un bus citoyen deux fois par semaine.",
        "Personnes âgées sans voiture",
    ):
        eva.says(french)
    eva.presses("Überspringen")  # the cost
    reply = eva.presses("Speichern")
    assert eva.actions == [TranslatePractice(1, "fr", {
        "title": "Épicerie de village et bus citoyen",
        "what": "Une épicerie coopérative avec livraison et un bus citoyen deux fois par semaine.",
        "for_whom": "Personnes âgées sans voiture",
    })]  # fmt: skip
    assert reply.startswith("Gespeichert: der Text auf Französisch zu „Dorfladen mit Bürgerbus“.")

    claire.says("/chercher épicerie bus citoyen")
    claire.presses("Épicerie de village")
    assert "Exemple de bonne pratique · proposé par Musterstadt\n\nCe qui a été fait\xa0: Une épicerie" in claire.text

    bernd = Chat(content, commons, "Beispieldorf", BEISPIELDORF)
    assert "Dorfladen mit Bürgerbus" in bernd.says("/suche Dorfladen")
    reply = bernd.presses("Dorfladen mit Bürgerbus")
    assert "Praxisbeispiel · eingereicht von Musterstadt\n\nWas getan wurde: " + WHAT in reply
    assert bernd.labels[0] == "Übernehmen"
    reply = bernd.presses("Übernehmen")
    assert reply.startswith(
        "Als Entwurf in Ihren Werkstattplan übernommen: „Dorfladen mit Bürgerbus“. Ergänzen Sie Verantwortliche, "
        "Zeitraum und Indikator unter /phase 4."
    )
    assert bernd.state is not None
    [draft] = bernd.state.answers["wp_measures"]
    assert draft == {
        "uid": draft["uid"],
        "measure": "Dorfladen mit Bürgerbus",
        "goal": WHAT,
        "practice": "gp-1",
        "field": "daseinsvorsorge",
    }
    assert bernd.actions == [AdoptPractice(BEISPIELDORF, "gp-1", draft["uid"])]
    assert bernd.labels[0] == "Werkstattplan öffnen"  # taken over: no second time
    reply = bernd.presses("Werkstattplan öffnen")
    assert "Übernommen aus: Dorfladen mit Bürgerbus (eingereicht von Musterstadt)" in reply

    eva.says("/praxis")
    assert "• Dorfladen mit Bürgerbus (Musterstadt): Von 1 Kommune übernommen." in eva.text
    assert "• Dorfladen mit Bürgerbus: freigegeben · Von 1 Kommune übernommen." in anna.says("/praxis")

    eva.presses("Dorfladen")
    eva.presses("Aus dem Werkzeugkoffer nehmen")
    assert eva.actions == [ReviewPractice(1, False)]
    assert "Épicerie de village" not in claire.says("/chercher épicerie bus citoyen")
    bernd.says("/menue")
    assert "Übernommen aus: (entfernt)" in bernd.presses("Zurück zur Frage")  # the plan's measures again


def test_only_editors_review(anna: Chat):
    shares(anna)
    reply = anna.says("/praxis")
    assert "Wartet auf Prüfung" not in reply and not any(x.startswith("Prüfen") for x in anna.labels)


def first_example(content: Content) -> ToolboxItem:
    """The first good practice example of the content, as /werkzeuge lists them."""
    examples = [i for i in content.toolbox.values() if i.type == "praxisbeispiel"]
    return min(examples, key=lambda i: (not i.verified, i.title.get("de")))


def opens_first_example(chat: Chat, example: ToolboxItem) -> str:
    chat.says("/werkzeuge")
    chat.presses("Nach Art")
    chat.presses("Praxisbeispiel")
    return chat.presses(example.title.get("de"))


def test_a_content_practice_example_is_taken_over_once(content: Content, commons):
    bernd = Chat(content, commons, "Beispieldorf", BEISPIELDORF)
    example = first_example(content)
    assert "Übernehmen" in opens_first_example(bernd, example)
    bernd.presses("Übernehmen")
    assert bernd.actions == [AdoptPractice(BEISPIELDORF, example.id, "r1")]
    assert bernd.state is not None and bernd.state.answers["wp_measures"][0]["practice"] == example.id
    reply = bernd.presses("Werkstattplan öffnen")
    assert f"Übernommen aus: {example.title.get('de')}" in reply


def test_editors_see_how_often_the_toolbox_examples_were_taken_over(content: Content, commons, eva: Chat):
    example = first_example(content)
    assert "Übernommene Beispiele aus dem Werkzeugkoffer" not in eva.says("/praxis")
    commons.adoptions |= {(example.id, BEISPIELDORF), (example.id, BEISPIELDORF + 1)}
    reply = eva.says("/praxis")
    assert f"Übernommene Beispiele aus dem Werkzeugkoffer\n\n• {example.title.get('de')}: Von 2 Kommunen" in reply


def test_a_viewer_cannot_take_a_practice_over(content: Content, commons):
    viewer = Chat(content, commons, "Beispieldorf", BEISPIELDORF, team_role="viewer")
    opens_first_example(viewer, first_example(content))
    reply = viewer.presses("Übernehmen")
    assert "Sie können lesen und exportieren; Änderungen macht die Koordination." in reply
    assert viewer.actions == [] and viewer.state is not None and viewer.state.answers["wp_measures"] == []
