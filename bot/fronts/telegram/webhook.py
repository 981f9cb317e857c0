"""The webhook's own web server: hard to knock over, and it logs nothing anyone sent.

python-telegram-bot's built-in webhook server (tornado, with its defaults) reads a request
body of up to 100 MB before checking the secret, keeps idle connections for an hour and,
under more connections than the process may open files, stops answering and logs on every
turn of the loop. This is the same tornado, run as PTB's docs show for a custom web server,
with limits that fit Telegram's updates, and a 200 only once an update is read and its
jobs kept (bot.fronts.telegram.intake; 500 if they could not be, so Telegram sends it
again):

- the secret is checked as soon as the headers are in; a request without it gets 403 and
  its connection is closed with the body unread;
- a body may hold at most MAX_BODY bytes (a Content-Length over it is refused unread);
- headers must arrive within HEADER_TIMEOUT seconds, a body within BODY_TIMEOUT, and an
  idle kept-alive connection is closed after HEADER_TIMEOUT;
- at most `max_connections` are open at once; a new one closes the oldest, so connections
  left open on purpose cannot use up the process's open files.
"""

from __future__ import annotations

import collections
import hmac
import json
import logging
import resource
import socket
from collections.abc import Awaitable, Callable
from typing import Any

import tornado.web
from telegram import Update
from tornado.httpserver import HTTPServer
from tornado.iostream import IOStream
from tornado.netutil import bind_sockets
from tornado.web import HTTPError

from bot.fronts.telegram.outbox import OutboxError
from bot.fronts.telegram.updates import Vetting

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_BODY = 1 << 20  # 1 MB: Telegram's updates are a few KB at most
MAX_HEADERS = 16 << 10  # all of a request's headers
HEADER_TIMEOUT = 5.0  # seconds for all headers to arrive, and for an idle connection
BODY_TIMEOUT = 5.0  # seconds for the body to arrive
RESERVED_FILES = 320  # open files kept for sending (256 connections), the store and charts
MIN_CONNECTIONS = 64


def raise_open_file_limit() -> int:
    """Raise this process's open-file limit to the most it is allowed; the new limit."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or hard > soft:
        wanted = 65_536 if hard == resource.RLIM_INFINITY else hard
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
            soft = wanted
        except (ValueError, OSError):
            pass
    return soft


def connection_limit(open_files: int) -> int:
    """How many webhook connections may be open, leaving room for everything else."""
    return max(MIN_CONNECTIONS, open_files - RESERVED_FILES)


class WebhookServer:
    """Serves Telegram's POSTs on `path`; each readable update is handed to `take`."""

    def __init__(
        self,
        take: Callable[[Update], Awaitable[None]],
        bot: Any,
        secret: str,
        path: str,
        vetting: Vetting,
        *,
        max_connections: int | None = None,
        header_timeout: float | None = None,
        body_timeout: float | None = None,
    ) -> None:
        self.take = take
        self.bot = bot
        self.secret = secret.encode()
        self.vetting = vetting
        self.refused = 0  # requests without the right secret, or to another path
        self.delivered = 0
        app = tornado.web.Application(
            [(f"/{path.strip('/')}", _Hook, {"server": self}), (r".*", _Elsewhere)],
            log_function=_quiet,
        )
        self._http = _CappedServer(
            app,
            idle_connection_timeout=header_timeout or HEADER_TIMEOUT,
            body_timeout=body_timeout or BODY_TIMEOUT,
            max_body_size=MAX_BODY,
            max_buffer_size=MAX_BODY + MAX_HEADERS,
            max_header_size=MAX_HEADERS,
        )
        limit = max_connections or connection_limit(raise_open_file_limit())
        self._http.max_connections = limit
        self.sockets: list[socket.socket] = []

    @property
    def closed_for_room(self) -> int:
        """Connections closed because `max_connections` were open."""
        return self._http.closed_for_room

    def start(self, listen: str, port: int) -> None:
        self.sockets = bind_sockets(port, listen, backlog=1024)
        self._http.add_sockets(self.sockets)

    async def stop(self) -> None:
        self._http.stop()
        await self._http.close_all_connections()


class _CappedServer(HTTPServer):
    """tornado's HTTPServer with a cap on open connections: a new one closes the oldest."""

    max_connections = 1024
    closed_for_room = 0
    _streams: collections.deque[IOStream]

    def handle_stream(self, stream: IOStream, address: tuple) -> None:
        streams = self.__dict__.setdefault("_streams", collections.deque())
        streams.append(stream)
        if len(streams) > self.max_connections:
            kept = collections.deque(s for s in streams if not s.closed())
            while len(kept) > self.max_connections:
                kept.popleft().close()
                self.closed_for_room += 1
            self._streams = kept
        super().handle_stream(stream, address)


def _quiet(handler: tornado.web.RequestHandler) -> None:
    """No access log: it would hold addresses, and under attack it would be a flood."""


class _Refusing(tornado.web.RequestHandler):
    """Errors answered with their status alone; nothing about the request is logged."""

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        self.finish()

    def log_exception(self, typ: Any, value: Any, tb: Any) -> None:
        if not isinstance(value, HTTPError):
            log.error("the webhook failed on a request (%s)", getattr(typ, "__name__", typ))


@tornado.web.stream_request_body
class _Elsewhere(_Refusing):
    """Any other path or method: 404 once the headers are in, the body unread."""

    SUPPORTED_METHODS = ("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS")

    def prepare(self) -> None:
        raise HTTPError(404)


@tornado.web.stream_request_body
class _Hook(_Refusing):
    SUPPORTED_METHODS = ("POST",)

    def initialize(self, server: WebhookServer) -> None:
        self.server = server
        self.body = bytearray()

    def prepare(self) -> None:
        # Before any of the body is read: the secret, then the size it says it has.
        given = self.request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, self.server.secret):
            self.server.refused += 1
            raise HTTPError(403)
        length = self.request.headers.get("Content-Length", "")
        if length.isdigit() and int(length) > MAX_BODY:
            raise HTTPError(413)

    def data_received(self, chunk: bytes) -> None:
        if len(self.body) + len(chunk) > MAX_BODY:  # a chunked body may say no length
            raise HTTPError(413)
        self.body += chunk

    async def post(self) -> None:
        try:
            raw = json.loads(self.body)
        except ValueError:  # also not UTF-8
            raise HTTPError(400) from None
        update = self.server.vetting.check(raw, self.server.bot)
        if update is not None:  # one PTB cannot read is skipped: 200, so it is not sent again
            try:
                await self.server.take(update)
            except OutboxError:
                raise HTTPError(500) from None  # not kept: Telegram will send it again
            self.server.delivered += 1
        self.set_status(200)
        self.finish()
