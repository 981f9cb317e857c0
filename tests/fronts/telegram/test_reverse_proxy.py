"""The README's reverse-proxy configuration (deploy/nginx/helpline-webhook.conf), run for real.

nginx (Debian's nginx-light) in front of the bot in webhook mode: Telegram's updates pass;
requests without the secret, too large, slow or idle are refused or closed by nginx; with
2,000 idle connections open the bot still answers. Skipped, saying so, without nginx.
"""

from __future__ import annotations

import contextlib
import os
import resource
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fakebotapi import FakeBotAPI
from nginx_proxy import running_nginx
from telegram_harness import api_fixture, running_bot, shown  # noqa: F401 - a fixture

from bot.core.conversation import Conversation
from bot.fronts.telegram.app import Webhook

CONF = Path(__file__).resolve().parents[3] / "deploy" / "nginx" / "helpline-webhook.conf"
SECRET = "proxy-secret_7"
NGINX = shutil.which("nginx", path=os.pathsep.join([os.environ.get("PATH", ""), "/usr/sbin"]))
pytestmark = pytest.mark.skipif(
    NGINX is None, reason="nginx is not installed (Debian: apt-get install nginx-light)"
)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _nginx_conf(folder: Path, listen: int, bot_port: int) -> Path:
    """A whole nginx.conf around the project's file, included as it is."""
    user = "user root;\n" if os.geteuid() == 0 else ""
    conf = folder / "nginx.conf"
    conf.write_text(
        f"""{user}worker_processes 1;
daemon off;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
worker_rlimit_nofile 8192;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    upstream helpline_bot {{ server 127.0.0.1:{bot_port}; keepalive 16; }}
    server {{
        listen 127.0.0.1:{listen};
        include {CONF};
    }}
}}
"""
    )
    return conf


@contextlib.contextmanager
def nginx(folder: Path, listen: int, bot_port: int) -> Iterator[subprocess.Popen[bytes]]:
    with running_nginx(folder, _nginx_conf(folder, listen, bot_port), listen) as process:
        yield process


@pytest.fixture
def proxied(
    api: FakeBotAPI, conversation: Conversation, tmp_path: Path
) -> Iterator[tuple[FakeBotAPI, int]]:
    """The bot behind nginx; Telegram (the fake) posts to nginx's address."""
    bot_port, public = _free_port(), _free_port()
    hook = Webhook(f"http://127.0.0.1:{public}/telegram", SECRET, "127.0.0.1", bot_port)
    with nginx(tmp_path, public, bot_port), running_bot(api, conversation, transport=hook):
        api.wait_for("setWebhook")
        yield api, public


def _exchange(port: int, raw: bytes, within: float) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=within) as sock:
        sock.sendall(raw)
        got = b""
        with contextlib.suppress(TimeoutError, ConnectionResetError):
            while chunk := sock.recv(65536):
                got += chunk
                if b"\r\n\r\n" in got:
                    break
        return got


def _head(length: int, secret: str | None) -> bytes:
    lines = ["POST /telegram HTTP/1.1", "Host: bot.example.org", f"Content-Length: {length}"]
    if secret is not None:
        lines.append(f"X-Telegram-Bot-Api-Secret-Token: {secret}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def test_updates_pass_through_the_proxy_and_are_answered(
    proxied: tuple[FakeBotAPI, int],
) -> None:
    api, _ = proxied
    api.send_text("croydon")
    api.send_text("he's outside the door and I'm scared", chat_id=77)
    calls = api.wait_for("sendMessage", 2)
    texts = {int(c.params["chat_id"]): shown(c) for c in calls}
    assert "Croydon: 4,787" in texts[1001]
    assert "999" in texts[77].splitlines()[0]


def test_the_proxy_refuses_before_reading_a_body_without_the_secret_or_over_1_mb(
    proxied: tuple[FakeBotAPI, int],
) -> None:
    api, port = proxied
    # Answered as soon as the headers are in: the bodies are never sent.
    assert _exchange(port, _head(500, None), 3).startswith(b"HTTP/1.1 403")
    assert _exchange(port, _head(99_000_000, None), 3).startswith(
        (b"HTTP/1.1 403", b"HTTP/1.1 413")
    )
    assert _exchange(port, _head(2_000_000, SECRET), 3).startswith(b"HTTP/1.1 413")
    forged = api.send_text("ealing", queue=False)
    url = f"http://127.0.0.1:{port}/telegram"
    assert api.post_webhook(url, forged, "wrong") == 403  # the bot checks the value
    assert api.post_webhook(url.replace("/telegram", "/other"), forged, SECRET) == 404
    assert not api.calls_to("sendMessage")


def test_the_proxy_closes_slow_headers_within_seconds(proxied: tuple[FakeBotAPI, int]) -> None:
    _, port = proxied
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(b"POST /telegram HTTP/1.1\r\nHost: x\r\n")
        started = time.monotonic()
        with contextlib.suppress(ConnectionResetError):
            while sock.recv(65536):
                pass
        assert time.monotonic() - started < 8  # client_header_timeout 5s


def test_with_2000_idle_connections_at_the_proxy_the_bot_still_answers(
    proxied: tuple[FakeBotAPI, int],
) -> None:
    api, port = proxied
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and hard < 2600:
        pytest.skip(f"this test needs 2,600 open files and the hard limit is {hard}")
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, 2600), hard))
    idle: list[socket.socket] = []
    try:
        for _ in range(2000):
            idle.append(socket.create_connection(("127.0.0.1", port), timeout=5))
        started = time.monotonic()
        api.send_text("he's outside the door and I'm scared", chat_id=88)
        [danger] = api.wait_for("sendMessage", where=lambda c: _to(c, 88), timeout=10)
        took = time.monotonic() - started
    finally:
        for sock in idle:
            sock.close()
    assert "999" in shown(danger).splitlines()[0]
    assert took < 3


def _to(call: Any, chat_id: int) -> bool:
    return int(call.params.get("chat_id", 0)) == chat_id
