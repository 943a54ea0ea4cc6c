"""The admin forms' YAML: both forms load in three languages, in the agreed order, and broken ones say where."""

from __future__ import annotations

import pytest

from flows.content.forms import Form, load_forms
from flows.content.model import LANGUAGES
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def all_forms() -> dict[str, Form]:
    return load_forms(ROOT / "content")


def test_both_forms_load_and_every_prompt_has_german_french_and_english(all_forms: dict[str, Form]) -> None:
    assert set(all_forms) == {"event", "newsletter"}
    for form in all_forms.values():
        assert form.title.missing() == []
        for field in form.fields:
            assert field.prompt.missing() == [], f"{form.id}.{field.id} lacks {field.prompt.missing()}"
            assert set(field.prompt.root) == set(LANGUAGES)


def test_event_fields_come_in_the_agreed_order(all_forms: dict[str, Form]) -> None:
    event = all_forms["event"]
    assert [f.id for f in event.fields] == [
        "kind",
        "title.de",
        "title.fr",
        "title.en",
        "description.de",
        "description.fr",
        "description.en",
        "starts",
        "ends",
        "place",
        "online_url",
        "topics",
        "audience.de",
        "audience.fr",
        "audience.en",
        "registration_url",
    ]
    required = [f.id for f in event.fields if not f.optional]
    assert required == ["kind", "title.de", "description.de", "starts", "topics"]
    assert event.fields[8].after == "starts"
    newsletter = all_forms["newsletter"]
    assert [f.id for f in newsletter.fields if not f.optional] == ["title.de", "body.de"]


def test_a_broken_form_is_reported_with_file_and_field(tmp_path) -> None:
    (tmp_path / "forms").mkdir()
    (tmp_path / "forms" / "event.yaml").write_text(
        "id: event\ntitle: {de: Veranstaltung}\nfields:\n"
        "  - {id: kind, kind: choice, prompt: {de: Art}}\n"
        "  - {id: ends, kind: datetime, after: starts, prompt: {de: Ende}}\n",
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match=r"forms/event\.yaml:4 .*field 'kind'.*'options' is needed"):
        load_forms(tmp_path)
    (tmp_path / "forms" / "event.yaml").write_text(
        "id: event\ntitle: {de: Veranstaltung}\nfields:\n"
        "  - {id: ends, kind: datetime, after: starts, prompt: {de: Ende}}\n",
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match=r"forms/event\.yaml.*'after' must name an earlier datetime field"):
        load_forms(tmp_path)
