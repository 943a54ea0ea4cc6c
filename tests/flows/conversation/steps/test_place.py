"""Saying which municipality: found in the official directory by name, postcode or key, and what it answers.

The directory here is a small in-memory stand-in for the Registry port (the real one, on the database, is
bot/app/registry.py, tested in tests/bot/app/test_place.py). Names, keys, Kreise and Länder are the real ones
except where marked; the populations are round illustrative numbers, not official figures.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from functools import lru_cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flows.content.content import Content
from flows.content.loader import load_content
from flows.conversation.actions import Facts
from flows.conversation.context import Ctx
from flows.conversation.documents.strategy import strategy
from flows.conversation.state import State
from flows.conversation.steps.place import plain_name
from flows.messages import BUTTON, Inbound
from flows.reading import fold
from flows.statistics.model import Country, Figure, Place
from flows.team.view import Mate, Team
from tests.conftest import CONTENT, EngineChat

PLACES = (
    Place("de", "13", "land", "Mecklenburg-Vorpommern"),
    Place("de", "12", "land", "Brandenburg"),
    Place("de", "13076", "kreis", "Ludwigslust-Parchim", land="13", kind="44"),
    Place("de", "13004", "kreis", "Schwerin", land="13", kind="41"),
    Place("de", "12069", "kreis", "Potsdam-Mittelmark", land="12", kind="44"),
    Place("de", "13076052", "gemeinde", "Grabow, Stadt", "13076", "13", "63", "19300", 5_500),
    Place("de", "13004000", "gemeinde", "Schwerin, Landeshauptstadt", "13004", "13", "61", "19053", 98_000),
    # A second Grabow for the collision the issue names; its key is made up (Gemeinde 999).
    Place("de", "12069999", "gemeinde", "Grabow", "12069", "12", "64", "14823", 700),
    Place("de", "13076999", "gemeinde", "Grabowhöfe", "13076", "13", "64", "17194", 600),
    Place("fr", "REG-94", "region", "Corse"),  # keyed as the COG reader keys a région
    Place("fr", "2A", "departement", "Corse-du-Sud", land="REG-94"),
    Place("fr", "2A004", "commune", "Ajaccio", "2A", "REG-94", "COM"),
)


class Directory:
    """The Registry port on a list of places: name prefix (folded), exact postcode or key; Gemeinden first."""

    def __init__(self, places: Sequence[Place] = PLACES):
        self.places = list(places)
        self.asked: list[str] = []

    def find(self, query: str, country: Country | None = None, limit: int = 8) -> list[Place]:
        self.asked.append(query)
        q = fold(query)
        hits = [
            p
            for p in self.places
            if (country is None or p.country == country)
            and (fold(plain_name(p.name)).startswith(q) or q in (p.postcode, fold(p.key)))
        ]
        hits.sort(key=lambda p: (p.level not in ("gemeinde", "commune"), -(p.population or 0)))
        return hits[:limit]

    def place(self, key: str, country: Country = "de") -> Place | None:
        return next((p for p in self.places if p.key == key and p.country == country), None)

    def has_places(self) -> bool:
        return bool(self.places)

    def figures(self, keys: Sequence[str], country: Country = "de", workspace_id: int | None = None) -> list[Figure]:
        return []


def chat_with(content: Content, lang: str = "de", directory: Directory | None = None) -> EngineChat:
    return EngineChat(content, lang=lang, facts=Facts(registry=directory or Directory()))


def buttons(chat: EngineChat) -> list[str]:
    return [c.button for c in chat.replies[-1].choices]


def test_a_name_found_once_is_taken_and_its_land_size_and_kind_are_not_asked(content: Content):
    chat = chat_with(content)
    reply = chat.says("Schwerin")
    assert "Im amtlichen Gemeindeverzeichnis gefunden: Schwerin, Landeshauptstadt — Mecklenburg-Vorpommern" in reply
    assert "(Gemeindeschlüssel 13004000)" in reply
    assert "Land: Mecklenburg-Vorpommern" in reply and "Größe: 20.000 bis 100.000" in reply
    assert "Art der Kommune: Stadt" in reply
    assert "Welche Handlungsfelder sind für Schwerin gerade besonders wichtig?" in reply
    assert "In welchem Land" not in reply and "Wie viele Menschen" not in reply
    assert chat.answers["ob_name"] == {"name": "Schwerin", "key": "13004000", "country": "de"}
    assert (chat.answers["ob_kind"], chat.answers["ob_land"], chat.answers["ob_size"]) == ("stadt", "mv", "m")
    assert {c.step_id for c in chat.changes} >= {"ob_name", "ob_kind", "ob_land", "ob_size"}


def test_a_name_two_municipalities_share_is_asked_with_kreis_and_land(content: Content):
    chat = chat_with(content)
    reply = chat.says("Grabow")
    assert "Mehrere Kommunen passen zu „Grabow“" in reply
    assert "Grabow (Ludwigslust-Parchim, Mecklenburg-Vorpommern)" in reply
    assert "Grabow (Potsdam-Mittelmark, Brandenburg)" in reply
    assert "Grabowhöfe" not in reply, "a longer name is no match when the name itself is there"
    assert all(len(b) <= BUTTON for b in buttons(chat)) and len(set(buttons(chat))) == len(buttons(chat))
    assert chat.state.step == "ob_name" and "ob_name" not in chat.answers
    reply = chat.presses("Ludwigslust-Parchim")
    assert "Grabow, Stadt — Landkreis Ludwigslust-Parchim, Mecklenburg-Vorpommern (Gemeindeschlüssel 13076052)" in reply
    assert "Größe: 5.000 bis 20.000" in reply
    assert "Welche Handlungsfelder sind für Grabow" in reply, "Land, size and kind are answered, not asked"
    assert chat.answers["ob_name"] == {"name": "Grabow", "key": "13076052", "country": "de"}
    assert (chat.answers["ob_land"], chat.answers["ob_size"], chat.answers["ob_kind"]) == ("mv", "s", "stadt")


def test_a_place_is_picked_by_its_number_too(content: Content):
    chat = chat_with(content)
    chat.says("Grabow")
    chat.says("2")  # the second: the smaller one, in Brandenburg
    assert chat.answers["ob_name"]["key"] == "12069999"
    assert (chat.answers["ob_land"], chat.answers["ob_size"], chat.answers["ob_kind"]) == ("bb", "xs", "gemeinde")


def test_a_postcode_finds_the_municipality(content: Content):
    chat = chat_with(content)
    reply = chat.says("19300")
    assert "Grabow, Stadt — Landkreis Ludwigslust-Parchim" in reply
    assert chat.answers["ob_name"]["key"] == "13076052"


def test_an_unknown_name_is_kept_as_typed_when_the_person_says_so(content: Content):
    chat = chat_with(content)
    reply = chat.says("Nirgendwo")
    assert "„Nirgendwo“ finde ich nicht im amtlichen Gemeindeverzeichnis" in reply
    assert "ob_name" not in chat.answers
    reply = chat.presses("so behalten")
    assert chat.answers["ob_name"] == "Nirgendwo"
    assert "Was für eine Kommune ist Nirgendwo?" in reply, "nothing is known of it: the questions are asked"


def test_an_unknown_name_can_be_typed_again(content: Content):
    chat = chat_with(content)
    chat.says("Schwerinn")
    chat.says("Schwerin")
    assert chat.answers["ob_name"]["key"] == "13004000"


def test_none_of_the_offered_places_keeps_the_name_as_typed(content: Content):
    chat = chat_with(content)
    chat.says("Grabow")
    reply = chat.presses("_typed")
    assert chat.answers["ob_name"] == "Grabow" and "ob_land" not in chat.answers
    assert "Was für eine Kommune ist Grabow?" in reply


def test_without_a_directory_the_name_is_kept_as_typed(content: Content):
    for chat in (EngineChat(content), chat_with(content, directory=Directory([]))):
        reply = chat.says("Musterstadt")
        assert chat.answers["ob_name"] == "Musterstadt"
        assert "Was für eine Kommune ist Musterstadt?" in reply


def test_back_and_stale_buttons_while_places_are_offered(content: Content):
    chat = chat_with(content)
    chat.says("Grabow")
    earlier = chat.replies[-1]
    chat.says("Grabo")  # another search: the earlier list's buttons are stale now
    assert "Grabowhöfe" in chat.text
    reply = chat._send(Inbound(choice=earlier.choices[0].id, turn=earlier.turn))
    assert "gehört zu einer früheren Nachricht" in reply and "ob_name" not in chat.answers
    reply = chat.says("/zurueck")
    assert "Für welche Kommune arbeiten Sie?" in reply and chat.state.draft == {}


def test_typing_the_same_name_again_asks_to_pick(content: Content):
    chat = chat_with(content)
    chat.says("Grabow")
    reply = chat.says("grabow")
    assert "Bitte wählen Sie eine der Kommunen" in reply and chat.state.draft["phase"] == "pick"


def onboarded(content: Content, directory: Directory | None = None, lang: str = "de") -> EngineChat:
    chat = chat_with(content, lang, directory)
    chat.says("Grabow")
    chat.says("1")
    chat.says("2, 5")  # fields of action
    return chat


def test_the_municipality_command_changes_it_rederives_and_returns(content: Content):
    chat = onboarded(content)
    chat.says("/phase 3")
    at = chat.state.step
    reply = chat.says("/kommune")
    assert "Für welche Kommune arbeiten Sie?" in reply and "Aktuelle Antwort: Grabow" in reply
    reply = chat.says("Schwerin")
    assert "Schwerin, Landeshauptstadt — Mecklenburg-Vorpommern" in reply
    assert (chat.answers["ob_land"], chat.answers["ob_size"], chat.answers["ob_kind"]) == ("mv", "m", "stadt")
    assert chat.state.step == at, "back at the question the person was at"


def test_a_commune_in_france_leaves_the_size_open_and_asks_it_before_going_back(content: Content):
    chat = onboarded(content)
    chat.says("/phase 2")
    at = chat.state.step
    chat.says("/kommune")
    reply = chat.says("Ajaccio")
    assert "Ajaccio — Corse-du-Sud, Corse (INSEE-Code 2A004)" in reply
    assert (chat.answers["ob_region"], chat.answers["ob_kind"]) == ("cor", "commune")
    assert "ob_size" not in chat.answers, "the size came from Grabow; Ajaccio's is not in the directory"
    assert "Wie viele Menschen leben ungefähr in Ajaccio?" in reply
    chat.says("3")
    assert chat.answers["ob_size"] == "m" and chat.state.step == at


def test_a_commune_picked_by_its_insee_code_shows_no_german_category(content: Content):
    chat = chat_with(content, lang="fr")
    reply = chat.says("2A004")
    assert "Ajaccio — Corse-du-Sud, Corse (code INSEE 2A004)" in reply
    assert "Région\u00a0: Corse" in reply and "Type de collectivité\u00a0: Commune" in reply  # as labels are joined
    assert "Combien d'habitants compte à peu près Ajaccio\u202f?" in reply
    for word in ("Gemeinde", "Kreis", "Land", "Stadt", "schlüssel", "Verzeichnis"):
        assert word not in reply, word
    assert chat.answers["ob_name"] == {"name": "Ajaccio", "key": "2A004", "country": "fr"}


def test_a_viewer_cannot_change_the_municipality(content: Content):
    chat = onboarded(content)
    before = dict(chat.answers)
    viewer = Team(7, 2, "viewer", members=(Mate(1, "coordinator", "Anna"), Mate(2, "viewer", "Ben")))
    chat.facts = Facts(registry=Directory(), team=viewer)
    reply = chat.says("/kommune")
    assert "Sie können lesen und exportieren; Änderungen macht Anna." in reply
    assert chat.answers == before and chat.state.step != "ob_name"


@pytest.mark.parametrize("lang", ["de", "fr", "en"])
def test_the_command_has_a_name_in_every_language(content: Content, lang: str):
    names = {"de": "kommune", "fr": "commune", "en": "municipality"}
    chat = onboarded(content, lang=lang)
    chat.says(f"/{names[lang]}")
    assert chat.state.step == "ob_name"


def test_what_reads_the_name_reads_the_name_of_a_picked_place(content: Content):
    chat = onboarded(content)
    ctx = Ctx(content, chat.state)
    document = strategy(ctx, date(2027, 1, 15))
    assert document.subtitle == "Grabow" and ("Kommune", "Grabow") in document.cover
    assert ("Land", "Mecklenburg-Vorpommern") in document.cover
    assert ctx.short(content.step("ob_name"), chat.answers["ob_name"]) == "Grabow"  # summaries, /meinedaten


@settings(max_examples=60, deadline=None, derandomize=True, database=None)
@given(
    lines=st.lists(
        st.one_of(
            st.sampled_from(
                ["Grabow", "grabow", "GRABOW", "Grab", "19300", "2a004", "Schwerin", "Nirgendwo", "1", "2"]
            ),
            st.sampled_from(["3", "9", "/zurueck", "/kommune", "/ueberspringen", "fertig", "Was ist ein Kreis?"]),
            st.text(max_size=12),
        ),
        max_size=8,
    )
)
def test_whatever_is_typed_at_the_place_step_the_answer_is_a_name_or_a_place_of_the_directory(lines: list[str]):
    content = _content()
    directory = Directory()
    chat = EngineChat(content, facts=Facts(registry=directory))
    for line in lines:
        chat.says(line)  # never raises
        assert State.model_validate_json(chat.state.model_dump_json()) == chat.state
        value = chat.answers.get("ob_name")
        if isinstance(value, dict):
            place = directory.place(value["key"], value["country"])
            assert place is not None and value["name"] == plain_name(place.name)
            assert chat.answers.get("ob_region" if place.country == "fr" else "ob_land") is not None
        else:
            assert value is None or (isinstance(value, str) and value.strip())


@lru_cache(maxsize=1)
def _content() -> Content:
    return load_content(CONTENT)


def test_a_number_beside_the_offered_places_is_no_search(content: Content):
    chat = chat_with(content)
    chat.says("Grabow")
    reply = chat.says("7")
    assert "Bitte wählen Sie eine der Kommunen" in reply and chat.state.draft["phase"] == "pick"
