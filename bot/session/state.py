"""Per-chat state: the message ids a quick exit deletes, the discreet-mode flag, and what
the last answer was about (a Context of codes, for follow-ups like "what about brent").

Nothing else about a chat is kept: no text, no names, no numbers. The interface is
async so that a shared store (Redis, a database) can stand behind it when the bot runs
as several instances behind a webhook; such a store must keep the same promises: ids
forgotten after 48 hours, chats keyed by a salted hash, never by their id.

No rate-limit counters are kept: python-telegram-bot's AIORateLimiter paces sends, and
one chat's updates are read one at a time, in order (bot.fronts.telegram.intake).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Protocol

from bot.domain.models import Context

# Telegram lets a bot delete messages in a private chat while they are under 48 hours old.
DELETE_WINDOW = 48 * 3600.0
# A chat sending more than this in 48 hours keeps its newest ids (about 90 KB at most).
MAX_IDS_PER_CHAT = 5_000
# Update ids remembered to answer a redelivered update once (about 100 KB at most).
MAX_UPDATES = 100_000
_SWEEP_EVERY = 600.0  # seconds between forgetting expired ids in every chat


class ChatState(Protocol):
    """What the Telegram front keeps per chat. Implementations must forget ids after 48h."""

    async def remember(self, chat_id: int, message_id: int, sent_at: float | None = None) -> bool:
        """Record one message id of this chat (the person's or the bot's), sent at `sent_at`.

        True if the id was new (neither known already nor too old to delete).
        """

    async def recent(self, chat_id: int) -> list[int]:
        """The ids still under 48 hours old, in the order they were recorded."""

    async def forget(self, chat_id: int, message_ids: Iterable[int]) -> None:
        """Drop these ids (after they were deleted)."""

    async def lost_some(self, chat_id: int) -> bool:
        """Whether ids of this chat were dropped unerased (too old, or over the cap)."""

    async def discreet(self, chat_id: int) -> bool:
        """Whether this chat asked for discreet mode."""

    async def set_discreet(self, chat_id: int, on: bool) -> None:
        """Turn discreet mode on or off for this chat."""

    async def context(self, chat_id: int) -> Context | None:
        """What the last answer was about (codes only), if under 48 hours old."""

    async def set_context(self, chat_id: int, context: Context | None) -> None:
        """Keep this context for the chat's next message; None forgets it."""

    async def language(self, chat_id: int) -> str | None:
        """The language code this chat was last answered in, if under 48 hours old."""

    async def set_language(self, chat_id: int, code: str | None) -> None:
        """Keep this language code (e.g. "pl") for the chat; None forgets it."""

    async def mark_lost(self, chat_id: int) -> None:
        """Something of this chat may remain unerased (a send whose outcome is unknown)."""

    async def first_delivery(self, update_id: int) -> bool:
        """True the first time an update id is seen (in 48 hours), False for a redelivery."""


@dataclass(slots=True)
class _Chat:
    ids: dict[int, float] = field(default_factory=dict)  # message id -> sent at (insertion order)
    discreet: bool = False
    lost_some: bool = False  # ids dropped without being erased: an exit cannot be complete
    context: Context | None = None  # the last answer's topic and boroughs (codes only)
    context_at: float = 0.0
    language: str | None = None  # a language code, nothing else
    language_at: float = 0.0

    @property
    def empty(self) -> bool:
        return not self.ids and not self.discreet and self.context is None and self.language is None


class InMemoryChatState:
    """The default ChatState: one process's memory, gone when it stops.

    Chats are keyed by a salted hash of their id, so even a memory dump does not list
    who wrote to the bot. Expired ids are dropped whenever a chat is touched, and in
    every chat at most every ten minutes.
    """

    def __init__(
        self,
        *,
        window: float = DELETE_WINDOW,
        max_ids: int = MAX_IDS_PER_CHAT,
        clock: Callable[[], float] = time.time,
        salt: bytes | None = None,
    ):
        self.window, self.max_ids, self.clock = window, max_ids, clock
        self._salt = salt or secrets.token_bytes(16)
        self._chats: dict[bytes, _Chat] = {}
        self._swept = clock()
        self._updates: dict[int, float] = {}  # update id -> first seen (insertion order)

    def _key(self, chat_id: int) -> bytes:
        return hmac.new(self._salt, str(chat_id).encode(), hashlib.sha256).digest()[:16]

    def _chat(self, chat_id: int, create: bool = False) -> _Chat | None:
        now = self.clock()
        if now - self._swept >= _SWEEP_EVERY:
            self._sweep(now)
        key = self._key(chat_id)
        chat = self._chats.get(key)
        if chat is None and create:
            chat = self._chats[key] = _Chat()
        if chat is not None:
            self._expire(chat, now)
            if chat.empty and not create:
                del self._chats[key]
                return None
        return chat

    def _expire(self, chat: _Chat, now: float) -> None:
        old = [i for i, at in chat.ids.items() if now - at >= self.window]
        for message_id in old:
            del chat.ids[message_id]
        chat.lost_some = chat.lost_some or bool(old)
        if chat.context is not None and now - chat.context_at >= self.window:
            chat.context = None
        if chat.language is not None and now - chat.language_at >= self.window:
            chat.language = None

    def _sweep(self, now: float) -> None:
        self._swept = now
        for key, chat in list(self._chats.items()):
            self._expire(chat, now)
            if chat.empty:
                del self._chats[key]

    async def remember(self, chat_id: int, message_id: int, sent_at: float | None = None) -> bool:
        now = self.clock()
        at = now if sent_at is None else min(sent_at, now)
        if now - at >= self.window:
            return False  # already too old to delete
        chat = self._chat(chat_id, create=True)
        assert chat is not None
        if message_id in chat.ids:
            return False
        chat.ids[message_id] = at
        while len(chat.ids) > self.max_ids:
            del chat.ids[next(iter(chat.ids))]
            chat.lost_some = True
        return True

    async def recent(self, chat_id: int) -> list[int]:
        chat = self._chat(chat_id)
        return list(chat.ids) if chat else []

    async def forget(self, chat_id: int, message_ids: Iterable[int]) -> None:
        chat = self._chat(chat_id)
        if chat is None:
            return
        for message_id in message_ids:
            chat.ids.pop(message_id, None)
        if chat.empty:
            self._chats.pop(self._key(chat_id), None)

    async def lost_some(self, chat_id: int) -> bool:
        chat = self._chat(chat_id)
        return bool(chat and chat.lost_some)

    async def discreet(self, chat_id: int) -> bool:
        chat = self._chat(chat_id)
        return bool(chat and chat.discreet)

    async def set_discreet(self, chat_id: int, on: bool) -> None:
        chat = self._chat(chat_id, create=on)
        if chat is not None:
            chat.discreet = on
            if chat.empty:
                self._chats.pop(self._key(chat_id), None)

    async def context(self, chat_id: int) -> Context | None:
        chat = self._chat(chat_id)
        return chat.context if chat else None

    async def set_context(self, chat_id: int, context: Context | None) -> None:
        chat = self._chat(chat_id, create=context is not None)
        if chat is not None:
            chat.context, chat.context_at = context, self.clock()
            if chat.empty:
                self._chats.pop(self._key(chat_id), None)

    async def language(self, chat_id: int) -> str | None:
        chat = self._chat(chat_id)
        return chat.language if chat else None

    async def set_language(self, chat_id: int, code: str | None) -> None:
        chat = self._chat(chat_id, create=code is not None)
        if chat is not None:
            chat.language, chat.language_at = code, self.clock()
            if chat.empty:
                self._chats.pop(self._key(chat_id), None)

    async def mark_lost(self, chat_id: int) -> None:
        chat = self._chat(chat_id, create=True)
        assert chat is not None
        chat.lost_some = True

    async def first_delivery(self, update_id: int) -> bool:
        now = self.clock()
        while self._updates:
            oldest, seen_at = next(iter(self._updates.items()))
            if now - seen_at < self.window and len(self._updates) < MAX_UPDATES:
                break
            del self._updates[oldest]
        if update_id in self._updates:
            return False
        self._updates[update_id] = now
        return True

    def size(self) -> tuple[int, int]:
        """(chats held, message ids held), for tests and memory figures."""
        return len(self._chats), sum(len(c.ids) for c in self._chats.values())
