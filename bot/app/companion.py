"""The app shell around the engine: load, handle, commit, then hand replies to a channel."""

from __future__ import annotations

import asyncio
import logging
import time
import weakref
from collections import OrderedDict
from contextlib import AbstractAsyncContextManager, nullcontext
from dataclasses import dataclass, field, replace

from sqlalchemy.exc import DBAPIError, OperationalError

from bot.app import clock, exchange, followup, metrics, privacy, statistics
from bot.app.commons import StoredCommons
from bot.app.effects import Actor, apply
from bot.app.identities import IDENTITIES
from bot.app.introductions import StoredIntroductions
from bot.app.practice import StoredPractice
from bot.app.registry import StoredRegistry
from bot.app.team import team_of
from bot.documents.press import LIMITS, NotMade, Press
from bot.documents.templates import checked
from flows import notices
from flows.content.loader import Content
from flows.conversation import overview
from flows.conversation.actions import DeleteWorkspace, Effect, Facts, Link, role_of
from flows.conversation.context import Ctx, place_name
from flows.conversation.engine import Engine, Stored, Turn
from flows.documents.model import Rendering
from flows.messages import Attachment, Block, Inbound, Outbound, Paragraph
from flows.statistics.model import Rejected, Sheet
from flows.team import rooms
from flows.team.authorship import entry_authors
from flows.team.deletion import NOT_COORDINATOR
from flows.team.messages import JOINED
from storage.base import Conflict, Saved
from storage.conversations import Change
from storage.models import utcnow
from storage.store import Store, Unit

log = logging.getLogger(__name__)
RETRIES = (0.2, 0.6, 1.5)
WORKSPACES_KEPT = 100_000
"""Writers whose workspace is remembered (see ``Companion._workspace_of``)."""
TRANSIENT = (OperationalError, DBAPIError, OSError, asyncio.TimeoutError, ConnectionError, Conflict)


class Unavailable(Exception):
    """The database could not be reached; the message was not taken in."""


@dataclass
class Response:
    """What a channel sends back, plus what it should do (``Effect.QUIT`` ends a terminal session)."""

    replies: list[Outbound] = field(default_factory=list)
    effects: list[Effect] = field(default_factory=list)
    outcome: str = "answered"
    """For metrics and logs: answered, duplicate, unavailable or error."""


class Companion:
    """Handles one inbound message per call, in order per user, committing before it returns."""

    def __init__(
        self,
        content: Content,
        store: Store,
        default_language: str = "de",
        admins: frozenset[str] = frozenset(),
        press: Press | None = None,
    ):
        self.content = content
        self.press = press or Press(content.root / "templates", workers=0, warm_up=False)
        """Renders the documents of replies off the event loop (one thread unless the caller gives a pool)."""
        self.admins = admins
        """``channel:ref`` of the configured admins (numeric Telegram ids, full Matrix IDs)."""
        self.store = store
        self.engine = Engine(content)
        self.engine.warm()
        self.default_language = default_language
        self.join_links: dict[str, str] = {}
        """A channel's deep link for an invitation code (``{code}``), set by the channel (Telegram after getMe)."""
        self._locks: weakref.WeakValueDictionary[tuple[str, str], asyncio.Lock] = weakref.WeakValueDictionary()
        self._workspace_of: OrderedDict[tuple[str, str], int] = OrderedDict()
        """The workspace each recent writer worked on, so that one team's messages take turns in this process
        instead of running into each other's writes (``Conflict``) and starting again."""
        self.candidates = exchange.Candidates()
        """The exchange's opted-in profiles, packed for matching, while nobody changed one."""

    def _lock(self, channel: str, ref: str) -> asyncio.Lock:
        lock = self._locks.get((channel, ref))
        if lock is None:
            lock = self._locks[(channel, ref)] = asyncio.Lock()
        return lock

    def _team_turn(self, channel: str, ref: str) -> AbstractAsyncContextManager[object]:
        """The lock of the workspace this person last wrote to (none before their first message here)."""
        wid = self._workspace_of.get((channel, ref))
        return self._lock("#workspace", str(wid)) if wid is not None else nullcontext()

    def _remember(self, channel: str, ref: str, wid: int | None) -> None:
        key = (channel, ref)
        if wid is None:
            self._workspace_of.pop(key, None)
            return
        self._workspace_of[key] = wid
        self._workspace_of.move_to_end(key)
        if len(self._workspace_of) > WORKSPACES_KEPT:
            self._workspace_of.popitem(last=False)

    async def handle(
        self,
        channel: str,
        ref: str,
        inbound: Inbound,
        lang: str | None = None,
        *,
        hint: str | None = None,
        redeliverable: bool = False,
        address: str | None = None,
        documents: bool = True,
    ) -> Response:
        """Replies for the user; empty for a message seen before. Never raises for a user's input.

        ``lang`` sets the language; ``hint`` is only a first guess for a new user (e.g. the
        messenger's language). With ``redeliverable`` the platform sends the message again later,
        so a database outage raises :class:`Unavailable` instead of asking the user to resend.
        ``address`` is where broadcasts reach this person when it is not ``ref`` (a Matrix room).
        Each message is counted, timed and logged (bot/app/metrics.py). The replies' documents are rendered
        after the commit (:meth:`make_documents`); a channel that sends from a queue of its own passes
        ``documents=False`` and has them made there, so that its intake never waits for a document.
        """
        started, outcome = time.perf_counter(), "error"
        try:
            inbound = await checked(inbound)  # a DOCX/ODT file's verdict, off the event loop, before the unit
            sheet = await statistics.read_sheet(inbound)  # a statistics file, read the same way
            response = await self._take(channel, ref, inbound, lang, hint, redeliverable, address, sheet)
            outcome = response.outcome
        except Unavailable:
            outcome = "unavailable"
            raise
        except asyncio.CancelledError:
            outcome = "cancelled"
            raise
        finally:
            metrics.handled(channel, inbound, outcome, time.perf_counter() - started)
        if documents:
            await self.make_documents(channel, response)
        return response

    async def make_documents(self, channel: str, response: Response) -> None:
        """Turn each reply's documents into attachments, after the commit and outside the person's lock (the
        channel sends one chat's replies in order, so they still arrive in order); what fails is said instead."""
        for reply in response.replies:
            if not reply.documents:
                continue
            renderings, reply.documents = reply.documents, []
            made = await asyncio.gather(*(self._attachment(channel, r) for r in renderings))
            files = [m for m in made if isinstance(m, Attachment)]
            problems: list[Block] = [Paragraph(m) for m in dict.fromkeys(m for m in made if isinstance(m, str))]
            reply.attachments += files
            reply.blocks = [*reply.blocks, *problems] if files else problems

    async def _attachment(self, channel: str, rendering: Rendering) -> Attachment | str:
        """The file, or what to tell the person instead, in the document's language."""
        try:
            return await self.press.attachment(rendering, self.content.root / "templates", LIMITS.get(channel))
        except NotMade as exc:
            return self.content.catalogues.translator(rendering.document.lang)(exc.message, **exc.params)

    def close(self) -> None:
        """Stop the document workers."""
        self.press.close()

    async def _take(
        self,
        channel: str,
        ref: str,
        inbound: Inbound,
        lang: str | None,
        hint: str | None,
        redeliverable: bool,
        address: str | None,
        sheet: Sheet | Rejected | None = None,
    ) -> Response:
        async with self._lock(channel, ref), self._team_turn(channel, ref):
            for delay in (*RETRIES, None):
                try:
                    return await self._handle(channel, ref, inbound, lang, hint, address, sheet)
                except TRANSIENT as exc:
                    log.warning(
                        "database unavailable (%s); %s",
                        type(exc).__name__,
                        "retrying" if delay is not None else "giving up",
                    )
                    if delay is None:
                        if redeliverable:
                            raise Unavailable from exc
                        return replace(self.notice(lang or hint, notices.NOT_SAVED_RESEND), outcome="unavailable")
                    await asyncio.sleep(delay)
                except Exception:
                    log.exception("unexpected error while handling a message")
                    return replace(self.notice(lang or hint, notices.SOMETHING_WENT_WRONG), outcome="error")
        return Response()

    async def current(self, channel: str, ref: str) -> Outbound:
        """The question a user is at, as last shown (e.g. to show another page of its buttons)."""

        def look(unit: Unit) -> Outbound:
            account, saved = unit.open_conversation(channel, ref, self.default_language)
            return self.engine.present(Stored(saved.position, saved.answers, account.language))

        return await self.store.run(look)

    def notice(self, lang: str | None, message: str, **params: object) -> Response:
        """A one-paragraph message in the user's language (``message`` is a msgid)."""
        t = self.content.catalogues.translator(lang or self.default_language)
        return Response([Outbound([Paragraph(t(message, **params))])])

    async def bind_room(self, channel: str, room: str, ref: str, hint: str | None = None) -> Response:
        """Someone wrote the room command in a group chat or room: bind it to their workspace if they coordinate it."""

        def work(unit: Unit) -> Response:
            person = unit.working_on(channel, ref)
            t = self.content.catalogues.translator(person[1] if person else hint or self.default_language)
            wid = person[2] if person else None
            me = unit.member(wid, person[0]) if person and wid is not None else None
            if person is None or wid is None or not rooms.may_bind(me[0] if me else None):
                return Response([Outbound([Paragraph(rooms.refused(t))])])
            unit.bind_room(channel, room, wid, person[0])
            unit.log_admin(f"{channel}:{ref}", "bind_room", f"workspace:{wid}", {"room": f"{channel}:{room}"})
            return Response([Outbound([Paragraph(rooms.bound(t, unit.workspace_name(wid)))])])

        return await self.store.run(work)

    async def reachable(self, channel: str, ref: str, active: bool, status: str | None = None) -> None:
        """Record what the platform said about reaching a user (e.g. they blocked the bot)."""
        await self.store.run(lambda unit: unit.set_reachable(channel, ref, active, status))

    async def unreachable_at(self, channel: str, address: str, status: str) -> None:
        """Nobody can be reached at this address any more (a Matrix room the person left)."""
        await self.store.run(lambda unit: unit.set_unreachable_at(channel, address, status))

    async def moved(self, channel: str, ref: str, new_ref: str) -> None:
        """The platform gave a chat a new id."""
        await self.store.run(lambda unit: unit.move_identity(channel, ref, new_ref))

    async def _handle(
        self,
        channel: str,
        ref: str,
        inbound: Inbound,
        lang: str | None,
        hint: str | None,
        address: str | None,
        sheet: Sheet | Rejected | None = None,
    ) -> Response:
        try:
            return await self.store.run_message(
                lambda unit: self._work(unit, channel, ref, inbound, lang, hint, address, sheet)
            )
        except TRANSIENT as exc:
            metrics.database_error(exc)
            raise

    def _work(
        self,
        unit: Unit,
        channel: str,
        ref: str,
        inbound: Inbound,
        lang: str | None,
        hint: str | None,
        address: str | None = None,
        sheet: Sheet | Rejected | None = None,
    ) -> Response:
        """One message in one transaction: the caller commits before any reply is sent. ``sheet`` is the statistics
        file the message carries, read before the unit (:func:`bot.app.statistics.read_sheet`)."""
        opened = unit.open(channel, ref, lang or hint or self.default_language, address, inbound.message_id or None)
        if not opened.fresh:
            return Response(outcome="duplicate")
        account, saved, sub, granted = opened.account, opened.saved, opened.subscriber, opened.granted
        self._remember(channel, ref, saved.shared.workspace_id if saved.shared is not None else None)
        team = team_of(saved.shared, account.user_id)
        wid = team.workspace_id if team is not None else None
        now = clock.now()
        role = role_of(f"{channel}:{ref}" in self.admins, granted)
        profiles, registry = exchange.StoredProfiles(unit, wid, self.candidates), StoredRegistry(unit)
        facts = Facts(
            subscribed=bool(sub and sub.active),
            topics=sub.topics if sub else (),
            sub_language=sub.language if sub else None,
            role=role,
            now=now,
            identities=IDENTITIES,
            erased=opened.erased,
            team=team,
            removed=saved.removed,
            deleted=saved.deleted,
            registry=registry,
            sheet=sheet,
            practice=StoredPractice(unit, wid, account.user_id),
            profiles=profiles,
            introductions=StoredIntroductions(unit, wid),
            commons=StoredCommons(unit, wid, role is not None),
        )
        turn = self.engine.handle(
            Stored(saved.position, saved.answers, account.language), inbound, lang=lang, facts=facts
        )
        _with_templates(unit, saved, turn)
        if Effect.DELETE_ME in turn.effects:
            unit.delete_user(account.user_id)
            return Response(turn.replies, list(turn.effects))
        if opened.erased:  # they deleted everything: nobody is stored until they start again
            if turn.state.mode == "new":
                return Response(turn.replies, list(turn.effects))
            account = unit.start_again(channel, ref, turn.state.lang, address)
        early = self._before_save(unit, account.user_id, channel, ref, turn)
        if early is not None:
            return early
        called = inbound.name[:64] if inbound.name else None
        self._persist(unit, account.user_id, saved, turn, called)
        if turn.changes and wid is not None:
            exchange.refresh(unit, self.content, profiles, turn.state.answers, registry)
        me = team.mate(account.user_id) if team is not None else None
        if team is not None and me is not None and called and called != me.name:
            unit.rename_member(team.workspace_id, account.user_id, called)
        if turn.actions:
            link = self.join_links.get(channel)
            actor = Actor(account.user_id, channel, ref, turn.state.lang, facts.role, called, link)
            turn.results += apply(unit, self.content, actor, turn.actions, now)
            if any(r.expects == JOINED for r in turn.results):
                turn.closing = self._in_team(unit, account.user_id, channel, ref, turn.state.lang, facts)
        followup.after_turn(
            unit, unit.workspace, [c.step_id for c in turn.changes], turn.actions, turn.state.answers, now
        )
        if Effect.SHOW_MY_DATA in turn.effects:
            data = overview.StoredData(**unit.stored(account.user_id))
            turn.results.append(Outbound(overview.stored_data(Ctx(self.content, turn.state), data)))
        return Response(turn.replies, list(turn.effects))

    def _in_team(self, unit: Unit, user_id: int, channel: str, ref: str, lang: str, facts: Facts) -> Outbound | None:
        """Right after joining: the team's first open question, where the newcomer's own place starts."""
        _, saved = unit.open_conversation(channel, ref, lang)
        team = team_of(saved.shared, user_id)
        turn = self.engine.handle(
            Stored(saved.position, saved.answers, lang),
            Inbound(event="start"),
            lang=lang,
            facts=replace(facts, team=team),
        )
        if turn.changes or turn.actions:
            return None  # starting never answers anything; if it did, the next message takes it up instead
        unit.save(user_id, saved, self.content.version, turn.state.position(), [], lang)
        return turn.closing

    def _before_save(self, unit: Unit, user_id: int, channel: str, ref: str, turn: Turn) -> Response | None:
        """Linking and deleting a workspace change whose conversation this is: their reply, without a save."""
        t = self.content.catalogues.translator(turn.state.lang)
        for action in turn.actions:
            if isinstance(action, DeleteWorkspace):
                if privacy.delete_workspace(unit, user_id, f"{channel}:{ref}", action):
                    return Response(turn.replies, list(turn.effects))
                return self.notice(turn.state.lang, NOT_COORDINATOR)
            if isinstance(action, Link):
                linked, message = privacy.link(unit, user_id, action.code, utcnow(), t)
                if not linked:
                    turn.results.append(message)
                    continue
                account, saved = unit.open_conversation(channel, ref, turn.state.lang)
                question = self.engine.present(Stored(saved.position, saved.answers, account.language))
                return Response([message, question], list(turn.effects))
        return None

    def _persist(self, unit: Unit, user_id: int, saved: Saved, turn: Turn, name: str | None) -> None:
        written = saved.shared.written if saved.shared is not None else {}

        def authors(step_id: str, old: object, new: object) -> list[int | None] | None:
            before = written.get(step_id)
            if before is None:
                return entry_authors(old, None, new, user_id)
            return entry_authors(old, before.authors, new, user_id, before.author_id)

        changes = [Change(c.step_id, c.kind, c.old, c.new, authors(c.step_id, c.old, c.new)) for c in turn.changes]
        unit.save(user_id, saved, self.content.version, turn.state.position(), changes, turn.state.lang, name)
        profile_steps = self.content.profile_steps
        if any(c.step_id in profile_steps.values() for c in turn.changes):
            profile = {k: turn.state.answers.get(s) for k, s in profile_steps.items()}
            if profile.get("name") is not None:  # a place picked in the directory is stored by its name
                profile["name"] = place_name(profile["name"])
            unit.set_profile(user_id, profile)


def _with_templates(unit: Unit, saved: Saved, turn: Turn) -> None:
    """Give each document to be rendered as DOCX or ODT the workspace's own template (``/vorlage``), if it has one."""
    if saved.shared is None:
        return
    for reply in turn.replies:
        reply.documents = [
            replace(r, template=unit.template(saved.shared.workspace_id, r.format))
            if r.format in ("docx", "odt")
            else r
            for r in reply.documents
        ]
