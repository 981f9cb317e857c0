"""The chat state in a SQLite file: the default of `helpline-bot run`, no server needed.

One file, readable by this user only (0600, in a 0700 folder), in WAL mode with
secure_delete, so a deleted record's bytes are overwritten rather than left in free
pages. Every step runs on one worker thread, so the event loop never waits on the disk.
Steps that come while the thread is busy are run together, each in its own savepoint, and
committed at once (a group commit): under a burst one commit serves many updates, and none
is told its change is kept before the commit that keeps it.
With synchronous=NORMAL a committed change survives the process being killed; a power
cut may lose the last moments (the exit then says something may remain: a gap).
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any, TypeVar

from bot.session.state.base import RecordChatState
from bot.session.state.keys import private_file, private_folder
from bot.session.state.record import ChatRecord

T = TypeVar("T")
# A step's future, and its result or the error it raised.
Outcome = tuple[asyncio.Future[Any], Any, BaseException | None]

SCHEMA_VERSION = 1
SCHEMA = """
CREATE TABLE IF NOT EXISTS chats (
    key BLOB PRIMARY KEY, touched REAL NOT NULL, size INTEGER NOT NULL, record BLOB NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS chats_by_touched ON chats (touched, size);
CREATE TABLE IF NOT EXISTS discreet (key BLOB PRIMARY KEY, since REAL NOT NULL) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS discreet_by_since ON discreet (since);
CREATE TABLE IF NOT EXISTS updates (id INTEGER PRIMARY KEY, seen REAL NOT NULL);
CREATE INDEX IF NOT EXISTS updates_by_seen ON updates (seen);
"""


class SqliteChatState(RecordChatState):
    def __init__(self, path: Path, secret: bytes, **limits: Any):
        super().__init__(secret, **limits)
        self.path = path
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="chat-state")
        self._queue: list[tuple[Callable[[], Any], asyncio.Future[Any]]] = []
        self._queued = threading.Lock()
        self._draining = False  # the thread has, or will, run what is queued
        self._in_batch = False  # on the thread: steps run inside the batch's transaction
        self._db = self._thread.submit(self._open).result()
        self._thread.submit(self.sweep).result()

    def _open(self) -> sqlite3.Connection:
        private_folder(self.path.parent)
        private_file(self.path)
        db = sqlite3.connect(self.path, isolation_level=None, timeout=10.0)
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = NORMAL")
        db.execute("PRAGMA secure_delete = ON")
        db.execute("PRAGMA cache_size = -512")  # 512 KB of pages: small rows, found by index
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version not in (0, SCHEMA_VERSION):
            db.close()
            raise sqlite3.DatabaseError(f"{self.path} is from another version of the bot")
        db.executescript(SCHEMA)
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        return db

    def close(self) -> None:
        """Finish: checkpoint the WAL into the file and let the thread go."""

        def finish() -> None:
            self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            self._db.close()

        self._thread.submit(finish).result()
        self._thread.shutdown()

    @contextmanager
    def _begin(self) -> Iterator[None]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def _transaction(self) -> AbstractContextManager[None]:
        # In a batch each step already has its savepoint, inside the batch's transaction.
        return contextlib.nullcontext() if self._in_batch else self._begin()

    async def _run(self, step: Callable[[], T]) -> T:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[T] = loop.create_future()
        with self._queued:
            self._queue.append((step, future))
            start, self._draining = not self._draining, True
        if start:
            try:
                self._thread.submit(self._drain)
            except RuntimeError:  # closed: this call fails, and so will the next ones
                with self._queued:
                    self._queue.clear()
                    self._draining = False
                raise
        return await future

    def _drain(self) -> None:
        """On the thread: run what is queued, a batch at a time, one commit each."""
        while True:
            with self._queued:
                batch, self._queue = self._queue, []
                if not batch:
                    self._draining = False
                    return
            try:
                outcomes = self._run_batch(batch)
            except BaseException as error:  # never leave a caller waiting
                outcomes = [(future, None, error) for _, future in batch]
            loops: dict[asyncio.AbstractEventLoop, list[Outcome]] = {}
            for outcome in outcomes:
                loops.setdefault(outcome[0].get_loop(), []).append(outcome)
            for loop, theirs in loops.items():
                with contextlib.suppress(RuntimeError):  # a loop closed meanwhile
                    loop.call_soon_threadsafe(_settle, theirs)

    def _run_batch(
        self, batch: list[tuple[Callable[[], Any], asyncio.Future[Any]]]
    ) -> list[Outcome]:
        """Each step in its savepoint (a failing one undone alone), then one commit."""
        outcomes: list[Outcome] = []
        try:
            self._db.execute("BEGIN IMMEDIATE")
            self._in_batch = True
            try:
                for step, future in batch:
                    self._db.execute("SAVEPOINT step")
                    try:
                        value = step()
                    except Exception as error:
                        self._db.execute("ROLLBACK TO step")
                        self._db.execute("RELEASE step")
                        outcomes.append((future, None, error))
                    else:
                        self._db.execute("RELEASE step")
                        outcomes.append((future, value, None))
            finally:
                self._in_batch = False
            self._db.execute("COMMIT")
        except Exception as error:  # the batch could not be begun or committed: none kept
            if self._db.in_transaction:
                with contextlib.suppress(sqlite3.Error):
                    self._db.execute("ROLLBACK")
            return [(future, None, error) for _, future in batch]
        return outcomes

    def _load(self, key: bytes) -> ChatRecord | None:
        row = self._db.execute("SELECT record FROM chats WHERE key = ?", (key,)).fetchone()
        return None if row is None else ChatRecord.decode(row[0])

    def _save(self, key: bytes, record: ChatRecord) -> None:
        self._db.execute(
            "INSERT OR REPLACE INTO chats (key, touched, size, record) VALUES (?, ?, ?, ?)",
            (key, record.touched, record.size(), record.encode()),
        )

    def _delete(self, key: bytes) -> None:
        self._db.execute("DELETE FROM chats WHERE key = ?", (key,))

    def _expire_before(self, cutoff: float) -> None:
        self._db.execute("DELETE FROM chats WHERE touched <= ?", (cutoff,))

    def _evict_oldest(self, count: int) -> int:
        rows = self._db.execute(
            "DELETE FROM chats WHERE key IN (SELECT key FROM chats ORDER BY touched LIMIT ?) "
            "RETURNING size",
            (count,),
        )
        return sum(size for (size,) in rows.fetchall())

    def _discreet_get(self, key: bytes) -> bool:
        row = self._db.execute("SELECT 1 FROM discreet WHERE key = ?", (key,)).fetchone()
        return row is not None

    def _discreet_set(self, key: bytes, on: bool, now: float) -> None:
        if on:
            self._db.execute("INSERT OR REPLACE INTO discreet VALUES (?, ?)", (key, now))
        else:
            self._db.execute("DELETE FROM discreet WHERE key = ?", (key,))

    def _trim(self, discreet: int, updates: int) -> None:
        self._db.execute(
            "DELETE FROM discreet WHERE key IN "
            "(SELECT key FROM discreet ORDER BY since DESC LIMIT -1 OFFSET ?)",
            (discreet,),
        )
        self._db.execute(
            "DELETE FROM updates WHERE id IN "
            "(SELECT id FROM updates ORDER BY seen DESC LIMIT -1 OFFSET ?)",
            (updates,),
        )

    def _first_delivery(self, update_id: int, now: float) -> bool:
        self._db.execute("DELETE FROM updates WHERE seen <= ?", (now - self.window,))
        added = self._db.execute(
            "INSERT OR IGNORE INTO updates (id, seen) VALUES (?, ?)", (update_id, now)
        )
        return added.rowcount == 1

    def _counts(self) -> tuple[int, int]:
        row = self._db.execute("SELECT count(*), total(size) FROM chats").fetchone()
        return int(row[0]), int(row[1])


def _settle(outcomes: list[Outcome]) -> None:
    """On the event loop: hand each step its result (a caller that gave up is skipped)."""
    for future, value, error in outcomes:
        if future.done():
            continue
        if error is None:
            future.set_result(value)
        else:
            future.set_exception(error)
