"""The exchange between municipalities, end to end on two messengers: one `daks serve` process runs Telegram (against
the fake Bot API) and Matrix (on a real Synapse), on SQLite and on PostgreSQL.

Bea coordinates Beispielstadt on Matrix, Carl coordinates Chateauville (Occitanie) on Telegram in French, Anna
coordinates Musterstadt on Telegram; each onboards by typing and opts in through /austausch (/echange). Anna's list
shows Beispielstadt above Chateauville, as the documented similarity ranks them, by what they are and never by name.
Anna asks to be introduced; Bea gets the request through the outbox and accepts by typing; only then does each learn
the other's name and contact, once. Until then no message on either channel (edits and toasts included) names the
other side. When Bea leaves the exchange and Carl erases himself, both are gone from Anna's list at once.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from flows.content.content import Content
from flows.exchange.model import Facts, Profile
from flows.exchange.similarity import Yardstick, score
from storage.models import Broadcast, Delivery, ExchangeProfile, Introduction
from storage.store import Store
from tests.bot import test_team_across_channels as team
from tests.bot.matrix.conftest import MakeUser
from tests.bot.matrix.test_channel import Member as MatrixMember
from tests.bot.talk import rows
from tests.bot.telegram.conftest import Person
from tests.fakes.bot_api import FakeBotAPI
from tests.servers.synapse import Synapse

# The fixtures of the team test: the fake Bot API, a Synapse, its users, and `daks serve` with both channels.
api, synapse, matrix_user, both = team.api, team.synapse, team.matrix_user, team.both

ANNA_CONTACT = "Anna Schmidt, Demografiebeauftragte, anna.schmidt@musterstadt.example"
BEA_CONTACT = "Bea Beispiel, bea@beispielstadt.example"
CARL_CONTACT = "Carl Dupont, mairie, carl@chateauville.example"
REQUEST = re.compile(r"Eine Kommune möchte Ihrer Kommune vorgestellt werden \(Anfrage (\d+)\):")
SIMILAR_B = "Stadt in Sachsen (20.000 bis 100.000 Einwohner)"
SIMILAR_C = "Gemeinde (Commune, Frankreich) in Okzitanien (unter 5.000 Einwohner)"


def secrets_of_bea(bea_id: str) -> re.Pattern[str]:
    """What identifies Beispielstadt: its name, its coordinator's name and Matrix handle, the contact it shares."""
    words = ["Beispielstadt", "beispielstadt", r"\bBea\b", "Bea Beispiel", re.escape(bea_id), re.escape(bea_id[1:])]
    return re.compile("|".join(words))


# Musterstadt's name and contact (not "Anna": the contact question's own example is "Anna Muster, …").
SECRETS_OF_ANNA = re.compile(r"Musterstadt|musterstadt|Anna Schmidt")
SECRETS_OF_CARL = re.compile(r"Chateauville|chateauville|Carl Dupont")


def telegram_said(api: FakeBotAPI, chat: int | None = None) -> list[str]:
    """Every request the bot made of the Bot API so far, as JSON: messages, edits, keyboards, toasts; to anyone, or
    (``chat``) to that chat."""
    return [
        json.dumps(c.params, ensure_ascii=False)
        for c in api.calls
        if chat is None or str(c.params.get("chat_id")) == str(chat)
    ]


def matrix_said(member: MatrixMember) -> list[str]:
    """Everything the bot sent this Matrix user, in any room (edits arrive as messages too)."""
    return [str(getattr(e, "body", "")) for _, e in member.notices]


def naming(texts: list[str], pattern: re.Pattern[str]) -> list[str]:
    return [t for t in texts if pattern.search(t)]


async def anna_opts_in(anna: Person) -> str:
    """Anna on Telegram: onboarding typed, then /austausch by buttons. Her list, shown once she has agreed."""
    await anna.says("/start", "Für welche Kommune arbeiten Sie?")
    await anna.says("Musterstadt", "Was für eine Kommune ist Musterstadt?")
    await anna.answers("2", "In welchem Land liegt Musterstadt?")
    await anna.says("Sachsen", "Wie viele Menschen leben ungefähr in Musterstadt?")
    await anna.answers("3", "Welche Handlungsfelder sind für Musterstadt gerade besonders wichtig?")
    await anna.says("2, 5 und 9", "Kick-Off · Frage 1 von 10")
    await anna.says("/austausch", "Austausch zwischen Kommunen")
    await anna.taps("Teilnehmen", "Worüber kann Ihre Kommune anderen berichten?")
    await anna.taps("Wohnen")
    await anna.taps("Fertig", "Worüber möchte Ihre Kommune von anderen lernen?")
    await anna.taps("Gesundheit")
    await anna.taps("Fertig", "In welchen Sprachen kann sich Ihr Team austauschen?")
    await anna.taps("Fertig", "Welchen Kontakt soll eine andere Kommune bekommen")
    await anna.says(ANNA_CONTACT, "Hat Ihre Kommune eine Partnerstadt")
    await anna.taps("Keine Partnerstadt", "Zustimmen und teilnehmen")
    said = await anna.taps("Zustimmen und teilnehmen", "Ähnliche Kommunen:")
    return said[-1].text


async def bea_opts_in(bea: MatrixMember, room: str) -> None:
    """Bea on Matrix, where lists are numbered lines: she types numbers and labels."""
    await bea.says(room, "Beispielstadt", "Was für eine Kommune ist Beispielstadt?")
    await bea.says(room, "2", "In welchem Land liegt Beispielstadt?")
    await bea.says(room, "Sachsen", "Wie viele Menschen leben ungefähr in Beispielstadt?")
    await bea.says(room, "3", "Welche Handlungsfelder sind für Beispielstadt")
    await bea.says(room, "2, 5", "Kick-Off · Frage 1 von 10")
    await bea.says(room, "/austausch", "1) Teilnehmen")
    await bea.says(room, "Teilnehmen", "Worüber kann Ihre Kommune anderen berichten?")
    await bea.says(room, "2, 7", "2) [x] Daseinsvorsorge")  # as the hint under the list says: ticks both
    await bea.says(room, "Fertig", "Worüber möchte Ihre Kommune von anderen lernen?")
    await bea.says(room, "3", "3) [x] Wohnen")
    await bea.says(room, "Fertig", "In welchen Sprachen kann sich Ihr Team austauschen?")
    await bea.says(room, "Fertig", "Welchen Kontakt soll eine andere Kommune bekommen")  # Deutsch is ticked
    await bea.says(room, BEA_CONTACT, "Hat Ihre Kommune eine Partnerstadt")
    await bea.says(room, "Keine Partnerstadt", "Zustimmen und teilnehmen")
    await bea.says(room, "Zustimmen und teilnehmen", "Danke: Ihre Kommune nimmt am Austausch teil.")


async def carl_opts_in(carl: Person) -> None:
    """Carl on Telegram, in French: a small commune in Occitanie that speaks German too."""
    await carl.says("/start", "Pour quelle collectivité travaillez-vous")
    await carl.says("Chateauville", "Quel type de collectivité est Chateauville")
    await carl.answers("1", "Dans quelle région se trouve Chateauville")
    await carl.says("Occitanie", "Combien d'habitants compte à peu près Chateauville")
    await carl.answers("1", "Quels champs d'action sont particulièrement importants")
    await carl.says("2", "Réunion de lancement · question 1 sur 10")  # services au public, as Musterstadt
    await carl.says("/echange", "Échange entre collectivités")
    await carl.taps("Participer")
    await carl.taps("Terminé")
    await carl.taps("Terminé")
    await carl.taps("Deutsch")
    await carl.taps("Terminé")
    await carl.says(CARL_CONTACT)
    await carl.taps("Pas de ville jumelle")
    await carl.taps("Accepter et participer", "votre collectivité participe à l’échange")


def in_order(listing: str) -> list[str]:
    """The municipalities of an /austausch list, as numbered there: "1. Stadt in Sachsen …\\nWarum: …"."""
    return re.findall(r"^\d+\. (.+)\nWarum: (.+)$", listing, flags=re.MULTILINE)


async def similarity(store: Store, content: Content) -> dict[str, float]:
    """The documented score of each other opted-in municipality for Musterstadt, by name, from what is stored."""
    stored = await rows(store, ExchangeProfile)
    profiles = {
        r["facts"]["name"]: Profile(
            r["workspace_id"], Facts.of(r["facts"]), tuple(r["offers"]), tuple(r["seeks"]), tuple(r["languages"])
        )
        for r in stored
    }
    me, yardstick = profiles.pop("Musterstadt"), Yardstick.of(content)
    return {name: found for name, them in profiles.items() if (found := score(me, them, yardstick)) is not None}


async def test_three_municipalities_meet_across_telegram_and_matrix_and_names_wait_for_both_to_agree(
    api: FakeBotAPI,
    both,
    synapse: Synapse,
    matrix_user: MakeUser,
    store: Store,
    content: Content,
    tmp_path: Path,
):
    _, bot_id = both
    bea = await team.bea_on_matrix(synapse, matrix_user, tmp_path)
    try:
        room = await bea.dm(bot_id, False)
        await bea_opts_in(bea, room)
        carl = Person(api, api.user(3103, "Carl", "fr"))
        await carl_opts_in(carl)
        anna = Person(api, api.user(3101, "Anna", "de"))

        # Anna's list: Beispielstadt first, as the documented similarity ranks it, then Chateauville; no names.
        listing = await anna_opts_in(anna)
        [(first, why_first), (second, why_second)] = in_order(listing)
        assert first.startswith(SIMILAR_B) and second.startswith(SIMILAR_C), listing
        # By weight: size 0.20, fields 0.25 × 2/3, each half of the fit 0.25 / 2, the Land 0.15 × 0.7, kind 0.05.
        assert why_first == (
            "ebenfalls 20.000 bis 100.000 Einwohner, ebenfalls Schwerpunkt Daseinsvorsorge, Arbeit und Wirtschaft, "
            "hat Erfahrung in Gesundheit und Pflege anzubieten, sucht, was Sie anbieten: Wohnen und Ortsmitte, im "
            "selben Land oder derselben Region, ebenfalls Stadt"
        ), why_first
        assert why_second == "ebenfalls Schwerpunkt Daseinsvorsorge, spricht Deutsch", why_second
        scores = await similarity(store, content)
        assert scores["Beispielstadt"] > scores["Chateauville"] > 0, scores

        # Anna asks; Bea, on Matrix, receives the request through the outbox, without Musterstadt's name.
        since = len(bea.notices)
        said = await anna.taps("Vorstellen lassen: 1", "Ihre Anfrage ist gesendet.")
        assert "Stadt in Sachsen" in "\n".join(m.text for m in said)  # the list stays, still without names
        await bea.wait_for(room, "vorgestellt werden (Anfrage", since, timeout=30)
        [text] = [t for t in matrix_said(bea)[since:] if REQUEST.search(t)]
        number = REQUEST.search(text).group(1)  # type: ignore[union-attr]
        assert "Stadt in Sachsen (20.000 bis 100.000 Einwohner)" in text
        assert f"/austausch annehmen {number} oder /austausch ablehnen {number}" in text  # Matrix has no buttons

        # Before Bea accepts: nothing on either channel names the other side.
        bea_id = bea.client.user_id
        assert naming(telegram_said(api), secrets_of_bea(bea_id)) == []
        assert naming(matrix_said(bea), SECRETS_OF_ANNA) == []
        said = await anna.says("/austausch", "noch keine Antwort")  # her ask, described, as it stands
        assert f"{SIMILAR_B}, Schwerpunkte: Daseinsvorsorge, Arbeit und Wirtschaft: angefragt am " in said[-1].text
        assert naming(telegram_said(api), secrets_of_bea(bea_id)) == []
        assert any(SIMILAR_B in c for c in telegram_said(api, anna.user.id))  # the scan reads what Anna was shown

        # Bea accepts by typing: her reply names Musterstadt and Anna's contact, once.
        await bea.says(room, f"/austausch annehmen {number}", "Sie sind einander vorgestellt.")
        [reply] = naming(matrix_said(bea), SECRETS_OF_ANNA)
        assert reply.startswith(f"Danke. Sie sind einander vorgestellt. Kontakt: Musterstadt: {ANNA_CONTACT}\n"), reply

        # Anna receives exactly one message, through the outbox: Beispielstadt and Bea's contact.
        await api.wait_for(lambda: any(BEA_CONTACT in m.text for m in anna.chat), timeout=30)
        await api.wait_idle()
        [told] = [m for m in anna.chat if BEA_CONTACT in m.text]
        assert f"Ihr Kontakt: Beispielstadt: {BEA_CONTACT}" in told.text and told.edits == 0
        assert len([c for c in telegram_said(api) if BEA_CONTACT in c]) == 1  # one request of the Bot API, no edit
        exchange = [b["id"] for b in await rows(store, Broadcast) if b["kind"] == "exchange"]
        deliveries = [d for d in await rows(store, Delivery) if d["broadcast_id"] in exchange]
        assert sorted((d["channel"], d["state"]) for d in deliveries) == [("matrix", "sent"), ("telegram", "sent")]
        [intro] = await rows(store, Introduction)
        assert intro["status"] == "accepted" and str(intro["id"]) == number

        # Bea leaves the exchange: Anna's next /austausch no longer lists Beispielstadt; Chateauville is still there.
        await bea.says(room, "/austausch aus", "Ihre Kommune nimmt nicht mehr am Austausch teil")
        said = await anna.says("/austausch", "Ähnliche Kommunen:")
        listing = said[-1].text  # the newest message (an earlier one may have lost its buttons meanwhile)
        assert [m for m, _ in in_order(listing)] == [second], listing
        assert naming([listing], secrets_of_bea(bea_id)) == []  # her contact went with her profile
        # What became of the introduction: not "no answer" (Bea did answer), and Beispielstadt no longer named.
        assert "Vorgestellt (angefragt am " in listing and "seither geschlossen" in listing, listing
        assert "keine Antwort" not in listing, listing

        # Carl erases himself (/supprimer): Chateauville is gone from Anna's list at once.
        await carl.says("/supprimer", "Oui, tout supprimer")
        await carl.taps("Oui, tout supprimer", "Toutes vos données ont été supprimées.")
        await anna.says("/austausch", "Noch nimmt keine andere Kommune teil")
        to_anna = telegram_said(api, anna.user.id)
        assert naming(to_anna + matrix_said(bea), SECRETS_OF_CARL) == []  # never introduced: never named
        assert naming([m.text for m in carl.chat], re.compile("Musterstadt|Beispielstadt")) == []
    finally:
        await bea.close()
