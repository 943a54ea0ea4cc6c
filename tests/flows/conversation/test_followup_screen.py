"""/stand as people meet it in the pure engine: reporting a measure's status and its indicator's value (from the list,
typed in any language, from a reminder's button). The question the person was at is kept and asked again after."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from flows.content.content import Content
from flows.conversation.actions import Action, Facts, ReportProgress
from flows.conversation.engine import Engine
from flows.conversation.state import State
from flows.messages import Inbound, Outbound
from flows.practice.model import Report
from flows.team.view import Mate, Role, Team
from tests.flows.conversation.practice import MemoryPractice

WID = 7
ANNA, BEN = 1, 2
NOW = datetime(2026, 12, 7, 10, 30, tzinfo=UTC)
NNBSP = "\u202f"
DORFLADEN = {
    "uid": "r1",
    "measure": "Dorfladen",
    "owner": {"member": ANNA, "name": "Anna"},
    "indicators": [{"name": "Nutzer", "unit": "Personen", "target": 40}],
}
BANK = {"uid": "r2", "measure": "Mitfahrbank", "owner": {"member": BEN, "name": "Ben"}, "indicator": "Fahrten"}
FEST = {"uid": "r3", "measure": "Dorffest", "owner": "Anna"}
"""An older record: its owner a plain name, and no indicator."""
ASKED = "Für welche Kommune arbeiten Sie?"
"""The question Anna is at all along (the onboarding's first)."""


class FollowChat:
    """Anna (``role``) in workspace 7 with Ben; the shell's storing is played by a MemoryPractice."""

    def __init__(
        self, content: Content, role: Role = "owner", lang: str = "de", plan: list[dict[str, Any]] | None = None
    ):
        self.engine = Engine(content)
        self.lang = lang
        self.practice = MemoryPractice()
        self.team: Team | None = Team(
            WID, ANNA, role, members=(Mate(ANNA, role, "Anna"), Mate(BEN, "coordinator", "Ben"))
        )
        self.state: State | None = None
        self.replies: list[Outbound] = []
        self.actions: list[Action] = []
        self.says("/start")
        assert self.state is not None
        self.state.answers["wp_measures"] = [DORFLADEN, BANK, FEST] if plan is None else plan

    def _send(self, inbound: Inbound) -> str:
        facts = Facts(team=self.team, practice=self.practice, now=NOW)
        turn = self.engine.handle(self.state, inbound, lang=self.lang if self.state is None else None, facts=facts)
        self.state, self.replies, self.actions = turn.state, turn.replies, list(turn.actions)
        self.practice.take(self.actions, ANNA, "Anna", NOW)
        return self.text

    def says(self, text: str) -> str:
        return self._send(Inbound(text=text))

    def taps(self, command: str) -> str:
        """A reminder's button (a broadcast's command)."""
        return self._send(Inbound(command=command))

    def presses(self, label: str) -> str:
        last = self.replies[-1]
        [choice] = [c for c in last.choices if label.casefold() in c.label.casefold()]
        return self._send(Inbound(choice=choice.id, turn=last.turn))

    @property
    def text(self) -> str:
        return "\n\n".join(r.text() + "".join(f"\n{c.label}" for c in r.choices) for r in self.replies)

    @property
    def reported(self) -> list[ReportProgress]:
        return [a for a in self.actions if isinstance(a, ReportProgress)]


@pytest.fixture
def anna(content: Content) -> FollowChat:
    return FollowChat(content)


# -- /stand -----------------------------------------------------------------------------------
def test_an_owner_picks_a_measure_then_its_status_then_types_the_value(anna: FollowChat):
    reply = anna.says("/stand")
    assert "Stand der Maßnahmen\n\n• Dorfladen: noch keine Meldung\n• Dorffest: noch keine Meldung" in reply
    assert "Mitfahrbank" not in reply  # Ben's
    assert "Zu welcher Maßnahme möchten Sie den Stand melden?" in reply
    assert "Wie steht es um „Dorfladen“?" in anna.presses("Dorfladen")
    assert [c.label for c in anna.replies[-1].choices][:4] == ["läuft", "erledigt", "verzögert", "gestoppt"]
    reply = anna.presses("läuft")
    assert "Neuer Wert des Indikators „Nutzer (Personen)“? Schreiben Sie die Zahl, oder überspringen Sie." in reply
    assert anna.actions == []
    reply = anna.says("12")
    assert anna.reported == [ReportProgress(WID, "r1", "running", 12.0)]
    assert reply.startswith("Gespeichert: Dorfladen – läuft, 12 Personen (07.12.2026, Anna)\n\n" + ASKED)
    reply = anna.says("/stand")
    assert "• Dorfladen: läuft, 12 Personen (07.12.2026, Anna)" in reply


def test_a_measure_without_an_indicator_is_stored_with_its_status_alone(anna: FollowChat):
    anna.says("/stand")
    anna.presses("Dorffest")
    reply = anna.presses("verzögert")
    assert anna.reported == [ReportProgress(WID, "r3", "delayed", None)]
    assert reply.startswith("Gespeichert: Dorffest – verzögert (07.12.2026, Anna)\n\n" + ASKED)


def test_skipping_the_value_stores_the_status(anna: FollowChat):
    anna.says("/stand")
    anna.presses("Dorfladen")
    anna.presses("gestoppt")
    reply = anna.presses("Überspringen")
    assert anna.reported == [ReportProgress(WID, "r1", "stopped", None)]
    assert "Gespeichert: Dorfladen – gestoppt (07.12.2026, Anna)" in reply


def test_going_back_from_the_list_stores_nothing_and_asks_the_question_again(anna: FollowChat):
    anna.says("/stand")
    anna.presses("Dorfladen")
    reply = anna.presses("Zurück zur Frage")
    assert anna.practice.stored == [] and ASKED in reply


def test_a_coordinator_sees_every_measure_their_own_first(content: Content):
    coordinator = FollowChat(content, role="coordinator", plan=[BANK, DORFLADEN])
    coordinator.practice.stored.append(Report("r2", "delayed", 3, datetime(2026, 11, 20, 9, tzinfo=UTC), BEN, "Ben"))
    reply = coordinator.says("/stand")
    assert "• Dorfladen: noch keine Meldung\n• Mitfahrbank: verzögert, 3 (20.11.2026, Ben)" in reply
    coordinator.presses("Mitfahrbank")
    assert "Letzte Meldung: verzögert, 3 (20.11.2026, Ben)" in coordinator.text
    coordinator.presses("läuft")
    assert "Neuer Wert des Indikators „Fahrten“?" in coordinator.text  # an older record's indicator text
    coordinator.says("5")
    assert coordinator.reported == [ReportProgress(WID, "r2", "running", 5.0)]


@pytest.mark.parametrize(
    ("lang", "typed", "status", "saved"),
    [
        ("de", "/stand r3 läuft", "running", "Gespeichert: Dorffest – läuft (07.12.2026, Anna)"),
        ("de", "/STAND R3 LAEUFT", "running", "Gespeichert: Dorffest – läuft"),
        ("de", "/stand Dorffest erledigt", "done", "Gespeichert: Dorffest – erledigt"),
        ("de", "/stand r3 en retard", "delayed", "Gespeichert: Dorffest – verzögert"),
        ("fr", "/avancement r3 en cours", "running", f"Enregistré{NNBSP}: Dorffest – en cours (7 déc. 2026, Anna)"),
        ("fr", "/avancement r3 terminé", "done", f"Enregistré{NNBSP}: Dorffest – terminée"),
        ("fr", "/avancement r3 arrêtée", "stopped", f"Enregistré{NNBSP}: Dorffest – arrêtée"),
        ("en", "/status r3 stopped", "stopped", "Saved: Dorffest – stopped (Dec 7, 2026, Anna)"),
        ("en", "/status r3 verzögert", "delayed", "Saved: Dorffest – delayed"),
    ],
)
def test_a_status_typed_with_the_command_in_any_language_is_stored(
    content: Content, lang: str, typed: str, status: str, saved: str
):
    anna = FollowChat(content, lang=lang)
    reply = anna.says(typed)
    assert anna.reported == [ReportProgress(WID, "r3", status, None)]  # type: ignore[arg-type]
    assert reply.startswith(saved)


@pytest.mark.parametrize(
    ("typed", "value"), [("/stand r1 läuft 12", 12.0), ("/stand r1 läuft 12,5", 12.5), ("/stand r1 läuft -3", -3.0)]
)
def test_a_value_typed_after_the_status_is_stored_with_it(anna: FollowChat, typed: str, value: float):
    reply = anna.says(typed)
    assert anna.reported == [ReportProgress(WID, "r1", "running", value)]
    assert reply.startswith(f"Gespeichert: Dorfladen – läuft, {str(value).removesuffix('.0').replace('.', ',')}")
    assert ASKED in reply


def test_a_reminders_button_stores_the_status_at_once_and_offers_the_value(anna: FollowChat):
    reply = anna.taps("status r1 done")
    assert anna.reported == [ReportProgress(WID, "r1", "done", None)]
    assert reply.startswith("Gespeichert: Dorfladen – erledigt (07.12.2026, Anna)")
    assert "Neuer Wert des Indikators „Nutzer (Personen)“?" in reply
    anna.says("40")
    assert anna.reported == [ReportProgress(WID, "r1", "done", 40.0)]
    assert [(r.status, r.value) for r in anna.practice.stored] == [("done", None), ("done", 40.0)]


def test_a_value_is_not_asked_for_twice_when_skipped_after_a_button(anna: FollowChat):
    anna.taps("status r1 running")
    reply = anna.presses("Überspringen")
    assert anna.actions == [] and len(anna.practice.stored) == 1
    assert reply.startswith(ASKED)


def test_a_word_that_is_no_status_asks_for_one_and_stores_nothing(anna: FollowChat):
    reply = anna.says("/stand r1 fertig")
    assert "„fertig“ kenne ich nicht als Stand. Bitte wählen Sie einen:" in reply
    assert "Wie steht es um „Dorfladen“?" in reply and anna.actions == []
    assert "Neuer Wert" in anna.says("läuft")  # typed, the status is read in any language


def test_a_value_that_is_no_number_is_asked_for_again_and_nothing_is_lost(anna: FollowChat):
    reply = anna.says("/stand r1 läuft zwölf")
    assert "„zwölf“ kann ich nicht als Zahl lesen. Bitte schreiben Sie nur die Zahl, zum Beispiel 12,5" in reply
    assert anna.actions == []
    reply = anna.says("12 Leute")
    assert "„12 Leute“ kann ich nicht als Zahl lesen" in reply and anna.actions == []
    anna.says("1.234")
    assert anna.reported == [ReportProgress(WID, "r1", "running", 1234.0)]


@pytest.mark.parametrize("typed", ["/stand r9 läuft", "/stand r9", "/stand Kino läuft 3"])
def test_an_unknown_or_deleted_measure_is_named_and_the_list_shown(anna: FollowChat, typed: str):
    reply = anna.says(typed)
    name = typed.split()[1]
    assert f"Eine Maßnahme „{name}“ gibt es im Werkstattplan (nicht mehr)." in reply
    assert "Zu welcher Maßnahme möchten Sie den Stand melden?" in reply and anna.actions == []


def test_a_measure_deleted_while_reporting_stores_nothing(anna: FollowChat):
    anna.says("/stand")
    anna.presses("Dorfladen")
    assert anna.state is not None
    anna.state.answers["wp_measures"] = [BANK, FEST]  # a teammate deleted it meanwhile
    reply = anna.presses("läuft")
    assert "Diese Maßnahme steht nicht mehr im Werkstattplan, deshalb wurde nichts gespeichert." in reply
    assert anna.actions == [] and ASKED in reply


def test_an_owner_reports_only_on_their_own_measures(anna: FollowChat):
    reply = anna.says("/stand r2 läuft")
    assert "Sie können nur den Stand der Maßnahmen melden, für die Sie verantwortlich sind." in reply
    assert anna.actions == []
    assert anna.says("/stand Dorffest läuft").startswith("Gespeichert: Dorffest")  # her name on an older record


def test_a_viewer_reports_nothing(content: Content):
    carla = FollowChat(content, role="viewer", plan=[BANK])
    reply = carla.says("/stand")
    assert "Sie können den Plan lesen; den Stand der Maßnahmen melden die Verantwortlichen" in reply
    carla.taps("status r2 done")
    assert carla.actions == [] and carla.practice.stored == []


def test_a_viewer_named_owner_of_a_measure_reports_on_it(content: Content):
    """The owner's reminder reaches them whatever their role, so its buttons must work for them."""
    viewer = FollowChat(content, role="viewer")
    viewer.taps("status r1 running")
    assert viewer.reported == [ReportProgress(WID, "r1", "running", None)]
    viewer.taps("status r2 running")
    assert viewer.reported == []


def test_without_measures_or_a_workspace_there_is_nothing_to_report(content: Content):
    anna = FollowChat(content, plan=[])
    reply = anna.says("/stand")
    assert "Es gibt noch keine Maßnahmen, deren Stand Sie melden könnten: Sie werden im Werkstattplan angelegt" in reply
    assert "(/phase 4)" in reply and ASKED in reply
    anna = FollowChat(content)
    anna.team = None
    assert "Es gibt noch keine Maßnahmen" in anna.taps("status r1 done")
    assert anna.actions == []


def test_the_command_closes_an_open_menu_and_the_question_is_asked_after(anna: FollowChat):
    anna.says("/menue")
    reply = anna.says("/stand r3 läuft")
    assert reply.startswith("Gespeichert: Dorffest – läuft") and reply.rstrip().endswith(
        "Bitte nennen Sie den Namen oder die Postleitzahl."
    )


def test_the_latest_status_shows_in_the_measures_and_in_the_progress(content: Content):
    anna = FollowChat(content, role="coordinator")
    anna.says("/stand r1 läuft 12")
    anna.says("/stand r3 erledigt")
    reply = anna.says("/fortschritt")
    assert "Maßnahmen: 1 läuft, 1 erledigt, 1 ohne Meldung" in reply
    anna.says("/phase 4")
    anna.says("/aendern")
    reply = anna.presses("Maßnahmen")
    assert "\nStand: läuft, 12 Personen (07.12.2026, Anna)\n\n2. Mitfahrbank" in reply
    assert "\nIndikator: Fahrten\n\n3. Dorffest" in reply  # no report, no status line
    assert "\nVerantwortlich: Anna\nStand: erledigt (07.12.2026, Anna)" in reply


@pytest.mark.parametrize("typed", ["/stand " + "x " * 7990, "/stand r1 " + "läuft " * 2600])
def test_a_very_long_report_is_answered_at_once_and_stores_nothing(anna: FollowChat, typed: str):
    """Only the first words are read: matching every prefix of 8,000 words against titles and statuses took minutes."""
    reply = anna.says(typed)
    assert "gibt es im Werkstattplan" in reply or "kann ich nicht als Zahl lesen" in reply
    assert anna.actions == []
