"""Every mode of the conversation and its screen, one module per family; ``SCREENS`` is the one table."""

from __future__ import annotations

from flows.conversation.screens.admin import Admin, Form, FormPreview, FormWhen
from flows.conversation.screens.exchange import ConfirmLeave, ExchangeList, ProfileConsent, ProfileForm
from flows.conversation.screens.export import Export
from flows.conversation.screens.followup import AskValue, PickMeasure, PickStatus
from flows.conversation.screens.indicators import Indicators
from flows.conversation.screens.members import PickInviteRole, TeamList, TeamMember, TeamRemove
from flows.conversation.screens.menu import Menu, PickEdit, PickLang, PickStage
from flows.conversation.screens.models import ModelList, ModelMenu
from flows.conversation.screens.newsletter import SubConsent, SubLang, SubManage, Subscribe
from flows.conversation.screens.practices import PracticeForm, PracticeReview, Practices
from flows.conversation.screens.privacy import ConfirmDelete, ConfirmWorkspaceDelete
from flows.conversation.screens.reminders import ReminderSettings
from flows.conversation.screens.stages import Question, StageEnd, Start
from flows.conversation.screens.team import Approval
from flows.conversation.screens.templates import Templates
from flows.conversation.screens.toolbox import Browse, Tool, Tools
from flows.conversation.session import Screen
from flows.conversation.state import Mode

SCREENS: dict[Mode, Screen] = {
    "new": Start(),
    "step": Question(),
    "stage_end": StageEnd(),
    "menu": Menu(),
    "pick_stage": PickStage(),
    "pick_edit": PickEdit(),
    "pick_lang": PickLang(),
    "confirm_delete": ConfirmDelete(),
    "confirm_delete_workspace": ConfirmWorkspaceDelete(),
    "browse": Browse(),
    "tools": Tools(),
    "tool": Tool(),
    "subscribe": Subscribe(),
    "sub_lang": SubLang(),
    "sub_consent": SubConsent(),
    "sub_manage": SubManage(),
    "admin": Admin(),
    "form": Form(),
    "form_preview": FormPreview(),
    "form_when": FormWhen(),
    "approve": Approval(),
    "team": TeamList(),
    "team_member": TeamMember(),
    "team_remove": TeamRemove(),
    "invite": PickInviteRole(),
    "template": Templates(),
    "export": Export(),
    "indicators": Indicators(),
    "report_measure": PickMeasure(),
    "report_status": PickStatus(),
    "report_value": AskValue(),
    "reminders": ReminderSettings(),
    "exchange": ExchangeList(),
    "exchange_profile": ProfileForm(),
    "exchange_consent": ProfileConsent(),
    "exchange_leave": ConfirmLeave(),
    "practices": Practices(),
    "practice_form": PracticeForm(),
    "practice_review": PracticeReview(),
    "models": ModelMenu(),
    "models_list": ModelList(),
}
