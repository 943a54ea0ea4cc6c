"""Fixtures of the storage tests."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from storage.store import Store


@pytest.fixture
async def other(database_url: str, store: Store) -> AsyncIterator[Store]:
    """A second store on the same database, as a second process would have (its own cache)."""
    second = await Store.open(database_url)
    yield second
    await second.close()
