"""A real Synapse on loopback for the Matrix tests, and a factory for users on it.

The ``synapse`` fixture is session-scoped but synchronous (Synapse runs as a subprocess and readiness is
polled with the standard library), so tests may use any event loop scope; no session loop is needed.
It skips only when Synapse is not installed or cannot listen on loopback; a failing start is an error.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path

import pytest

from tests.servers.synapse import Synapse, synapse_problem

MatrixUser = tuple[str, str, str, str]
MakeUser = Callable[[str], Awaitable[MatrixUser]]


@pytest.fixture(scope="session")
def synapse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Synapse]:
    """One Synapse for the whole test session (starts in a few seconds)."""
    problem = synapse_problem()
    if problem:
        pytest.skip(f"no Synapse for the Matrix tests: {problem}")
    server = Synapse(Path(tmp_path_factory.mktemp("synapse")))
    server.start_blocking()
    try:
        yield server
    finally:
        server.stop_blocking()


@pytest.fixture
def matrix_user(synapse: Synapse) -> MakeUser:
    """``await matrix_user("bot")`` registers a fresh user: (user_id, password, access_token, device_id)."""

    async def make(localpart_prefix: str) -> MatrixUser:
        localpart = f"{localpart_prefix}-{uuid.uuid4().hex[:10]}".lower()
        password = secrets.token_urlsafe(16)
        user_id, token, device_id = await synapse.register(localpart, password)
        return user_id, password, token, device_id

    return make
