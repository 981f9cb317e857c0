"""The ChatState of a store that keeps one record per chat (memory, SQLite).

Subclasses keep records, discreet flags and update ids; this class holds the rules: keys,
expiry, caps and sweeping. Each operation is one synchronous step under the store's
transaction, handed to `_run` (the event loop itself for memory, a thread for SQLite).
"""

from __future__ import annotations

import hashlib
import hmac
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from typing import TypeVar

from bot.domain.models import Context
from bot.session.state.changes import ChatChange, ChatView
from bot.session.state.limits import (
    DELETE_WINDOW,
    MAX_CHATS,
    MAX_DISCREET,
    MAX_IDS,
    MAX_IDS_PER_CHAT,
    MAX_UPDATES,
    SWEEP_EVERY,
    SWEEP_WRITES,
)
from bot.session.state.record import ChatRecord

T = TypeVar("T")


def chat_key(secret: bytes, chat_id: int) -> bytes:
    """The chat's key in a store: 16 bytes of HMAC-SHA256 of its id, never the id."""
    return hmac.new(secret, str(chat_id).encode(), hashlib.sha256).digest()[:16]


class RecordChatState(ABC):
    def __init__(
        self,
        secret: bytes,
        *,
        window: float = DELETE_WINDOW,
        max_ids: int = MAX_IDS_PER_CHAT,
        max_total: int = MAX_IDS,
        max_chats: int = MAX_CHATS,
        max_discreet: int = MAX_DISCREET,
        max_updates: int = MAX_UPDATES,
        clock: Callable[[], float] = time.time,
    ):
        self._secret = secret
        self.window, self.max_ids, self.max_total = window, max_ids, max_total
        self.max_chats, self.max_discreet, self.max_updates = max_chats, max_discreet, max_updates
        self.clock = clock
        self._swept = clock()
        self._writes = 0

    # -- what a store provides -----------------------------------------------------------

    @abstractmethod
    def _transaction(self) -> AbstractContextManager[None]: ...

    @abstractmethod
    async def _run(self, step: Callable[[], T]) -> T: ...

    @abstractmethod
    def _load(self, key: bytes) -> ChatRecord | None: ...

    @abstractmethod
    def _save(self, key: bytes, record: ChatRecord) -> None: ...

    @abstractmethod
    def _delete(self, key: bytes) -> None: ...

    @abstractmethod
    def _expire_before(self, cutoff: float) -> None:
        """Delete the records last changed at `cutoff` or before."""

    @abstractmethod
    def _evict_oldest(self, count: int) -> int:
        """Delete the `count` longest unchanged records; how many ids they held."""

    @abstractmethod
    def _discreet_get(self, key: bytes) -> bool: ...

    @abstractmethod
    def _discreet_set(self, key: bytes, on: bool, now: float) -> None: ...

    @abstractmethod
    def _trim(self, discreet: int, updates: int) -> None:
        """Keep the newest `discreet` flags and `updates` update ids."""

    @abstractmethod
    def _first_delivery(self, update_id: int, now: float) -> bool: ...

    @abstractmethod
    def _counts(self) -> tuple[int, int]: ...

    async def counts(self) -> tuple[int, int]:
        """(chat records held, message ids held or remembered as deleted)."""
        return await self._run(self._counts)

    # -- the rules -------------------------------------------------------------------------

    def _key(self, chat_id: int) -> bytes:
        return chat_key(self._secret, chat_id)

    def _read(self, key: bytes, now: float) -> ChatRecord | None:
        record = self._load(key)
        if record is None:
            return None
        if record.touched <= now - self.window:
            return None  # all of it is 48 hours old; a sweep deletes it
        record.expire(now, self.window)
        return record

    def _change(self, chat_id: int, create: bool, change: Callable[[ChatRecord], T]) -> T | None:
        """Apply `change` to the chat's record (made if `create`); None if there is none."""
        now = self.clock()
        key = self._key(chat_id)
        with self._transaction():
            result = self._change_in(key, now, create, change)
            self._wrote(now)
        return result

    def _change_in(
        self, key: bytes, now: float, create: bool, change: Callable[[ChatRecord], T]
    ) -> T | None:
        """_change inside a transaction already begun; the caller counts the write."""
        record = self._read(key, now)
        if record is None:
            if not create:
                return None
            record = ChatRecord(touched=now)
        result = change(record)
        if _empty(record):
            self._delete(key)
        else:
            self._save(key, record)
        return result

    def _wrote(self, now: float) -> None:
        """Count a write; sweep every SWEEP_WRITES writes or SWEEP_EVERY seconds."""
        self._writes += 1
        if self._writes >= SWEEP_WRITES or now - self._swept >= SWEEP_EVERY:
            self._sweep(now)

    def _look(self, chat_id: int, look: Callable[[ChatRecord], T], default: T) -> T:
        record = self._read(self._key(chat_id), self.clock())
        return default if record is None else look(record)

    def _sweep(self, now: float) -> None:
        """Delete expired records, then the longest unchanged while over a cap."""
        self._swept, self._writes = now, 0
        self._expire_before(now - self.window)
        chats, total = self._counts()
        if chats > self.max_chats:
            total -= self._evict_oldest(chats - self.max_chats)
            chats = self.max_chats
        while total > self.max_total and chats > 0:
            batch = min(chats, 100)
            total -= self._evict_oldest(batch)
            chats -= batch
        self._trim(self.max_discreet, self.max_updates)

    def sweep(self) -> None:
        """Sweep now (tests, and a store's start)."""
        with self._transaction():
            self._sweep(self.clock())

    # -- the ChatState interface -----------------------------------------------------------

    async def remember(self, chat_id: int, message_id: int, sent_at: float | None = None) -> bool:
        def step() -> bool:
            now = self.clock()
            at = now if sent_at is None else min(sent_at, now)
            new = self._change(
                chat_id, True, lambda r: r.remember(message_id, at, now, self.window, self.max_ids)
            )
            return bool(new)

        return await self._run(step)

    async def recent(self, chat_id: int) -> list[int]:
        return await self._run(lambda: self._look(chat_id, lambda r: sorted(r.held), []))

    async def forget(self, chat_id: int, message_ids: Iterable[int]) -> None:
        ids = list(message_ids)
        await self._run(lambda: self._change(chat_id, False, lambda r: r.forget(ids, self.clock())))

    async def lost_some(self, chat_id: int) -> bool:
        return await self._run(lambda: self._look(chat_id, ChatRecord.lost_some, False))

    async def mark_lost(self, chat_id: int) -> None:
        def change(record: ChatRecord) -> None:
            record.lost, record.touched = True, self.clock()

        await self._run(lambda: self._change(chat_id, True, change))

    async def discreet(self, chat_id: int) -> bool:
        return await self._run(lambda: self._discreet_get(self._key(chat_id)))

    async def set_discreet(self, chat_id: int, on: bool) -> None:
        def step() -> None:
            now = self.clock()
            with self._transaction():
                self._discreet_set(self._key(chat_id), on, now)
                self._wrote(now)

        await self._run(step)

    async def context(self, chat_id: int) -> Context | None:
        return await self._run(lambda: self._look(chat_id, lambda r: r.context, None))

    async def set_context(self, chat_id: int, context: Context | None) -> None:
        def change(record: ChatRecord) -> None:
            record.context = context
            record.context_at = record.touched = self.clock()

        await self._run(lambda: self._change(chat_id, context is not None, change))

    async def language(self, chat_id: int) -> str | None:
        return await self._run(lambda: self._look(chat_id, lambda r: r.language, None))

    async def set_language(self, chat_id: int, code: str | None) -> None:
        def change(record: ChatRecord) -> None:
            record.language = code
            record.language_at = record.touched = self.clock()

        await self._run(lambda: self._change(chat_id, code is not None, change))

    async def first_delivery(self, update_id: int) -> bool:
        def step() -> bool:
            now = self.clock()
            with self._transaction():
                first = self._first_delivery(update_id, now)
                self._wrote(now)
                return first

        return await self._run(step)

    async def load(self, chat_id: int) -> ChatView:
        def step() -> ChatView:
            key = self._key(chat_id)
            record = self._read(key, self.clock())
            discreet = self._discreet_get(key)
            if record is None:
                return ChatView(discreet=discreet)
            return ChatView(record.context, record.language, discreet)

        return await self._run(step)

    async def save(self, chat_id: int, change: ChatChange) -> bool:
        if change.empty():
            return False

        def step() -> bool:
            now = self.clock()
            key = self._key(chat_id)

            def apply(record: ChatRecord) -> bool:
                new = False
                if change.remember is not None:
                    message_id, sent_at = change.remember
                    at = now if sent_at is None else min(sent_at, now)
                    new = record.remember(message_id, at, now, self.window, self.max_ids)
                if change.set_context:
                    record.context = change.context
                    record.context_at = record.touched = now
                if change.set_language:
                    record.language = change.language
                    record.language_at = record.touched = now
                return new

            new: bool | None = False
            with self._transaction():
                if change.touches_record():
                    new = self._change_in(key, now, change.creates_record(), apply)
                if change.discreet is not None:
                    self._discreet_set(key, change.discreet, now)
                self._wrote(now)
            return bool(new)

        return await self._run(step)


def _empty(record: ChatRecord) -> bool:
    """Nothing worth keeping: no ids, nothing accounted for, no flag, no context or language."""
    return (
        not record.held
        and not record.gone
        and not record.floor
        and not record.lost
        and record.context is None
        and record.language is None
    )
