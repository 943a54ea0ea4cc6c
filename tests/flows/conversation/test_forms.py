"""The form walker, read like an admin's transcript: creating an event and a newsletter step by step."""

from __future__ import annotations

import json
from typing import Any

import pytest

from flows.content.content import Content
from flows.content.forms import Form, load_forms
from flows.content.loader import load_content
from flows.conversation import forms
from flows.messages import Choice
from tests.conftest import ROOT

EVENT_KINDS = [("online_seminar", "Online-Seminar"), ("workshop", "Werkstatt"), ("conference", "Fachtagung")]
LANGUAGE_NAMES = [("de", "Deutsch"), ("fr", "Französisch"), ("en", "Englisch")]


@pytest.fixture(scope="module")
def content() -> Content:
    return load_content(ROOT / "content")


@pytest.fixture(scope="module")
def all_forms() -> dict[str, Form]:
    return load_forms(ROOT / "content")


def needs_parse_when() -> None:
    pytest.importorskip("flows.news.events")


class Admin:
    """An admin filling in a form in German; ``says`` types, ``presses`` taps a button by its id."""

    def __init__(self, content: Content, form: Form, draft: dict[str, Any] | None = None):
        self.t = content.catalogues.translator("de")
        topics = [(h.id, h.label.get("de")) for h in content.handlungsfelder.values()]
        self.sources = {"event_kinds": EVENT_KINDS, "topics": topics, "languages": LANGUAGE_NAMES}
        self.form = form
        self.draft = draft or forms.start(form)
        self.notes: list[str] = []
        self.done = self.cancelled = False

    def options(self, source: str) -> list[Choice]:
        return [Choice(i, label) for i, label in self.sources[source]]

    def _send(self, text: str | None, choice: str | None) -> list[str]:
        before = json.dumps(self.draft, sort_keys=True)
        step = forms.answer(self.form, self.draft, text, choice, self.t, self.options)
        assert json.dumps(self.draft, sort_keys=True) == before, "answer() must not change the draft it was given"
        json.dumps(step.draft)  # the draft stays JSON-serialisable for the conversation state
        self.draft, self.notes, self.done, self.cancelled = step.draft, step.notes, step.done, step.cancelled
        return self.notes

    def says(self, text: str) -> list[str]:
        return self._send(text, None)

    def presses(self, choice: str) -> list[str]:
        assert choice in {c.id for c in self.buttons}, f"no button {choice!r} in {[c.id for c in self.buttons]}"
        return self._send(None, choice)

    def skips(self, *field_ids: str) -> None:
        for field_id in field_ids:
            assert self.asked == field_id
            assert self.presses("_skip") == []

    @property
    def asked(self) -> str | None:
        field = forms.current(self.form, self.draft)
        return field.id if field else None

    @property
    def screen(self) -> str:
        blocks, _ = forms.question(self.form, self.draft, self.t, self.options)
        return "\n".join(b.text for b in blocks)  # type: ignore[union-attr]

    @property
    def buttons(self):
        return forms.question(self.form, self.draft, self.t, self.options)[1]

    @property
    def values(self) -> dict[str, Any]:
        return forms.values(self.draft)


def at(form: Form, field_id: str, values: dict[str, Any] | None = None) -> dict[str, Any]:
    """A stored draft resumed at a given field (so tests need not retype everything before it)."""
    index = [f.id for f in form.fields].index(field_id)
    return {**forms.start(form), "at": index, "values": values or {}}


# --- asking --------------------------------------------------------------------------------------------------------


def test_the_first_question_shows_progress_options_and_cancel(content: Content, all_forms) -> None:
    admin = Admin(content, all_forms["event"])
    assert admin.screen.splitlines()[0] == "Neue Veranstaltung · Frage 1 von 16"
    assert "Welche Art von Veranstaltung" in admin.screen
    assert [(c.id, c.label) for c in admin.buttons] == [*EVENT_KINDS, ("_cancel", "Abbrechen")]


def test_optional_questions_offer_skip_and_required_ones_do_not(content: Content, all_forms) -> None:
    admin = Admin(content, all_forms["event"], at(all_forms["event"], "title.de"))
    assert [c.id for c in admin.buttons] == ["_cancel"]
    admin.says("Demografie-Werkstatt Nord")
    assert admin.asked == "title.fr"
    assert [(c.id, c.label) for c in admin.buttons] == [("_skip", "Überspringen"), ("_cancel", "Abbrechen")]
    assert "Frage 3 von 16" in admin.screen


# --- a whole event -------------------------------------------------------------------------------------------------


def test_an_admin_types_a_whole_event(content: Content, all_forms) -> None:
    needs_parse_when()
    admin = Admin(content, all_forms["event"])
    assert admin.says("1") == []  # kind by its number
    admin.says("Wohnen im Alter: Was Gemeinden tun können")
    admin.says("Habiter en vieillissant")
    admin.says("überspringen")  # typed, not pressed
    admin.says("Ein Online-Seminar mit Beispielen aus drei Gemeinden.")
    admin.skips("description.fr", "description.en")
    assert admin.says("24.11.2026 10:00") == []
    assert admin.says("11:30") == []  # a bare time: the day of the start
    admin.skips("place")
    admin.says("https://meet.example.org/wohnen")
    assert admin.asked == "topics"
    assert admin.says("3, 7") == []
    admin.says("Verwaltung und Gemeinderat")
    admin.skips("audience.fr", "audience.en")
    assert not admin.done
    admin.says("https://www.example.org/anmeldung")
    assert admin.done and not admin.cancelled and admin.asked is None
    assert admin.values == {
        "kind": "online_seminar",
        "title": {"de": "Wohnen im Alter: Was Gemeinden tun können", "fr": "Habiter en vieillissant"},
        "description": {"de": "Ein Online-Seminar mit Beispielen aus drei Gemeinden."},
        "starts": "2026-11-24T10:00:00+01:00",
        "ends": "2026-11-24T11:30:00+01:00",
        "online_url": "https://meet.example.org/wohnen",
        "topics": ["housing", "health"],
        "audience": {"de": "Verwaltung und Gemeinderat"},
        "registration_url": "https://www.example.org/anmeldung",
    }


def test_an_admin_taps_through_an_event(content: Content, all_forms) -> None:
    needs_parse_when()
    admin = Admin(content, all_forms["event"])
    admin.presses("workshop")
    admin.says("Zukunftswerkstatt Ortsmitte")
    admin.skips("title.fr", "title.en")
    admin.says("Wir planen gemeinsam die neue Ortsmitte.")
    admin.skips("description.fr", "description.en")
    admin.says("2026-11-24 18:00")
    admin.skips("ends")
    admin.says("Rathaus, Marktplatz 1")
    admin.skips("online_url")
    admin.presses("meeting")
    admin.presses("participation")
    admin.presses("_done")
    admin.skips("audience.de", "audience.fr", "audience.en", "registration_url")
    assert admin.done
    assert admin.values == {
        "kind": "workshop",
        "title": {"de": "Zukunftswerkstatt Ortsmitte"},
        "description": {"de": "Wir planen gemeinsam die neue Ortsmitte."},
        "starts": "2026-11-24T18:00:00+01:00",
        "place": "Rathaus, Marktplatz 1",
        "topics": ["participation", "meeting"],  # in the order of the options
    }


# --- rejected input leaves the draft as it was ---------------------------------------------------------------------


def test_a_kind_may_be_typed_by_name_in_any_case(content: Content, all_forms) -> None:
    admin = Admin(content, all_forms["event"])
    assert admin.says("WERKSTATT") == []
    assert admin.values == {"kind": "workshop"}


def test_an_unknown_kind_is_explained(content: Content, all_forms) -> None:
    admin = Admin(content, all_forms["event"])
    draft = admin.draft
    [note] = admin.says("Stammtisch")
    assert note == "Bitte wählen Sie eine der Optionen: Tippen Sie ihre Nummer (1 bis 3) oder ihren Namen."
    assert admin.draft == draft
    [note] = admin.says("4")
    assert "1 bis 3" in note and admin.asked == "kind"


def test_a_bad_web_address_is_refused(content: Content, all_forms) -> None:
    event = all_forms["event"]
    admin = Admin(content, event, at(event, "online_url", {"kind": "workshop"}))
    draft = admin.draft
    for typed in ("meet.example.org", "ftp://example.org/x", "https://", "https://example org/x", "javascript:x"):
        [note] = admin.says(typed)
        assert "https://" in note
        assert admin.draft == draft and admin.asked == "online_url"
    assert admin.says("HTTPS://Example.org/Seminar?id=3") == []
    assert admin.values["online_url"] == "HTTPS://Example.org/Seminar?id=3"


def test_an_overlong_title_is_refused_and_nothing_is_lost(content: Content, all_forms) -> None:
    event = all_forms["event"]
    admin = Admin(content, event, at(event, "title.de", {"kind": "workshop"}))
    draft = admin.draft
    [note] = admin.says("W" * 201)
    assert note.startswith("Ihre Antwort hat 201 Zeichen; hier kann ich bis zu 200")
    assert admin.draft == draft
    [note] = admin.says("   ")
    assert "keinen Text" in note and admin.draft == draft
    assert admin.says("W" * 200) == []


def test_a_bad_date_is_refused_with_an_example(content: Content, all_forms) -> None:
    needs_parse_when()
    event = all_forms["event"]
    admin = Admin(content, event, at(event, "starts", {"kind": "workshop"}))
    draft = admin.draft
    for typed in ("nächsten Dienstag", "32.11.2026 10:00", "irgendwann"):
        [note] = admin.says(typed)
        assert "24.11.2026 10:00" in note
        assert admin.draft == draft


def test_the_end_must_come_after_the_start(content: Content, all_forms) -> None:
    needs_parse_when()
    event = all_forms["event"]
    admin = Admin(content, event, at(event, "starts"))
    admin.says("24.11.2026 10:00")
    draft = admin.draft
    for typed in ("09:00", "10:00", "23.11.2026 12:00"):
        [note] = admin.says(typed)
        assert "24.11.26" in note or "24.11.2026" in note, note
        assert admin.draft == draft and admin.asked == "ends"
    assert admin.says("25.11.2026 16:00") == []
    assert admin.values["ends"] == "2026-11-25T16:00:00+01:00"


def test_required_questions_cannot_be_skipped(content: Content, all_forms) -> None:
    event = all_forms["event"]
    for field_id in ("kind", "title.de", "description.de", "starts", "topics"):
        admin = Admin(content, event, at(event, field_id))
        draft = admin.draft
        assert "_skip" not in {c.id for c in admin.buttons}
        refusal = ["Dieses Feld wird benötigt und kann deshalb nicht übersprungen werden."]
        for text, choice in ((None, "_skip"), ("Überspringen", None)):
            assert admin._send(text, choice) == refusal
            assert admin.draft == draft


def test_a_skipped_field_takes_its_default(content: Content) -> None:
    form = Form.model_validate(
        {
            "id": "demo",
            "title": {"de": "Demo"},
            "fields": [
                {"id": "place", "kind": "text", "optional": True, "default": "online", "prompt": {"de": "Wo?"}},
                {
                    "id": "tags",
                    "kind": "multi",
                    "options": "languages",
                    "optional": True,
                    "default": "de, fr",
                    "prompt": {"de": "Welche?"},
                },
            ],
        }
    )
    admin = Admin(content, form)
    admin.presses("_skip")
    admin.presses("_done")  # nothing ticked on an optional multi: like skipping
    assert admin.done and admin.values == {"place": "online", "tags": ["de", "fr"]}


# --- several topics ------------------------------------------------------------------------------------------------


def test_topics_by_numbers(content: Content, all_forms) -> None:
    event = all_forms["event"]
    admin = Admin(content, event, at(event, "topics"))
    [note] = admin.says("1, 99")
    assert "99" in note and admin.asked == "topics"
    assert admin.says("1 und 3") == []
    assert admin.values == {"topics": ["strategy", "housing"]}
    assert admin.asked == "audience.de"


def test_topics_by_toggles_then_done(content: Content, all_forms) -> None:
    event = all_forms["event"]
    admin = Admin(content, event, at(event, "topics"))
    buttons = admin.buttons
    assert [c.id for c in buttons[-2:]] == ["_done", "_cancel"] and buttons[-2].label == "Fertig"
    assert all(c.selected is False for c in buttons[:-2])
    assert admin.presses("_done") == ["Bitte wählen Sie mindestens 1 aus."]
    admin.presses("mobility")
    admin.presses("digital")
    admin.presses("health")
    admin.presses("digital")  # pressed again: off
    assert admin.asked == "topics" and admin.draft["picked"] == ["mobility", "health"]
    assert {c.id for c in admin.buttons if c.selected} == {"mobility", "health"}
    admin.says("fertig")
    assert admin.values == {"topics": ["mobility", "health"]}
    assert admin.draft["picked"] == []


def test_a_newsletter_for_everyone(content: Content, all_forms) -> None:
    admin = Admin(content, all_forms["newsletter"])
    assert "Frage 1 von 8" in admin.screen
    admin.says("Neues aus dem Netzwerk")
    admin.skips("title.fr", "title.en")
    assert "**fett**" in admin.screen
    admin.says("**Neu:** die Werkstatt am 24.11.\n- Anmeldung offen\n- [Programm](https://example.org)")
    admin.skips("body.fr", "body.en")
    admin.presses("_done")  # no topics: goes to every subscriber
    assert admin.asked == "languages"
    admin.presses("fr")
    admin.presses("de")
    admin.presses("_done")
    assert admin.done
    assert admin.values == {
        "title": {"de": "Neues aus dem Netzwerk"},
        "body": {"de": "**Neu:** die Werkstatt am 24.11.\n- Anmeldung offen\n- [Programm](https://example.org)"},
        "languages": ["de", "fr"],
    }


# --- cancelling ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("index", range(16))
def test_cancel_works_at_every_step(content: Content, all_forms, index: int) -> None:
    event = all_forms["event"]
    admin = Admin(content, event, at(event, event.fields[index].id, {"kind": "workshop"}))
    draft = admin.draft
    assert admin.buttons[-1].id == "_cancel"
    assert admin.presses("_cancel") == []
    assert admin.cancelled and not admin.done and admin.draft == draft
    admin.draft = draft
    admin.says("abbrechen")
    assert admin.cancelled


def test_a_draft_of_another_form_is_refused(content: Content, all_forms) -> None:
    with pytest.raises(ValueError, match="newsletter"):
        forms.answer(
            all_forms["event"],
            forms.start(all_forms["newsletter"]),
            "x",
            None,
            content.catalogues.translator("de"),
            lambda source: [],
        )
