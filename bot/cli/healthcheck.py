"""The container's HEALTHCHECK: ``python -m bot.cli.healthcheck`` asks ``/healthz`` on ``DAKS_METRICS_LISTEN``.

Exits 0 when it answers 200, 1 otherwise. Standard library only, so that it starts fast.
"""

from __future__ import annotations

import os
import sys
import urllib.request


def probe(address: str, timeout: float = 5.0) -> int:
    """0 when ``/healthz`` at ``host:port`` answers 200, else 1 (the container's HEALTHCHECK)."""
    host, _, port = address.rpartition(":")
    host = host.strip("[]")
    host = {"": "127.0.0.1", "0.0.0.0": "127.0.0.1", "::": "::1"}.get(host, host)
    url = f"http://{f'[{host}]' if ':' in host else host}:{port}/healthz"
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return 0 if response.status == 200 else 1
    except OSError as exc:
        print(f"{url}: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    listen = os.environ.get("DAKS_METRICS_LISTEN")
    if not listen:
        sys.exit("DAKS_METRICS_LISTEN is not set: no health endpoint to ask")
    sys.exit(probe(listen))
