"""Cross-signing for the bot's own Matrix account (matrix-nio has none, see nio issue #229).

Element excludes devices that their owner has not cross-signed (MSC4153), so the bot creates a master,
a self-signing and a user-signing key, uploads them, and signs its own device with the self-signing key.
The private keys are kept in a 0600 JSON file next to the nio store; they never appear in logs or errors.
"""

from __future__ import annotations

import base64
import json
import logging
import math
import os
import re
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any, Literal

import aiohttp
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, PublicFormat
from nio import AsyncClient, KeysUploadError

log = logging.getLogger(__name__)

KeyName = Literal["master", "self_signing", "user_signing"]
KEY_NAMES: tuple[KeyName, ...] = ("master", "self_signing", "user_signing")
KEYS_QUERY = "/_matrix/client/v3/keys/query"
DEVICE_SIGNING_UPLOAD = "/_matrix/client/v3/keys/device_signing/upload"
SIGNATURES_UPLOAD = "/_matrix/client/v3/keys/signatures/upload"
_MAX_SAFE_INT = 2**53 - 1


class CrossSigningError(Exception):
    """Cross-signing could not be set up or checked; the message says what to do."""


def b64encode(data: bytes) -> str:
    """Unpadded standard base64, as Matrix uses for keys and signatures."""
    return base64.b64encode(data).decode("ascii").rstrip("=")


def b64decode(text: str) -> bytes:
    """Decode unpadded (or padded) standard base64."""
    return base64.b64decode(text + "=" * (-len(text) % 4), validate=True)


def _canonical_value(value: Any) -> Any:
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, float):
        if not math.isfinite(value) or not value.is_integer():
            raise ValueError("canonical JSON allows integers only")
        value = int(value)
    if isinstance(value, int):
        if abs(value) > _MAX_SAFE_INT:
            raise ValueError("integer out of the range canonical JSON allows")
        return value
    if isinstance(value, Mapping):
        return {str(key): _canonical_value(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_canonical_value(item) for item in value]
    raise TypeError(f"cannot encode {type(value).__name__} as canonical JSON")


def canonical_json(value: Any) -> bytes:
    """Matrix canonical JSON: sorted keys, no insignificant whitespace, UTF-8 without escapes, integers only."""
    return json.dumps(
        _canonical_value(value), ensure_ascii=False, separators=(",", ":"), sort_keys=True, allow_nan=False
    ).encode("utf-8")


def _signable(obj: Mapping[str, Any]) -> bytes:
    return canonical_json({key: value for key, value in obj.items() if key not in ("signatures", "unsigned")})


def sign(obj: dict[str, Any], user_id: str, key_id: str, private: Ed25519PrivateKey) -> dict[str, Any]:
    """A copy of ``obj`` with ``signatures[user_id][key_id]`` added (other signatures and ``unsigned`` kept)."""
    signature = b64encode(private.sign(_signable(obj)))
    signed = dict(obj)
    signatures = {user: dict(sigs) for user, sigs in obj.get("signatures", {}).items()}
    signatures.setdefault(user_id, {})[key_id] = signature
    signed["signatures"] = signatures
    return signed


def verify(obj: Mapping[str, Any], user_id: str, key_id: str, public: str) -> bool:
    """True when ``obj`` carries a valid ed25519 signature by ``public`` under ``signatures[user_id][key_id]``."""
    try:
        signature = obj["signatures"][user_id][key_id]
        key = Ed25519PublicKey.from_public_bytes(b64decode(public))
        key.verify(b64decode(signature), _signable(obj))
    except (KeyError, TypeError, ValueError, InvalidSignature):
        return False
    return True


def _public_of(private: Ed25519PrivateKey) -> str:
    return b64encode(private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw))


@dataclass
class CrossSigningKeys:
    """The three private cross-signing keys as 32-byte ed25519 seeds."""

    master: bytes = field(repr=False)
    self_signing: bytes = field(repr=False)
    user_signing: bytes = field(repr=False)

    def __post_init__(self) -> None:
        for name in KEY_NAMES:
            if len(getattr(self, name)) != 32:
                raise ValueError(f"the {name} key must be a 32-byte seed")

    @classmethod
    def generate(cls) -> CrossSigningKeys:
        """Three fresh random keys."""
        seeds = [
            Ed25519PrivateKey.generate().private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
            for _ in KEY_NAMES
        ]
        return cls(*seeds)

    def private(self, which: KeyName) -> Ed25519PrivateKey:
        """The private key ``which`` (master, self_signing or user_signing)."""
        return Ed25519PrivateKey.from_private_bytes(getattr(self, which))

    def public(self, which: KeyName) -> str:
        """The public key ``which`` in unpadded base64."""
        return _public_of(self.private(which))

    def key_id(self, which: KeyName) -> str:
        """``ed25519:<public key>``, the id the key and its signatures go by."""
        return f"ed25519:{self.public(which)}"

    def key_object(self, which: KeyName, user_id: str) -> dict[str, Any]:
        """The unsigned CrossSigningKey object the Client-Server API expects."""
        public = self.public(which)
        return {"user_id": user_id, "usage": [which], "keys": {f"ed25519:{public}": public}}

    def save(self, path: Path) -> None:
        """Write the keys as JSON atomically, readable by the owner only (0600)."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        data = json.dumps({"version": 1, **{name: b64encode(getattr(self, name)) for name in KEY_NAMES}})
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        try:
            os.fchmod(fd, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    @classmethod
    def load(cls, path: Path) -> CrossSigningKeys | None:
        """The keys saved at ``path``, or None if there is no such file."""
        try:
            text = Path(path).read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        try:
            data = json.loads(text)
            return cls(*(b64decode(data[name]) for name in KEY_NAMES))
        except (ValueError, KeyError, TypeError) as exc:
            raise CrossSigningError(f"the cross-signing key file {path} is damaged ({type(exc).__name__})") from None


def keys_path(store_dir: Path, user_id: str) -> Path:
    """Where the cross-signing keys of ``user_id`` live inside the bot's store directory."""
    return Path(store_dir) / f"cross_signing_{re.sub(r'[^A-Za-z0-9._-]', '_', user_id)}.json"


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

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None:
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


def _server_key(query: Mapping[str, Any], which: KeyName, user_id: str) -> tuple[dict[str, Any], str] | None:
    """The cross-signing key object ``which`` of ``user_id`` in a /keys/query answer and its public key."""
    obj = query.get(f"{which}_keys", {}).get(user_id)
    if not isinstance(obj, dict) or obj.get("user_id") != user_id or which not in obj.get("usage", []):
        return None
    keys = [value for key_id, value in obj.get("keys", {}).items()
            if key_id.startswith("ed25519:") and key_id == f"ed25519:{value}"]
    return (obj, keys[0]) if len(keys) == 1 else None


def _device(query: Mapping[str, Any], user_id: str, device_id: str) -> dict[str, Any] | None:
    device = query.get("device_keys", {}).get(user_id, {}).get(device_id)
    if not isinstance(device, dict) or device.get("user_id") != user_id or device.get("device_id") != device_id:
        return None
    return device


def _trusted_device(query: Mapping[str, Any], user_id: str, device_id: str) -> bool:
    """Master key present, self-signing key signed by it, device signed by the self-signing key and by itself."""
    master = _server_key(query, "master", user_id)
    self_signing = _server_key(query, "self_signing", user_id)
    device = _device(query, user_id, device_id)
    if master is None or self_signing is None or device is None:
        return False
    if not verify(self_signing[0], user_id, f"ed25519:{master[1]}", master[1]):
        return False
    device_key = device.get("keys", {}).get(f"ed25519:{device_id}")
    if not isinstance(device_key, str) or not verify(device, user_id, f"ed25519:{device_id}", device_key):
        return False
    return verify(device, user_id, f"ed25519:{self_signing[1]}", self_signing[1])


async def device_is_cross_signed(target: AsyncClient | tuple[str, str], user_id: str, device_id: str) -> bool:
    """Whether the server shows ``device_id`` of ``user_id`` as cross-signed, all signatures checked.

    ``target`` is a logged-in nio client or a ``(homeserver URL, access token)`` pair of any user.
    """
    async with _Api(target) as api:
        return _trusted_device(await api.query(user_id), user_id, device_id)


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
        auth = {"type": "m.login.password", "identifier": {"type": "m.id.user", "user": user_id},
                "password": password}
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
    device = _device(query, user_id, device_id)
    if device is None:
        raise CrossSigningError(f"the server has no device keys for {user_id} device {device_id}; upload them first")
    local = client.olm.account.identity_keys
    keys_on_server = device.get("keys", {})
    if (keys_on_server.get(f"ed25519:{device_id}") != local["ed25519"]
            or keys_on_server.get(f"curve25519:{device_id}") != local["curve25519"]):
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
            f"{key}: {_reason(failure)}" for per_user in failures.values() if isinstance(per_user, dict)
            for key, failure in per_user.items() if isinstance(failure, dict)
        )
        raise CrossSigningError(f"uploading signatures failed: {_describe(status, data)} {reasons}".strip())


def _server_matches(query: Mapping[str, Any], keys: CrossSigningKeys, user_id: str) -> dict[KeyName, bool]:
    found: dict[KeyName, bool] = {}
    for which in KEY_NAMES:
        server = _server_key(query, which, user_id)
        found[which] = server is not None and server[1] == keys.public(which)
    return found


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
        server_master = _server_key(query, "master", user_id)
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
        elif not all(_server_matches(query, keys, user_id).values()):
            await _upload_signing_keys(api, keys, user_id, password)
            status = "repaired"
            log.warning("Re-uploaded the cross-signing keys of %s", user_id)
        else:
            status = "verified"
        if status != "verified":
            query = await api.query(user_id)
        if not _trusted_device(query, user_id, device_id):
            await _sign_own_device(api, client, keys, query)
            log.info("Signed device %s of %s with the self-signing key", device_id, user_id)
            if not _trusted_device(await api.query(user_id), user_id, device_id):
                raise CrossSigningError(f"device {device_id} of {user_id} is still not cross-signed after signing it")
            if status == "verified":
                status = "repaired"
    return status
