"""The engine's team rules: who hears of a completed stage, who may record an approval, notices on and off."""

from __future__ import annotations

from datetime import date

from flows.content.content import Content
from flows.conversation.actions import Approve, Facts, RecordVersion, SetNotices, TellTeam
from flows.conversation.engine import Engine, Turn
from flows.conversation.state import State
from flows.messages import Inbound
from flows.practice.model import Version
from flows.team.view import Mate, Role, Team
from tests.flows.conversation.practice import MemoryPractice
from tests.flows.conversation.test_overview import KICKOFF as KICKOFF_ANSWERS

WID = 7
# A municipality onboarded, then the kick-off and the municipality profile answered from their start.
ONBOARDING = ("/start", "Musterstadt", "2", "Sachsen", "3", "2, 5 und 9")
KICKOFF = ("/phase 1", *KICKOFF_ANSWERS)
KOMMUNALPROFIL = (
    "/phase 2",
    "1",
    "31.12.2025",
    "1",
    "12.000 Einwohner",
    "2024",
    "/ueberspringen",
    "fertig",
    "Kita",
    "fertig",
    "/ueberspringen",
    "Lage am Fluss",
    "fertig",
    "Leerstand",
    "fertig",
    "Fachkräfte",
    "fertig",
    "Abwanderung",
    "fertig",
    "1",
    "alle",
)


class TeamChat:
    """One member of a workspace talking to the engine (``role``; ``alone``: nobody else in it)."""

    def __init__(self, content: Content, role: Role = "coordinator", alone: bool = False, notices: bool = True):
        self.engine = Engine(content, today=date(2026, 12, 3))
        members = (Mate(1, role, "Anna", notices=notices),) + (() if alone else (Mate(2, "editor", "Ben"),))
        self.team = Team(WID, 1, role, members=members)
        self.state: State | None = None
        self.actions: list = []
        self.turn: Turn | None = None
        self.practice: MemoryPractice | None = None
        """The plan's recorded versions and reports as storage would hand them on (None: none at hand)."""

    def says(self, text: str) -> str:
        return self._send(Inbound(text=text))

    def presses(self, choice: str) -> str:
        assert self.turn is not None and self.turn.closing is not None
        assert choice in [c.id for c in self.turn.closing.choices], [c.id for c in self.turn.closing.choices]
        return self._send(Inbound(choice=choice, turn=self.turn.closing.turn))

    def _send(self, inbound: Inbound) -> str:
        facts = Facts(team=self.team, practice=self.practice)
        self.turn = self.engine.handle(self.state, inbound, lang="de", facts=facts)
        self.state, self.actions = self.turn.state, list(self.turn.actions)
        return "\n\n".join(r.text() for r in self.turn.replies)

    def walk(self, lines: tuple[str, ...]) -> list:
        told = []
        for line in lines:
            self.says(line)
            told += self.actions
        return told


def test_completing_a_stage_tells_the_team_once(content: Content):
    anna = TeamChat(content)
    anna.walk(ONBOARDING)
    told = anna.walk(KICKOFF)
    assert told == [TellTeam(WID, "kickoff", "completed")]
    anna.presses("_edit")
    anna.presses("e:ko_sponsor")
    anna.says("Landrat")
    assert "Zusammenfassung: Kick-Off" in anna.turn.replies[-1].text() and anna.actions == []  # an edit is no news


def test_someone_working_alone_tells_nobody(content: Content):
    solo = TeamChat(content, alone=True)
    solo.walk(ONBOARDING)
    assert solo.walk(KICKOFF) == []


def test_an_editor_cannot_record_an_approval(content: Content):
    ben = TeamChat(content, role="editor")
    ben.walk(ONBOARDING)
    assert "Nur die Koordination Ihres Teams" in ben.says("/beschliessen")
    assert ben.actions == [] and ben.state.mode != "approve"


def test_the_coordinator_records_an_approval_with_the_stages_answers(content: Content):
    anna = TeamChat(content)
    anna.walk(ONBOARDING + KICKOFF + KOMMUNALPROFIL)
    assert "_approve" in [c.id for c in anna.turn.closing.choices]
    anna.says("/beschliessen")
    assert "An welchem Tag hat der Steuerungskreis „Werkstattplan“ beschlossen?" in anna.presses("a:werkstattplan")
    assert "Bitte nennen Sie den Tag des Beschlusses" in anna.says("irgendwann")
    anna.presses("_close")
    anna.says("/beschliessen kommunalprofil")
    reply = anna.presses("_today")
    assert "am 3. Dezember 2026 beschlossen" in reply
    approve, tell = anna.actions
    assert isinstance(approve, Approve) and approve.stage_id == "kommunalprofil" and approve.agreed_on == "2026-12-03"
    assert approve.answers["kp_strengths"] == ["Lage am Fluss"] and "ko_sponsor" not in approve.answers
    assert tell == TellTeam(WID, "kommunalprofil", "approved", "2026-12-03")


def test_notices_are_toggled_or_set_by_word(content: Content):
    anna = TeamChat(content, notices=True)
    anna.walk(ONBOARDING)
    assert "Team-Hinweise sind aus." in anna.says("/hinweise")
    assert anna.actions == [SetNotices(WID, False)]
    assert "Les avis de l’équipe sont activés" not in anna.says("/notices on")
    assert anna.actions == [SetNotices(WID, True)]
    anna.says("/avis désactiver")
    assert anna.actions == [SetNotices(WID, False)]


PLAN = {
    "wp_measures": [{"uid": "r1", "field": "health", "goal": "Versorgung", "measure": "Praxisbörse", "owner": "Amt"}],
    "wp_quick_wins": None,
    "wp_adoption": "planned",
    "wp_done": [],
}
"""The Werkstattplan answered but for its monitoring date (optional, asked last but one)."""


def planned(content: Content, recorded: list[Version]) -> TeamChat:
    anna = TeamChat(content)
    anna.walk(ONBOARDING)
    anna.practice = MemoryPractice(recorded=recorded)
    assert anna.state is not None
    anna.state.answers.update(PLAN)
    return anna


def test_completing_the_werkstattplan_records_its_first_version_unless_one_is_recorded(content: Content):
    anna = planned(content, [])
    anna.says("/phase 4")
    anna.says("30.09.2027")  # the monitoring date: the stage is complete
    [version] = [a for a in anna.actions if isinstance(a, RecordVersion)]
    assert version == RecordVersion(WID, {**PLAN, "wp_monitoring": "2027-09-30"}, None)
    again = planned(content, [Version(1, PLAN)])
    again.says("/phase 4")
    again.says("30.09.2027")
    assert not [a for a in again.actions if isinstance(a, RecordVersion)]


def test_agreeing_on_the_werkstattplan_records_the_plan_as_agreed(content: Content):
    anna = planned(content, [Version(1, PLAN)])
    anna.says("/beschliessen werkstattplan")
    anna.says("12.03.2027")
    approve, version, _ = anna.actions
    assert isinstance(approve, Approve) and approve.stage_id == "werkstattplan"
    assert version == RecordVersion(WID, approve.answers, "2027-03-12")
