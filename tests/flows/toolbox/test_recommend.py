"""Recommendations: reasons that are true, and a stage's end looking ahead to the next stage."""

from __future__ import annotations

from flows.content.content import Content
from flows.conversation.context import Ctx
from flows.conversation.state import State
from flows.toolbox.recommend import recommend
from tests.flows.conversation.test_engine import onboard


def ctx_with(content: Content, **answers) -> Ctx:
    return Ctx(content, State(version=content.version, lang="de", answers=answers))


def test_the_users_words_are_quoted_only_for_a_real_match(content: Content):
    ctx = ctx_with(content, kp_weaknesses=["Leerstand in der Innenstadt", "unser letzter Dorfladen macht zu"])
    for stage in ("kommunalprofil", "zukunftswerkstatt", "werkstattplan"):
        for pick in recommend(ctx, stage, limit=5):
            if "Greift auf, was Sie geschrieben haben" in pick.reason:
                assert pick.item.id in {"tante_enso_geestland", "leerstandsboerse", "zusammenhalt_braucht_raum"}
                assert "Dorfladen" in pick.reason or "Leerstand" in pick.reason
    quoted = [p for p in recommend(ctx, "werkstattplan", limit=10) if "Dorfladen" in p.reason]
    assert [p.item.id for p in quoted] in ([], ["tante_enso_geestland"])


def test_one_shared_word_is_no_reason_to_quote(content: Content):
    ctx = ctx_with(content, kp_weaknesses=["Leerstand in der Innenstadt"])
    for stage in ("kommunalprofil", "zukunftswerkstatt", "werkstattplan", "kickoff"):
        picks = recommend(ctx, stage, limit=10)
        assert not any("Greift auf" in p.reason for p in picks if p.item.id == "kinderstadtplan_coburg")


def test_a_stage_end_suggests_tools_for_the_next_stage(chat, content: Content):
    onboard(chat)
    for line in ("Bürgermeisterin", "Hauptamt", "Sozialamt", "fertig", "Vereine", "fertig", "fertig"):
        chat.says(line)
    for line in ("/ueberspringen", "hybrid", "Familien halten", "fertig", "/ueberspringen", "alle"):
        chat.says(line)
    assert chat.state.mode == "stage_end" and "Werkzeuge, die jetzt helfen können:" in chat.text
    tips = chat.text.split("Werkzeuge, die jetzt helfen können:")[1]
    lines = [line.lstrip("•-* ") for line in tips.splitlines()]
    suggested = [i for i in content.toolbox.values() if any(x.startswith(f"{i.title.get('de')}: ") for x in lines)]
    assert suggested and all("kommunalprofil" in item.stages for item in suggested)
    assert "Passt zur Phase Kommunalprofil" in tips or "Passt gut zur Phase Kommunalprofil" in tips
