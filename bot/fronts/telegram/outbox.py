"""The outbox: what updates left to do, kept until it is done, so nothing acknowledged is lost.

An update is acknowledged (the webhook's 200, the next getUpdates offset) only once its
jobs are here, together with its update id in the same write, so that an update
delivered again is answered once. A job is deleted as soon as it is done; a send is
marked just before its request leaves, so that after a crash a reply that may already
have arrived is not sent twice (the chat is then marked as possibly not fully erasable).

Two outboxes behind one small interface: in memory (tests, and nothing to keep), and
SQLite, the default for `helpline-bot run`: a file in the user's state folder (0600),
written in one thread with several updates to a commit. What it holds: chat ids, the
bot's own replies (words, buttons, a chart's name) for the seconds until they are sent,
and update ids for 48 hours. Never anything a person wrote. Deleted rows are overwritten
(secure_delete); the write-ahead log, which may hold a copy a little longer, is emptied
after every 100 pages written.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import os
import sqlite3
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, TypeVar

from bot.fronts.telegram.jobs import Job, decode, encode
from bot.session.events import Send
from bot.session.state.keys import state_dir

log = logging.getLogger(__name__)

T = TypeVar("T")

# A commit is in the write-ahead log before an update is acknowledged: it survives the bot
# being killed or crashing. FULL would also survive a power cut of the machine, at an fsync
# on every reply's way out (a steady 30/s on a busy 2-core machine: p50 about 8 ms, not 6).
SYNCHRONOUS = "NORMAL"
UPDATE_WINDOW = 48 * 3600.0  # update ids remembered, to answer a redelivered update once
MAX_UPDATES = 100_000  # and at most this many (about 2 MB on disk)
_SCHEMA = """
CREATE TABLE IF NOT EXISTS jobs (
    id INTEGER PRIMARY KEY, chat INTEGER NOT NULL, body TEXT NOT NULL,
    sending INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS updates (id INTEGER PRIMARY KEY, at REAL NOT NULL);
"""


def default_outbox_path(bot_id: str) -> Path:
    """$HELPLINE_OUTBOX, else one file per bot in the chat state's folder (beside its file).

    Per bot: update ids are one bot's, so another bot's must never be taken for repeats.
    """
    if env := os.environ.get("HELPLINE_OUTBOX"):
        return Path(env)
    return state_dir() / f"outbox-{bot_id}.db"


@dataclass(slots=True)
class Waiting:
    """What the outbox held at start: jobs to do, and sends that may already have arrived."""

    jobs: list[Job] = field(default_factory=list)
    maybe_sent: list[Job] = field(default_factory=list)


class Outbox(Protocol):
    # Whether a job's reply can be let go of while it waits, and read back at its turn.
    keeps_replies: bool

    async def open(self) -> object:
        """Get ready (open the file); called once, in the bot's event loop."""

    async def seen(self, update_id: int) -> bool:
        """Whether this update's jobs were already kept (a redelivery: answer it once)."""

    async def put(
        self, jobs: list[Job], update_id: int | None = None, dropped: Iterable[int] = ()
    ) -> None:
        """Keep these jobs (ids given here) and the update id, and delete `dropped`, at once.

        Returns when it is written: it then survives the bot being killed.
        """

    async def sending(self, job_id: int) -> None:
        """The job's request is about to leave: after a crash it may have arrived."""

    async def reply(self, job_id: int) -> Send | None:
        """A kept job's reply, read back for its turn (None: it is no longer kept)."""

    def done(self, job_ids: Iterable[int]) -> None:
        """Delete these jobs (sent, or dropped); written with the next commit."""

    async def waiting(self) -> Waiting:
        """Everything not yet done, in the order it was put, for a start."""

    async def close(self) -> None:
        """Write what is pending and let go of the file."""


class MemoryOutbox:
    """Nothing kept beyond the process: for tests, and where losing updates is acceptable."""

    keeps_replies = False  # a waiting job holds its own reply

    def __init__(self) -> None:
        self._next = 1
        self._updates: dict[int, float] = {}

    async def open(self) -> MemoryOutbox:
        return self

    async def seen(self, update_id: int) -> bool:
        return update_id in self._updates

    async def put(
        self, jobs: list[Job], update_id: int | None = None, dropped: Iterable[int] = ()
    ) -> None:
        for job in jobs:
            job.id, self._next = self._next, self._next + 1
        if update_id is not None:
            _remember(self._updates, update_id, time.time())

    async def sending(self, job_id: int) -> None:
        """Nothing to write."""

    async def reply(self, job_id: int) -> Send | None:
        return None  # never let go of: see keeps_replies

    def done(self, job_ids: Iterable[int]) -> None:
        """Nothing to delete."""

    async def waiting(self) -> Waiting:
        return Waiting()

    async def close(self) -> None:
        """Nothing to close."""


def _remember(updates: dict[int, float], update_id: int, now: float) -> list[int]:
    """Add an update id; the ids forgotten to make room or because they are too old."""
    updates[update_id] = now
    gone = []
    while updates:
        oldest, at = next(iter(updates.items()))
        if now - at < UPDATE_WINDOW and len(updates) <= MAX_UPDATES:
            break
        del updates[oldest]
        gone.append(oldest)
    return gone


_Op = tuple[str, object]


class SqliteOutbox:
    """The outbox in a SQLite file, written by one thread; writes that wait share a commit."""

    keeps_replies = True

    def __init__(self, path: Path):
        self.path = path
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="outbox")
        self._db: sqlite3.Connection | None = None
        self._updates: dict[int, float] = {}
        self._next = 1
        self._ops: list[_Op] = []
        self._waiters: list[asyncio.Future[None]] = []
        self._flusher: asyncio.Task[None] | None = None
        self.commits = 0  # for the bench: commits made, each with several writes

    async def open(self) -> SqliteOutbox:
        await asyncio.get_running_loop().run_in_executor(self._thread, self._open)
        return self

    def _open(self) -> None:
        self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.close(os.open(self.path, os.O_CREAT | os.O_RDWR, 0o600))  # 0600 before SQLite opens
        os.chmod(self.path, 0o600)
        db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        db.execute("PRAGMA journal_mode=WAL")  # its files take the database file's mode
        db.execute(f"PRAGMA synchronous={SYNCHRONOUS}")
        db.execute("PRAGMA secure_delete=ON")  # a sent reply's row is overwritten
        # The log's copies too, soon: it is folded in every 100 pages and then emptied.
        db.execute("PRAGMA wal_autocheckpoint=100")
        db.execute("PRAGMA cache_size=-256")  # 256 KB of pages: rows are written once, read once
        db.execute("PRAGMA journal_size_limit=0")
        db.executescript(_SCHEMA)
        self._db = db
        cutoff = time.time() - UPDATE_WINDOW
        db.execute("DELETE FROM updates WHERE at < ?", (cutoff,))
        rows = db.execute("SELECT id, at FROM updates ORDER BY at, id").fetchall()
        self._updates = dict(rows)
        top = db.execute("SELECT max(id) FROM jobs").fetchone()[0]
        self._next = (top or 0) + 1

    async def seen(self, update_id: int) -> bool:
        return update_id in self._updates

    async def put(
        self, jobs: list[Job], update_id: int | None = None, dropped: Iterable[int] = ()
    ) -> None:
        rows = []
        for job in jobs:
            job.id, self._next = self._next, self._next + 1
            rows.append((job.id, job.chat_id, encode(job)))
        ops: list[_Op] = [("insert", rows), ("delete", list(dropped))]
        if update_id is not None:
            now = time.time()
            gone = _remember(self._updates, update_id, now)
            ops += [("update", (update_id, now)), ("forget", gone)]
        try:
            await self._write(ops)
        except OutboxError:
            if update_id is not None:  # not kept: a redelivery must be answered
                self._updates.pop(update_id, None)
            raise

    async def sending(self, job_id: int) -> None:
        await self._write([("sending", job_id)])

    async def reply(self, job_id: int) -> Send | None:
        def read() -> tuple[int, str] | None:
            assert self._db is not None
            query = "SELECT chat, body FROM jobs WHERE id = ?"
            return self._db.execute(query, (job_id,)).fetchone()

        row = await self._run(read)
        return decode(job_id, row[0], row[1]).send if row is not None else None

    def done(self, job_ids: Iterable[int]) -> None:
        ids = list(job_ids)
        if ids:
            self._write(([("delete", ids)]), wait=False)

    async def waiting(self) -> Waiting:
        def read() -> list[tuple[int, int, str, int]]:
            assert self._db is not None
            query = "SELECT id, chat, body, sending FROM jobs ORDER BY id"
            return self._db.execute(query).fetchall()

        found = Waiting()
        for job_id, chat, body, sending in await self._run(read):
            (found.maybe_sent if sending else found.jobs).append(decode(job_id, chat, body))
        return found

    async def close(self) -> None:
        if self._flusher is not None:
            await asyncio.shield(self._flusher)
        if self._db is not None:
            await self._run(self._db.close)
            self._db = None
        self._thread.shutdown(wait=True)

    # -- writing: one thread, one commit for whatever waited meanwhile -----------------------

    def _write(self, ops: list[_Op], wait: bool = True) -> asyncio.Future[None]:
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._ops.extend(ops)
        if wait:
            self._waiters.append(future)
        else:
            future.set_result(None)
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.create_task(self._flush())
        return future

    async def _flush(self) -> None:
        while self._ops:
            ops, waiters = self._ops, self._waiters
            self._ops, self._waiters = [], []
            try:
                await self._run(functools.partial(self._commit, ops))
            except Exception as error:  # the disk: every waiting update fails, unacknowledged
                log.error("the outbox could not be written (%s)", type(error).__name__)
                for waiter in waiters:
                    if not waiter.done():
                        waiter.set_exception(OutboxError(type(error).__name__))
                continue
            for waiter in waiters:
                if not waiter.done():
                    waiter.set_result(None)

    def _commit(self, ops: list[_Op]) -> None:
        db = self._db
        assert db is not None
        db.execute("BEGIN")
        try:
            for op, value in ops:
                if op == "insert":
                    db.executemany("INSERT INTO jobs (id, chat, body) VALUES (?, ?, ?)", value)  # type: ignore[arg-type]
                elif op == "delete":
                    db.executemany("DELETE FROM jobs WHERE id = ?", [(i,) for i in value])  # type: ignore[attr-defined]
                elif op == "sending":
                    db.execute("UPDATE jobs SET sending = 1 WHERE id = ?", (value,))
                elif op == "update":
                    db.execute("INSERT OR REPLACE INTO updates (id, at) VALUES (?, ?)", value)  # type: ignore[arg-type]
                elif op == "forget":
                    db.executemany("DELETE FROM updates WHERE id = ?", [(i,) for i in value])  # type: ignore[attr-defined]
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        self.commits += 1

    async def _run(self, call: Callable[[], T]) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._thread, call)


class OutboxError(Exception):
    """The outbox could not keep an update's jobs: it must not be acknowledged."""
