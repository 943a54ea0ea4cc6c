"""One module per step kind; ``kind_of`` finds the handler for a step."""

from __future__ import annotations

from flows.content.model import Step
from flows.conversation.steps.base import StepKind
from flows.conversation.steps.choice import ChecklistKind, MultiKind, SingleKind
from flows.conversation.steps.listing import ListKind
from flows.conversation.steps.place import PlaceKind
from flows.conversation.steps.records import RecordsKind
from flows.conversation.steps.simple import DateKind, InfoKind, TextKind

KINDS: dict[str, StepKind] = {
    "info": InfoKind(),
    "text": TextKind(),
    "date": DateKind(),
    "place": PlaceKind(),
    "single": SingleKind(),
    "multi": MultiKind(),
    "checklist": ChecklistKind(),
    "list": ListKind(),
    "records": RecordsKind(),
}


def kind_of(step: Step) -> StepKind:
    return KINDS[step.kind]
