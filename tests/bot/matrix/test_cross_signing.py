"""Cross-signing of the bot's own device: canonical JSON and signatures, then bootstrap/verify/repair on Synapse."""

from __future__ import annotations

import json
import stat
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from nio import AsyncClient, AsyncClientConfig, LoginResponse

from bot.matrix.cross_signing import device_is_cross_signed, ensure_cross_signing
from bot.matrix.signing import CrossSigningError, CrossSigningKeys, b64decode, canonical_json, keys_path, sign, verify
from tests.servers.synapse import Synapse

MakeUser = Callable[[str], Awaitable[tuple[str, str, str, str]]]


# --- canonical JSON and signatures (no server) ---


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ({}, "{}"),
        ({"one": 1, "two": "Two"}, '{"one":1,"two":"Two"}'),
        ({"b": "2", "a": "1"}, '{"a":"1","b":"2"}'),
        (
            {
                "auth": {
                    "success": True,
                    "mxid": "@john.doe:example.com",
                    "profile": {
                        "display_name": "John Doe",
                        "three_pids": [
                            {"medium": "email", "address": "john.doe@example.org"},
                            {"medium": "msisdn", "address": "123456789"},
                        ],
                    },
                }
            },
            '{"auth":{"mxid":"@john.doe:example.com","profile":{"display_name":"John Doe","three_pids":'
            '[{"address":"john.doe@example.org","medium":"email"},{"address":"123456789","medium":"msisdn"}]},'
            '"success":true}}',
        ),
        ({"a": "日本語"}, '{"a":"日本語"}'),
        ({"本": 2, "日": 1}, '{"日":1,"本":2}'),
        ({"a": "\u65e5"}, '{"a":"日"}'),
        ({"a": None}, '{"a":null}'),
        ({"a": -0, "b": 1e10}, '{"a":0,"b":10000000000}'),
    ],
)
def test_canonical_json_matches_the_spec_examples(value: Any, expected: str) -> None:
    assert canonical_json(value) == expected.encode("utf-8")


@pytest.mark.parametrize("value", [{"a": 1.5}, {"a": float("nan")}, {"a": 2**53}])
def test_canonical_json_refuses_what_the_spec_forbids(value: Any) -> None:
    with pytest.raises(ValueError):
        canonical_json(value)


def test_sign_matches_the_spec_example() -> None:
    seed = b64decode("YJDBA9Xnr2sVqXD9Vj7XVUnmFZcZrlw8Md7kMW+3XA1")
    key = Ed25519PrivateKey.from_private_bytes(seed)
    signed = sign({}, "domain", "ed25519:1", key)
    assert signed == {
        "signatures": {
            "domain": {
                "ed25519:1": ("K8280/U9SSy9IVtjBuVeLr+HpOB4BQFWbg+UZaADMtTdGYI7Geitb76LTrr5QV/7Xg4ahLwYGYZzuHGZKM5ZAQ")
            }
        }
    }
    signed = sign({"one": 1, "two": "Two"}, "domain", "ed25519:1", key)
    assert signed["signatures"]["domain"]["ed25519:1"] == (
        "KqmLSbO39/Bzb0QIYE82zqLwsA+PDzYIpIRA2sRQ4sL53+sN6/fpNSoqE7BP7vBZhG6kYdD13EIMJpvhJI+6Bw"
    )


def test_sign_and_verify_round_trip() -> None:
    keys = CrossSigningKeys.generate()
    obj = {
        "user_id": "@bot:localhost",
        "keys": {"a": "b"},
        "unsigned": {"note": 1},
        "signatures": {"@other:localhost": {"ed25519:X": "sig"}},
    }
    signed = sign(obj, "@bot:localhost", keys.key_id("master"), keys.private("master"))
    assert signed["unsigned"] == {"note": 1}
    assert signed["signatures"]["@other:localhost"] == {"ed25519:X": "sig"}
    assert "signatures" in obj and "@bot:localhost" not in obj["signatures"]
    assert verify(signed, "@bot:localhost", keys.key_id("master"), keys.public("master"))
    # unsigned data and other signatures are outside the signed content
    assert verify(
        {**signed, "unsigned": {"changed": True}}, "@bot:localhost", keys.key_id("master"), keys.public("master")
    )
    assert not verify({**signed, "keys": {"a": "c"}}, "@bot:localhost", keys.key_id("master"), keys.public("master"))
    assert not verify(signed, "@bot:localhost", keys.key_id("master"), keys.public("self_signing"))
    assert not verify(signed, "@else:localhost", keys.key_id("master"), keys.public("master"))


def test_keys_are_saved_privately_and_never_shown(tmp_path: Path) -> None:
    keys = CrossSigningKeys.generate()
    path = tmp_path / "sub" / "keys.json"
    assert CrossSigningKeys.load(path) is None
    keys.save(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert CrossSigningKeys.load(path) == keys
    assert [p.name for p in path.parent.iterdir()] == ["keys.json"]
    for which in ("master", "self_signing", "user_signing"):
        assert len(b64decode(keys.public(which))) == 32
        assert keys.key_id(which) == f"ed25519:{keys.public(which)}"
    seeds = json.loads(path.read_text())
    assert all(seeds[name] not in repr(keys) for name in ("master", "self_signing", "user_signing"))
    path.write_text('{"master": "' + seeds["master"] + '"}')
    with pytest.raises(CrossSigningError) as caught:
        CrossSigningKeys.load(path)
    assert seeds["master"] not in str(caught.value)


# --- against a real Synapse ---


class Clients:
    """nio clients logged in during one test, closed at its end."""

    def __init__(self, synapse: Synapse):
        self.synapse = synapse
        self.open: list[AsyncClient] = []

    def _new(self, user_id: str, store: Path, device_id: str | None = None) -> AsyncClient:
        store.mkdir(parents=True, exist_ok=True)
        config = AsyncClientConfig(encryption_enabled=True, store_sync_tokens=True)
        client = AsyncClient(self.synapse.url, user_id, device_id=device_id, store_path=str(store), config=config)
        self.open.append(client)
        return client

    async def login(self, user_id: str, password: str, store: Path) -> AsyncClient:
        """A new device with its keys uploaded."""
        client = self._new(user_id, store)
        assert isinstance(await client.login(password, device_name="DAKS test"), LoginResponse)
        assert client.olm is not None
        if client.should_upload_keys:
            await client.keys_upload()
        return client

    def restore(self, old: AsyncClient, store: Path) -> AsyncClient:
        """The same device again, as after a restart of the bot."""
        client = self._new(old.user_id, store, old.device_id)
        client.restore_login(old.user_id, str(old.device_id), str(old.access_token))
        assert client.olm is not None
        return client


@pytest.fixture
async def clients(synapse: Synapse) -> AsyncIterator[Clients]:
    made = Clients(synapse)
    yield made
    for client in made.open:
        await client.close()


async def raw_keys_query(synapse: Synapse, token: str, user_id: str) -> dict[str, Any]:
    async with (
        aiohttp.ClientSession() as session,
        session.post(
            f"{synapse.url}/_matrix/client/v3/keys/query",
            json={"device_keys": {user_id: []}},
            headers={"Authorization": f"Bearer {token}"},
        ) as resp,
    ):
        assert resp.status == 200
        return dict(await resp.json())


async def test_bootstrap_then_verified_after_restart(
    synapse: Synapse, matrix_user: MakeUser, clients: Clients, tmp_path: Path
) -> None:
    bot_id, password, _, _ = await matrix_user("bot")
    store = tmp_path / "store"
    bot = await clients.login(bot_id, password, store)

    assert await ensure_cross_signing(bot, password, store) == "bootstrapped"
    assert await device_is_cross_signed(bot, bot_id, bot.device_id)
    keys = CrossSigningKeys.load(keys_path(store, bot_id))
    assert keys is not None
    assert stat.S_IMODE(keys_path(store, bot_id).stat().st_mode) == 0o600

    # What another user (an Element user, say) sees of the bot.
    alice_id, alice_password, alice_token, _ = await matrix_user("alice")
    assert await device_is_cross_signed((synapse.url, alice_token), bot_id, bot.device_id)
    seen = await raw_keys_query(synapse, alice_token, bot_id)
    master, self_signing = seen["master_keys"][bot_id], seen["self_signing_keys"][bot_id]
    assert master["keys"] == {keys.key_id("master"): keys.public("master")}
    assert master["usage"] == ["master"]
    assert self_signing["keys"] == {keys.key_id("self_signing"): keys.public("self_signing")}
    assert keys.key_id("master") in self_signing["signatures"][bot_id]
    assert verify(self_signing, bot_id, keys.key_id("master"), keys.public("master"))
    device = seen["device_keys"][bot_id][bot.device_id]
    assert device["keys"][f"ed25519:{bot.device_id}"] == bot.olm.account.identity_keys["ed25519"]
    assert verify(device, bot_id, keys.key_id("self_signing"), keys.public("self_signing"))
    assert bot_id not in seen.get("user_signing_keys", {})  # only the owner sees the user-signing key
    own = await raw_keys_query(synapse, str(bot.access_token), bot_id)
    device_key = bot.olm.account.identity_keys["ed25519"]  # the device vouches for the master key
    assert verify(own["master_keys"][bot_id], bot_id, f"ed25519:{bot.device_id}", device_key)
    assert verify(own["user_signing_keys"][bot_id], bot_id, keys.key_id("master"), keys.public("master"))

    # A device without cross-signing, and an unknown one, are reported as such.
    alice = await clients.login(alice_id, alice_password, tmp_path / "alice")
    assert not await device_is_cross_signed(bot, alice_id, alice.device_id)
    assert not await device_is_cross_signed(bot, bot_id, "NOSUCHDEVICE")

    # Restart: same device, same store, no password needed.
    await bot.close()
    again = clients.restore(bot, store)
    assert await ensure_cross_signing(again, None, store) == "verified"
    assert CrossSigningKeys.load(keys_path(store, bot_id)) == keys
    assert await device_is_cross_signed((synapse.url, alice_token), bot_id, bot.device_id)


async def test_a_new_device_is_signed(
    synapse: Synapse, matrix_user: MakeUser, clients: Clients, tmp_path: Path
) -> None:
    bot_id, password, _, _ = await matrix_user("bot")
    store = tmp_path / "store"
    first = await clients.login(bot_id, password, store)
    # Synapse lets the first upload of cross-signing keys through without a password (MSC3967).
    assert await ensure_cross_signing(first, None, store) == "bootstrapped"

    second = await clients.login(bot_id, password, store)
    assert second.device_id != first.device_id
    assert not await device_is_cross_signed(second, bot_id, second.device_id)
    assert await ensure_cross_signing(second, None, store) == "repaired"
    assert await device_is_cross_signed(second, bot_id, second.device_id)
    assert await device_is_cross_signed(second, bot_id, first.device_id)
    assert await ensure_cross_signing(second, None, store) == "verified"


async def test_a_foreign_identity_needs_the_password(
    synapse: Synapse, matrix_user: MakeUser, clients: Clients, tmp_path: Path
) -> None:
    bot_id, password, token, _ = await matrix_user("bot")
    old_store, new_store = tmp_path / "old", tmp_path / "new"
    old = await clients.login(bot_id, password, old_store)
    assert await ensure_cross_signing(old, password, old_store) == "bootstrapped"
    old_keys = CrossSigningKeys.load(keys_path(old_store, bot_id))
    assert old_keys is not None

    # A fresh store meets the identity created by the old one: without the password the bot must stop.
    new = await clients.login(bot_id, password, new_store)
    with pytest.raises(CrossSigningError, match="already has a cross-signing identity") as caught:
        await ensure_cross_signing(new, None, new_store)
    assert str(keys_path(new_store, bot_id)) in str(caught.value)
    assert not keys_path(new_store, bot_id).exists()

    with pytest.raises(CrossSigningError, match="rejected the account password"):
        await ensure_cross_signing(new, "wrong password", new_store)
    assert CrossSigningKeys.load(keys_path(new_store, bot_id)) is not None

    # A keys file whose master key the server does not know is only replaced with the password.
    keys_path(new_store, bot_id).unlink()
    assert await ensure_cross_signing(new, password, new_store) == "bootstrapped"
    assert await device_is_cross_signed(new, bot_id, new.device_id)
    assert not await device_is_cross_signed(new, bot_id, old.device_id)  # signed by the replaced identity

    # The old store's keys no longer match the server: a new identity again, only with the password.
    with pytest.raises(CrossSigningError, match="not the one in"):
        await ensure_cross_signing(old, None, old_store)
    assert CrossSigningKeys.load(keys_path(old_store, bot_id)) == old_keys
    assert await ensure_cross_signing(old, password, old_store) == "bootstrapped"
    newest = CrossSigningKeys.load(keys_path(old_store, bot_id))
    assert newest is not None and newest.public("master") not in {
        old_keys.public("master"),
        CrossSigningKeys.load(keys_path(new_store, bot_id)).public("master"),
    }
    assert await device_is_cross_signed((synapse.url, token), bot_id, old.device_id)
    assert not await device_is_cross_signed((synapse.url, token), bot_id, new.device_id)
    seen = await raw_keys_query(synapse, token, bot_id)
    assert seen["master_keys"][bot_id]["keys"] == {newest.key_id("master"): newest.public("master")}
