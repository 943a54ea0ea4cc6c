"""Fixtures of the conversation tests."""

from __future__ import annotations

import pytest

from flows.content.content import Content
from tests.flows.conversation import plan


@pytest.fixture(scope="session")
def planned(content: Content) -> Content:
    """The shipped content, whose Werkstattplan checklist decides its indicators item (see plan.py beside)."""
    assert plan.ready(content)
    return content
