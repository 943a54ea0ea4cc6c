"""Cross-signing for the bot's own Matrix account (matrix-nio has none, see nio issue #229).

Element excludes devices that their owner has not cross-signed (MSC4153), so the bot creates a master,
a self-signing and a user-signing key, uploads them, and signs its own device with the self-signing key.
The private keys are kept in a 0600 JSON file next to the nio store (bot/matrix/signing.py); they never
appear in logs or errors.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType
from typing import Any

import aiohttp
from nio import AsyncClient, KeysUploadError

from bot.matrix.signing import (
    CrossSigningError,
    CrossSigningKeys,
    device_keys,
    keys_path,
    server_key,
    server_matches,
    sign,
    trusted_device,
)

log = logging.getLogger(__name__)

KEYS_QUERY = "/_matrix/client/v3/keys/query"
DEVICE_SIGNING_UPLOAD = "/_matrix/client/v3/keys/device_signing/upload"
SIGNATURES_UPLOAD = "/_matrix/client/v3/keys/signatures/upload"


class _Api:
    """Raw Client-Server API calls through a nio client or a (homeserver URL, access token) pair."""

    def __init__(self, target: AsyncClient | tuple[str, str]):
        self._client: AsyncClient | None = None
        self._session: aiohttp.ClientSession | None = None
        if isinstance(target, AsyncClient):
            self._client = target
            self._url, self._token = target.homeserver, target.access_token
        else:
            self._url, self._token = target[0].rstrip("/"), target[1]
        if not self._token:
            raise CrossSigningError("not logged in: no access token")

    async def __aenter__(self) -> _Api:
        if self._client is None:
            self._session = aiohttp.ClientSession()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._session is not None:
            await self._session.close()

    async def call(self, method: str, path: str, body: dict[str, Any] | None = None) -> tuple[int, dict[str, Any]]:
        """Send one request; return the HTTP status and the JSON body (empty dict if none)."""
        headers = {"Authorization": f"Bearer {self._token}", "Content-Type": "application/json"}
        data = None if body is None else json.dumps(body)
        if self._client is not None:
            resp = await self._client.send(method, path, data, headers)
            try:
                return resp.status, await _json(resp)
            finally:
                resp.release()
        assert self._session is not None
        async with self._session.request(method, self._url + path, data=data, headers=headers) as resp:
            return resp.status, await _json(resp)

    async def query(self, user_id: str) -> dict[str, Any]:
        """POST /keys/query for all devices and cross-signing keys of ``user_id``."""
        status, data = await self.call("POST", KEYS_QUERY, {"device_keys": {user_id: []}})
        if status != 200:
            raise CrossSigningError(f"/keys/query failed: {_describe(status, data)}")
        return data


async def _json(resp: aiohttp.ClientResponse) -> dict[str, Any]:
    try:
        data = await resp.json(content_type=None)
    except (ValueError, aiohttp.ContentTypeError):
        return {}
    return data if isinstance(data, dict) else {}


def _reason(data: Mapping[str, Any]) -> str:
    return " ".join(str(data[key]) for key in ("errcode", "error") if data.get(key))


def _describe(status: int, data: Mapping[str, Any]) -> str:
    return f"HTTP {status} {_reason(data)}".rstrip()


async def device_is_cross_signed(target: AsyncClient | tuple[str, str], user_id: str, device_id: str) -> bool:
    """Whether the server shows ``device_id`` of ``user_id`` as cross-signed, all signatures checked.

    ``target`` is a logged-in nio client or a ``(homeserver URL, access token)`` pair of any user.
    """
    async with _Api(target) as api:
        return trusted_device(await api.query(user_id), user_id, device_id)


def _password_flow(data: Mapping[str, Any]) -> bool:
    return any(flow.get("stages") == ["m.login.password"] for flow in data.get("flows", []) if isinstance(flow, dict))


async def _upload_signing_keys(api: _Api, keys: CrossSigningKeys, user_id: str, password: str | None) -> None:
    """Upload all three public keys, self-signing and user-signing signed by master; answer UIA with the password."""
    master = keys.private("master")
    master_id = keys.key_id("master")
    body: dict[str, Any] = {
        "master_key": keys.key_object("master", user_id),
        "self_signing_key": sign(keys.key_object("self_signing", user_id), user_id, master_id, master),
        "user_signing_key": sign(keys.key_object("user_signing", user_id), user_id, master_id, master),
    }
    status, data = await api.call("POST", DEVICE_SIGNING_UPLOAD, body)
    if status == 401 and "flows" in data:
        if password is None:
            raise CrossSigningError(
                f"the server wants the account password of {user_id} to replace its cross-signing keys; "
                "configure the bot's Matrix password, or restore the cross-signing key file that matches the "
                "account's current master key"
            )
        if not _password_flow(data):
            hint = f" ({data['msg']})" if isinstance(data.get("msg"), str) else ""
            raise CrossSigningError(f"the server offers no password authentication for cross-signing{hint}")
        auth = {"type": "m.login.password", "identifier": {"type": "m.id.user", "user": user_id}, "password": password}
        if isinstance(data.get("session"), str):
            auth["session"] = data["session"]
        status, data = await api.call("POST", DEVICE_SIGNING_UPLOAD, {**body, "auth": auth})
        if status == 401:
            raise CrossSigningError(f"the server rejected the account password of {user_id}: {_describe(status, data)}")
    if status != 200:
        raise CrossSigningError(f"uploading cross-signing keys failed: {_describe(status, data)}")


async def _sign_own_device(api: _Api, client: AsyncClient, keys: CrossSigningKeys, query: Mapping[str, Any]) -> None:
    """Sign the device with the self-signing key, and the master key with the device, in one upload."""
    user_id, device_id = client.user_id, str(client.device_id)
    device = device_keys(query, user_id, device_id)
    if device is None:
        raise CrossSigningError(f"the server has no device keys for {user_id} device {device_id}; upload them first")
    local = client.olm.account.identity_keys
    keys_on_server = device.get("keys", {})
    if (
        keys_on_server.get(f"ed25519:{device_id}") != local["ed25519"]
        or keys_on_server.get(f"curve25519:{device_id}") != local["curve25519"]
    ):
        raise CrossSigningError(
            f"the server's keys for device {device_id} differ from the local encryption store; "
            "log in as a new device with a fresh store"
        )
    unsigned_device = {key: value for key, value in device.items() if key != "unsigned"}
    signed_device = sign(unsigned_device, user_id, keys.key_id("self_signing"), keys.private("self_signing"))
    master = keys.key_object("master", user_id)
    master["signatures"] = {user_id: {f"ed25519:{device_id}": client.olm.sign_json(master)}}
    body = {user_id: {device_id: signed_device, keys.public("master"): master}}
    status, data = await api.call("POST", SIGNATURES_UPLOAD, body)
    failures = data.get("failures") or {}
    if status != 200 or failures:
        reasons = "; ".join(
            f"{key}: {_reason(failure)}"
            for per_user in failures.values()
            if isinstance(per_user, dict)
            for key, failure in per_user.items()
            if isinstance(failure, dict)
        )
        raise CrossSigningError(f"uploading signatures failed: {_describe(status, data)} {reasons}".strip())


async def ensure_cross_signing(client: AsyncClient, password: str | None, store_dir: Path) -> str:
    """Make sure the account has our cross-signing identity and the client's device is signed by it.

    Returns "bootstrapped" (new keys generated and uploaded: first start, or the server's identity is not ours
    and ``password`` allows replacing it), "verified" (everything was in place) or "repaired" (our keys were
    re-uploaded or the device newly signed). Raises CrossSigningError when it cannot proceed.

    A replaced identity is not restored: Synapse cannot take back a cross-signing key it has seen before.
    """
    if client.olm is None or not client.user_id or not client.device_id:
        raise CrossSigningError("log in with encryption enabled (and its store loaded) before cross-signing")
    user_id, device_id = client.user_id, str(client.device_id)
    if client.should_upload_keys:
        uploaded = await client.keys_upload()
        if isinstance(uploaded, KeysUploadError):
            raise CrossSigningError(f"uploading the device keys failed: {uploaded.status_code} {uploaded.message}")
    path = keys_path(store_dir, user_id)
    keys = CrossSigningKeys.load(path)
    async with _Api(client) as api:
        query = await api.query(user_id)
        server_master = server_key(query, "master", user_id)
        foreign = server_master is not None and (keys is None or server_master[1] != keys.public("master"))
        if foreign and password is None:
            if keys is None:
                raise CrossSigningError(
                    f"{user_id} already has a cross-signing identity, but its private keys are not in {path}. "
                    "Copy the key file from the bot's earlier store directory there, or configure the account "
                    "password so the bot can create a new identity (people may then have to verify the bot again)"
                )
            raise CrossSigningError(
                f"the server's master key for {user_id} is not the one in {path} (was cross-signing reset, "
                "for example in Element?). Configure the account password so the bot can create a new identity"
            )
        if keys is None or foreign:
            keys = CrossSigningKeys.generate()
            keys.save(path)
            await _upload_signing_keys(api, keys, user_id, password)
            status = "bootstrapped"
            log.info("Created cross-signing keys for %s (master %s)", user_id, keys.public("master"))
        elif not all(server_matches(query, keys, user_id).values()):
            await _upload_signing_keys(api, keys, user_id, password)
            status = "repaired"
            log.warning("Re-uploaded the cross-signing keys of %s", user_id)
        else:
            status = "verified"
        if status != "verified":
            query = await api.query(user_id)
        if not trusted_device(query, user_id, device_id):
            await _sign_own_device(api, client, keys, query)
            log.info("Signed device %s of %s with the self-signing key", device_id, user_id)
            if not trusted_device(await api.query(user_id), user_id, device_id):
                raise CrossSigningError(f"device {device_id} of {user_id} is still not cross-signed after signing it")
            if status == "verified":
                status = "repaired"
    return status
