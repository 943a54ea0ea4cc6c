from dataclasses import replace
from datetime import UTC, datetime

import pytest

from flows.content.content import Content
from flows.content.model import Command
from flows.practice.messages import reminder
from flows.practice.model import Report
from flows.team.view import Mate

NNBSP = "\u202f"
BEN = 12
DORFLADEN = {
    "uid": "r1",
    "measure": "Dorfladen",
    "owner": {"member": BEN, "name": "Ben"},
    "end": "2028-12-31",
    "indicators": [
        {
            "name": "Nutzer",
            "unit": "Personen",
            "baseline": {"value": 0, "date": "2027-01", "source": "Zählung"},
            "target": 40,
            "target_date": "2028-12",
        }
    ],
}
BANK = {"uid": "r2", "measure": "Mitfahrbank", "owner": {"name": "Bauamt"}, "end": "2028"}
PLAN = {"wp_monitoring": "2027-06-15", "wp_measures": [DORFLADEN, BANK]}
REPORTED = [Report("r1", "running", 12, datetime(2027, 3, 15, 10, tzinfo=UTC), BEN, "Anna")]


@pytest.fixture(scope="module")
def paused(content: Content) -> Content:
    """The content with the command to pause reminders, whether or not the content defines it yet."""
    if any(c.id == "reminders" for c in content.commands):
        return content
    command = Command.model_validate(
        {
            "id": "reminders",
            "names": {"de": ["erinnerungen"], "fr": ["rappels"], "en": ["reminders"]},
            "summary": {"de": "Erinnerungen", "fr": "Rappels", "en": "Reminders"},
        }
    )
    return replace(content, commands=[*content.commands, command])


def test_the_monitoring_reminder_asks_with_the_indicator_and_status_buttons(paused: Content) -> None:
    out = reminder(paused, "de", "monitoring", "r1", PLAN, REPORTED)
    assert out is not None and out.kind == "broadcast"
    assert out.text() == (
        "Wie steht es um „Dorfladen“?\n"
        "Letzte Meldung: läuft (15.03.2027, Anna)\n"
        "Indikator: Nutzer (Personen) · Basis 0 (01/2027, Zählung) · Ziel 40 bis 12/2028"
        " · zuletzt 12 (15.03.2027, Anna)\n\n"
        "Per Nachricht antworten: /stand r1 läuft (oder erledigt, verzögert, gestoppt)\n\n"
        "Erinnerungen pausieren oder abbestellen: /erinnerungen"
    )
    assert [(c.id, c.label) for c in out.choices] == [
        ("status r1 running", "läuft"),
        ("status r1 done", "erledigt"),
        ("status r1 delayed", "verzögert"),
        ("status r1 stopped", "gestoppt"),
    ]


def test_the_official_figure_is_shown_where_there_is_one(paused: Content) -> None:
    out = reminder(paused, "en", "monitoring", "r1", PLAN, [], current=1234.5)
    assert out is not None
    assert "Indicator: Nutzer (Personen) · baseline 0 (01/2027, Zählung) · target 40 by 12/2028" in out.text()
    assert "official figure now 1,234.5" in out.text()


def test_an_outside_owner_is_named_to_the_coordinator(paused: Content) -> None:
    out = reminder(paused, "fr", "monitoring", "r2", PLAN)
    assert out is not None
    assert out.text().startswith(f"Où en est «{NNBSP}Mitfahrbank{NNBSP}»{NNBSP}?\nPilote\u00a0: Bauamt")
    assert [c.label for c in out.choices] == ["en cours", "terminée", "en retard", "arrêtée"]
    assert out.text().endswith("/rappels")


def test_a_member_who_left_is_named_like_an_outsider(paused: Content) -> None:
    out = reminder(paused, "en", "monitoring", "r1", PLAN, members=[Mate(11, "coordinator", "Anna")])
    assert out is not None and "Owner: Ben, outside the team." in out.text()
    out = reminder(paused, "en", "monitoring", "r1", PLAN, members=[Mate(BEN, "owner", "Ben")])
    assert out is not None and "Owner:" not in out.text()


def test_the_end_reminder_names_the_end(paused: Content) -> None:
    out = reminder(paused, "de", "ending", "r2", PLAN)
    assert out is not None
    assert out.text().startswith("„Mitfahrbank“ endet am 31. Dezember 2028. Ist sie auf Kurs?")
    assert len(out.choices) == 4
    en = reminder(paused, "en", "ending", "r1", PLAN)
    assert en is not None and en.text().startswith("“Dorfladen” ends on December 31, 2028. Is it on track?")


def test_a_deleted_measure_gets_no_reminder(paused: Content) -> None:
    assert reminder(paused, "de", "monitoring", "r9", PLAN) is None
    assert reminder(paused, "de", "commitment", "r9", PLAN) is None
    assert reminder(paused, "de", "idle", "no_such_stage", PLAN) is None


def reports(*pairs: tuple[str, str]) -> list[Report]:
    return [Report(uid, status, None, datetime(2027, 5, 1, tzinfo=UTC)) for uid, status in pairs]  # type: ignore[arg-type]


PLAN5 = {
    "zb_date": "2028-01-15",
    "wp_measures": [{"uid": f"r{i}", "measure": f"M{i}"} for i in range(1, 6)],
}


def test_the_review_sums_up_the_statuses(paused: Content) -> None:
    done = reports(("r1", "running"), ("r2", "running"), ("r3", "running"), ("r4", "delayed"))
    de = reminder(paused, "de", "review", "", PLAN5, done)
    assert de is not None
    assert de.text().split("\n\n")[0] == (
        "Die Zwischenbilanz steht am 15. Januar 2028 an.\n"
        "Der Plan hat 5 Maßnahmen: 3 laufen, 1 verzögert, 1 ohne Meldung.\n"
        "Starten Sie sie mit /phase 5."
    )
    fr = reminder(paused, "fr", "review", "", PLAN5, reports(("r1", "done"), ("r2", "stopped"), ("r3", "stopped")))
    assert fr is not None
    assert "Le plan compte 5 actions\u00a0: 1 terminée, 2 arrêtées, 2 sans nouvelles." in fr.text()
    assert "/etape 5" in fr.text()
    one = reminder(
        paused, "en", "review", "", {**PLAN5, "wp_measures": PLAN5["wp_measures"][:1]}, reports(("r1", "done"))
    )
    assert one is not None and "The plan has 1 measure: 1 done." in one.text()


def test_the_idle_nudge_offers_to_carry_on(paused: Content) -> None:
    out = reminder(paused, "de", "idle", "kommunalprofil", {})
    assert out is not None
    assert out.text().startswith("In „Kommunalprofil“ ist seit 30 Tagen nichts passiert. Weiter mit /phase 2?")
    fr = reminder(paused, "fr", "idle", "kommunalprofil", {})
    assert fr is not None and fr.text().startswith(f"Rien n’a bougé dans «{NNBSP}")


def test_a_commitment_is_recalled(paused: Content) -> None:
    answers = {"zw_commitments": [{"uid": "r1", "who": {"name": "Sportverein"}, "what": "Hallenzeiten für Ältere"}]}
    out = reminder(paused, "de", "commitment", "r1", answers)
    assert out is not None and out.choices == []
    assert out.text().startswith(
        "Vor sechs Monaten hat Sportverein versprochen: „Hallenzeiten für Ältere“. Wie steht es darum?"
    )
    fr = reminder(paused, "fr", "commitment", "r1", answers)
    assert fr is not None and fr.text().startswith(f"Il y a six mois, Sportverein a promis\u00a0: «{NNBSP}Hallenzeiten")
