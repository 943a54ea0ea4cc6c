"""Who wrote what, as members of a shared strategy read it: under the question, in summaries, in the export."""

from __future__ import annotations

from flows.conversation import overview
from flows.conversation.context import Ctx
from flows.documents.model import Text
from flows.team.view import Mate, Team
from tests.flows.team.chat import ANNA, BEN, TeamChat, onboard


def test_each_point_of_a_shared_list_names_who_wrote_it(content):
    ben = TeamChat(content)
    onboard(ben)
    ben.says("Bürgermeisterin")
    ben.says("Hauptamt")
    ben.wrote(ANNA, "ko_steering", ["Sozialamt"])  # while Ben looks at the empty list
    assert "Notiert (2)" in ben.says("Planungsamt")  # appended to the list as it is now
    ben.says("fertig")
    reply = ben.says("/zurück")
    assert "Bisher:\n\n1. Sozialamt (Anna)\n2. Planungsamt (Sie)" in reply, reply
    assert ben.answers["ko_steering"] == ["Sozialamt", "Planungsamt"]


def test_a_single_answer_says_who_last_changed_it_and_when(content):
    ben = TeamChat(content)
    onboard(ben)
    ben.says("Bürgermeisterin")
    ben.wrote(ANNA, "ko_sponsor", "Bürgermeisterin Beispiel")
    reply = ben.says("/zurück")
    assert "Aktuelle Antwort: Bürgermeisterin Beispiel\nzuletzt geändert von Anna, 3. Dez." in reply, reply
    ben.says("Bürgermeisterin Beispiel und Landrat")  # seen: no conflict
    assert ben.answers["ko_sponsor"] == "Bürgermeisterin Beispiel und Landrat"
    assert "zuletzt geändert von Ihnen" in ben.says("/zurück")


def test_in_french_and_for_a_former_member(content):
    ben = TeamChat(content, lang="fr")
    for line in ("Lyon", "1", "2", "2", "1"):
        ben.says(line)
    ben.says("La maire")
    ben.wrote(99, "ko_sponsor", "Le maire")  # 99 has left the workspace since
    reply = ben.says("/retour")
    assert "Réponse actuelle\u00a0: Le maire\nmodifié en dernier par ancien membre le 3 déc." in reply, reply


def test_a_member_whose_messenger_gave_no_name_is_called_as_in_the_team_list(content):
    ben = TeamChat(content)
    ben.team = Team(**{**ben.team.__dict__, "members": (Mate(ANNA, "coordinator", None), Mate(BEN, "editor", "Ben"))})
    onboard(ben)
    ben.says("Bürgermeisterin")
    ben.wrote(ANNA, "ko_sponsor", "Bürgermeisterin Beispiel")
    reply = ben.says("/zurück")
    assert "zuletzt geändert von Mitglied 1, 3. Dez." in reply, reply  # as /team calls her


def test_a_strategy_of_one_reads_as_before(content):
    solo = TeamChat(content)
    solo.team = Team(workspace_id=7, me=BEN, role="coordinator", members=(Mate(BEN, "coordinator", "Ben"),))
    onboard(solo)
    solo.says("Bürgermeisterin")
    solo.says("Hauptamt")
    solo.says("Sozialamt")
    solo.says("fertig")
    reply = solo.says("/zurück")
    assert "Bisher:\n\n1. Sozialamt\n" in reply + "\n"
    reply = solo.says("/zurück")
    assert "Aktuelle Antwort: Hauptamt" in reply
    assert "zuletzt geändert" not in reply


def test_the_stage_summary_and_the_export_attribute_each_entry(content):
    anna = TeamChat(content, me=ANNA, role="coordinator")
    onboard(anna)
    anna.says("Bürgermeisterin")
    anna.wrote(BEN, "ko_coordinator", "Hauptamt")
    anna.says("Sozialamt")  # Ben answered after Anna was shown the question: she chooses
    anna.presses("Antwort von Ben behalten")
    anna.says("Sozialamt")  # ko_steering
    anna.wrote(BEN, "ko_steering", ["Sozialamt", "Jugendhilfe"])
    anna.says("fertig")
    stored = dict(anna.answers)
    summary = overview.summary(Ctx(content, anna.state, anna.team, stored), content.stage("kickoff"))
    reply = "\n\n".join(block.text for block in summary)
    assert "Koordination: Hauptamt\nzuletzt geändert von Ben, 3. Dez." in reply, reply
    assert "Sozialamt (Sie)" in reply and "Jugendhilfe (Ben)" in reply
    anna.says("/export md")
    [rendering] = [d for r in anna.replies for d in r.documents]
    kickoff = next(s for s in rendering.document.sections if s.title == "1. Kick-Off")
    lines = [line for b in kickoff.blocks for line in ([b.text] if isinstance(b, Text) else getattr(b, "items", ()))]
    assert "Sozialamt (Anna)" in lines and "Jugendhilfe (Ben)" in lines, lines
    assert "Koordination: Hauptamt" in lines and "zuletzt geändert von Ben, 3. Dez." in lines


def test_a_colleague_who_deleted_their_data_stays_a_former_member_when_one_is_left(content):
    """Ben deleted his data (storage wrote his entries to nobody): Anna is alone again, the list still partly his."""
    anna = TeamChat(content, me=ANNA, role="coordinator")
    anna.team = Team(workspace_id=7, me=ANNA, role="coordinator", members=(Mate(ANNA, "coordinator", "Anna"),))
    onboard(anna)
    anna.says("Bürgermeisterin")
    anna.says("Hauptamt")
    anna.says("Sozialamt")
    anna.wrote(None, "ko_steering", ["Sozialamt", "Planungsamt"])  # type: ignore[arg-type]
    anna.says("fertig")
    reply = anna.says("/zurück")
    assert "Bisher:\n\n1. Sozialamt (Sie)\n2. Planungsamt (ehemaliges Mitglied)" in reply, reply
