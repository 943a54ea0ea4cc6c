"""Fixtures of the conversation tests."""

from __future__ import annotations

import pytest

from flows.content.content import Content
from tests.flows.conversation import plan


@pytest.fixture(scope="session")
def planned(content: Content, tmp_path_factory: pytest.TempPathFactory) -> Content:
    """The content whose Werkstattplan checklist decides its indicators item (see tests/flows/conversation/plan.py)."""
    return plan.plan_content(content, tmp_path_factory.mktemp("plan"))
