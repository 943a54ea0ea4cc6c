"""The bot's Matrix session: is a homeserver answering, and logging in (or resuming the device saved in the store)."""

from __future__ import annotations

import json
from pathlib import Path

from nio import AsyncClient, LoginResponse

from bot.app.failures import Misconfigured
from bot.matrix.sync import write_private


async def probe(client: AsyncClient) -> None:
    """Is a Matrix homeserver answering at the client's URL? (The client API's unauthenticated version list.)"""
    response = await client.send("GET", "/_matrix/client/versions", timeout=10)
    try:
        body = await response.json(content_type=None) if response.status == 200 else None
    except ValueError:  # not JSON
        body = None
    finally:
        response.release()
    versions = body.get("versions") if isinstance(body, dict) else None
    if not versions:
        raise Misconfigured(
            f"{client.homeserver} does not answer like a Matrix homeserver (HTTP "
            f"{response.status}).\nSet MATRIX_HOMESERVER to its client URL, "
            "e.g. https://matrix.example.org"
        )


async def log_in(
    client: AsyncClient, session: Path, password: str | None, access_token: str | None, device_id: str | None
) -> None:
    """Resume the given or saved device, else log in with the password and save the new device in ``session``
    (0600). Raises Misconfigured when there is nothing to log in with or the homeserver refuses."""
    saved = json.loads(session.read_text()) if session.exists() else {}
    token, device = access_token or saved.get("access_token"), device_id or saved.get("device_id")
    if token and device:
        client.restore_login(client.user, device, token)
        return
    if not password:
        raise Misconfigured(
            f"No stored Matrix session in {session.parent} and no MATRIX_PASSWORD to log in "
            "with; set MATRIX_PASSWORD (or MATRIX_ACCESS_TOKEN with MATRIX_DEVICE_ID)."
        )
    response = await client.login(password, device_name="DAKS-Begleiter")
    if not isinstance(response, LoginResponse):
        raise Misconfigured(
            f"The homeserver refused the login of {client.user}: "
            f"{getattr(response, 'message', response)}.\n"
            "Check MATRIX_USER_ID and MATRIX_PASSWORD."
        )
    write_private(session, json.dumps({"device_id": response.device_id, "access_token": response.access_token}))
