"""What the engine asks the app shell to do beyond saving the conversation, and what it needs to know."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, Literal

from flows.exchange.model import CommonsPort, Introductions, Profiles, Reason
from flows.practice.model import Practice, Setting, Status
from flows.statistics.model import Registry, Rejected, Sheet
from flows.team.view import Team

Role = Literal["admin", "editor"]


class Effect(StrEnum):
    """What a turn asks of the app shell and the channel beyond its replies (values as logged and tested)."""

    SHOW_MY_DATA = "show_data"
    """The shell fills the turn's results with what is stored about the person."""
    DELETE_ME = "delete_all"
    """The shell erases the person; a channel forgets what it keeps for them (exported files)."""
    QUIT = "quit"
    """A terminal session ends."""
    STALE = "stale"
    """A pressed button belonged to an earlier message; the channel removes its keyboard."""


def role_of(configured_admin: bool, granted: str | None) -> Role | None:
    """Admins are named in the configuration; editors are granted the role by an admin."""
    return "admin" if configured_admin else "editor" if granted == "editor" else None


@dataclass(frozen=True)
class Identities:
    """How the shell's channels name a person (``channel:ref``), for granting roles in chat.

    flows knows no platform's id format: the shell says which references are valid and how to write them.
    The texts are msgids (marked with ``N_`` where the shell defines them) that the engine translates.
    """

    prefixes: tuple[str, ...] = ()
    """A valid reference starts with one of these; with none, no one can be named."""
    commands: str = ""
    """The admin commands' summary, which shows how to name an editor."""
    editor: str = ""
    """How to write an editor command, with an example for each channel."""


@dataclass(frozen=True)
class Facts:
    """What storage and configuration know about the person writing, for this one message."""

    subscribed: bool = False
    topics: tuple[str, ...] = ()
    sub_language: str | None = None
    role: Role | None = None
    now: datetime | None = None
    identities: Identities = Identities()
    erased: bool = False
    """This person deleted all their data here; nothing is stored until they start again (/start)."""
    team: Team | None = None
    """The workspace whose strategy they work on (None before their first answer is stored)."""
    removed: str | None = None
    """They were removed from a workspace (its name, or "") since their last message: they start afresh."""
    deleted: str | None = None
    """Their workspace (its name, or "") was deleted by its coordinator since their last message."""
    registry: Registry | None = None
    """The stored municipality directory and statistics (None: none is at hand, e.g. a test without storage)."""
    sheet: Sheet | Rejected | None = None
    """A statistics file sent with this message, read by the shell before the turn (off the event loop): what it
    holds, or why it cannot be imported. None when no file was sent or it is no statistics file."""
    practice: Practice | None = None
    """The workspace's status reports, plan versions and the person's reminders (None: none at hand)."""
    profiles: Profiles | None = None
    """The workspace's exchange profile and the other opted-in ones (None: none at hand)."""
    introductions: Introductions | None = None
    """Introductions the workspace asked for or was asked for (None: none at hand)."""
    commons: CommonsPort | None = None
    """Shared good practice: approved, waiting for review, the workspace's own (None: none at hand)."""


@dataclass(frozen=True)
class RequestConsent:
    """The consent text was shown and a confirmation asked for (double opt-in, first step)."""

    topics: tuple[str, ...]
    language: str
    version: str


@dataclass(frozen=True)
class Confirm:
    topics: tuple[str, ...]
    language: str
    version: str


@dataclass(frozen=True)
class ChangeSubscription:
    topics: tuple[str, ...]
    language: str


@dataclass(frozen=True)
class Withdraw:
    """End the subscription now (or drop an unconfirmed request)."""


@dataclass(frozen=True)
class Attend:
    event_id: int
    attending: bool


@dataclass(frozen=True)
class ShowEvents:
    """List upcoming events (with the admin's view of RSVP counts for admins and editors)."""


@dataclass(frozen=True)
class PublishEvent:
    values: dict[str, Any]


@dataclass(frozen=True)
class SendNewsletter:
    values: dict[str, Any]
    due_at: datetime | None = None


@dataclass(frozen=True)
class ShowBroadcasts:
    broadcast_id: int | None = None


@dataclass(frozen=True)
class CancelBroadcast:
    broadcast_id: int


@dataclass(frozen=True)
class SetEditor:
    """Grant (or with ``granted=False`` revoke) the editor role of ``who`` (``channel:ref``; see ``Identities``)."""

    who: str
    granted: bool


@dataclass(frozen=True)
class ShowEditors:
    pass


@dataclass(frozen=True)
class MakeLinkCode:
    """Give the person a code to link another messenger to them; ``command`` is what to type there."""

    command: str


@dataclass(frozen=True)
class Link:
    """Join this messenger identity to the person who made ``code`` (normalised, see flows/team/codes.py)."""

    code: str


@dataclass(frozen=True)
class DeleteWorkspace:
    """The coordinator deletes their workspace with everything in it (confirmed by its name)."""

    workspace_id: int


# -- the team: notices and approvals ---------------------------------------------------------
@dataclass(frozen=True)
class TellTeam:
    """Tell the workspace's other members (those with notices on) that a stage was completed or approved."""

    workspace_id: int
    stage_id: str
    kind: Literal["completed", "approved"]
    agreed_on: str | None = None


@dataclass(frozen=True)
class Approve:
    """The steering group agreed a stage on ``agreed_on`` (ISO date); ``answers`` are the stage's answers now."""

    workspace_id: int
    stage_id: str
    agreed_on: str
    answers: dict[str, Any]


@dataclass(frozen=True)
class SetNotices:
    """Turn the person's team notices in a workspace on or off."""

    workspace_id: int
    on: bool


# -- the team (flows/team): rules are checked in flows, the shell only stores ----------------
@dataclass(frozen=True)
class Invite:
    """Make a join code for ``role`` in workspace ``workspace_id`` (None: the one this turn's save made)."""

    workspace_id: int | None
    role: str


@dataclass(frozen=True)
class Join:
    """Join the workspace of a code (normalised by flows/team/codes.py; None when it cannot be one).

    Once in, the conversation restarts at ``restart`` (a fresh position): the next message goes on at the
    team's first open question. With ``leave_own`` the workspace they worked in alone, holding nothing
    but the greeting's marks, goes (else they stay its member)."""

    code: str | None
    restart: dict[str, Any]
    leave_own: bool = False


@dataclass(frozen=True)
class SetMemberRole:
    workspace_id: int
    user_id: int
    role: str


@dataclass(frozen=True)
class RemoveMember:
    workspace_id: int
    user_id: int


# -- the workspace's own document templates (flows/conversation/screens/templates.py) ---------
@dataclass(frozen=True)
class ShowTemplates:
    """Tell the coordinator which own templates the workspace has (None: the one this turn's save made)."""

    workspace_id: int | None


@dataclass(frozen=True)
class SendDefaultTemplates:
    """Send the default DOCX and ODT templates (content/templates/document.*) to adapt."""


@dataclass(frozen=True)
class SaveTemplate:
    """Store a checked template for ``format`` (docx, odt), replacing the workspace's previous one."""

    workspace_id: int | None
    format: str
    file_name: str
    data: bytes


@dataclass(frozen=True)
class RemoveTemplate:
    """Remove the workspace's own template for ``format`` (None: both); exports use the default again."""

    workspace_id: int | None
    format: str | None = None


# -- statistics for the Kommunalprofil (flows/conversation/screens/indicators.py) -------------
@dataclass(frozen=True)
class ImportSheet:
    """Store a statistics file's figures for the workspace (None: the one this turn's save made).

    ``sheet`` holds only the figures of the place, its Kreis and its Land (a register extract's with the place's
    key); ``data`` is the file as sent, whose hash makes a second import of it change nothing."""

    workspace_id: int | None
    sheet: Sheet
    file_name: str
    data: bytes = field(repr=False)


@dataclass(frozen=True)
class SendRegisterTemplate:
    """Send the CSV template for the municipality's register extract (``flows.statistics.register``) in ``lang``."""

    lang: str
    file_name: str


# -- from plan to practice (flows/practice) ------------------------------------------------------
@dataclass(frozen=True)
class ReportProgress:
    """Store a status report on measure ``measure`` (its uid) of the workspace, by the person writing."""

    workspace_id: int
    measure: str
    status: Status | None
    value: float | None = None
    note: str | None = None


@dataclass(frozen=True)
class SetReminders:
    """The person's follow-up reminders: on, paused until ``until``, or off."""

    setting: Setting
    until: datetime | None = None


@dataclass(frozen=True)
class RecordVersion:
    """Record the Werkstattplan's answers now as its next version (agreed on ``agreed_on``, or not agreed)."""

    workspace_id: int
    answers: dict[str, Any]
    agreed_on: str | None = None


# -- learning from each other (flows/exchange) ----------------------------------------------------
@dataclass(frozen=True)
class SaveProfile:
    """Opt the workspace in to the exchange (or change its profile), under the exchange consent ``version``. Only a
    coordinator may; the shell checks again. ``facts`` are derived by the shell from the stored answers."""

    workspace_id: int | None
    offers: tuple[str, ...]
    seeks: tuple[str, ...]
    languages: tuple[str, ...]
    contact: str
    twin_town: str
    version: str


@dataclass(frozen=True)
class LeaveExchange:
    """Withdraw the workspace from the exchange: its profile is gone from every result at once, open
    introductions of it are closed."""

    workspace_id: int


@dataclass(frozen=True)
class AskIntroduction:
    """Workspace ``asking`` asks to be introduced to ``asked``, for ``reasons`` (as the asker saw them)."""

    asking: int
    asked: int
    reasons: tuple[Reason, ...]


@dataclass(frozen=True)
class AnswerIntroduction:
    """A coordinator of the asked workspace accepts or declines introduction ``introduction_id``."""

    introduction_id: int
    accept: bool


@dataclass(frozen=True)
class SubmitPractice:
    """Submit measure ``measure`` of the workspace as good practice, with its parts (PRACTICE_PARTS) in ``lang``."""

    workspace_id: int
    measure: str
    field: str
    lang: str
    text: dict[str, str]


@dataclass(frozen=True)
class ReviewPractice:
    """An editor approves (or rejects) a submitted practice."""

    practice_id: int
    approve: bool


@dataclass(frozen=True)
class TranslatePractice:
    """An editor adds (or replaces) a practice's text in ``lang``."""

    practice_id: int
    lang: str
    text: dict[str, str]


@dataclass(frozen=True)
class AdoptPractice:
    """The workspace took toolbox item ``item`` (``gp-12`` or a content item's id) over as draft measure ``measure``
    (the engine added the measure to the answers in this turn): counted once per workspace and item."""

    workspace_id: int | None
    item: str
    measure: str


ExchangeAction = (
    SaveProfile
    | LeaveExchange
    | AskIntroduction
    | AnswerIntroduction
    | SubmitPractice
    | ReviewPractice
    | TranslatePractice
    | AdoptPractice
)
"""What learning from each other asks of the shell (flows/exchange)."""

Action = (
    RequestConsent
    | Confirm
    | ChangeSubscription
    | Withdraw
    | Attend
    | ShowEvents
    | PublishEvent
    | SendNewsletter
    | ShowBroadcasts
    | CancelBroadcast
    | SetEditor
    | ShowEditors
    | MakeLinkCode
    | Link
    | DeleteWorkspace
    | TellTeam
    | Approve
    | SetNotices
    | Invite
    | Join
    | SetMemberRole
    | RemoveMember
    | ShowTemplates
    | SendDefaultTemplates
    | SaveTemplate
    | RemoveTemplate
    | ImportSheet
    | SendRegisterTemplate
    | ReportProgress
    | SetReminders
    | RecordVersion
    | ExchangeAction
)
ADMIN_ACTIONS = (
    PublishEvent,
    SendNewsletter,
    ShowBroadcasts,
    CancelBroadcast,
    SetEditor,
    ShowEditors,
    ReviewPractice,
    TranslatePractice,
)


def allowed(action: Action, role: Role | str | None) -> bool:
    """Admin actions need a role; the engine offers them only then, and the shell checks again before storing."""
    return role is not None or not isinstance(action, ADMIN_ACTIONS)


def logged_view(action: Action, role: Role | str | None) -> str | None:
    """The admin log's name for an action that shows admin data (``view_broadcasts``), else None."""
    if isinstance(action, ShowBroadcasts | ShowEditors) or (isinstance(action, ShowEvents) and role):
        return f"view_{type(action).__name__.removeprefix('Show').lower()}"
    return None
