"""Nothing acknowledged and then lost, nothing answered twice: `helpline-bot run` killed with
SIGKILL in the middle of a burst, then started again, in webhook mode and in long polling.

The kill comes while requests are under way: the fake then holds the sends that reached it,
so those are sure to have arrived, as they may have on Telegram.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from fakebotapi import FakeBotAPI
from telegram_harness import api_fixture  # noqa: F401 - a fixture

FIRST_CHAT = 60_000
SECRET = "restart-test-secret"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _environment(api: FakeBotAPI, tmp_path: Path, *webhook: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "HELPLINE_"))}
    env |= {
        "TELEGRAM_BOT_TOKEN": api.token,
        "TELEGRAM_API_URL": api.base_url,
        "HELPLINE_STORE": str(tmp_path / "store.db"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "XDG_STATE_HOME": str(tmp_path / "state"),  # the outbox, kept across the restart
    }
    if webhook:
        env |= {"TELEGRAM_WEBHOOK_URL": webhook[0], "TELEGRAM_WEBHOOK_SECRET": SECRET}
    return env


@contextmanager
def _bot(
    env: dict[str, str], tmp_path: Path, name: str, *args: str
) -> Iterator[subprocess.Popen[bytes]]:
    with (tmp_path / f"{name}.log").open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "bot", "run", *args],
            env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            yield process
        finally:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
            process.wait(timeout=20)


def _until(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(what)
        time.sleep(0.05)


def _kill_mid_burst(api: FakeBotAPI, process: subprocess.Popen[bytes], chats: range) -> int:
    """SIGKILL while replies are going out; how many chats were answered by then."""
    _until(lambda: len(api.sent()) >= 10, 30, "no reply before the kill")
    api.slow("sendMessage", 2.0, times=8)  # the sends under way stall at the fake...
    time.sleep(0.5)
    process.kill()  # ...and the bot dies with them unanswered
    process.wait(timeout=10)
    time.sleep(2.0)  # the fake finishes them: they arrived
    return len({int(c.params["chat_id"]) for c in api.sent()} & set(chats))


def _answers(api: FakeBotAPI) -> Counter[int]:
    return Counter(int(c.params["chat_id"]) for c in api.sent())


@pytest.mark.parametrize("count", [150])
def test_webhook_killed_after_accepting_every_update_answers_each_once_after_a_restart(
    api: FakeBotAPI, tmp_path: Path, count: int
) -> None:
    port = _free_port()
    env = _environment(api, tmp_path, f"http://127.0.0.1:{port}/hook")
    where = ("--listen", "127.0.0.1", "--port", str(port))
    chats = range(FIRST_CHAT, FIRST_CHAT + count)
    last = 0
    for chat in chats:
        last = api.send_text("croydon", chat_id=chat)["update_id"]
    with _bot(env, tmp_path, "first", *where) as first:
        _until(lambda: api.world.confirmed >= last, 30, "not every update was accepted")
        answered = _kill_mid_burst(api, first, chats)
    assert answered < count  # Telegram had its 200 for updates not yet answered
    with _bot(env, tmp_path, "second", *where):
        _until(lambda: set(chats) <= set(_answers(api)), 30, "some updates were never answered")
        time.sleep(1.0)  # a second answer would come by now
    counts = _answers(api)
    assert {chat: counts[chat] for chat in chats} == dict.fromkeys(chats, 1)


def test_polling_killed_mid_burst_answers_each_update_once_after_a_restart(
    api: FakeBotAPI, tmp_path: Path
) -> None:
    env = _environment(api, tmp_path)
    chats = range(FIRST_CHAT, FIRST_CHAT + 150)
    updates = [api.send_text("croydon", chat_id=chat) for chat in chats]
    with _bot(env, tmp_path, "first") as first:
        answered = _kill_mid_burst(api, first, chats)
    assert answered < len(chats)
    with _bot(env, tmp_path, "second"):
        _until(lambda: set(chats) <= set(_answers(api)), 30, "some updates were never answered")
        api.enqueue(dict(updates[0]))  # Telegram delivers an answered update again
        time.sleep(1.5)  # a second answer would come by now
        api.wait_confirmed()
    counts = _answers(api)
    assert {chat: counts[chat] for chat in chats} == dict.fromkeys(chats, 1)
