"""python-telegram-bot's HTTP requests over aiohttp instead of httpx.

The Bot API client is the library's own (ExtBot); only the transport differs. Measured with the
benchmark, httpx and httpcore took two thirds of the bot's CPU time per update. aiohttp is already
a dependency (the webhook server) and is several times cheaper per request.
"""

from __future__ import annotations

import aiohttp
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

from bot.app.metrics import METRICS


class AiohttpRequest(BaseRequest):
    """A pooled aiohttp session; timeouts and errors mapped the way python-telegram-bot expects."""

    def __init__(self, connections: int = 32, read_timeout: float | None = 10.0, write_timeout: float | None = 10.0,
                 connect_timeout: float | None = 10.0, pool_timeout: float | None = 10.0):
        self.connections = connections
        self._read, self._write, self._connect, self._pool = read_timeout, write_timeout, connect_timeout, pool_timeout
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float | None:
        return self._read

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self.connections, ttl_dns_cache=300),
                headers={"User-Agent": self.USER_AGENT})

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()

    async def do_request(self, url: str, method: str, request_data: RequestData | None = None,
                         read_timeout: object = BaseRequest.DEFAULT_NONE,
                         write_timeout: object = BaseRequest.DEFAULT_NONE,
                         connect_timeout: object = BaseRequest.DEFAULT_NONE,
                         pool_timeout: object = BaseRequest.DEFAULT_NONE) -> tuple[int, bytes]:
        if self._session is None or self._session.closed:
            raise RuntimeError("AiohttpRequest is not initialized")
        read = self._read if read_timeout is BaseRequest.DEFAULT_NONE else read_timeout
        write = self._write if write_timeout is BaseRequest.DEFAULT_NONE else write_timeout
        connect = self._connect if connect_timeout is BaseRequest.DEFAULT_NONE else connect_timeout
        pool = self._pool if pool_timeout is BaseRequest.DEFAULT_NONE else pool_timeout
        timeout = aiohttp.ClientTimeout(connect=_sum(connect, pool), sock_connect=connect,  # type: ignore[arg-type]
                                        sock_read=_sum(read, write))  # type: ignore[arg-type]
        try:
            async with self._session.request(method, url, data=_body(request_data), timeout=timeout) as response:
                body = await response.read()
        except aiohttp.ConnectionTimeoutError as exc:
            raise NetworkError(f"not sent: no connection within the timeout ({exc})") from exc
        except (TimeoutError, aiohttp.ServerTimeoutError) as exc:
            raise TimedOut from exc
        except aiohttp.ClientError as exc:
            raise NetworkError(f"aiohttp.{type(exc).__name__}: {exc}") from exc
        _count(url, response.status)
        return response.status, body


def _count(url: str, status: int) -> None:
    """Messages Telegram accepted (send*) and requests it refused for flooding (429)."""
    if status == 429:
        METRICS.rate_limited.labels("telegram").inc()
    elif status == 200 and url.rpartition("/")[2].startswith("send"):
        METRICS.sends.labels("telegram").inc()


def _sum(*values: object) -> float | None:
    """Two timeouts in a row; None (no limit) when either has none."""
    if any(v is None for v in values):
        return None
    return sum(float(v) for v in values)  # type: ignore[arg-type]


def _body(request_data: RequestData | None) -> aiohttp.FormData | dict[str, str] | None:
    if request_data is None:
        return None
    if not request_data.contains_files:
        return request_data.json_parameters
    form = aiohttp.FormData()
    for name, value in request_data.json_parameters.items():
        form.add_field(name, value)
    for name, (filename, content, mime) in request_data.multipart_data.items():
        if filename is None:
            continue
        form.add_field(name, content, filename=filename, content_type=mime)
    return form
