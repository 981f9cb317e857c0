"""The chat state in one process's memory: tests and the terminal chat. Gone when it stops."""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any, TypeVar

from bot.session.state.base import RecordChatState
from bot.session.state.record import ChatRecord

T = TypeVar("T")


class InMemoryChatState(RecordChatState):
    """Records in a dict, keyed by an HMAC of the chat id with a secret made per process.

    After a restart nothing is known, and every chat's exit says something may remain.
    """

    def __init__(self, *, salt: bytes | None = None, **limits: Any):
        super().__init__(salt or secrets.token_bytes(16), **limits)
        self._chats: dict[bytes, ChatRecord] = {}  # the longest unchanged first
        self._discreet: dict[bytes, float] = {}  # key -> when turned on
        self._updates: dict[int, float] = {}  # update id -> first seen (oldest first)

    def _transaction(self) -> AbstractContextManager[None]:
        return contextlib.nullcontext()

    async def _run(self, step: Callable[[], T]) -> T:
        return step()

    def _load(self, key: bytes) -> ChatRecord | None:
        return self._chats.get(key)

    def _save(self, key: bytes, record: ChatRecord) -> None:
        self._chats.pop(key, None)
        self._chats[key] = record

    def _delete(self, key: bytes) -> None:
        self._chats.pop(key, None)

    def _expire_before(self, cutoff: float) -> None:
        while self._chats:
            key, record = next(iter(self._chats.items()))
            if record.touched > cutoff:
                break
            del self._chats[key]

    def _evict_oldest(self, count: int) -> int:
        freed = 0
        for _ in range(min(count, len(self._chats))):
            freed += self._chats.pop(next(iter(self._chats))).size()
        return freed

    def _discreet_get(self, key: bytes) -> bool:
        return key in self._discreet

    def _discreet_set(self, key: bytes, on: bool, now: float) -> None:
        self._discreet.pop(key, None)
        if on:
            self._discreet[key] = now

    def _trim(self, discreet: int, updates: int) -> None:
        while len(self._discreet) > discreet:
            del self._discreet[next(iter(self._discreet))]
        while len(self._updates) > updates:
            del self._updates[next(iter(self._updates))]

    def _first_delivery(self, update_id: int, now: float) -> bool:
        while self._updates:
            oldest, seen_at = next(iter(self._updates.items()))
            if now - seen_at < self.window and len(self._updates) < self.max_updates:
                break
            del self._updates[oldest]
        if update_id in self._updates:
            return False
        self._updates[update_id] = now
        return True

    def _counts(self) -> tuple[int, int]:
        return len(self._chats), sum(r.size() for r in self._chats.values())

    def size(self) -> tuple[int, int]:
        """(chats held, message ids held), for tests and memory figures."""
        return len(self._chats), sum(len(r.held) for r in self._chats.values())
