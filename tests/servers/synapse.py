"""A real Synapse homeserver on loopback, configured for tests: SQLite, no federation, rate limits lifted."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import http.client
import importlib.util
import json
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

import aiohttp
import yaml
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

START_TIMEOUT = 90.0
STOP_TIMEOUT = 15.0

# Every rate limit Synapse knows, lifted far beyond anything a test does.
_UNLIMITED = {"per_second": 10_000, "burst_count": 100_000}
RATE_LIMITS: dict[str, Any] = {
    "rc_message": _UNLIMITED,
    "rc_registration": _UNLIMITED,
    "rc_registration_token_validity": _UNLIMITED,
    "rc_login": {"address": _UNLIMITED, "account": _UNLIMITED, "failed_attempts": _UNLIMITED},
    "rc_joins": {"local": _UNLIMITED, "remote": _UNLIMITED},
    "rc_joins_per_room": _UNLIMITED,
    "rc_invites": {"per_room": _UNLIMITED, "per_user": _UNLIMITED, "per_issuer": _UNLIMITED},
    "rc_third_party_invite": _UNLIMITED,
    "rc_3pid_validation": _UNLIMITED,
    "rc_admin_redaction": _UNLIMITED,
    "rc_room_creation": _UNLIMITED,
    "rc_key_requests": _UNLIMITED,
    "rc_media_create": _UNLIMITED,
    "rc_presence": {"per_user": _UNLIMITED},
    "rc_delayed_event_mgmt": _UNLIMITED,
    "rc_reports": _UNLIMITED,
    "rc_user_directory": _UNLIMITED,
    "rc_profile": _UNLIMITED,
}


def free_port() -> int:
    """A TCP port on loopback that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def synapse_problem() -> str | None:
    """None when Synapse can be started here; otherwise why not (meant as a skip reason)."""
    if importlib.util.find_spec("synapse") is None:
        return "matrix-synapse is not installed (pip install matrix-synapse)"
    try:
        importlib.util.find_spec("synapse.app.homeserver")
    except Exception as exc:  # a broken installation is a reason to skip, whatever it raises
        return f"matrix-synapse cannot be imported: {type(exc).__name__}: {exc}"
    try:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
    except OSError as exc:
        return f"cannot listen on loopback: {exc}"
    return None


def _signing_key_line() -> str:
    """A Synapse server signing key file line: ``ed25519 <version> <unpadded base64 seed>``."""
    seed = Ed25519PrivateKey.generate().private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    return f"ed25519 a_{secrets.token_hex(2)} {base64.b64encode(seed).decode().rstrip('=')}\n"


class Synapse:
    """One Synapse process with its config, database, media and logs in ``directory``."""

    def __init__(self, directory: Path):
        self.directory = Path(directory)
        self.server_name = "localhost"
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.shared_secret = secrets.token_urlsafe(32)
        self.config_path = self.directory / "homeserver.yaml"
        self.log_path = self.directory / "homeserver.log"
        self.output_path = self.directory / "homeserver.out"
        self.process: subprocess.Popen[bytes] | None = None
        self.startup_seconds: float | None = None

    def config(self) -> dict[str, Any]:
        """The homeserver.yaml content."""
        d = self.directory
        return {
            "server_name": self.server_name,
            "public_baseurl": self.url + "/",
            "pid_file": str(d / "homeserver.pid"),
            "listeners": [
                {
                    "port": self.port,
                    "bind_addresses": ["127.0.0.1"],
                    "type": "http",
                    "tls": False,
                    "x_forwarded": False,
                    "resources": [{"names": ["client"], "compress": False}],
                }
            ],
            "database": {"name": "sqlite3", "args": {"database": str(d / "homeserver.db")}},
            "log_config": str(d / "log.yaml"),
            "media_store_path": str(d / "media_store"),
            "max_upload_size": "50M",
            "signing_key_path": str(d / "signing.key"),
            "registration_shared_secret": self.shared_secret,
            "macaroon_secret_key": secrets.token_urlsafe(32),
            "form_secret": secrets.token_urlsafe(32),
            "enable_registration": False,
            "report_stats": False,
            "enable_metrics": False,
            "suppress_key_server_warning": True,
            "trusted_key_servers": [],
            "federation_domain_whitelist": [],
            "url_preview_enabled": False,
            "presence": {"enabled": False},
            **RATE_LIMITS,
        }

    def _log_config(self) -> dict[str, Any]:
        return {
            "version": 1,
            "formatters": {"precise": {"format": "%(asctime)s %(name)s %(lineno)d %(levelname)s %(message)s"}},
            "handlers": {
                "file": {
                    "class": "logging.FileHandler",
                    "formatter": "precise",
                    "filename": str(self.log_path),
                    "encoding": "utf8",
                }
            },
            "loggers": {"synapse.storage.SQL": {"level": "WARNING"}},
            "root": {"level": "WARNING", "handlers": ["file"]},
            "disable_existing_loggers": False,
        }

    def write_config(self) -> None:
        """Write homeserver.yaml, the logging config and a fresh server signing key."""
        self.directory.mkdir(parents=True, exist_ok=True)
        (self.directory / "media_store").mkdir(exist_ok=True)
        key = self.directory / "signing.key"
        if not key.exists():
            key.write_text(_signing_key_line())
            key.chmod(0o600)
        (self.directory / "log.yaml").write_text(yaml.safe_dump(self._log_config()))
        self.config_path.write_text(yaml.safe_dump(self.config(), sort_keys=False))

    def log_tail(self, lines: int = 40) -> str:
        """The last lines of Synapse's own log and of its stdout/stderr."""
        parts = []
        for path in (self.output_path, self.log_path):
            if path.exists():
                text = path.read_text(errors="replace").splitlines()[-lines:]
                parts.append(f"--- {path.name} ---\n" + "\n".join(text))
        return "\n".join(parts) or "(no output)"

    def _answers(self) -> bool:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
        try:
            conn.request("GET", "/_matrix/client/versions")
            return conn.getresponse().status == 200
        except OSError:
            return False
        finally:
            conn.close()

    def start_blocking(self, timeout: float = START_TIMEOUT) -> None:
        """Start Synapse and wait until the client API answers; raise with the log tail if it does not."""
        if self.process is not None:
            raise RuntimeError("Synapse is already running")
        self.write_config()
        began = time.monotonic()
        with self.output_path.open("ab") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "synapse.app.homeserver", "-c", str(self.config_path)],
                cwd=self.directory,
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        while True:
            if self.process.poll() is not None:
                code = self.process.returncode
                self.process = None
                raise RuntimeError(f"Synapse exited with code {code} while starting:\n{self.log_tail()}")
            if self._answers():
                self.startup_seconds = time.monotonic() - began
                return
            if time.monotonic() - began > timeout:
                self.stop_blocking()
                raise RuntimeError(f"Synapse did not answer within {timeout:.0f} s:\n{self.log_tail()}")
            time.sleep(0.2)

    def stop_blocking(self, timeout: float = STOP_TIMEOUT) -> None:
        """SIGTERM, then SIGKILL if Synapse has not ended within ``timeout`` seconds."""
        proc, self.process = self.process, None
        if proc is None or proc.poll() is not None:
            return
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout)

    async def start(self) -> None:
        """Start Synapse without blocking the event loop."""
        await asyncio.to_thread(self.start_blocking)

    async def stop(self) -> None:
        """Stop Synapse without blocking the event loop."""
        await asyncio.to_thread(self.stop_blocking)

    async def _request(
        self, method: str, path: str, body: dict[str, Any] | None = None, token: str | None = None
    ) -> dict[str, Any]:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        async with (
            aiohttp.ClientSession() as session,
            session.request(method, self.url + path, json=body, headers=headers) as resp,
        ):
            data = await resp.json(content_type=None)
            if resp.status != 200:
                raise RuntimeError(f"{method} {path} -> {resp.status}: {data}")
            return dict(data)

    async def register(self, localpart: str, password: str, admin: bool = False) -> tuple[str, str, str]:
        """Register a user with the shared-secret admin API; return (user_id, access_token, device_id)."""
        path = "/_synapse/admin/v1/register"
        nonce = (await self._request("GET", path))["nonce"]
        message = b"\x00".join(
            [nonce.encode(), localpart.encode(), password.encode(), b"admin" if admin else b"notadmin"]
        )
        mac = hmac.new(self.shared_secret.encode(), message, hashlib.sha1).hexdigest()
        data = await self._request(
            "POST",
            path,
            {
                "nonce": nonce,
                "username": localpart,
                "password": password,
                "admin": admin,
                "mac": mac,
            },
        )
        return data["user_id"], data["access_token"], data["device_id"]

    async def override_ratelimit(self, admin_token: str, user_id: str, per_second: int = 0, burst: int = 0) -> None:
        """Set ``user_id``'s message rate limit (needs an admin's token); 0 and 0 exempt the user."""
        await self._request(
            "POST",
            f"/_synapse/admin/v1/users/{quote(user_id)}/override_ratelimit",
            {"messages_per_second": per_second, "burst_count": burst},
            token=admin_token,
        )

    def __repr__(self) -> str:
        return f"Synapse(url={self.url!r}, directory={str(self.directory)!r})"


def _main() -> None:
    """Start a Synapse in a temporary directory and report how long it took (a manual check)."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        server = Synapse(Path(tmp))
        server.start_blocking()
        print(json.dumps({"url": server.url, "startup_seconds": round(server.startup_seconds or 0, 2)}))
        server.stop_blocking()


if __name__ == "__main__":
    _main()
