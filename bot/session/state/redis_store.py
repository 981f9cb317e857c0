"""The chat state in Redis, shared by several instances (redis-py's asyncio client).

Every operation is one Lua script, so it is atomic however many instances race, and one
round trip. Keys, under a prefix (default "helpline:"), with K the hex of the chat's
HMAC-SHA256 key:

- c:K  a hash: f (every id up to it accounted for), l (something may remain),
       cx/ca (the context's codes and when), lg/la (a language code and when);
- i:K  a sorted set: the ids to delete, scored by when each was sent;
- a:K  a sorted set: those ids and the ones already deleted above f, scored by id;
- chats (K by last change), sizes (K -> ids), total: the caps over all chats;
- d    a sorted set: the chats in discreet mode (until turned off), capped;
- u    a sorted set: update ids seen, capped, for answering a redelivery once.

Every key but d expires 48 hours after its last change, by Redis itself; the scripts also
drop what is older by the bot's clock. These scripts touch keys they compute, so they
suit one Redis server (or a replicated one), not Redis Cluster.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable
from typing import Any

import redis.asyncio as aioredis

from bot.domain.models import Context
from bot.session.state.base import chat_key
from bot.session.state.changes import ChatChange, ChatView
from bot.session.state.limits import (
    DELETE_WINDOW,
    MAX_CHATS,
    MAX_DISCREET,
    MAX_IDS,
    MAX_IDS_PER_CHAT,
    MAX_UPDATES,
)
from bot.session.state.record import context_codes, context_from_codes
from bot.session.state.redis_scripts import (
    _DISCREET,
    _FIRST_DELIVERY,
    _FORGET,
    _PRELUDE,
    _READ,
    _REMEMBER,
    _SAVE,
    _SET,
    _VIEW,
)

CONNECTIONS = 32  # to Redis, per instance; more calls at once wait for one


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


class RedisChatState:
    """A ChatState in one Redis server; instances sharing it must share the secret."""

    def __init__(
        self,
        client: aioredis.Redis,
        secret: bytes,
        *,
        prefix: str = "helpline:",
        window: float = DELETE_WINDOW,
        max_ids: int = MAX_IDS_PER_CHAT,
        max_total: int = MAX_IDS,
        max_chats: int = MAX_CHATS,
        max_discreet: int = MAX_DISCREET,
        max_updates: int = MAX_UPDATES,
        clock: Callable[[], float] = time.time,
    ):
        self.client, self._secret, self.prefix = client, secret, prefix
        self.window, self.max_ids, self.max_total = window, max_ids, max_total
        self.max_chats, self.max_discreet, self.max_updates = max_chats, max_discreet, max_updates
        self.clock = clock
        register = client.register_script
        self._remember = register(_PRELUDE + _REMEMBER)
        self._forget = register(_PRELUDE + _FORGET)
        self._set = register(_PRELUDE + _SET)
        self._read = register(_PRELUDE + _READ)
        self._first = register(_PRELUDE + _FIRST_DELIVERY)
        self._discreet = register(_PRELUDE + _DISCREET)
        self._view = register(_PRELUDE + _VIEW)
        self._save = register(_PRELUDE + _SAVE)

    @classmethod
    def from_url(cls, url: str, secret: bytes, **options: Any) -> RedisChatState:
        # Short timeouts: a hung server must not hold a danger reply (FailSoft answers instead).
        # A blocking pool: calls beyond its connections wait their turn instead of failing.
        pool = aioredis.BlockingConnectionPool.from_url(
            url,
            max_connections=CONNECTIONS,
            timeout=1.0,
            socket_connect_timeout=1.0,
            socket_timeout=1.0,
        )
        return cls(aioredis.Redis.from_pool(pool), secret, **options)

    async def check(self) -> None:
        """Raise redis.exceptions.RedisError unless the server answers."""
        await self.client.ping()

    async def aclose(self) -> None:
        await self.client.aclose()

    def _k(self, chat_id: int) -> str:
        return chat_key(self._secret, chat_id).hex()

    def _args(self, chat_id: int | str, *more: str | int) -> list[str | int]:
        k = chat_id if isinstance(chat_id, str) else self._k(chat_id)
        return [self.prefix, repr(self.clock()), repr(self.window), k, *more]

    async def _fetch(self, chat_id: int) -> list[Any] | None:
        found = await self._read(args=self._args(chat_id))
        return list(found) if found else None

    # -- the ChatState interface -----------------------------------------------------------

    async def remember(self, chat_id: int, message_id: int, sent_at: float | None = None) -> bool:
        now = self.clock()
        at = now if sent_at is None else min(sent_at, now)
        args = self._args(
            chat_id, message_id, repr(at), self.max_ids, self.max_total, self.max_chats
        )
        return bool(await self._remember(args=args))

    async def recent(self, chat_id: int) -> list[int]:
        found = await self._fetch(chat_id)
        return sorted(int(i) for i in found[0]) if found else []

    async def forget(self, chat_id: int, message_ids: Iterable[int]) -> None:
        ids = [int(i) for i in message_ids]
        await self._forget(args=self._args(chat_id, self.max_total, self.max_chats, *ids))

    async def lost_some(self, chat_id: int) -> bool:
        found = await self._fetch(chat_id)
        if not found:
            return False
        _, expired, count, low, high, floor, lost = found[:7]
        if lost or expired:
            return True
        if not count:
            return False
        low, high, count = int(low), int(high), int(count)
        return low != int(floor or 0) + 1 or high - low + 1 != count

    async def mark_lost(self, chat_id: int) -> None:
        await self._change(chat_id, True, l="1")

    async def discreet(self, chat_id: int) -> bool:
        return await self.client.zscore(self.prefix + "d", self._k(chat_id)) is not None

    async def set_discreet(self, chat_id: int, on: bool) -> None:
        await self._discreet(args=self._args(chat_id, "1" if on else "0", self.max_discreet))

    async def context(self, chat_id: int) -> Context | None:
        found = await self._fetch(chat_id)
        if not found or not found[7] or float(found[8]) <= self.clock() - self.window:
            return None
        return context_from_codes(json.loads(found[7]))

    async def set_context(self, chat_id: int, context: Context | None) -> None:
        if context is None:
            await self._change(chat_id, False, cx="", ca="")
        else:
            codes = json.dumps(context_codes(context), separators=(",", ":"))
            await self._change(chat_id, True, cx=codes, ca=repr(self.clock()))

    async def language(self, chat_id: int) -> str | None:
        found = await self._fetch(chat_id)
        if not found or not found[9] or float(found[10]) <= self.clock() - self.window:
            return None
        return _text(found[9])

    async def set_language(self, chat_id: int, code: str | None) -> None:
        if code is None:
            await self._change(chat_id, False, lg="", la="")
        else:
            await self._change(chat_id, True, lg=code, la=repr(self.clock()))

    async def first_delivery(self, update_id: int) -> bool:
        args: list[str | int] = [self.prefix, repr(self.clock()), repr(self.window)]
        args += [update_id, self.max_updates]
        return bool(await self._first(args=args))

    async def load(self, chat_id: int) -> ChatView:
        found = list(await self._view(args=self._args(chat_id)))
        discreet = bool(int(found[0]))
        if len(found) == 1:
            return ChatView(discreet=discreet)
        codes, context_at, language, language_at = found[1:5]
        cutoff = self.clock() - self.window
        context = None
        if codes and float(context_at) > cutoff:
            context = context_from_codes(json.loads(codes))
        kept = _text(language) if language and float(language_at) > cutoff else None
        return ChatView(context, kept, discreet)

    async def save(self, chat_id: int, change: ChatChange) -> bool:
        if change.empty():
            return False
        now = self.clock()
        fields: list[str] = []
        if change.set_context:
            if change.context is None:
                fields += ["cx", "", "ca", ""]
            else:
                codes = json.dumps(context_codes(change.context), separators=(",", ":"))
                fields += ["cx", codes, "ca", repr(now)]
        if change.set_language:
            if change.language is None:
                fields += ["lg", "", "la", ""]
            else:
                fields += ["lg", change.language, "la", repr(now)]
        message_id: int | str = ""
        at = now
        if change.remember is not None:
            message_id, sent_at = change.remember
            at = now if sent_at is None else min(sent_at, now)
        discreet = "" if change.discreet is None else ("1" if change.discreet else "0")
        args: list[str | int] = [self.prefix, repr(now), repr(self.window), self._k(chat_id)]
        args += [self.max_ids, self.max_total, self.max_chats]
        args += ["1" if change.touches_record() else "0", "1" if change.creates_record() else "0"]
        args += [message_id, repr(at), discreet, self.max_discreet, *fields]
        return bool(await self._save(args=args))

    async def _change(self, chat_id: int, create: bool, **fields: str) -> None:
        pairs: list[str] = [item for pair in fields.items() for item in pair]
        args = self._args(chat_id, self.max_total, self.max_chats, "1" if create else "0", *pairs)
        await self._set(args=args)

    async def counts(self) -> tuple[int, int]:
        """(chat records held, message ids held or remembered as deleted)."""
        chats = await self.client.zcard(self.prefix + "chats")
        total = await self.client.get(self.prefix + "total")
        return int(chats), int(total or 0)
