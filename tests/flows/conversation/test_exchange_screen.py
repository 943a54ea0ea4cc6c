"""/austausch as people meet it in the pure engine: a coordinator reads what taking part means and the consent
text, fills in the profile and agrees; the list shows similar municipalities by what they are, never by their name
or contact; a member may not opt in; filters; changing the profile; leaving, by button or by a word."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from flows.content.content import Content
from flows.conversation.actions import Action, LeaveExchange, SaveProfile
from flows.conversation.actions import Facts as TurnFacts
from flows.conversation.engine import Engine
from flows.conversation.screens import exchange
from flows.conversation.state import State
from flows.exchange.model import Facts, Match, Profile
from flows.exchange.profile import derive
from flows.messages import Inbound, Outbound
from flows.team.view import Mate, Role, Team
from tests.flows.exchange.memory import MemoryProfiles

WID = 7
ANNA, BEN = 1, 2
NOW = datetime(2026, 12, 7, 10, 30, tzinfo=UTC)
ASKED = "Für welche Kommune arbeiten Sie?"
ANSWERS = {
    "ob_name": "Musterstadt",
    "ob_kind": "stadt",
    "ob_land": "sn",
    "ob_size": "s",
    "ob_fields": ["health", "housing"],
}
GRIMMA = Profile(
    8,
    Facts("Grimma", "de", "stadt", "s", "sn", "14729160", "14729", ("health", "housing"), "werkstattplan", True),
    offers=("housing",),
    languages=("de",),
    contact="Jana Beispiel, Rathaus Grimma, 03437 123",
)
COLMAR = Profile(
    9,
    Facts("Colmar", "fr", "commune", "s", "ges", "68066", "68", ("health",)),
    languages=("fr", "de"),
    contact="Mairie de Colmar, service démographie",
)
LYON = Profile(10, Facts("Lyon", "fr", "commune", "xl", "ara"), languages=("fr",), contact="Lyon, 04 00 00 00")
SECRETS = ("Grimma", "14729", "Jana", "Colmar", "68066", "Mairie", "Lyon")
"""What A may never read before an introduction is accepted: names, keys, contacts."""


class ExchangeChat:
    """Anna (``role``) in workspace 7 with Ben; the other municipalities' profiles are in memory."""

    def __init__(self, content: Content, role: Role = "coordinator", lang: str = "de", others=(GRIMMA, COLMAR, LYON)):
        self.content = content
        self.engine = Engine(content)
        self.lang = lang
        self.profiles: MemoryProfiles | None = MemoryProfiles(WID, others)
        self.team = Team(WID, ANNA, role, members=(Mate(ANNA, role, "Anna"), Mate(BEN, "coordinator", "Ben")))
        self.state: State | None = None
        self.replies: list[Outbound] = []
        self.actions: list[Action] = []
        self.transcript: list[str] = []
        self.says("/start")
        assert self.state is not None
        self.state.answers.update(ANSWERS)

    def _send(self, inbound: Inbound) -> str:
        facts = TurnFacts(team=self.team, profiles=self.profiles, now=NOW)
        turn = self.engine.handle(self.state, inbound, lang=self.lang if self.state is None else None, facts=facts)
        self.state, self.replies, self.actions = turn.state, turn.replies, list(turn.actions)
        if self.profiles is not None:
            self.profiles.take(self.actions, derive(self.content, self.state.answers, None))
        self.transcript.append(self.text)
        return self.text

    def says(self, text: str) -> str:
        return self._send(Inbound(text=text))

    def presses(self, label: str) -> str:
        last = self.replies[-1]
        [choice] = [c for c in last.choices if label.casefold() in (c.label.casefold(), c.button.casefold())]
        return self._send(Inbound(choice=choice.id, turn=last.turn))

    @property
    def buttons(self) -> list[str]:
        return [c.label for c in self.replies[-1].choices]

    @property
    def text(self) -> str:
        return "\n\n".join(r.text() + "".join(f"\n{c.label}" for c in r.choices) for r in self.replies)


@pytest.fixture
def anna(content: Content) -> ExchangeChat:
    return ExchangeChat(content)


def opt_in(anna: ExchangeChat) -> str:
    anna.says("/austausch")
    anna.presses("Teilnehmen")
    anna.presses("Gesundheit und Pflege")
    anna.presses("Fertig")
    anna.presses("Mobilität und ÖPNV")
    anna.presses("Fertig")
    anna.presses("Fertig")  # Deutsch, the language she speaks, is ticked
    anna.says("Anna Muster, Demografiebeauftragte, 030 1234567")
    anna.presses("Keine Partnerstadt")
    return anna.presses("Zustimmen und teilnehmen")


def test_a_coordinator_reads_the_consent_fills_in_the_profile_and_sees_similar_municipalities(anna: ExchangeChat):
    reply = anna.says("/austausch")
    assert reply.startswith("Austausch zwischen Kommunen\n\nKommunen in Deutschland und Frankreich, die an Ähnlichem")
    assert "Einwilligung: Austausch zwischen Kommunen" in reply and "/austausch aus" in reply
    assert anna.buttons == ["Teilnehmen", "Zurück zur Frage"]
    reply = anna.presses("Teilnehmen")
    assert "Worüber kann Ihre Kommune anderen berichten? Tippen Sie die Handlungsfelder an" in reply
    anna.presses("Gesundheit und Pflege")
    assert "Worüber möchte Ihre Kommune von anderen lernen?" in anna.presses("Fertig")
    anna.presses("Mobilität und ÖPNV")
    reply = anna.presses("Fertig")
    assert "In welchen Sprachen kann sich Ihr Team austauschen?" in reply
    assert [c.selected for c in anna.replies[-1].choices[:3]] == [True, False, False]
    assert "Welchen Kontakt soll eine andere Kommune bekommen" in anna.presses("Fertig")
    assert "Hat Ihre Kommune eine Partnerstadt" in anna.says("Anna Muster, Demografiebeauftragte, 030 1234567")
    reply = anna.presses("Keine Partnerstadt")
    assert (
        "Andere Kommunen im Austausch sehen, ohne Ihren Namen:\n\nStadt in Sachsen (5.000 bis 20.000 Einwohner), "
        "Schwerpunkte: Gesundheit und Pflege, Wohnen und Ortsmitte\n\n• Bietet: Gesundheit und Pflege\n"
        "• Sucht: Mobilität und ÖPNV\n• Sprachen: Deutsch\n\nErst wenn beide Seiten einer Vorstellung zustimmen, "
        "erfährt die andere Kommune: Musterstadt und Ihren Kontakt: Anna Muster, Demografiebeauftragte, 030 1234567"
    ) in reply
    assert anna.actions == []
    reply = anna.presses("Zustimmen und teilnehmen")
    assert anna.actions == [
        SaveProfile(
            WID,
            ("health",),
            ("mobility",),
            ("de",),
            "Anna Muster, Demografiebeauftragte, 030 1234567",
            "",
            "2026-12-07",
        )
    ]
    assert reply.startswith("Danke: Ihre Kommune nimmt am Austausch teil.\n\nAustausch zwischen Kommunen")
    assert (
        "Ähnliche Kommunen:\n\n1. Stadt in Sachsen (5.000 bis 20.000 Einwohner), Schwerpunkte: Gesundheit und "
        "Pflege, Wohnen und Ortsmitte, arbeitet an „Werkstattplan“\nWarum: ebenfalls Schwerpunkt Gesundheit und "
        "Pflege, Wohnen und Ortsmitte, ebenfalls 5.000 bis 20.000 Einwohner, im selben Land oder derselben Region, "
        "ebenfalls Stadt, hat einen Werkstattplan\n\n2. Gemeinde (Commune, Frankreich) in Grand Est"
    ) in reply
    assert "spricht Deutsch" in reply and "Okzitanien" not in reply  # Lyon speaks only French
    assert anna.buttons == [
        "Vorstellen lassen: 1",
        "Vorstellen lassen: 2",
        "Nur in Frankreich",
        "Nur in Deutschland",
        "Profil ändern",
        "Austausch beenden",
        "Zurück zur Frage",
    ]
    assert anna.state is not None and anna.state.view["exchange"]["shown"] == [8, 9]  # workspace ids, not names


def test_no_name_key_or_contact_of_another_municipality_is_ever_shown(anna: ExchangeChat):
    opt_in(anna)
    anna.presses("Nur in Frankreich")
    anna.presses("Beide Länder")
    anna.says("/austausch")
    anna.says("/austausch deutschland")
    everything = "\n".join(anna.transcript)
    assert "Grand Est" in everything and "Sachsen" in everything
    assert [s for s in SECRETS if s in everything] == []


def test_a_member_is_told_who_coordinates_and_cannot_opt_in_change_or_leave(content: Content):
    ben = ExchangeChat(content, role="editor")
    reply = ben.says("/austausch")
    assert "Das kann nur die Koordination des Teams. Bitte wenden Sie sich an Ben." in reply
    assert ben.buttons == ["Zurück zur Frage"]
    ben.profiles.profiles[WID] = Profile(WID, Facts("Musterstadt"), languages=("de",))
    reply = ben.says("/austausch")
    assert "Vorstellen lassen: 1" in ben.buttons and "Profil ändern" not in ben.buttons
    assert "Das kann nur die Koordination" in ben.says("/austausch profil")
    assert "Das kann nur die Koordination" in ben.says("/austausch aus")
    assert ben.actions == []


def test_another_municipality_that_leaves_is_gone_from_the_list_at_once(anna: ExchangeChat):
    opt_in(anna)
    anna.profiles.withdraw(8)
    reply = anna.says("/austausch")
    assert "Stadt in Sachsen" not in reply and anna.buttons[:2] == ["Vorstellen lassen: 1", "Nur in Frankreich"]
    anna.profiles.withdraw(9)
    reply = anna.presses("Nur in Frankreich")  # the list on screen loses it too
    assert "Noch nimmt keine Kommune in Frankreich teil, die eine Sprache mit Ihrer teilt." in reply


def test_leaving_by_button_asks_first_and_withdraws_the_profile(anna: ExchangeChat):
    opt_in(anna)
    reply = anna.presses("Austausch beenden")
    assert reply.startswith("Austausch beenden? Das Profil Ihrer Kommune wird sofort gelöscht")
    anna.presses("Nein, bleiben")
    assert anna.actions == [] and "Ähnliche Kommunen:" in anna.text
    anna.presses("Austausch beenden")
    reply = anna.presses("Ja, beenden")
    assert anna.actions == [LeaveExchange(WID)]
    assert reply.startswith("Ihre Kommune nimmt nicht mehr am Austausch teil;") and ASKED in reply
    anna.says("/austausch")
    assert anna.profiles is not None and anna.profiles.mine() is None and "Teilnehmen" in anna.buttons


@pytest.mark.parametrize(
    ("lang", "typed", "said"),
    [
        ("de", "/austausch aus", "Ihre Kommune nimmt nicht mehr am Austausch teil"),
        ("fr", "/echange stop", "Votre collectivité ne participe plus à l’échange\u202f;"),
        ("en", "/exchange off", "Your municipality no longer takes part in the exchange;"),
    ],
)
def test_leaving_by_a_word_after_the_command_in_any_language(content: Content, lang: str, typed: str, said: str):
    chat = ExchangeChat(content, lang=lang)
    chat.profiles.profiles[WID] = Profile(WID, Facts("Musterstadt"), languages=("de",))
    assert chat.says(typed).startswith(said)
    assert chat.actions == [LeaveExchange(WID)]


def test_filters_by_a_word_in_any_language(content: Content):
    chat = ExchangeChat(content, lang="fr")
    chat.profiles.profiles[WID] = Profile(WID, Facts("Musterstadt", region="sn"), languages=("de", "fr"))
    reply = chat.says("/echange france")
    assert "Collectivités comparables en France\u202f:" in reply and "Auvergne-Rhône-Alpes" in reply
    assert "Saxe" not in reply.split("comparables en France")[1]
    reply = chat.says("/échange allemagne")
    assert "Collectivités comparables en Allemagne\u202f:" in reply and "Grand Est" not in reply


def test_an_unknown_word_says_which_ones_and_shows_the_screen(anna: ExchangeChat):
    reply = anna.says("/austausch vielleicht")
    assert reply.startswith(
        "Nach /austausch können Sie schreiben: /austausch frankreich, /austausch deutschland, /austausch profil "
        "oder /austausch aus."
    )
    assert "Teilnehmen" in anna.buttons and anna.actions == []


def test_changing_the_profile_keeps_what_is_not_changed_and_asks_for_consent_again(anna: ExchangeChat):
    opt_in(anna)
    anna.presses("Profil ändern")
    assert [c.label for c in anna.replies[-1].choices if c.selected] == ["Gesundheit, Pflege und gut alt werden"]
    anna.presses("Fertig")
    anna.presses("Fertig")
    anna.presses("Français")
    anna.presses("Fertig")
    assert "Bisher: Anna Muster, Demografiebeauftragte" in anna.text
    anna.presses("Beibehalten")
    reply = anna.says("Mâcon")
    assert "Partnerstadt: Mâcon" in reply and "Einwilligung: Austausch zwischen Kommunen" in reply
    reply = anna.presses("Zustimmen und speichern")
    [saved] = anna.actions
    assert isinstance(saved, SaveProfile) and saved.languages == ("de", "fr") and saved.twin_town == "Mâcon"
    assert saved.contact == "Anna Muster, Demografiebeauftragte, 030 1234567"
    assert reply.startswith("Ihr Austauschprofil ist gespeichert.")


def test_a_contact_too_long_is_refused_and_cancelling_saves_nothing(anna: ExchangeChat):
    anna.says("/austausch")
    anna.presses("Teilnehmen")
    for _ in range(3):
        anna.presses("Fertig")
    assert "Das sind 501 Zeichen; bitte höchstens 500." in anna.says("x" * 501)
    reply = anna.presses("Abbrechen")
    assert reply.startswith("Nichts wurde geändert.") and anna.actions == [] and anna.profiles.mine() is None


def test_opting_in_needs_the_municipality_named_first(content: Content):
    chat = ExchangeChat(content)
    assert chat.state is not None
    del chat.state.answers["ob_name"]
    chat.says("/austausch")
    assert "Sagen Sie mir zuerst, für welche Kommune Sie arbeiten: /kommune." in chat.presses("Teilnehmen")


def test_introduce_me_hands_the_match_on_screen_to_the_introductions(
    anna: ExchangeChat, monkeypatch: pytest.MonkeyPatch
):
    asked: list[Match] = []
    monkeypatch.setattr(exchange.introductions, "ask", lambda s, m: asked.append(m))
    opt_in(anna)
    anna.presses("Vorstellen lassen: 2")
    assert [m.profile.workspace_id for m in asked] == [9]
    assert asked[0].reasons[-1].kind == "language"


def test_the_screens_work_without_storage(content: Content):
    chat = ExchangeChat(content, others=())
    chat.profiles = None
    reply = chat.says("/austausch")
    assert "Teilnehmen" in chat.buttons and "Einwilligung" in reply
    assert "Vorstellen lassen" not in chat.presses("Teilnehmen")


def test_the_fields_an_exchange_profile_offers_can_be_typed_as_numbers(anna: ExchangeChat):
    """Regression: the profile's tick boxes showed the hint to type "1, 3" but took only one number at a time."""
    anna.says("/austausch")
    anna.presses("Teilnehmen")
    anna.says("7, 3")
    assert [c.label for c in anna.replies[-1].choices if c.selected] == [
        "Wohnen, Leerstand und Ortsmitte",
        "Gesundheit, Pflege und gut alt werden",
    ]
