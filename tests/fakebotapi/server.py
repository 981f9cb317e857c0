"""HTTP for the fake Bot API: the server on 127.0.0.1, request decoding, webhook POSTs.

python-telegram-bot sends form-encoded POSTs whose values are JSON-encoded (a few are bare
strings), multipart for uploads; a webhook client may send JSON. The server checks the
token in the path, records the call, applies a waiting fault, and answers.
"""

from __future__ import annotations

import contextlib
import json
import socket
import time
import urllib.error
import urllib.request
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Protocol
from urllib.parse import parse_qsl

from fakebotapi.faults import Faults
from fakebotapi.recorder import Call

# Parameters that python-telegram-bot sends as bare strings; everything else is JSON-encoded.
STRING_PARAMS = {
    "text",
    "caption",
    "parse_mode",
    "callback_query_id",
    "url",
    "secret_token",
    "language_code",
    "emoji",
    "description",
    "short_description",
    "photo",
    "ip_address",
}


class Endpoint(Protocol):
    """What the HTTP handler needs of the fake API."""

    token: str
    faults: Faults

    def record(self, method: str, params: dict[str, Any], files: dict[str, bytes]) -> Call: ...

    def finish(self, call: Call, status: int, result: Any) -> None: ...

    def handle(
        self, method: str, params: dict[str, Any], files: dict[str, bytes] | None = None
    ) -> tuple[int, dict[str, Any]]: ...


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    # A bot opens many connections at once under load; socketserver's default backlog is 5.
    request_queue_size = 1024


def handler_for(api: Endpoint) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, like the real server
        # Headers and body go out as separate writes: without TCP_NODELAY each answer
        # waits ~40 ms for the client's delayed ACK, which would swamp every timing.
        disable_nagle_algorithm = True

        def log_message(self, format: str, *args: Any) -> None:  # quiet
            pass

        def do_GET(self) -> None:
            self.do_POST()

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            prefix = f"/bot{api.token}/"
            if not self.path.startswith("/bot"):
                return self._send(404, {"ok": False, "error_code": 404, "description": "Not Found"})
            if not self.path.startswith(prefix):
                return self._send(
                    401, {"ok": False, "error_code": 401, "description": "Unauthorized"}
                )
            method = self.path[len(prefix) :].split("?")[0]
            params, files = decode(self.headers.get("Content-Type", ""), body)
            call = api.record(method, params, files)
            fault = api.faults.take(method)
            if fault and fault.delay:
                time.sleep(fault.delay)
            if fault and fault.drop:
                self.close_connection = True
                with contextlib.suppress(OSError):
                    self.connection.shutdown(socket.SHUT_RDWR)
                return api.finish(call, 0, None)
            if fault and fault.status:
                status, answer = fault.status, fault.body()
            else:
                status, answer = api.handle(method, params, files)
            self._send(status, answer)
            api.finish(call, status, answer.get("result"))
            return None

        def _send(self, status: int, answer: dict[str, Any]) -> None:
            payload = json.dumps(answer).encode()
            with contextlib.suppress(OSError):  # the bot may have dropped a long poll on stop
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

    return Handler


def decode(content_type: str, body: bytes) -> tuple[dict[str, Any], dict[str, bytes]]:
    """Form, multipart or JSON body -> parameters (JSON values decoded) and uploaded files."""
    raw: dict[str, str] = {}
    files: dict[str, bytes] = {}
    if content_type.startswith("multipart/form-data"):
        message = BytesParser(policy=HTTP).parsebytes(
            b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + body
        )
        for part in message.iter_parts():
            name = str(part.get_param("name", header="content-disposition"))
            decoded = part.get_payload(decode=True)
            payload = decoded if isinstance(decoded, bytes) else b""
            if part.get_filename():
                files[name] = payload
                raw.setdefault(name, f"attach://{name}")
            else:
                raw[name] = payload.decode()
    elif content_type.startswith("application/json"):
        return (json.loads(body) if body else {}), files
    else:
        raw = dict(parse_qsl(body.decode(), keep_blank_values=True))
    return {name: _value(name, value) for name, value in raw.items()}, files


def _value(name: str, value: str) -> Any:
    if name in STRING_PARAMS:
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


def post_webhook(
    url: str, update: dict[str, Any], secret_token: str | None = None, timeout: float = 5
) -> int:
    """POST one update to a webhook as Telegram would; the HTTP status it answered."""
    headers = {"Content-Type": "application/json"}
    if secret_token is not None:
        headers["X-Telegram-Bot-Api-Secret-Token"] = secret_token
    request = urllib.request.Request(
        url, json.dumps(update).encode(), headers=headers, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code
