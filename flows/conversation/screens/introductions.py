"""Introductions by double opt-in: asking for one, answering one, and what the asker sees meanwhile.

A request's buttons run ``exchange accept <id>`` / ``exchange decline <id>``; typed, ``/austausch annehmen 12`` works
in every language. The rules and texts are flows/exchange/introducing.py's; the shell stores and tells the other side.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flows.conversation.actions import AnswerIntroduction, AskIntroduction
from flows.conversation.session import Session
from flows.exchange import introducing
from flows.exchange.model import Facts, Introduction, Match
from flows.messages import Block, Bullets, Heading, Outbound
from flows.reading import fold

ACCEPT_WORDS = frozenset({"accept", "annehmen", "ja", "accepter", "oui", "yes"})
DECLINE_WORDS = frozenset({"decline", "ablehnen", "nein", "refuser", "non", "no"})


def is_answer(arg: str) -> bool:
    """``/austausch annehmen 12`` (or the button's ``accept 12``): an answer to an introduction, in any language."""
    word = fold(arg.strip().partition(" ")[0])
    return word in ACCEPT_WORDS | DECLINE_WORDS


def _now(s: Session) -> datetime:
    return s.facts.now or datetime.now(UTC)


def _mine(s: Session) -> list[Introduction]:
    port = s.facts.introductions
    return port.mine() if port is not None else []


def answer_command(s: Session, arg: str) -> None:
    """Accept or decline introduction N (the asked workspace's coordinators only)."""
    word, _, rest = arg.strip().partition(" ")
    accept = fold(word) in ACCEPT_WORDS
    number = rest.strip().lstrip("#")
    team = s.facts.team
    if not number.isdigit() or len(number) > 9:
        open_now = waiting(s)
        if not open_now:
            return s.say(s.t("No request for an introduction waits for your answer."))
        s.before.extend(waiting_requests(s))
        typed = introducing.answers_typed(s.content, s.state.lang, open_now[0].id)[0 if accept else 1]
        return s.say(s.t("Which request? Please add its number, for example {command}.", command=typed))
    intro_id = int(number)
    intro = next((i for i in _mine(s) if i.id == intro_id), None)
    why = (
        introducing.unanswerable(intro, team.workspace_id, team.coordinates, _now(s)) if team is not None else "unknown"
    )
    if why is not None:
        return s.say(introducing.cannot_answer(s.t, why, intro_id))
    s.actions.append(AnswerIntroduction(intro_id, accept))  # the shell replies, with the contact on acceptance


def waiting(s: Session) -> list[Introduction]:
    """Requests this coordinator may answer now, oldest first."""
    team, now = s.facts.team, _now(s)
    if team is None or not team.coordinates:
        return []
    found = [i for i in _mine(s) if introducing.unanswerable(i, team.workspace_id, True, now) is None]
    return sorted(found, key=lambda i: i.asked_at)


def waiting_requests(s: Session) -> list[Outbound]:
    """The requests waiting for this coordinator's answer, each as it was sent (with its buttons)."""
    return [
        introducing.request(s.content, s.t, i.id, i.asking_facts or Facts(), i.reasons, i.asked_at) for i in waiting(s)
    ]


def ask(s: Session, match: Match) -> None:
    """The person asks to be introduced to the municipality of ``match`` (from the /austausch list)."""
    team, profiles = s.facts.team, s.facts.profiles
    if team is None or profiles is None or profiles.mine() is None:
        return s.say(s.t("Only a municipality that takes part in the exchange can ask for an introduction."))
    if not team.can_edit:
        return s.say(
            s.t(
                "Only members who edit your municipality’s strategy can ask for an introduction. "
                "Please ask your coordinators."
            )
        )
    asked = match.profile.workspace_id
    refused = introducing.refusal(_mine(s), team.workspace_id, asked, _now(s))
    if refused is not None:
        return s.say(introducing.cannot_ask(s.t, s.content, *refused))
    s.actions.append(AskIntroduction(team.workspace_id, asked, match.reasons))
    s.say(introducing.asked_now(s.t))


def status_blocks(s: Session) -> list[Block]:
    """What the workspace's introductions stand at, for the /austausch screen (none: [])."""
    team = s.facts.team
    if team is None or s.facts.introductions is None:
        return []
    lines = introducing.status_lines(s.content, s.t, team.workspace_id, _mine(s), _now(s), team.coordinates)
    return [Heading(s.t("Introductions")), Bullets(tuple(lines))] if lines else []
