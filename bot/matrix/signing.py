"""The bot's cross-signing identity without the network: canonical JSON, ed25519 signatures, the three keys and
their 0600 file, and the checks of a /keys/query answer."""

from __future__ import annotations

import base64
import json
import math
import os
import re
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, PublicFormat

KeyName = Literal["master", "self_signing", "user_signing"]
KEY_NAMES: tuple[KeyName, ...] = ("master", "self_signing", "user_signing")
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


def server_key(query: Mapping[str, Any], which: KeyName, user_id: str) -> tuple[dict[str, Any], str] | None:
    """The cross-signing key object ``which`` of ``user_id`` in a /keys/query answer and its public key."""
    obj = query.get(f"{which}_keys", {}).get(user_id)
    if not isinstance(obj, dict) or obj.get("user_id") != user_id or which not in obj.get("usage", []):
        return None
    keys = [
        value
        for key_id, value in obj.get("keys", {}).items()
        if key_id.startswith("ed25519:") and key_id == f"ed25519:{value}"
    ]
    return (obj, keys[0]) if len(keys) == 1 else None


def device_keys(query: Mapping[str, Any], user_id: str, device_id: str) -> dict[str, Any] | None:
    """The device's keys in a /keys/query answer, when they name that user and device."""
    device = query.get("device_keys", {}).get(user_id, {}).get(device_id)
    if not isinstance(device, dict) or device.get("user_id") != user_id or device.get("device_id") != device_id:
        return None
    return device


def trusted_device(query: Mapping[str, Any], user_id: str, device_id: str) -> bool:
    """Master key present, self-signing key signed by it, device signed by the self-signing key and by itself."""
    master = server_key(query, "master", user_id)
    self_signing = server_key(query, "self_signing", user_id)
    device = device_keys(query, user_id, device_id)
    if master is None or self_signing is None or device is None:
        return False
    if not verify(self_signing[0], user_id, f"ed25519:{master[1]}", master[1]):
        return False
    device_key = device.get("keys", {}).get(f"ed25519:{device_id}")
    if not isinstance(device_key, str) or not verify(device, user_id, f"ed25519:{device_id}", device_key):
        return False
    return verify(device, user_id, f"ed25519:{self_signing[1]}", self_signing[1])


def server_matches(query: Mapping[str, Any], keys: CrossSigningKeys, user_id: str) -> dict[KeyName, bool]:
    """Per key: whether the server holds our public key."""
    found: dict[KeyName, bool] = {}
    for which in KEY_NAMES:
        server = server_key(query, which, user_id)
        found[which] = server is not None and server[1] == keys.public(which)
    return found
