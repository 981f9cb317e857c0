"""The chat state in a SQLite file: the default of `helpline-bot run`, no server needed.

One file, readable by this user only (0600, in a 0700 folder), in WAL mode with
secure_delete, so a deleted record's bytes are overwritten rather than left in free
pages. Every step runs on one worker thread, so the event loop never waits on the disk.
With synchronous=NORMAL a committed change survives the process being killed; a power
cut may lose the last moments (the exit then says something may remain: a gap).
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any, TypeVar

from bot.session.state.base import RecordChatState
from bot.session.state.keys import private_file, private_folder
from bot.session.state.record import ChatRecord

T = TypeVar("T")

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
        return self._begin()

    async def _run(self, step: Callable[[], T]) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._thread, step)

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
