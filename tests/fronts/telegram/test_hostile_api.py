"""A hostile Bot API: the real `helpline-bot run` process against every fault Telegram can throw.

429s with retry_after, 500s, dropped connections, slow answers, a send that times out,
duplicate updates. Every update must be answered exactly once, none lost, the process
must keep running, and its log must say what happened without the token, any message
text or any chat id.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from fakebotapi import DEFAULT_TOKEN, Call, FakeBotAPI, visible

CHAT = 918_273_600  # chat ids no log line could contain by chance
SORRY = "something went wrong"


class RealBot:
    """`helpline-bot run` in its own process, polling the fake API; its log in a file."""

    def __init__(self, api: FakeBotAPI, tmp_path: Path):
        self.api = api
        self.log_path = tmp_path / "bot.log"
        env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "HELPLINE_"))}
        env |= {
            "TELEGRAM_BOT_TOKEN": api.token,
            "TELEGRAM_API_URL": api.base_url,
            "HELPLINE_STORE": str(tmp_path / "store.db"),
            "XDG_CACHE_HOME": str(tmp_path / "cache"),
        }
        with self.log_path.open("w") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "bot", "run"],
                env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            )  # fmt: skip

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> int:
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            raise

    @property
    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


@contextmanager
def real_bot(api: FakeBotAPI, tmp_path: Path) -> Iterator[RealBot]:
    bot = RealBot(api, tmp_path)
    try:
        api.wait_for("getUpdates", timeout=30)
        yield bot
        assert bot.alive, f"the bot exited:\n{bot.log[-3000:]}"
    finally:
        code = bot.stop()
    assert code == 0, f"the bot did not stop cleanly ({code}):\n{bot.log[-3000:]}"


@pytest.fixture
def api() -> Iterator[FakeBotAPI]:
    with FakeBotAPI(max_poll_wait=0.5) as fake:
        yield fake


def answered(api: FakeBotAPI, chat: int) -> list[Call]:
    """Messages the fake accepted for a chat."""
    return api.sent(chat)


def wait_answered(api: FakeBotAPI, chats: dict[int, int], timeout: float = 30) -> None:
    """Until each chat has at least the number of answers given."""
    deadline = time.monotonic() + timeout
    while any(len(answered(api, chat)) < n for chat, n in chats.items()):
        if time.monotonic() > deadline:
            got = {chat: len(answered(api, chat)) for chat in chats}
            raise TimeoutError(f"answers per chat: {got}, wanted {chats}")
        time.sleep(0.05)
    time.sleep(0.5)  # anything extra (a repeat) would arrive now


def assert_log_is_safe(log: str, private: list[str], chats: list[int]) -> None:
    assert DEFAULT_TOKEN not in log
    assert DEFAULT_TOKEN.partition(":")[2] not in log  # the token's secret half
    for text in private:
        assert text not in log, f"message text {text!r} is in the log"
    for chat in chats:
        assert str(chat) not in log, f"chat id {chat} is in the log"


def test_a_storm_of_faults_loses_nothing_and_answers_each_update_once(
    api: FakeBotAPI, tmp_path: Path
) -> None:
    chats = [CHAT + n for n in range(12)]
    names = [f"Quentin Blackwood-{n}" for n in range(12)]  # what must never reach the log
    boroughs = ["croydon", "ealing", "hounslow", "westminster", "camden", "brent"]

    def message(n: int, wave: int) -> str:
        return f"{boroughs[(n + wave) % len(boroughs)]} please, I am {names[n]} 07700 900{n:03d}"

    with real_bot(api, tmp_path) as bot:
        # Wave 1: polling itself fails every way (server errors, a 429, a dropped
        # connection, a slow answer) while people write.
        api.fail("getUpdates", 500, times=2)
        api.fail("getUpdates", 429, retry_after=1)
        api.drop("getUpdates")
        api.slow("getUpdates", 0.8)
        for n, chat in enumerate(chats[:6]):
            api.send_text(message(n, 1), chat_id=chat)
        wait_answered(api, dict.fromkeys(chats[:6], 1))
        assert bot.alive

        # Wave 2: sending fails: a 429 waited out, a 500 and a dropped connection retried,
        # slow answers (under the timeout) simply waited for.
        api.fail("sendMessage", 429, retry_after=1)
        api.fail("sendMessage", 500)
        api.drop("sendMessage")
        api.slow("sendMessage", 0.8, times=2)
        for n, chat in enumerate(chats):
            api.send_text(message(n, 2), chat_id=chat)
        expected = {chat: (2 if chat in chats[:6] else 1) for chat in chats}
        wait_answered(api, expected)
        assert bot.alive

        # Wave 3: buttons and commands while both sides still fail now and then.
        api.fail("sendMessage", 500)
        api.fail("getUpdates", 502, description="Bad Gateway")
        for chat in chats[:6]:
            api.press_button("menu", chat_id=chat)
        for chat in chats[6:]:
            api.send_text("/figures croydon", chat_id=chat)
        wait_answered(api, {chat: n + 1 for chat, n in expected.items()})
        api.wait_confirmed()

    statuses = Counter((c.method, c.status) for c in api.calls)
    assert statuses[("getUpdates", 500)] == 2 and statuses[("getUpdates", 429)] == 1
    assert statuses[("sendMessage", 429)] == 1 and statuses[("sendMessage", 500)] == 2
    for n, chat in enumerate(chats):
        texts = [visible(str(c.params["text"])) for c in answered(api, chat)]
        # Each update's own answer, once, in order.
        wanted = [boroughs[(n + 2) % len(boroughs)].title()]
        if chat in chats[:6]:
            wanted = [boroughs[(n + 1) % len(boroughs)].title(), *wanted, "Here's what I can do"]
        else:
            wanted.append("Croydon")
        assert len(texts) == len(wanted), texts
        for text, word in zip(texts, wanted, strict=True):
            assert word in text and SORRY not in text, (word, text)

    log = bot.log
    assert "getUpdates failed" in log and "retrying" in log  # polling errors, said plainly
    assert "send failed" in log  # a send retried
    assert "must wait" in log and "(429)" in log  # the 429 waited out, in that chat alone
    assert "Traceback" not in log  # nothing failed for good
    assert_log_is_safe(log, [*names, "07700", "please, I am"], chats)


def test_a_send_that_times_out_is_not_repeated_and_the_bot_goes_on(
    api: FakeBotAPI, tmp_path: Path
) -> None:
    # Longer than python-telegram-bot's read timeout (5 s): the bot gives up waiting,
    # but the server may still deliver it, so sending again could say it twice.
    api.slow("sendMessage", 6.5)
    with real_bot(api, tmp_path) as bot:
        api.send_text("croydon, from Quentin Blackwood", chat_id=CHAT)
        api.wait_for("sendMessage", 2, timeout=20, where=lambda c: c.status == 200)
        api.send_text("ealing", chat_id=CHAT + 1)
        [later] = api.wait_for(
            "sendMessage", where=lambda c: c.params["chat_id"] == CHAT + 1, timeout=10
        )
        assert bot.alive
    texts = [visible(str(c.params["text"])) for c in answered(api, CHAT)]
    assert sum("Croydon: 4,787" in text for text in texts) == 1, texts  # never twice
    assert "Ealing: 3,493" in visible(str(later.params["text"]))
    log = bot.log
    assert "TimedOut" in log  # the log says what happened
    assert_log_is_safe(log, ["Quentin", "Blackwood"], [CHAT, CHAT + 1])


def test_a_duplicate_update_is_answered_once(api: FakeBotAPI, tmp_path: Path) -> None:
    with real_bot(api, tmp_path):
        update = api.send_text("ealing", chat_id=CHAT)
        api.enqueue(dict(update))  # Telegram delivers the same update again
        api.send_text("croydon", chat_id=CHAT + 1)
        wait_answered(api, {CHAT: 1, CHAT + 1: 1})
        api.wait_confirmed()
    assert len(answered(api, CHAT)) == 1


def test_a_press_is_answered_even_when_acknowledging_it_fails(
    api: FakeBotAPI, tmp_path: Path
) -> None:
    with real_bot(api, tmp_path):
        api.send_text("croydon", chat_id=CHAT)
        wait_answered(api, {CHAT: 1})
        api.fail("answerCallbackQuery", 500)
        api.press_button("menu", chat_id=CHAT)
        wait_answered(api, {CHAT: 2})
    pressed = visible(str(answered(api, CHAT)[-1].params["text"]))
    assert SORRY not in pressed, pressed
