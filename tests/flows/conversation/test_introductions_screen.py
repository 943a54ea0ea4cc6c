"""Introductions as people meet them in the pure engine: Anna (Wolfach) asks to be introduced to a municipality from
her matches; Bea, Grabow's coordinator, gets the request without Wolfach's name and accepts or declines with a button
or typed. The shell is played by ``Exchange`` below: it keeps the introductions and shows each side what the stored
port would (a decline, to the asker, is still "asked"; names and contacts only once accepted)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

from flows.content.content import Content
from flows.conversation.actions import Action, AnswerIntroduction, AskIntroduction, Facts
from flows.conversation.context import Ctx
from flows.conversation.engine import Engine
from flows.conversation.screens import SCREENS, introductions
from flows.conversation.session import Session
from flows.conversation.state import State
from flows.exchange import introducing
from flows.exchange.model import Facts as Described
from flows.exchange.model import Introduction, Match, Profile, Reason
from flows.messages import Inbound, Outbound
from flows.team.view import Mate, Role, Team

WOLFACH, GRABOW = 1, 2
ANNA, BEA, CARL = 11, 21, 22
NOW = datetime(2026, 12, 7, 10, tzinfo=UTC)
PROFILES = {
    WOLFACH: Profile(
        WOLFACH, Described(name="Wolfach", kind="gemeinde", region="bw", size="s"), contact="Anna Muster, 07834 1"
    ),
    GRABOW: Profile(
        GRABOW, Described(name="Grabow", kind="stadt", region="sn", size="s", key="14522180"), contact="Bea, 038 2"
    ),
}
WHY = (Reason("size", ("s",)),)


@dataclass
class Exchange:
    """The stored introductions, as the shell keeps them, and each workspace's view of them (the port)."""

    now: datetime = NOW
    stored: list[Introduction] = field(default_factory=list)
    left: set[int] = field(default_factory=set)

    def port(self, wid: int) -> Ports:
        return Ports(self, wid)

    def take(self, actions: list[Action]) -> list[Profile | None]:
        """What the shell does with a turn's actions: per answer, the asking side's profile (accepted) or None."""
        answered: list[Profile | None] = []
        for action in actions:
            if isinstance(action, AskIntroduction):
                new = Introduction(len(self.stored) + 1, action.asking, action.asked, "asked", self.now, action.reasons)
                self.stored.append(new)
            elif isinstance(action, AnswerIntroduction):
                i = next(i for i, x in enumerate(self.stored) if x.id == action.introduction_id)
                status = "accepted" if action.accept else "declined"
                self.stored[i] = replace(self.stored[i], status=status, answered_at=self.now)  # type: ignore[arg-type]
                answered.append(PROFILES[self.stored[i].asking] if action.accept else None)
        return answered

    def seen_by(self, wid: int) -> list[Introduction]:
        seen = []
        for x in self.stored:
            if wid not in (x.asking, x.asked):
                continue
            status = "asked" if x.asking == wid and x.status == "declined" else x.status
            left = bool({x.asking, x.asked} & self.left)
            other = PROFILES[x.asked if x.asking == wid else x.asking]
            told = status == "accepted" and not left
            seen.append(
                replace(
                    x,
                    status=status,  # type: ignore[arg-type]
                    asking_facts=introducing.unnamed(PROFILES[x.asking].facts),
                    asked_facts=introducing.unnamed(PROFILES[x.asked].facts),
                    name=other.facts.name if told else None,
                    contact=other.contact if told else None,
                    left=left,
                )
            )
        return seen


@dataclass
class Ports:
    exchange: Exchange
    wid: int

    def mine(self) -> list[Introduction]:
        return self.exchange.seen_by(self.wid)

    def candidates(self) -> list[Profile]:
        return [p for w, p in PROFILES.items() if w != self.wid and w not in self.exchange.left]


class Person:
    """One member of a workspace talking to the engine."""

    def __init__(self, content: Content, exchange: Exchange, wid: int, me: int, role: Role, lang: str = "de"):
        self.content, self.exchange, self.wid = content, exchange, wid
        self.engine = Engine(content)
        self.team = Team(wid, me, role, members=(Mate(me, role, "X"),))
        self.state: State | None = None
        self.replies: list[Outbound] = []
        self.actions: list[Action] = []
        self.lang = lang
        self.says("/start")

    @property
    def facts(self) -> Facts:
        port = self.exchange.port(self.wid)
        profiles = _Profiles(self.wid, self.exchange) if self.wid not in self.exchange.left else None
        return Facts(team=self.team, profiles=profiles, introductions=port, now=self.exchange.now)

    def _send(self, inbound: Inbound) -> str:
        turn = self.engine.handle(self.state, inbound, lang=self.lang if self.state is None else None, facts=self.facts)
        self.state, self.actions = turn.state, list(turn.actions)
        self.replies = [*turn.leading, *self._shell(), *([turn.closing] if turn.closing else [])]
        return self.text

    def _shell(self) -> list[Outbound]:
        """The replies the shell adds to an answer: the asker's contact, or the thanks for declining."""
        t = self.content.catalogues.translator(self.lang)
        return [
            introducing.introduced_answerer(t, asker.facts.name, asker.contact)
            if asker is not None
            else introducing.declined(t)
            for asker in self.exchange.take(self.actions)
        ]

    def says(self, text: str) -> str:
        return self._send(Inbound(text=text))

    def taps(self, command: str) -> str:
        """A button under a request (a broadcast's command)."""
        return self._send(Inbound(command=command))

    def asks_for(self, wid: int) -> str:
        """Presses "introduce us" beside match ``wid`` on the /austausch list (that screen calls ``ask``)."""
        assert self.state is not None
        s = Session(self.content, Ctx(self.content, self.state), self.facts, SCREENS)
        introductions.ask(s, Match(PROFILES[wid], 0.8, WHY))
        _, closing = s.finish()
        self.actions = list(s.actions)
        self.replies = [*self._shell(), *([closing] if closing else [])]
        return self.text

    def status(self) -> str:
        assert self.state is not None
        s = Session(self.content, Ctx(self.content, self.state), self.facts, SCREENS)
        return "\n".join(b.text for b in introductions.status_blocks(s))

    @property
    def text(self) -> str:
        return "\n\n".join(r.text() for r in self.replies)


@dataclass
class _Profiles:
    wid: int
    exchange: Exchange

    def mine(self) -> Profile | None:
        return PROFILES[self.wid]

    def candidates(self) -> list[Profile]:
        return Ports(self.exchange, self.wid).candidates()


def people(content: Content, exchange: Exchange) -> tuple[Person, Person]:
    return Person(content, exchange, WOLFACH, ANNA, "editor"), Person(content, exchange, GRABOW, BEA, "coordinator")


def test_anna_asks_bea_accepts_and_only_then_both_see_the_other_sides_name_and_contact(content: Content):
    exchange = Exchange()
    anna, bea = people(content, exchange)
    reply = anna.asks_for(GRABOW)
    assert "Ihre Anfrage ist gesendet." in reply and "nach 14 Tagen geschlossen" in reply
    [asked] = exchange.stored
    assert (asked.asking, asked.asked, asked.reasons, asked.status) == (WOLFACH, GRABOW, WHY, "asked")
    status = anna.status()
    assert "Stadt in Sachsen (5.000 bis 20.000 Einwohner): angefragt am 07.12.2026, noch keine Antwort" in status
    assert "Grabow" not in status and "Bea" not in status
    assert "Sie haben diese Kommune bereits angefragt." in anna.asks_for(GRABOW)  # no second request
    assert len(exchange.stored) == 1

    waiting = bea.status()
    assert "Anfrage 1 vom 07.12.2026: Gemeinde in Baden-Württemberg" in waiting and "Wolfach" not in waiting
    assert "/austausch annehmen 1 oder /austausch ablehnen 1" in waiting
    reply = bea.taps("exchange accept 1")
    assert bea.actions == [AnswerIntroduction(1, True)]
    assert "Danke. Sie sind einander vorgestellt. Kontakt: Wolfach: Anna Muster, 07834 1" in reply
    assert exchange.stored[0].status == "accepted"

    assert "Vorgestellt (angefragt am 07.12.2026): Grabow: Bea, 038 2" in anna.status()
    assert "Vorgestellt (angefragt am 07.12.2026): Wolfach: Anna Muster, 07834 1" in bea.status()
    assert "bereits vorgestellt: Ihr Kontakt steht unter /austausch" in anna.asks_for(GRABOW)
    assert "Anfrage 1 wurde bereits beantwortet." in bea.says("/austausch annehmen 1")  # a second tap
    assert bea.actions == []


def test_a_decline_reads_to_anna_as_no_answer_and_after_14_days_as_closed(content: Content):
    exchange = Exchange()
    anna, bea = people(content, exchange)
    anna.asks_for(GRABOW)
    reply = bea.says("/echange refuser 1")  # typed, in French words: every language's words work
    assert bea.actions == [AnswerIntroduction(1, False)]
    assert "Die anfragende Kommune erfährt nichts von einer Absage" in reply
    status = anna.status()
    assert "angefragt am 07.12.2026, noch keine Antwort" in status
    assert "abgelehnt" not in status.casefold() and "Absage" not in status
    assert "Sie haben diese Kommune bereits angefragt." in anna.asks_for(GRABOW)
    exchange.now = NOW + timedelta(days=14)
    assert "angefragt am 07.12.2026, geschlossen, keine Antwort" in anna.status()
    assert "Sie haben diese Kommune bereits angefragt." in anna.asks_for(GRABOW)  # for 90 days after closing
    exchange.now = NOW + timedelta(days=104)
    assert "Ihre Anfrage ist gesendet." in anna.asks_for(GRABOW)


def test_only_editors_ask_and_only_the_asked_coordinators_answer(content: Content):
    exchange = Exchange()
    viewer = Person(content, exchange, WOLFACH, 12, "viewer")
    reply = viewer.asks_for(GRABOW)
    assert "Nur Mitglieder, die die Strategie Ihrer Kommune bearbeiten" in reply and viewer.actions == []
    anna, bea = people(content, exchange)
    anna.asks_for(GRABOW)
    carl = Person(content, exchange, GRABOW, CARL, "editor")
    assert "Nur die Koordination Ihres Teams kann" in carl.taps("exchange accept 1") and carl.actions == []
    assert "1 Anfrage auf Vorstellung wartet auf die Antwort Ihrer Koordination." in carl.status()
    assert "Für Ihre Kommune gibt es keine Anfrage Nummer 1." in anna.says("/austausch annehmen 1")  # her own ask
    assert "keine Anfrage Nummer 99" in bea.says("/austausch ja 99")
    assert bea.actions == [] and exchange.stored[0].status == "asked"


def test_answering_without_a_number_shows_the_waiting_requests_with_their_buttons(content: Content):
    exchange = Exchange()
    anna, bea = people(content, exchange)
    assert "Keine Anfrage wartet auf Ihre Antwort." in bea.says("/austausch annehmen")
    anna.asks_for(GRABOW)
    reply = bea.says("/austausch annehmen")
    assert "Eine Kommune möchte Ihrer Kommune vorgestellt werden (Anfrage 1):" in reply
    assert "Welche Anfrage? Bitte nennen Sie ihre Nummer, zum Beispiel /austausch annehmen 1." in reply
    [request] = [r for r in bea.replies if r.kind == "broadcast"]
    assert [c.id for c in request.choices] == ["exchange accept 1", "exchange decline 1"]
    assert "Wolfach" not in reply


def test_a_request_whose_asker_left_the_exchange_is_closed_politely(content: Content):
    exchange = Exchange()
    anna, bea = people(content, exchange)
    anna.asks_for(GRABOW)
    exchange.left.add(WOLFACH)
    reply = bea.taps("exchange accept 1")
    assert "Anfrage 1 ist geschlossen: Eine der beiden Kommunen nimmt nicht mehr am Austausch teil." in reply
    assert bea.actions == [] and "Anfrage 1" not in bea.status()
    assert "Nur eine Kommune, die am Austausch teilnimmt" in anna.asks_for(GRABOW)


def test_after_14_days_without_an_answer_the_request_can_no_longer_be_accepted(content: Content):
    exchange = Exchange()
    anna, bea = people(content, exchange)
    anna.asks_for(GRABOW)
    exchange.now = NOW + timedelta(days=14, minutes=1)
    assert "Anfrage 1 ist geschlossen: Sie wurde nicht innerhalb von 14 Tagen beantwortet." in bea.taps(
        "exchange accept 1"
    )
    assert bea.actions == []


def test_the_request_and_the_answer_in_french(content: Content):
    exchange = Exchange()
    anna = Person(content, exchange, WOLFACH, ANNA, "coordinator", lang="fr")
    bea = Person(content, exchange, GRABOW, BEA, "coordinator", lang="fr")
    assert "Votre demande est envoyée." in anna.asks_for(GRABOW)
    assert "Demande 1 du 7 déc. 2026\u202f: Commune (Gemeinde) en Bade-Wurtemberg" in bea.status()
    assert "/echange accepter 1 ou /echange refuser 1" in bea.status()
    reply = bea.says("/echange accepter 1")
    assert "Merci. La mise en relation est faite. Contact\u202f: Wolfach\u202f: Anna Muster, 07834 1" in reply


def test_the_exchange_screen_offers_the_waiting_requests_answers_as_buttons(content: Content):
    exchange = Exchange()
    anna, bea = people(content, exchange)
    anna.asks_for(GRABOW)
    bea.says("/austausch")
    labels = [c.label for c in bea.replies[-1].choices]
    assert labels[:2] == ["Anfrage 1 annehmen", "Anfrage 1 ablehnen"]
    [accept] = [c for c in bea.replies[-1].choices if c.label == "Anfrage 1 annehmen"]
    reply = bea._send(Inbound(choice=accept.id, turn=bea.replies[-1].turn))
    assert bea.actions == [AnswerIntroduction(1, True)]
    assert "Kontakt: Wolfach: Anna Muster, 07834 1" in reply
    anna.says("/austausch")  # Anna, an editor of the asking side, has nothing to answer
    assert not [c for c in anna.replies[-1].choices if "Anfrage" in c.label]
