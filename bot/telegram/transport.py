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

    def __init__(
        self,
        connections: int = 32,
        read_timeout: float | None = 10.0,
        write_timeout: float | None = 10.0,
        connect_timeout: float | None = 10.0,
        pool_timeout: float | None = 10.0,
    ):
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
                headers={"User-Agent": self.USER_AGENT},
            )

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: object = BaseRequest.DEFAULT_NONE,
        write_timeout: object = BaseRequest.DEFAULT_NONE,
        connect_timeout: object = BaseRequest.DEFAULT_NONE,
        pool_timeout: object = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        if self._session is None or self._session.closed:
            raise RuntimeError("AiohttpRequest is not initialized")
        read, write = _seconds(read_timeout, self._read), _seconds(write_timeout, self._write)
        connect, pool = _seconds(connect_timeout, self._connect), _seconds(pool_timeout, self._pool)
        timeout = aiohttp.ClientTimeout(connect=_sum(connect, pool), sock_connect=connect, sock_read=_sum(read, write))
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


def _seconds(given: object, default: float | None) -> float | None:
    """A request's timeout: the one given (None: no limit), else this transport's own."""
    if given is BaseRequest.DEFAULT_NONE:
        return default
    return float(given) if isinstance(given, int | float) else None


def _sum(*values: float | None) -> float | None:
    """Two timeouts in a row; None (no limit) when either has none."""
    total = 0.0
    for value in values:
        if value is None:
            return None
        total += value
    return total


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
