"""Two `helpline-bot run` instances on one Redis, behind nginx, the way README recommends.

nginx runs the project's deploy/nginx/helpline-upstream.conf (two upstreams, its ports
replaced) and helpline-webhook.conf; the fake Bot API posts its updates to nginx, which
spreads them over the two instances in turn (its log shows which got which). Each update
is answered once, one chat's in order, at most 30 messages in any second in total, the
quick exit pressed on either jumps the chat's queue and erases what both sent, and an
instance killed with SIGKILL in the middle of a burst loses nothing and answers nothing
twice.

Skipped, saying so, without nginx; without redis-server too unless $CI is set.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import warnings
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
from fakebotapi import FakeBotAPI
from nginx_proxy import NGINX, nginx_two
from telegram_harness import api_fixture, shown  # noqa: F401 - a fixture

SECRET = "two-instances-secret_9"
STATE_SECRET = "a-long-shared-secret-for-the-chat-keys"
pytestmark = pytest.mark.skipif(
    NGINX is None and not os.environ.get("CI"),
    reason="nginx is not installed (Debian: apt-get install nginx-light)",
)
FIRST_CHAT = 70_000


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _until(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(what)
        time.sleep(0.05)


class Pair:
    """The two instances, the fake API, and nginx's log."""

    def __init__(self, api: FakeBotAPI, spread: Path, processes: list[subprocess.Popen[bytes]]):
        self.api, self.spread, self.processes = api, spread, processes

    def upstreams(self) -> Counter[str]:
        """How many updates nginx passed to each instance (200s only)."""
        lines = self.spread.read_text().split("\n") if self.spread.exists() else []
        return Counter(line.split()[0] for line in lines if line.endswith(" 200"))


@pytest.fixture
def pair(api: FakeBotAPI, redis_url: str, tmp_path: Path) -> Iterator[Pair]:
    database = redis_url.rsplit("/", 1)[0] + "/7"  # this test's own, emptied first
    redis.Redis.from_url(database).flushdb()
    public, ports = _free_port(), (_free_port(), _free_port())
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "HELPLINE_"))}
    env |= {
        "TELEGRAM_BOT_TOKEN": api.token,
        "TELEGRAM_API_URL": api.base_url,
        "TELEGRAM_WEBHOOK_URL": f"http://127.0.0.1:{public}/telegram",
        "TELEGRAM_WEBHOOK_SECRET": SECRET,
        "HELPLINE_STATE": database,
        "HELPLINE_STATE_SECRET": STATE_SECRET,
        "HELPLINE_STORE": str(tmp_path / "store.db"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "XDG_STATE_HOME": str(tmp_path / "state"),
    }
    processes: list[subprocess.Popen[bytes]] = []
    with contextlib.ExitStack() as stack:
        spread = stack.enter_context(nginx_two(tmp_path, public, ports))
        for n, port in enumerate(ports):
            log = stack.enter_context((tmp_path / f"bot{n}.log").open("w"))
            own = env | {"HELPLINE_OUTBOX": str(tmp_path / f"outbox{n}.db")}  # were it used
            process = subprocess.Popen(
                [sys.executable, "-m", "bot", "run", "--listen", "127.0.0.1", "--port", str(port)],
                env=own, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            )  # fmt: skip
            processes.append(process)
            stack.callback(_stop, process, tmp_path / f"bot{n}.log")
        _until(lambda: len(api.calls_to("setWebhook")) >= 2, 60, "the instances did not start")
        yield Pair(api, spread, processes)


def _stop(process: subprocess.Popen[bytes], log: Path) -> None:
    # A minute: after its peer was killed mid-burst, an instance once took over 20 s to stop
    # in CI (its jobs are kept in Redis either way; the cause is not found yet). A stop over
    # 10 s is reported as a warning with the bot's own account of its steps.
    began = time.monotonic()
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        raise AssertionError(f"no stop in 60 s; its log ends:\n{_tail(log)}") from None
    took = time.monotonic() - began
    if took > 10:
        warnings.warn(f"a slow stop ({took:.0f} s):\n{_tail(log)}", stacklevel=1)


def _tail(log: Path) -> str:
    return "\n".join(log.read_text(errors="replace").splitlines()[-15:])


def _to_chats(api: FakeBotAPI) -> list[Any]:
    return [c for c in api.calls if "chat_id" in c.params]


def _answers(api: FakeBotAPI) -> Counter[int]:
    return Counter(int(c.params["chat_id"]) for c in api.sent())


def _most_in_one_second(times: list[float]) -> int:
    times = sorted(times)
    most, start = 0, 0
    for end, at in enumerate(times):
        while at - times[start] >= 1.0:
            start += 1
        most = max(most, end - start + 1)
    return most


def test_each_update_answered_once_in_order_at_30_a_second_across_two_instances(
    pair: Pair,
) -> None:
    api = pair.api
    boroughs = ["croydon", "ealing", "hounslow", "westminster", "camden", "hackney"]
    chats = range(FIRST_CHAT, FIRST_CHAT + 120)
    for n, chat in enumerate(chats):
        api.send_text("croydon", chat_id=chat)
        if n % 20 == 0:  # one chat's questions, spread over both instances
            api.send_text(boroughs[n // 20], chat_id=1001)
    _until(lambda: set(chats) <= set(_answers(api)), 60, "some updates were never answered")
    _until(lambda: _answers(api)[1001] >= len(boroughs), 30, "chat 1001 was not answered")
    time.sleep(1.5)  # a second answer would come by now
    counts = _answers(api)
    assert {chat: counts[chat] for chat in chats} == dict.fromkeys(chats, 1)
    assert counts[1001] == len(boroughs)
    replies = [shown(c) for c in api.sent(1001)]
    for borough, reply in zip(boroughs, replies, strict=True):
        assert borough.lower() in reply.lower(), (borough, reply[:80])
    spread = pair.upstreams()
    assert len(spread) == 2 and min(spread.values()) >= 50, spread  # both instances read
    assert _most_in_one_second([c.at for c in _to_chats(api)]) <= 30


def test_one_chat_in_order_when_its_first_reply_is_held_up_on_one_instance(pair: Pair) -> None:
    api = pair.api
    api.fail("sendMessage", 429, retry_after=1)  # the first reply waits a second (Telegram)
    for borough in ["croydon", "ealing"]:  # to one instance, then the other
        api.send_text(borough, chat_id=1001)
        _until(lambda: api.world.confirmed >= api.world.last_update_id(), 10, "not taken")
    _until(lambda: len(_delivered(api, 1001)) >= 2, 20, "not answered")
    assert len(pair.upstreams()) == 2
    first, second = (shown(c).lower() for c in _delivered(api, 1001))
    assert "croydon" in first and "ealing" in second


def _delivered(api: FakeBotAPI, chat_id: int) -> list[Any]:
    return [c for c in api.sent(chat_id) if c.status == 200]


def test_the_quick_exit_on_one_instance_erases_what_the_other_sent(pair: Pair) -> None:
    api = pair.api
    for borough in ["croydon", "ealing", "hounslow", "westminster"]:
        api.send_text(borough, chat_id=1001)
        _until(lambda: api.world.confirmed >= api.world.last_update_id(), 10, "not taken")
    _until(lambda: len(api.sent(1001)) >= 4, 20, "not answered")
    sent_ids = {int(m.message_id) for m in api.messages(1001) if m.from_bot}
    assert len(pair.upstreams()) == 2  # both instances answered some of them
    api.press_button("exit", chat_id=1001)
    _until(lambda: sent_ids <= api.deleted_ids(1001), 20, "some messages were not erased")


def test_the_exit_through_either_instance_jumps_a_queue_of_40_and_nothing_follows_it(
    pair: Pair,
) -> None:
    api = pair.api
    for n in range(40):  # spread over both instances; one sends them, at the chat's pace
        api.send_text(f"croydon {n}", chat_id=1001)
    first = api.wait_for("sendMessage", where=lambda c: _to(c, 1001), timeout=20)[0]
    _until(lambda: api.world.confirmed >= api.world.last_update_id(), 10, "not taken")
    asked = time.perf_counter()
    api.press_button("exit", chat_id=1001, message_id=first.result["message_id"])
    [erase] = api.wait_for("deleteMessages", timeout=10)
    time.sleep(1.5)  # anything still on its way
    assert erase.at - asked < 3.0  # not behind the chat's own replies (about 20 s of them)
    replies = api.sent(1001)
    assert len(replies) < 40  # the replies not yet sent were dropped
    assert not [c for c in replies if c.at > erase.at]  # nothing sent after the erase began
    assert api.messages(1001) == []  # every message, from either instance, is gone
    assert len(pair.upstreams()) == 2


def _to(call: Any, chat_id: int) -> bool:
    return int(call.params.get("chat_id", 0)) == chat_id


def test_a_danger_message_is_answered_ahead_of_a_crowd_on_either_instance(pair: Pair) -> None:
    api = pair.api
    for chat in range(FIRST_CHAT, FIRST_CHAT + 300):  # about 11 s of replies at 28/s
        api.send_text("croydon", chat_id=chat)
    _until(lambda: api.world.confirmed >= api.world.last_update_id(), 30, "not taken")
    asked = time.perf_counter()
    for chat in (88, 89):  # one to each instance
        api.send_text("he's outside the door and I'm scared", chat_id=chat)
    for chat in (88, 89):
        [danger] = api.wait_for("sendMessage", where=lambda c, n=chat: _to(c, n), timeout=10)
        assert "999" in shown(danger).splitlines()[0]
        assert danger.at - asked < 2.0
    assert len(api.sent()) < 250  # the crowd was still waiting


def test_an_instance_killed_mid_burst_loses_nothing_and_answers_nothing_twice(
    pair: Pair,
) -> None:
    api = pair.api
    chats = range(FIRST_CHAT, FIRST_CHAT + 300)
    for chat in chats:
        api.send_text("croydon", chat_id=chat)
    _until(lambda: len(api.sent()) >= 20, 30, "no reply before the kill")
    api.slow("sendMessage", 2.0, times=8)  # sends under way stall at the fake...
    time.sleep(0.5)
    pair.processes[0].kill()  # ...and one instance dies with them
    pair.processes[0].wait(timeout=10)
    answered = len(set(_answers(api)))
    accepted = sum(pair.upstreams().values())
    assert answered < accepted  # updates acknowledged (200) and not yet answered
    _until(lambda: set(chats) <= set(_answers(api)), 60, "some updates were never answered")
    time.sleep(2.0)  # a second answer would come by now
    counts = _answers(api)
    assert {chat: counts[chat] for chat in chats} == dict.fromkeys(chats, 1)
