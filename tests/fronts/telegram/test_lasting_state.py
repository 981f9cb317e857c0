"""The chat state lasts through restarts: the issue's "restart, then Leave quickly" run.

The real Application against the fake Bot API, with the SQLite file in process, then
`helpline-bot run` itself, killed with SIGKILL and started again, on the default SQLite
file and on a real Redis server.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sqlite3
import stat
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import redis
import redis.asyncio as aioredis
from fakebotapi import FakeBotAPI, all_message_ids
from redis_server import redis_server
from telegram_harness import (
    api_fixture,  # noqa: F401 - a fixture
    running_bot,
    shown,
)

from bot.core.conversation import Conversation
from bot.session.state import close_state, open_state
from bot.session.state.redis_store import RedisChatState
from bot.session.state.sqlite_store import SqliteChatState

CHAT = 4242
SECRET = b"the tests' secret, long enough.."


def _ask(api: FakeBotAPI, text: str, answered: int) -> None:
    api.send_text(text, chat_id=CHAT)
    api.wait_for("sendMessage", answered, timeout=30, where=lambda c: c.status == 200)


def _exit_then_one_more(api: FakeBotAPI, answered: int) -> list[str]:
    """Press "Leave quickly", then write again: what was sent after the exit, in order."""
    api.press_button("exit", chat_id=CHAT)
    [deleting] = api.wait_for("deleteMessages", timeout=30)
    _ask(api, "ealing", answered + 1)
    return [shown(c) for c in api.sent(CHAT) if c.at > deleting.at]


def test_after_a_restart_the_exit_erases_both_runs_and_discreet_mode_holds(
    api: FakeBotAPI, conversation: Conversation, tmp_path: Path
) -> None:
    path = tmp_path / "state" / "chat-state.sqlite3"
    state = SqliteChatState(path, SECRET)
    with running_bot(api, conversation, state=state):
        _ask(api, "croydon", 1)
        _ask(api, "/discreet on", 2)
    state.close()
    before = all_message_ids(api, CHAT)
    state = SqliteChatState(path, SECRET)  # a new process on the same file
    try:
        with running_bot(api, conversation, state=state):
            _ask(api, "he hit me", 3)
            assert api.sent(CHAT)[-1].params["disable_notification"] is True
            after_exit = _exit_then_one_more(api, 3)
    finally:
        state.close()
    assert len(after_exit) == 1 and "Ealing" in after_exit[0]  # no note: nothing remained
    deleted = {i for c in api.calls_to("deleteMessages") for i in c.params["message_ids"]}
    assert set(before) <= deleted
    assert len(api.messages(CHAT)) == 2  # only "ealing" and its answer, after the exit


def test_when_redis_goes_away_mid_run_danger_is_still_answered_and_the_exit_says_so(
    api: FakeBotAPI, conversation: Conversation, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HELPLINE_STATE_SECRET", "s" * 32)
    with redis_server(tmp_path / "redis") as url:  # a server of this test's own
        state = open_state(url)
        with running_bot(api, conversation, state=state):
            _ask(api, "croydon", 1)
            _stop_redis(url)
            _ask(api, "he has a knife and he's at the door", 2)
            danger = shown(api.sent(CHAT)[-1])
            assert danger.splitlines()[0].count("999") or "999" in danger.splitlines()[1]
            assert api.sent(CHAT)[-1].params["disable_notification"] is True  # quiet, unsure
            # The exit cannot name a message now: it deletes none, and says so.
            api.press_button("exit", chat_id=CHAT)
            note = api.wait_for("sendMessage", 3, timeout=30)[-1]
    assert "delete this chat" in shown(note)
    assert not api.calls_to("deleteMessages")


def _stop_redis(url: str) -> None:
    async def shutdown() -> None:
        client = aioredis.Redis.from_url(url)
        with contextlib.suppress(Exception):  # the server closes the connection as it goes
            await client.shutdown(nosave=True)
        await client.aclose()

    asyncio.run(shutdown())


def test_with_the_memory_store_a_restart_is_admitted(
    api: FakeBotAPI, conversation: Conversation
) -> None:
    with running_bot(api, conversation):
        _ask(api, "croydon", 1)
    with running_bot(api, conversation):  # a new process: the memory is gone
        _ask(api, "ealing", 2)
        after_exit = _exit_then_one_more(api, 2)
    assert "delete this chat" in after_exit[0]  # the plain note: something may remain


# -- `helpline-bot run`, killed and started again --------------------------------------------


def _environment(tmp_path: Path, api: FakeBotAPI, **extra: str) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "HELPLINE_"))}
    return clean | {
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "HELPLINE_STATE_DIR": str(tmp_path / "state"),
        "TELEGRAM_BOT_TOKEN": api.token,
        "TELEGRAM_API_URL": api.base_url,
        **extra,
    }


@contextmanager
def _bot(*args: str, env: dict[str, str]) -> Iterator[subprocess.Popen[str]]:
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "run", *args],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        stdin=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        yield process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
        process.communicate(timeout=20)


def _recorded(state_url: str, env: dict[str, str], count: int) -> None:
    """Wait until the running bot's state holds `count` ids of the chat (read as it would)."""
    saved = dict(os.environ)
    os.environ.update(env)
    try:
        state = open_state(state_url)
    finally:
        os.environ.clear()
        os.environ.update(saved)

    async def wait() -> None:
        deadline = time.monotonic() + 10
        while len(await state.recent(CHAT)) < count:
            assert time.monotonic() < deadline, "the bot did not record the messages"
            await asyncio.sleep(0.02)
        await close_state(state)

    asyncio.run(wait())


def _outbox_emptied(folder: Path, api: FakeBotAPI, state_url: str) -> None:
    """Wait until the outbox has let go of every reply sent: a job still there at a crash
    may have been sent, and the exit would then rightly say that something may remain.

    With a Redis state the outbox is in Redis too (bot.fronts.telegram.redis_outbox)."""
    bot_id = api.token.partition(":")[0]
    path = folder / f"outbox-{bot_id}.db"
    deadline = time.monotonic() + 10
    while True:
        if state_url.startswith("redis"):
            jobs = redis.Redis.from_url(state_url).keys(f"helpline:o:{bot_id}:j:*")
            if not jobs:
                return
        else:
            with contextlib.closing(sqlite3.connect(path)) as db:
                if db.execute("SELECT count(*) FROM jobs").fetchone() == (0,):
                    return
        assert time.monotonic() < deadline, "the outbox kept its jobs"
        time.sleep(0.02)


def _killed_then_restarted(
    api: FakeBotAPI, *args: str, env: dict[str, str], state_url: str
) -> list[str]:
    with _bot(*args, env=env) as first:
        _ask(api, "croydon", 1)
        _ask(api, "/discreet on", 2)
        # The reply is recorded just after Telegram answers the send: a kill in between
        # leaves a gap, and the exit would rightly say that something may remain.
        _recorded(state_url, env, 4)
        _outbox_emptied(Path(env["HELPLINE_STATE_DIR"]), api, state_url)
        first.send_signal(signal.SIGKILL)  # a crash: nothing closes cleanly
        first.wait(timeout=20)
    with _bot(*args, env=env) as second:
        _ask(api, "how many in hounslow", 3)
        assert api.sent(CHAT)[-1].params["disable_notification"] is True
        after_exit = _exit_then_one_more(api, 3)
        second.send_signal(signal.SIGTERM)
        _, err = second.communicate(timeout=20)
    assert second.returncode == 0, err
    assert "Traceback" not in err
    return after_exit


def test_helpline_bot_run_keeps_its_state_in_a_private_sqlite_file(
    api: FakeBotAPI, tmp_path: Path
) -> None:
    env = _environment(tmp_path, api)
    state_url = f"sqlite://{tmp_path / 'state' / 'chat-state.sqlite3'}"
    after_exit = _killed_then_restarted(api, env=env, state_url=state_url)
    assert len(after_exit) == 1 and "Ealing" in after_exit[0]
    assert len(api.messages(CHAT)) == 2
    folder = tmp_path / "state"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    names = {p.name: stat.S_IMODE(p.stat().st_mode) for p in folder.iterdir()}
    outbox = f"outbox-{api.token.partition(':')[0]}.db"  # replies waiting: empty at stop
    # WAL folded in at stop
    assert names == {"chat-state.sqlite3": 0o600, "state.key": 0o600, outbox: 0o600}
    content = (folder / "chat-state.sqlite3").read_bytes()
    assert str(CHAT).encode() not in content


def test_helpline_bot_run_on_redis_keeps_its_state_across_instances(
    api: FakeBotAPI, tmp_path: Path, redis_url: str
) -> None:
    env = _environment(tmp_path, api, HELPLINE_STATE_SECRET="s" * 32)
    url = redis_url.rsplit("/", 1)[0] + "/3"  # a database of its own on the shared server
    after_exit = _killed_then_restarted(api, "--state", url, env=env, state_url=url)
    assert len(after_exit) == 1 and "Ealing" in after_exit[0]
    assert len(api.messages(CHAT)) == 2
    # Nothing on disk: the chat state and the replies waiting to be sent are in Redis.
    folder = tmp_path / "state"
    assert not folder.exists() or not any(folder.iterdir())


def _one_line_error(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode != 0
    assert "Traceback" not in done.stderr + done.stdout
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, done.stderr
    return lines[0]


def _run_once(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", "run", *args],
        env=env, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL,
    )  # fmt: skip


def test_redis_without_the_shared_secret_is_refused_in_one_line(
    api: FakeBotAPI, tmp_path: Path
) -> None:
    env = _environment(tmp_path, api, HELPLINE_STATE="redis://127.0.0.1:1/0")
    line = _one_line_error(_run_once(env=env))
    assert "HELPLINE_STATE_SECRET" in line


def test_an_unreachable_redis_is_one_line_without_its_password(
    api: FakeBotAPI, tmp_path: Path
) -> None:
    env = _environment(tmp_path, api, HELPLINE_STATE_SECRET="s" * 32)
    done = _run_once("--state", "redis://:pw-hunter2@127.0.0.1:1/0", env=env)
    assert "hunter2" not in done.stderr + done.stdout
    warning, error = [line for line in done.stderr.splitlines() if line.strip()][-2:]
    assert "--state on the command line" in warning  # a password in the arguments: said
    assert "Redis" in error and "Traceback" not in done.stderr
    assert not api.calls_to("sendMessage")


def test_the_telegram_front_loads_redis_only_when_the_state_is_in_redis() -> None:
    # redis-py costs about 6 MB of the 80 MB budget: one instance on SQLite never needs it.
    check = "import sys, bot.fronts.telegram.app; print('redis' in sys.modules)"
    shown = subprocess.run(
        [sys.executable, "-c", check], capture_output=True, text=True, check=True
    ).stdout
    assert shown.strip() == "False"


@pytest.mark.parametrize("kind", ["sqlite", "redis"])
def test_what_an_update_changed_is_read_by_the_chats_next_one_in_the_same_batch(
    api: FakeBotAPI, conversation: Conversation, tmp_path: Path, kind: str, request: Any
) -> None:
    """The state is written beside the outbox, not before it: still, a chat's next update
    (here in the same getUpdates batch) reads what this one changed."""
    path = tmp_path / "state" / "chat-state.sqlite3"
    url = request.getfixturevalue("redis_url") if kind == "redis" else ""
    prefix = f"batch-{uuid.uuid4().hex}:"

    def opened() -> Any:
        if kind == "sqlite":
            return SqliteChatState(path, SECRET)
        return RedisChatState.from_url(url, SECRET, prefix=prefix)

    state = opened()
    for chat in range(1, 21):  # twenty chats at once, each turning discreet mode on
        api.send_text("/discreet on", chat_id=chat)
        api.send_text("croydon", chat_id=chat)
    with running_bot(api, conversation, state=state):
        api.wait_for("sendMessage", 40, timeout=30)
        for chat in range(1, 21):
            switched, figures = api.sent(chat)
            assert switched.params.get("disable_notification") is True
            assert figures.params.get("disable_notification") is True  # quiet: it was read
            assert "Croydon" in shown(figures)

    if kind == "sqlite":
        state.close()  # (Redis's client went with the bot's event loop)

    async def flags() -> list[bool]:
        again = opened()  # on this loop
        found = [(await again.load(chat)).discreet for chat in range(1, 21)]
        await close_state(again)
        return found

    assert all(asyncio.run(flags()))
