"""python-telegram-bot's requests sent with aiohttp instead of its default, httpx.

Why: sending is most of what the bot does, and httpx's pure-Python connection pool and
parser made the bot spend 3.9 ms of CPU an update; through aiohttp it spends 1.6 ms
(bench/e2e.py). PTB supports swapping its transport through
`BaseRequest`; this is that swap and nothing more. Timeouts keep PTB's meaning and
defaults, and errors become PTB's own (`TimedOut`, `NetworkError`), so the rest of
the bot, and PTB's retries, cannot tell the difference.
"""

from __future__ import annotations

import functools
import json
import ssl
from urllib.parse import urlsplit
from urllib.request import getproxies, proxy_bypass

import aiohttp
import certifi
from telegram._utils.defaultvalue import DefaultValue
from telegram._utils.types import ODVInput
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

# python-telegram-bot's own defaults for HTTPXRequest, in seconds.
CONNECT_TIMEOUT = 5.0
READ_TIMEOUT = 5.0
WRITE_TIMEOUT = 5.0
POOL_TIMEOUT = 1.0
MEDIA_WRITE_TIMEOUT = 20.0  # an upload (a chart) may take longer to send
POOL_SIZE = 256  # python-telegram-bot's default for the bot's requests

_JSON = {"Content-Type": "application/json"}
_NOT_SENT = "No connection to the Bot API in time (all busy, or none opened): not sent."


class AiohttpRequest(BaseRequest):
    """Bot API requests over one aiohttp session, opened by `initialize`."""

    __slots__ = ("_pool_size", "_session", "_timeouts")

    def __init__(
        self,
        connection_pool_size: int = POOL_SIZE,
        *,
        connect_timeout: float | None = CONNECT_TIMEOUT,
        read_timeout: float | None = READ_TIMEOUT,
        write_timeout: float | None = WRITE_TIMEOUT,
        pool_timeout: float | None = POOL_TIMEOUT,
    ) -> None:
        self._pool_size = connection_pool_size
        self._timeouts = {
            "connect": connect_timeout,
            "read": read_timeout,
            "write": write_timeout,
            "pool": pool_timeout,
        }
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float | None:
        return self._timeouts["read"]

    async def initialize(self) -> None:
        # Opened here, inside the running event loop, as aiohttp expects; again after a
        # shutdown, since PTB may initialize a bot more than once (start-up retries).
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._pool_size, ssl=_certificates()),
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
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        if self._session is None or self._session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized!")
        uploads = bool(request_data and request_data.contains_files)
        timeout = self._timeout(
            read=self._given(read_timeout, "read"),
            write=(
                MEDIA_WRITE_TIMEOUT
                if uploads and isinstance(write_timeout, DefaultValue)
                else self._given(write_timeout, "write")
            ),
            connect=self._given(connect_timeout, "connect"),
            pool=self._given(pool_timeout, "pool"),
        )
        try:
            async with self._session.request(
                method,
                url,
                data=_body(request_data),
                headers=_JSON if request_data and not uploads else None,
                proxy=_proxy_for(*_origin(url)),
                timeout=timeout,
                # A redirected POST is sent again, or turned into an empty GET; PTB makes
                # a 3xx a NetworkError, as it did with httpx, which never followed them.
                allow_redirects=False,
            ) as response:
                return response.status, await response.read()
        except aiohttp.ConnectionTimeoutError as error:
            raise TimedOut(_NOT_SENT) from error
        except TimeoutError as error:  # while sending or reading: it may have arrived
            raise TimedOut from error
        except aiohttp.ClientError as error:
            raise NetworkError(_described(error)) from error

    def _given(self, value: ODVInput[float], name: str) -> float | None:
        """A timeout passed for this call, or this request's own default."""
        if isinstance(value, DefaultValue):
            return self._timeouts[name]
        return value

    @staticmethod
    def _timeout(
        *, read: float | None, write: float | None, connect: float | None, pool: float | None
    ) -> aiohttp.ClientTimeout:
        """PTB's four timeouts in aiohttp's terms.

        aiohttp's `connect` covers waiting for a pooled connection and opening one (DNS,
        socket, proxy), so a full pool may be waited on for pool + connect (6 s by default,
        where httpx waited 1 s; aiohttp rounds a timeout of 5 s or more up to a whole
        second). `sock_read` is the longest wait for the answer once the request is
        written. aiohttp has no timeout for writing, so `total` bounds the whole call by
        the sum of all four (16 s; 31 s for an upload).
        """
        parts = (pool, connect, write, read)
        return aiohttp.ClientTimeout(
            total=None if None in parts else sum(p for p in parts if p is not None),
            connect=None if pool is None or connect is None else pool + connect,
            sock_connect=connect,
            sock_read=read,
        )


def _body(request_data: RequestData | None) -> aiohttp.FormData | bytes | None:
    """The parameters as JSON (sent with `_JSON`), or multipart when there are uploads.

    The Bot API takes JSON for everything but uploads. PTB sends a form instead, whose
    encoding (urllib's quote, byte by byte in Python) cost more than json.dumps of a reply.
    """
    if request_data is None:
        return None
    if not request_data.contains_files:
        return json.dumps(request_data.parameters).encode()
    form = aiohttp.FormData(request_data.json_parameters)
    for name, (filename, content, mimetype) in request_data.multipart_data.items():
        form.add_field(name, content, filename=filename, content_type=mimetype)
    return form


def _described(error: aiohttp.ClientError) -> str:
    """What went wrong, without aiohttp's own message.

    Its messages may quote the request's URL, which holds the bot token, or a proxy's
    URL with its password; the log filter only knows the token.
    """
    where = ""
    if isinstance(error, aiohttp.ClientConnectorError):
        where = f" ({error.host}:{error.port})"
    return f"aiohttp.{type(error).__name__}{where}"


@functools.cache
def _certificates() -> ssl.SSLContext:
    """certifi's certificate authorities, as httpx used: a host may have none of its own."""
    return ssl.create_default_context(cafile=certifi.where())


def _origin(url: str) -> tuple[str, str]:
    """The scheme, and the host with its port if the URL gives one (NO_PROXY may name it)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    return parts.scheme, f"{host}:{parts.port}" if parts.port else host


@functools.cache
def _proxy_for(scheme: str, host: str) -> str | None:
    """The proxy the system names for this host, if any: HTTPS_PROXY, NO_PROXY and so on.

    Read once per host, as httpx read it once: aiohttp's own `trust_env` reads the
    environment and ~/.netrc on every request, which cost more than the rest of sending
    a message. A proxy given without a scheme ("proxy:3128") is taken as http://, as
    httpx and curl take it.
    """
    proxies = getproxies()
    proxy = proxies.get(scheme) or proxies.get("all")
    if not proxy or proxy_bypass(host):
        return None
    return proxy if "://" in proxy else f"http://{proxy}"


def may_have_arrived(error: NetworkError) -> bool:
    """The request timed out after it was sent: Telegram may have acted on it.

    Sending it again could then say the same thing twice. A request that never got a
    connection (a pool or connect timeout) was not sent. A connection that failed (refused,
    or closed by the server, as idle kept-alive connections are) is taken as not sent
    either: nearly always true, and a reply lost is worse than a rare reply twice.
    """
    cause = error.__cause__
    return (
        isinstance(error, TimedOut)
        and isinstance(cause, TimeoutError)
        and not isinstance(cause, aiohttp.ConnectionTimeoutError)
    )
