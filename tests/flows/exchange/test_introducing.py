"""The rules of introductions by double opt-in: what each side reads when, who may ask again, who may answer, and
that the request and the status never name a municipality before it accepted."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from flows.content.content import Content
from flows.exchange import introducing
from flows.exchange.model import Facts, Introduction, Reason

A, B, C = 1, 2, 3
NOW = datetime(2026, 12, 7, 10, tzinfo=UTC)
NNBSP = "\u202f"
GRABOW = Facts(name="Grabow", kind="stadt", region="sn", size="s", key="14522180", kreis="14522", fields=("health",))
WOLFACH = Facts(name="Wolfach", kind="gemeinde", region="bw", size="s", key="08317141", fields=("housing",))
WHY = (Reason("size", ("s",)), Reason("fields", ("health",)))


def intro(status: str = "asked", days_ago: float = 1, asking: int = A, asked: int = B, **more) -> Introduction:
    values = {"asking_facts": introducing.unnamed(WOLFACH), "asked_facts": introducing.unnamed(GRABOW)} | more
    return Introduction(7, asking, asked, status, NOW - timedelta(days=days_ago), WHY, **values)  # type: ignore[arg-type]


def test_a_declined_introduction_reads_as_no_answer_then_closed_like_one_nobody_answered():
    for status in ("asked", "declined"):
        assert introducing.seen(intro(status, days_ago=1), NOW) == "waiting"
        assert introducing.seen(intro(status, days_ago=13.9), NOW) == "waiting"
        assert introducing.seen(intro(status, days_ago=14), NOW) == "closed"
    assert introducing.seen(intro("accepted", days_ago=400), NOW) == "accepted"
    assert introducing.seen(intro("closed", days_ago=1), NOW) == "closed"
    assert introducing.seen(intro("accepted", left=True), NOW) == "closed"  # a side left: nothing is shown of it


@pytest.mark.parametrize(
    ("status", "days_ago", "expected"),
    [
        ("asked", 3, "open"),
        ("declined", 3, "open"),  # the same answer as an open one: no hint of the refusal
        ("closed", 30, "recent"),
        ("declined", 103, "recent"),  # closed for A on day 14, so blocked until day 104
        ("closed", 104, None),
        ("accepted", 300, "introduced"),
    ],
)
def test_asking_the_same_municipality_again(status: str, days_ago: float, expected: str | None):
    found = introducing.refusal([intro(status, days_ago)], A, B, NOW)
    assert (found[0] if found else None) == expected
    assert introducing.refusal([intro(status, days_ago)], A, C, NOW) is None  # another municipality: free


def test_an_open_request_from_the_other_side_is_pointed_to_instead_of_a_second_one():
    assert introducing.refusal([intro(asking=B, asked=A)], A, B, NOW) == ("theirs", 7)
    assert introducing.refusal([intro("declined", asking=B, asked=A)], A, B, NOW) is None  # A declined it: may ask
    assert introducing.refusal([intro(left=True)], A, B, NOW) is None  # B left (and came back)


@pytest.mark.parametrize(
    ("found", "coordinates", "expected"),
    [
        (intro(), True, None),
        (intro(), False, "not_coordinator"),
        (intro(asking=B, asked=A), True, "unknown"),  # asked of another workspace
        (None, True, "unknown"),
        (intro("accepted"), True, "answered"),
        (intro("declined"), True, "answered"),
        (intro(days_ago=15), True, "closed"),
        (intro("closed"), True, "closed"),
        (intro(left=True), True, "left"),
    ],
)
def test_who_may_answer_what(found: Introduction | None, coordinates: bool, expected: str | None):
    assert introducing.unanswerable(found, B, coordinates, NOW) == expected


def test_unnamed_facts_keep_what_describes_and_drop_what_identifies():
    facts = introducing.unnamed(GRABOW)
    assert (facts.name, facts.key, facts.kreis) == ("", "", "")
    assert (facts.kind, facts.region, facts.size, facts.fields) == ("stadt", "sn", "s", ("health",))


def test_the_request_describes_the_asker_without_its_name_with_buttons_and_typed_answers(content: Content):
    t = content.catalogues.translator("de")
    sent = introducing.request(content, t, 12, GRABOW, WHY, NOW)
    text = sent.text()
    assert "Eine Kommune möchte Ihrer Kommune vorgestellt werden (Anfrage 12):" in text
    assert "Stadt in Sachsen (5.000 bis 20.000 Einwohner)" in text
    assert "Warum sie passt: ebenfalls 5.000 bis 20.000 Einwohner" in text
    assert "die Anfrage wird am 21.12.2026 geschlossen." in text
    assert "Per Nachricht antworten: /austausch annehmen 12 oder /austausch ablehnen 12" in text
    assert "Grabow" not in text and "14522" not in text
    assert [(c.id, c.label) for c in sent.choices] == [
        ("exchange accept 12", "Annehmen"),
        ("exchange decline 12", "Ablehnen"),
    ]
    assert sent.kind == "broadcast"
    french = introducing.request(content, content.catalogues.translator("fr"), 12, GRABOW, WHY, NOW).text()
    assert f"Pour répondre par message{NNBSP}: /echange accepter 12 ou /echange refuser 12" in french
    assert f"(demande 12){NNBSP}:" in french


def test_the_status_lists_asks_without_names_and_accepted_ones_with_the_contact(content: Content):
    t = content.catalogues.translator("de")
    intros = [
        intro(days_ago=2),
        intro("declined", days_ago=20, asked=C),
        intro("accepted", days_ago=30, name="Grabow", contact="Anna Muster, 030 1234"),
        intro(asking=C, asked=A, days_ago=1),
    ]
    lines = introducing.status_lines(content, t, A, intros, NOW, coordinates=True)
    assert lines[0].startswith("Anfrage 7 vom 06.12.2026: Gemeinde in Baden-Württemberg")  # waiting for A's answer
    assert lines[0].endswith("antworten: /austausch annehmen 7 oder /austausch ablehnen 7")
    assert lines[1] == "Vorgestellt (angefragt am 07.11.2026): Grabow: Anna Muster, 030 1234"
    assert lines[2] == (
        "Stadt in Sachsen (5.000 bis 20.000 Einwohner), Schwerpunkte: Gesundheit und Pflege: "
        "angefragt am 05.12.2026, noch keine Antwort"
    )
    assert lines[3].endswith("angefragt am 17.11.2026, geschlossen, keine Antwort")  # declined: no hint
    assert len(lines) == 4 and not any("Grabow" in line for line in lines[2:])
    members = introducing.status_lines(content, t, A, intros, NOW, coordinates=False)
    assert members[0] == "1 Anfrage auf Vorstellung wartet auf die Antwort Ihrer Koordination."
    assert not any("annehmen" in line for line in members)


def test_the_contact_after_acceptance_in_each_language(content: Content):
    for lang, expected in [
        ("de", "Ihr Kontakt: Grabow: Anna Muster"),
        ("fr", f"Son contact{NNBSP}: Grabow{NNBSP}: Anna Muster"),
        ("en", "Its contact: Grabow: Anna Muster"),
    ]:
        said = introducing.introduced_asker(content.catalogues.translator(lang), "Grabow", "Anna Muster", NOW)
        assert expected in said.text()
    empty = introducing.introduced_answerer(content.catalogues.translator("de"), "Wolfach", " ")
    assert "Kontakt: Wolfach: kein Kontakt angegeben" in empty.text()
