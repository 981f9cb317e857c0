"""The webhook under abuse: secret before body, a size cap, timeouts, and room for Telegram."""

from __future__ import annotations

import contextlib
import json
import os
import resource
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fakebotapi import FakeBotAPI
from telegram_harness import api_fixture, running_bot, shown  # noqa: F401 - a fixture

from bot.core.conversation import Conversation
from bot.fronts.telegram import webhook
from bot.fronts.telegram.app import Webhook

SECRET = "the-right-secret_42"
SHORT = 1.0  # the timeouts, shortened for these tests (5 s when running)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def hook(
    api: FakeBotAPI, conversation: Conversation, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Webhook]:
    monkeypatch.setattr(webhook, "HEADER_TIMEOUT", SHORT)
    monkeypatch.setattr(webhook, "BODY_TIMEOUT", SHORT)
    port = _free_port()
    transport = Webhook(f"http://127.0.0.1:{port}/hook", SECRET, "127.0.0.1", port)
    with running_bot(api, conversation, transport=transport):
        api.wait_for("setWebhook")
        api.send_text("croydon")  # delivered once the server is up
        api.wait_for("sendMessage")
        yield transport


def _connect(hook: Webhook) -> socket.socket:
    return socket.create_connection(("127.0.0.1", hook.port), timeout=5)


def _head(length: int | None, secret: str | None = None, chunked: bool = False) -> bytes:
    lines = ["POST /hook HTTP/1.1", "Host: 127.0.0.1", "Content-Type: application/json"]
    if secret is not None:
        lines.append(f"X-Telegram-Bot-Api-Secret-Token: {secret}")
    if length is not None:
        lines.append(f"Content-Length: {length}")
    if chunked:
        lines.append("Transfer-Encoding: chunked")
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def _answer(sock: socket.socket, within: float) -> bytes:
    """What the server sent before closing or `within` seconds (b"" if it only closed)."""
    sock.settimeout(within)
    got = b""
    with contextlib.suppress(TimeoutError, ConnectionResetError):
        while chunk := sock.recv(65536):
            got += chunk
    return got


def _closed_within(sock: socket.socket, seconds: float) -> bool:
    sock.settimeout(seconds)
    try:
        while sock.recv(65536):
            pass
    except TimeoutError:
        return False
    except ConnectionResetError:
        pass
    return True


def test_without_the_secret_a_99_mb_request_is_refused_before_its_body(hook: Webhook) -> None:
    with _connect(hook) as sock:
        sock.sendall(_head(99_000_000))  # headers only: the body never comes
        started = time.monotonic()
        answer = _answer(sock, 3)
    assert answer.startswith(b"HTTP/1.1 403"), answer[:40]
    assert time.monotonic() - started < 2


def test_with_the_secret_a_body_over_1_mb_is_refused_unread(hook: Webhook) -> None:
    with _connect(hook) as sock:
        sock.sendall(_head(2_000_000, SECRET))
        answer = _answer(sock, 3)
    assert answer.split(b" ")[1:2] in ([b"400"], [b"413"]), answer[:40]


def test_a_chunked_body_over_1_mb_is_refused(api: FakeBotAPI, hook: Webhook) -> None:
    update = api.send_text("ealing", queue=False)
    body = (json.dumps(update) + " " * 1_100_000).encode()
    with _connect(hook) as sock:
        sock.sendall(_head(None, SECRET, chunked=True))
        with contextlib.suppress(OSError):  # the server may close while we still send
            for start in range(0, len(body), 65536):
                piece = body[start : start + 65536]
                sock.sendall(b"%x\r\n%s\r\n" % (len(piece), piece))
            sock.sendall(b"0\r\n\r\n")
        answer = _answer(sock, 3)
    assert not answer.startswith(b"HTTP/1.1 200"), answer[:40]


def test_slow_headers_and_idle_connections_are_closed_within_seconds(hook: Webhook) -> None:
    with _connect(hook) as slow, _connect(hook) as idle:
        slow.sendall(b"POST /hook HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # and never the rest
        assert _closed_within(slow, SHORT + 2)
        assert _closed_within(idle, 1)  # opened at the same time, never used


def test_another_path_or_method_is_refused_without_reading_a_body(hook: Webhook) -> None:
    for head in (
        _head(99_000_000, SECRET).replace(b"/hook", b"/other"),
        _head(99_000_000, SECRET).replace(b"POST", b"PUT"),
    ):
        with _connect(hook) as sock:
            sock.sendall(head)
            answer = _answer(sock, 3)
        assert answer.split(b" ")[1:2] in ([b"404"], [b"405"]), answer[:40]


# -- many connections under a low open-file limit, in a real process ----------------------

IDLE = 2_000
FILE_LIMIT = 1_024


def _own_file_limit(wanted: int) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and hard < wanted:
        pytest.skip(f"this test needs {wanted} open files and the hard limit is {hard}")
    if soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))


def _to(call: Any, chat_id: int) -> bool:
    return int(call.params.get("chat_id", 0)) == chat_id


def _limit_files() -> None:
    resource.setrlimit(resource.RLIMIT_NOFILE, (FILE_LIMIT, FILE_LIMIT))


def test_with_2000_idle_connections_under_1024_open_files_the_bot_still_answers(
    api: FakeBotAPI, tmp_path: Path
) -> None:
    _own_file_limit(IDLE + 512)
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "HELPLINE_"))}
    env |= {
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "TELEGRAM_BOT_TOKEN": api.token,
        "TELEGRAM_API_URL": api.base_url,
        "TELEGRAM_WEBHOOK_URL": f"http://127.0.0.1:{port}/hook",
        "TELEGRAM_WEBHOOK_SECRET": SECRET,
    }
    log = tmp_path / "bot.log"
    with log.open("w") as err:
        process = subprocess.Popen(
            [sys.executable, "-m", "bot", "run", "--port", str(port)],
            env=env, stdout=subprocess.DEVNULL, stderr=err, stdin=subprocess.DEVNULL,
            preexec_fn=_limit_files,
        )  # fmt: skip
    idle: list[socket.socket] = []
    try:
        api.send_text("croydon")
        api.wait_for("sendMessage", timeout=60)
        for _ in range(IDLE):
            try:
                idle.append(socket.create_connection(("127.0.0.1", port), timeout=5))
            except OSError:
                break
        started = time.monotonic()
        api.send_text("he's outside the door and I'm scared", chat_id=4321)
        [danger] = api.wait_for(
            "sendMessage", 1, timeout=10, where=lambda c: c.status == 200 and _to(c, 4321)
        )
        took = time.monotonic() - started
    finally:
        for sock in idle:
            sock.close()
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=20)
    assert len(idle) >= IDLE * 0.95  # accepted or queued, not refused (before: 1,143 of 2,000)
    assert "999" in shown(danger).splitlines()[0]
    assert took < 5
    assert log.stat().st_size < 20_000  # no flood of log lines
