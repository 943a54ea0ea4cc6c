"""A team on one strategy: the coordinator invites, colleagues join with a code, /team lists them, roles change."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import update

from bot.app.companion import Companion
from flows.messages import Inbound
from storage.models import AdminLog, Answer, Code, Member, Workspace, utcnow
from storage.store import Store
from tests.bot.talk import Person, rows, user_id

CODE = re.compile(r"\b[2-9A-HJKMNP-Z]{8}\b")


class Named(Person):
    """A person whose messenger tells their name."""

    def __init__(self, companion: Companion, ref: str, called: str | None, channel: str = "telegram"):
        super().__init__(companion, ref, channel)
        self.called = called

    async def says(self, text: str) -> str:
        return await self._send(Inbound(text=text, name=self.called))

    async def presses(self, choice_id: str) -> str:
        assert choice_id in self.offered, f"no button {choice_id!r} in {self.offered}"
        assert self.question is not None
        return await self._send(Inbound(choice=choice_id, turn=self.question.turn, name=self.called))


async def coordinator(companion: Companion) -> Named:
    """Anna starts the strategy of Musterstadt on Telegram."""
    anna = Named(companion, "1001", "Anna Muster")
    await anna.says("/start")
    for line in ("Musterstadt", "2", "13", "3", "2, 5, 9"):
        await anna.says(line)
    return anna


async def invite(anna: Named, role: str = "editor") -> str:
    await anna.says("/einladen")
    reply = await anna.presses(f"r:{role}")
    found = CODE.search(reply)
    assert found, reply
    return found.group(0)


async def test_a_coordinator_invites_a_colleague_who_joins_from_the_terminal(companion, store):
    anna = await coordinator(companion)
    code = await invite(anna)
    assert "Einladungscode" in anna.text and "„Bearbeitung“" in anna.text and "/beitreten " + code in anna.text
    assert "t.me" not in anna.text  # no Telegram link unless the channel knows its bot
    ben = Named(companion, "ben", "ben", channel="console")
    reply = await ben.says(f"/join {code[:4].lower()}-{code[4:].lower()}")
    assert "Willkommen im Team von Musterstadt! Ihre Rolle dort: Bearbeitung." in reply
    assert "beantworten und ändern Sie alle Fragen" in reply
    assert "Kick-Off · Frage 1 von 10" in reply  # the team's first open question, not the onboarding again

    reply = await anna.says("/team")
    assert "Team von Musterstadt" in reply
    assert "Anna Muster (Sie): Koordination (Telegram)" in reply and "ben: Bearbeitung (Terminal)" in reply
    bid = await user_id(store, ben)
    members = await rows(store, Member)
    assert {(m["user_id"], m["role"], m["name"]) for m in members} >= {(bid, "editor", "ben")}
    log = await rows(store, AdminLog, AdminLog.action == "join")
    assert log[0]["target"].startswith("workspace:") and log[0]["detail"]["role"] == "editor"


async def test_one_greeted_before_joining_keeps_no_empty_workspace_of_their_own(companion, store):
    """The terminal and Matrix greet before the first line; joining then leaves nothing of one's own behind."""
    anna = await coordinator(companion)
    code = await invite(anna, "viewer")
    carl = Named(companion, "carl", "carl", channel="console")
    assert "Guten Tag!" in await carl._send(Inbound(event="resume", name="carl"))
    assert len(await rows(store, Workspace)) == 2  # the greeting was saved, in a workspace of Carl's own
    assert "Ihre Rolle dort: Lesezugriff." in await carl.says(f"/join {code}")
    [musterstadt] = await rows(store, Workspace)
    assert {m["workspace_id"] for m in await rows(store, Member)} == {musterstadt["id"]}
    assert {a["workspace_id"] for a in await rows(store, Answer)} == {musterstadt["id"]}


async def test_a_name_given_by_the_messenger_later_replaces_the_fallback(companion, store):
    anna = await coordinator(companion)
    code = await invite(anna, "viewer")
    ben = Named(companion, "2002", None)
    await ben.says(f"/beitreten {code}")
    assert "Mitglied 2: Lesezugriff (Telegram)" in await anna.says("/team")
    ben.called = "Ben"
    await ben.says("hallo")
    assert "Ben: Lesezugriff (Telegram)" in await anna.says("/team")


async def test_only_a_coordinator_invites(companion):
    anna = await coordinator(companion)
    code = await invite(anna, "editor")
    ben = Named(companion, "2002", "Ben")
    await ben.says(f"/rejoindre {code}")
    reply = await ben.says("/invite")
    assert "Das kann nur die Koordination des Teams. Bitte wenden Sie sich an Anna Muster." in reply
    assert "r:editor" not in ben.all_choice_ids


async def test_the_coordinator_changes_a_role_and_removes_a_member(companion, store):
    anna = await coordinator(companion)
    ben = Named(companion, "2002", "Ben")
    await ben.says(f"/join {await invite(anna)}")
    bid = await user_id(store, ben)
    await anna.says("/team")
    await anna.presses(f"m:{bid}")
    assert "Ben hat die Rolle „Bearbeitung“" in anna.text
    reply = await anna.presses("r:owner")
    assert "Ben hat jetzt die Rolle „Maßnahmenverantwortung“." in reply
    assert [m["role"] for m in await rows(store, Member, Member.user_id == bid)] == ["owner"]

    await anna.says("/equipe")
    await anna.presses(f"m:{bid}")
    reply = await anna.presses("_remove")
    assert "Ben wirklich aus dem Team entfernen?" in reply
    reply = await anna.presses("_yes")
    assert "Ben gehört nicht mehr zum Team." in reply
    assert await rows(store, Member, Member.user_id == bid) == []
    actions = [r["action"] for r in await rows(store, AdminLog)]
    assert actions[-2:] == ["set_role", "remove_member"]

    reply = await ben.says("Hallo?")
    assert "Sie wurden aus dem Team von Musterstadt entfernt" in reply
    assert "Musterstadt" not in reply.split("Wir beginnen neu.", 1)[1]
    reply = await ben.says("/team")
    assert "Musterstadt" not in reply and "Anna" not in reply  # their own new workspace, alone


async def test_the_last_coordinator_stays(companion, store):
    anna = await coordinator(companion)
    ben = Named(companion, "2002", "Ben")
    await ben.says(f"/join {await invite(anna)}")
    aid = await user_id(store, anna)
    await anna.says("/team")
    await anna.presses(f"m:{aid}")
    reply = await anna.presses("r:editor")
    assert "Ein Arbeitsbereich braucht immer eine Koordination." in reply
    reply = await anna.presses("_remove")
    assert "Ein Arbeitsbereich braucht immer eine Koordination." in reply
    assert [m["role"] for m in await rows(store, Member, Member.user_id == aid)] == ["coordinator"]


async def test_used_expired_and_unknown_codes_are_refused_kindly(companion, store: Store):
    anna = await coordinator(companion)
    code = await invite(anna)
    await Named(companion, "2002", "Ben").says(f"/join {code}")
    carl = Named(companion, "3003", "Carl")
    assert "Dieser Code wurde schon benutzt." in await carl.says(f"/join {code}")

    late = await invite(anna)

    def expire(unit):  # type: ignore[no-untyped-def]
        unit.conn.execute(update(Code).where(Code.code == late).values(expires_at=utcnow() - timedelta(minutes=1)))

    await store.run(expire)
    assert "Dieser Code ist abgelaufen" in await carl.says(f"/join {late}")
    assert "Diesen Code kenne ich nicht." in await carl.says("/join ABCDEFGH")
    assert [m["role"] for m in await rows(store, Member, Member.user_id == await user_id(store, carl))] in (
        [],
        ["coordinator"],
    )


async def test_wrong_codes_are_rate_limited(companion, store):
    anna = await coordinator(companion)
    code = await invite(anna)
    mallory = Named(companion, "6666", "M")
    for guess in ("AAAAAAAA", "BBBBBBBB", "CCCCCCCC", "DDDDDDDD", "EEEEEEEE"):
        assert "Diesen Code kenne ich nicht." in await mallory.says(f"/join {guess}")
    reply = await mallory.says(f"/join {code}")  # even the right code waits now
    assert "Zu viele falsche Codes. Bitte versuchen Sie es in 60 Minuten wieder." in reply
    mid = await user_id(store, mallory)
    assert all(m["role"] == "coordinator" for m in await rows(store, Member, Member.user_id == mid))


async def test_a_telegram_deep_link_joins_too(companion, store):
    companion.join_links["telegram"] = "https://t.me/daks_bot?start=join-{code}"
    anna = await coordinator(companion)
    code = await invite(anna, "coordinator")
    assert f"https://t.me/daks_bot?start=join-{code}" in anna.text
    ben = Named(companion, "2002", "Ben")
    reply = await ben.says(f"/start join-{code}")
    assert "Willkommen im Team von Musterstadt! Ihre Rolle dort: Koordination." in reply


async def test_a_french_coordinator_invites_and_an_english_colleague_joins(companion):
    anna = await coordinator(companion)
    await anna.says("/langue fr")
    await anna.says("/inviter")
    assert "Quel rôle votre collègue doit-il avoir\u202f?" in anna.text
    reply = await anna.presses("r:owner")
    assert "le rôle «\u202fpilote d’action\u202f»" in reply
    found = CODE.search(reply)
    assert found
    ben = Named(companion, "2002", "Ben")
    ben.lang = "en"
    await ben.says("/language en")
    reply = await ben.says(f"/beitreten {found.group(0)}")
    assert "Welcome to the team of Musterstadt! Your role there: measure owner." in reply
    assert "update the Werkstattplan measures assigned to them" in reply


async def test_the_role_can_be_named_with_the_command_in_any_language(companion, store):
    anna = await coordinator(companion)
    reply = await anna.says("/einladen Lesezugriff")
    assert "„Lesezugriff“" in reply and CODE.search(reply), reply  # the code at once, no role question
    reply = await anna.says("/einladen rédaction")  # the French name of "Bearbeitung"
    assert "„Bearbeitung“" in reply and CODE.search(reply), reply
    reply = await anna.says("/einladen Chefin")
    assert "Die Rolle „Chefin“ kenne ich nicht." in reply and "Welche Rolle soll" in reply
    assert not CODE.search(reply)
    codes = await rows(store, Code)
    assert sorted(c["role"] for c in codes) == ["editor", "viewer"]
