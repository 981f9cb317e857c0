"""The chat state's contract, for every store: memory, the SQLite file and a real Redis.

Ids in order for 48 hours at most, the discreet flag, the context and language as codes,
caps however many chats write, a chat key that is never the chat id, and `lost_some`
whenever a message may remain that the store does not hold.
"""

from __future__ import annotations

import asyncio
import os
import pickle
import sqlite3
import stat
import threading
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import redis.asyncio as aioredis

from bot.domain.models import Context, IntentKind
from bot.session.state import (
    DELETE_WINDOW,
    ChatChange,
    ChatState,
    ChatView,
    InMemoryChatState,
    StateError,
    check_state,
    close_state,
    open_state,
)
from bot.session.state.failsoft import FailSoft
from bot.session.state.limits import SWEEP_WRITES
from bot.session.state.redis_store import RedisChatState
from bot.session.state.sqlite_store import SqliteChatState

HOUR = 3600.0
SECRET = b"a secret of the tests, 32 chars."
CHAT = 723_456_789_012  # digits that must never appear in a store
CONTEXT = Context(IntentKind.FIGURES, ("E09000008",), year=2024, financial_year=True)


class Clock:
    def __init__(self, now: float = 1_800_000_000.0):
        self.now = now

    def __call__(self) -> float:
        return self.now


class Backend:
    """One store's storage; open() is one more instance on it (or the same after a restart)."""

    def __init__(self, kind: str, clock: Clock, tmp_path: Path, redis_url: str | None):
        self.kind, self.clock, self.tmp_path, self.redis_url = kind, clock, tmp_path, redis_url
        self.durable = kind != "memory"
        self.prefix = f"test-{uuid.uuid4().hex[:8]}:"
        self.path = tmp_path / "state" / "chat-state.sqlite3"
        self.opened: list[Any] = []

    def open(self, **limits: Any) -> Any:
        limits.setdefault("clock", self.clock)
        state: Any
        if self.kind == "memory":
            state = InMemoryChatState(salt=SECRET, **limits)
        elif self.kind == "sqlite":
            state = SqliteChatState(self.path, SECRET, **limits)
        else:
            assert self.redis_url is not None
            state = RedisChatState.from_url(self.redis_url, SECRET, prefix=self.prefix, **limits)
        self.opened.append(state)
        return state

    async def settle(self, state: Any) -> None:
        """Let a record store sweep now, as it does every few minutes (Redis does it always)."""
        if hasattr(state, "sweep"):
            await state._run(state.sweep)

    async def raw(self) -> bytes:
        """Every byte the store holds."""
        if self.kind == "memory":
            return b"".join(pickle.dumps(vars(s)) for s in self.opened if hasattr(s, "_chats"))
        if self.kind == "sqlite":
            files = [self.path, *self.path.parent.glob("*.sqlite3-*")]
            return b"".join(f.read_bytes() for f in files if f.exists())
        client = aioredis.Redis.from_url(self.redis_url or "")
        dump = []
        async with client:
            for key in await client.keys(self.prefix + "*"):
                dump.append(key)
                kind = (await client.type(key)).decode()
                if kind == "hash":
                    dump += [b for pair in (await client.hgetall(key)).items() for b in pair]
                elif kind == "zset":
                    for member, score in await client.zrange(key, 0, -1, withscores=True):
                        dump += [member, repr(score).encode()]
                else:
                    dump.append(await client.get(key) or b"")
        return b"\n".join(dump)

    async def close(self) -> None:
        for state in self.opened:
            await close_state(state)
        self.opened.clear()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture(params=["memory", "sqlite", "redis"])
async def backend(
    request: pytest.FixtureRequest, clock: Clock, tmp_path: Path
) -> AsyncIterator[Backend]:
    url = request.getfixturevalue("redis_url") if request.param == "redis" else None
    store = Backend(request.param, clock, tmp_path, url)
    yield store
    await store.close()


@pytest.fixture
def state(backend: Backend) -> Any:
    return backend.open()


def durable_only(backend: Backend) -> None:
    if not backend.durable:
        pytest.skip("the memory store is one process's: nothing outlives it")


async def _chat(state: ChatState, chat: int, ids: range | list[int]) -> None:
    for message_id in ids:
        await state.remember(chat, message_id)


# -- ids ---------------------------------------------------------------------------------


async def test_ids_are_kept_per_chat_in_telegrams_order(state: ChatState) -> None:
    for message_id in (3, 1, 2, 1):  # recorded out of order, one twice
        await state.remember(1, message_id)
    await state.remember(2, 5)
    assert await state.recent(1) == [1, 2, 3]
    assert await state.recent(2) == [5]
    assert await state.recent(3) == []
    assert not await state.remember(1, 2)  # known already


async def test_ids_are_forgotten_after_48_hours(
    backend: Backend, state: ChatState, clock: Clock
) -> None:
    await state.remember(1, 1)
    clock.now += 47 * HOUR
    await state.remember(1, 2)
    assert await state.recent(1) == [1, 2]
    clock.now += 1 * HOUR  # 1 is now 48 hours old: Telegram would refuse to delete it
    assert await state.recent(1) == [2]
    clock.now += 48 * HOUR
    assert await state.recent(1) == []
    await backend.settle(state)
    await state.remember(9, 1)  # any write sweeps on Redis
    assert await state.counts() == (1, 1)  # type: ignore[attr-defined]


async def test_a_message_already_too_old_to_delete_is_not_recorded_but_noted(
    state: ChatState, clock: Clock
) -> None:
    assert not await state.remember(1, 1, sent_at=clock.now - DELETE_WINDOW - 1)
    assert await state.remember(1, 2, sent_at=clock.now - 60)
    assert await state.remember(1, 3, sent_at=clock.now + 999)  # a clock ahead: taken as now
    assert await state.recent(1) == [2, 3]
    assert await state.lost_some(1)  # message 1 stays in the chat


async def test_forget_drops_only_the_given_ids(state: ChatState) -> None:
    await _chat(state, 9, range(1, 4))
    await state.forget(9, [1, 3, 404])
    assert await state.recent(9) == [2]
    await state.forget(9, [2])
    assert await state.recent(9) == []
    await state.forget(77, [1])  # an unknown chat is fine
    assert not await state.lost_some(77)


async def test_a_chat_keeps_at_most_its_newest_ids_and_knows_it(backend: Backend) -> None:
    state = backend.open(max_ids=3)
    await _chat(state, 1, range(1, 6))
    assert await state.recent(1) == [3, 4, 5]
    assert await state.lost_some(1)


# -- whether something may remain ----------------------------------------------------------


async def test_a_chat_seen_from_its_first_message_is_vouched_for(state: ChatState) -> None:
    await _chat(state, 1, [1, 2, 3, 4])
    assert not await state.lost_some(1)
    await state.forget(1, [1, 2, 3, 4])  # the exit deleted them all
    await _chat(state, 1, [5, 6])
    assert not await state.lost_some(1)  # deleted ids count as accounted for
    await state.forget(1, [6])  # out of order: 5 failed this time
    await state.remember(1, 7)
    assert await state.recent(1) == [5, 7] and not await state.lost_some(1)
    await state.forget(1, [5, 7])
    assert await state.recent(1) == [] and not await state.lost_some(1)


async def test_a_gap_in_the_ids_means_something_may_remain(state: ChatState) -> None:
    await _chat(state, 1, [4, 5, 6])  # 1 to 3 came before we were listening (a restart)
    assert await state.lost_some(1)
    await state.forget(1, [4, 5, 6])
    assert await state.lost_some(1)  # the exit deleted all it knew; 1 to 3 remain
    await _chat(state, 2, [1, 2, 4])  # 3 was never seen: a send whose answer was lost
    assert await state.lost_some(2)


async def test_ids_that_aged_out_unerased_are_never_forgotten_as_lost(
    state: ChatState, clock: Clock
) -> None:
    await state.remember(1, 1)
    clock.now += 47 * HOUR
    await state.remember(1, 2)
    assert not await state.lost_some(1)
    clock.now += 2 * HOUR  # 1 is too old to delete now; 2 still can be
    assert await state.recent(1) == [2]
    assert await state.lost_some(1)
    await state.forget(1, [2])
    await state.remember(1, 3)
    assert await state.lost_some(1)  # message 1 is still in the chat


async def test_after_everything_expired_the_next_exit_still_says_so(
    state: ChatState, clock: Clock
) -> None:
    """The issue: "with everything older than 48 hours, the exit removes nothing and says
    nothing". The record is gone after 48 hours, yet the chat's next ids show the gap."""
    await _chat(state, 1, [1, 2, 3])
    clock.now += 3 * 24 * HOUR
    assert await state.recent(1) == []
    await state.remember(1, 4)  # the person writes again, then presses "Leave quickly"
    assert await state.recent(1) == [4]
    assert await state.lost_some(1)


async def test_a_send_whose_outcome_is_unknown_marks_the_chat(state: ChatState) -> None:
    await _chat(state, 1, [1, 2])
    await state.mark_lost(1)
    assert await state.lost_some(1)
    await state.mark_lost(2)  # even a chat with nothing recorded yet
    assert await state.lost_some(2)


# -- discreet, context, language ---------------------------------------------------------------


async def test_the_discreet_flag_is_per_chat_and_outlives_the_ids(
    backend: Backend, state: ChatState, clock: Clock
) -> None:
    assert not await state.discreet(1)
    await state.set_discreet(1, True)
    await state.remember(1, 1)
    assert await state.discreet(1) and not await state.discreet(2)
    clock.now += DELETE_WINDOW * 3
    assert await state.discreet(1)  # a preference, not a message: kept until turned off
    assert await state.recent(1) == []
    await state.set_discreet(1, False)
    assert not await state.discreet(1)
    await state.set_discreet(5, False)  # off in an unknown chat: nothing kept
    await backend.settle(state)
    assert not await state.discreet(5)


async def test_the_context_is_kept_per_chat_for_48_hours(state: ChatState, clock: Clock) -> None:
    await state.set_context(1, CONTEXT)
    assert await state.context(1) == CONTEXT
    assert await state.context(2) is None
    clock.now += 47 * HOUR
    assert await state.context(1) == CONTEXT
    clock.now += 1 * HOUR
    assert await state.context(1) is None


async def test_forgetting_the_context_leaves_no_chat_behind(state: ChatState) -> None:
    await state.set_context(1, Context(IntentKind.HELP, need="friend"))
    assert await state.context(1) == Context(IntentKind.HELP, need="friend")
    await state.set_context(1, None)
    assert await state.context(1) is None
    assert await state.counts() == (0, 0)  # type: ignore[attr-defined]


async def test_language_is_a_code_kept_48_hours(state: ChatState, clock: Clock) -> None:
    await state.set_language(1, "pl")
    assert await state.language(1) == "pl"
    assert await state.language(2) is None
    clock.now += DELETE_WINDOW
    assert await state.language(1) is None
    await state.set_language(1, "cy")
    await state.set_language(1, None)
    assert await state.language(1) is None


# -- one read and one write an update ---------------------------------------------------


async def test_one_read_gives_the_context_the_language_and_the_discreet_flag(
    state: ChatState, clock: Clock
) -> None:
    assert await state.load(1) == ChatView(None, None, False)
    await state.set_context(1, CONTEXT)
    await state.set_language(1, "pl")
    await state.set_discreet(1, True)
    assert await state.load(1) == ChatView(CONTEXT, "pl", True)
    assert await state.load(2) == ChatView(None, None, False)
    clock.now += DELETE_WINDOW  # the codes go after 48 hours; the flag stays
    assert await state.load(1) == ChatView(None, None, True)


async def test_one_write_makes_every_change_of_an_update_together(
    state: ChatState, clock: Clock
) -> None:
    change = ChatChange(
        set_context=True, context=CONTEXT, set_language=True, language="pl", discreet=True
    )
    change.remember = (1, clock.now)
    assert await state.save(CHAT, change)  # the id was new
    assert await state.load(CHAT) == ChatView(CONTEXT, "pl", True)
    assert await state.recent(CHAT) == [1]
    assert not await state.lost_some(CHAT)
    assert not await state.save(CHAT, ChatChange(remember=(1, clock.now)))  # known already
    # Only what is set changes: the context forgotten, the language and the flag kept.
    assert not await state.save(CHAT, ChatChange(set_context=True, context=None))
    assert await state.load(CHAT) == ChatView(None, "pl", True)
    await state.save(CHAT, ChatChange(set_language=True, language=None, discreet=False))
    assert await state.load(CHAT) == ChatView(None, None, False)
    assert await state.recent(CHAT) == [1]
    assert not await state.save(CHAT, ChatChange())  # nothing to write


async def test_a_write_that_only_forgets_makes_no_record(state: ChatState) -> None:
    await state.save(1, ChatChange(set_context=True, set_language=True))
    assert await state.counts() == (0, 0)  # type: ignore[attr-defined]
    await state.save(1, ChatChange(set_context=True, context=CONTEXT))
    await state.save(1, ChatChange(set_context=True, set_language=True))
    assert await state.counts() == (0, 0)  # type: ignore[attr-defined]


async def test_a_write_remembers_an_id_as_remember_does(state: ChatState, clock: Clock) -> None:
    assert not await state.save(1, ChatChange(remember=(5, clock.now - DELETE_WINDOW)))
    assert await state.recent(1) == []
    assert await state.lost_some(1)  # too old to delete: it stays, and the exit says so
    assert await state.save(2, ChatChange(remember=(1, clock.now + HOUR)))  # never ahead
    clock.now += DELETE_WINDOW - 1
    assert await state.recent(2) == [1]
    clock.now += 1
    assert await state.recent(2) == []


async def test_sqlite_commits_steps_that_come_together_at_once(tmp_path: Path) -> None:
    """A group commit: under a burst one commit serves many updates, each told its own
    result only once committed; a step that fails is undone alone."""
    state = SqliteChatState(tmp_path / "chats.sqlite3", SECRET)
    statements: list[str] = []
    await asyncio.get_running_loop().run_in_executor(
        state._thread, state._db.set_trace_callback, statements.append
    )
    failing = state._key(13)
    save = state._save

    def refuse_one(key: bytes, record: Any) -> None:
        save(key, record)
        if key == failing:
            raise sqlite3.IntegrityError("refused")

    state._save = refuse_one  # type: ignore[method-assign]
    busy = threading.Event()
    state._thread.submit(busy.wait)  # the thread busy while 50 updates come
    saves = [
        asyncio.ensure_future(state.save(chat, ChatChange(remember=(1, None))))
        for chat in range(1, 51)
    ]
    await asyncio.sleep(0)  # each has handed its step over
    busy.set()
    results = await asyncio.gather(*saves, return_exceptions=True)
    assert isinstance(results[12], sqlite3.IntegrityError)
    assert all(r is True for n, r in enumerate(results) if n != 12)
    assert statements.count("COMMIT") == 1  # not one a step
    state.close()
    reopened = SqliteChatState(tmp_path / "chats.sqlite3", SECRET)
    assert await reopened.recent(1) == [1] and await reopened.recent(50) == [1]
    assert await reopened.recent(13) == []  # its change was undone, the others kept
    reopened.close()


async def test_a_closed_sqlite_store_refuses_each_call_and_never_hangs(tmp_path: Path) -> None:
    state = SqliteChatState(tmp_path / "chats.sqlite3", SECRET)
    await state.save(1, ChatChange(remember=(1, None)))
    state.close()
    for chat in (1, 2):  # each call, not only the first
        with pytest.raises(RuntimeError):
            await asyncio.wait_for(state.load(chat), 5)


# -- updates -----------------------------------------------------------------------------


async def test_an_update_delivered_again_is_recognised(state: ChatState, clock: Clock) -> None:
    assert await state.first_delivery(10)
    assert not await state.first_delivery(10)
    clock.now += DELETE_WINDOW
    assert await state.first_delivery(10)


async def test_two_instances_answer_an_update_once(backend: Backend) -> None:
    durable_only(backend)
    one, two = backend.open(), backend.open()
    firsts = await asyncio.gather(*(s.first_delivery(u) for u in range(50) for s in (one, two)))
    assert sum(firsts) == 50
    assert [await two.first_delivery(u) for u in range(50)] == [False] * 50


async def test_two_instances_record_a_message_once_and_share_the_ids(backend: Backend) -> None:
    durable_only(backend)
    one, two = backend.open(), backend.open()
    new = await asyncio.gather(*(s.remember(1, i) for i in range(1, 31) for s in (one, two)))
    assert sum(new) == 30
    await two.forget(1, range(1, 11))
    assert await one.recent(1) == list(range(11, 31))
    assert not await one.lost_some(1)


async def test_many_calls_at_once_all_get_their_answer(state: ChatState) -> None:
    """Thousands of updates at once: no call fails for want of a connection."""
    new = await asyncio.gather(*(state.remember(c, 1) for c in range(500)))
    assert all(new)
    lost = await asyncio.gather(*(state.lost_some(c) for c in range(500)))
    assert not any(lost)


# -- restarts ------------------------------------------------------------------------------


async def test_everything_survives_a_restart(backend: Backend, clock: Clock) -> None:
    durable_only(backend)
    before = backend.open()
    await _chat(before, CHAT, [1, 2, 3])
    await before.set_discreet(CHAT, True)
    await before.set_context(CHAT, CONTEXT)
    await before.set_language(CHAT, "pl")
    await _chat(before, 2, [5])
    await before.first_delivery(77)
    await backend.close()  # the process stops
    clock.now += HOUR
    after = backend.open()
    assert await after.recent(CHAT) == [1, 2, 3]
    assert await after.discreet(CHAT)
    assert await after.context(CHAT) == CONTEXT
    assert await after.language(CHAT) == "pl"
    assert not await after.lost_some(CHAT)
    assert await after.lost_some(2)
    assert not await after.first_delivery(77)


async def test_after_a_restart_of_the_memory_store_an_exit_knows_it_lost_the_past() -> None:
    before = InMemoryChatState()
    await _chat(before, 1, [1, 2, 3])
    after = InMemoryChatState()  # a new process
    await after.remember(1, 4)
    assert await after.recent(1) == [4]
    assert await after.lost_some(1)


# -- bounds and privacy --------------------------------------------------------------------


async def test_memory_and_disk_stay_bounded_however_many_chats_write(
    backend: Backend, clock: Clock
) -> None:
    state = backend.open(max_chats=100, max_total=300, max_ids=5, max_discreet=50, max_updates=80)
    writes = 2 * SWEEP_WRITES + 500
    for n in range(writes):
        chat = 1_000 + n
        await _chat(state, chat, [1, 2])
        if n % 10 == 0:
            await state.set_discreet(chat, True)
        await state.first_delivery(n)
        clock.now += 0.01
        chats, ids = await state.counts()
        assert chats <= 100 + SWEEP_WRITES and ids <= 300 + 2 * SWEEP_WRITES
    await backend.settle(state)
    chats, ids = await state.counts()
    assert chats <= 100 and ids <= 300
    await _chat(state, 1, range(1, 20))
    assert len(await state.recent(1)) == 5
    await backend.settle(state)
    assert await state.first_delivery(writes - 1) is False  # the newest are kept
    assert await state.discreet(1_000 + writes - 10)
    assert not await state.discreet(1_000)  # the oldest flags went over the cap
    # An evicted chat's exit says something may remain: its ids are gone.
    assert await state.recent(1_000) == [] and not await state.lost_some(1_000)
    await state.remember(1_000, 3)
    assert await state.lost_some(1_000)


async def test_the_store_holds_no_chat_id_and_no_text(backend: Backend) -> None:
    state = backend.open()
    await _chat(state, CHAT, [1, 2, 3])
    await state.set_discreet(CHAT, True)
    await state.set_context(CHAT, CONTEXT)
    await state.set_language(CHAT, "pl")
    await state.mark_lost(CHAT)
    dumps = [await backend.raw()]
    await backend.close()  # for SQLite: the WAL checkpointed into the file
    dumps.append(await backend.raw())
    assert b"E09000008" in dumps[0]  # the dump is real: it holds the codes
    for raw in dumps:
        for form in (str(CHAT).encode(), CHAT.to_bytes(8, "little"), CHAT.to_bytes(8, "big")):
            assert form not in raw


async def test_redis_expires_every_key_itself_except_the_discreet_flags(redis_url: str) -> None:
    prefix = f"ttl-{uuid.uuid4().hex[:8]}:"
    state = RedisChatState.from_url(redis_url, SECRET, prefix=prefix, window=0.5)
    await _chat(state, CHAT, [1, 2])
    await state.set_context(CHAT, CONTEXT)
    await state.first_delivery(1)
    await state.set_discreet(CHAT, True)
    keys = await state.client.keys(prefix + "*")
    assert len(keys) >= 6
    for key in keys:
        ttl = await state.client.pttl(key)
        assert (0 < ttl <= 500) if key != (prefix + "d").encode() else ttl == -1, key
    await asyncio.sleep(0.7)
    assert await state.client.keys(prefix + "*") == [(prefix + "d").encode()]
    await state.aclose()


def test_the_sqlite_file_and_its_key_are_for_this_user_only(tmp_path: Path) -> None:
    folder = tmp_path / "new" / "state"
    state = open_state(f"sqlite://{folder / 'chats.sqlite3'}")
    asyncio.run(state.remember(CHAT, 1))
    files = sorted(p.name for p in folder.iterdir())
    assert files == ["chats.sqlite3", "chats.sqlite3-shm", "chats.sqlite3-wal", "state.key"]
    for path in folder.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE((tmp_path / "new").stat().st_mode) == 0o700
    asyncio.run(close_state(state))
    again = open_state(f"sqlite://{folder / 'chats.sqlite3'}")  # the same key file: same chats
    assert asyncio.run(again.recent(CHAT)) == [1]
    asyncio.run(close_state(again))


def test_the_default_state_is_the_sqlite_file_in_the_state_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HELPLINE_STATE_DIR", str(tmp_path / "st"))
    state = open_state()
    assert isinstance(state, FailSoft) and isinstance(state.inner, SqliteChatState)
    assert state.inner.path == tmp_path / "st" / "chat-state.sqlite3"
    asyncio.run(close_state(state))
    monkeypatch.setenv("HELPLINE_STATE", "memory:")
    assert isinstance(open_state(), InMemoryChatState)


def test_an_env_secret_keys_the_chats_instead_of_the_key_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HELPLINE_STATE_SECRET", "x" * 40)
    state = open_state(f"sqlite://{tmp_path / 's.sqlite3'}")
    asyncio.run(close_state(state))
    assert not (tmp_path / "state.key").exists()
    monkeypatch.setenv("HELPLINE_STATE_SECRET", "short")
    with pytest.raises(StateError, match="at least 16"):
        open_state(f"sqlite://{tmp_path / 's.sqlite3'}")


def test_redis_without_a_shared_secret_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(StateError, match="HELPLINE_STATE_SECRET"):
        open_state("redis://127.0.0.1:6379/0")
    with pytest.raises(StateError, match="must be sqlite"):
        open_state("postgres://x")


async def test_an_unreachable_redis_is_a_plain_message_without_the_password(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HELPLINE_STATE_SECRET", "s" * 32)
    import socket

    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    state = open_state(f"redis://:hunter2-password@127.0.0.1:{port}/0")
    with pytest.raises(StateError) as refused:
        await check_state(state)
    assert "hunter2" not in str(refused.value) and "Redis" in str(refused.value)
    await close_state(state)


def test_the_default_state_never_loads_redis(tmp_path: Path) -> None:
    """Opening and checking the SQLite file (what `helpline-bot run` does by default) leaves
    redis unimported: about 5 MB of the running bot's memory."""
    import subprocess
    import sys

    code = (
        "import asyncio, sys\n"
        "from bot.session.state import check_state, close_state, open_state\n"
        f"state = open_state({f'sqlite:///{tmp_path}/state.db'!r})\n"
        "asyncio.run(check_state(state))\n"
        "asyncio.run(close_state(state))\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] == 'redis')\n"
        "assert not loaded, loaded\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("HELPLINE_")}
    env["HELPLINE_STATE_SECRET"] = SECRET.decode()
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, env=env
    )
    assert done.returncode == 0, done.stderr


def test_the_env_var_names_a_state(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HELPLINE_STATE", f"sqlite://{tmp_path / 'env.sqlite3'}")
    state = open_state()
    assert isinstance(state, FailSoft) and state.inner.path == tmp_path / "env.sqlite3"
    asyncio.run(close_state(state))
    assert os.path.exists(tmp_path / "env.sqlite3")


async def test_a_store_that_fails_mid_run_answers_what_is_safest(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("HELPLINE_STATE_SECRET", "s" * 32)
    import socket

    with socket.socket() as unused:  # a Redis server that went away: nothing listens
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    state = open_state(f"redis://127.0.0.1:{port}/0")
    assert not await state.remember(CHAT, 1)
    assert await state.recent(CHAT) == []
    assert await state.lost_some(CHAT)  # the exit says something may remain
    assert await state.discreet(CHAT)  # quiet and plain, for everyone, until it is back
    assert await state.first_delivery(1)  # answered, rather than never
    assert await state.context(CHAT) is None and await state.language(CHAT) is None
    assert await state.load(CHAT) == ChatView(None, None, True)  # discreet, as above
    assert not await state.save(CHAT, ChatChange(remember=(1, None)))
    await state.set_context(CHAT, CONTEXT)
    await state.forget(CHAT, [1])
    warnings = [r for r in caplog.records if "chat state failed" in r.getMessage()]
    assert len(warnings) == 1 and str(CHAT) not in caplog.text  # once, and no chat id
    await close_state(state)
