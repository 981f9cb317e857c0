"""Pace: Telegram's limits kept per chat, and a few jobs sent at once.

Different chats are answered concurrently, one chat's jobs strictly in order
(bot.fronts.telegram.dispatch), and a job waiting on its own chat (a 429, its pace, a
chart being drawn) gives its slot to others meanwhile. A job may also ask to see each
request just before it leaves, after every wait (`request_gate`): the quick exit stops a
reply there, and the outbox notes that it may arrive.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import datetime as dt
import logging
import time
import warnings
from collections.abc import AsyncIterator, Callable, Coroutine
from typing import Any, Protocol, TypeVar

from aiolimiter import AsyncLimiter
from telegram.error import RetryAfter
from telegram.ext import AIORateLimiter

from bot.fronts.telegram.logsafe import pseudonym

log = logging.getLogger(__name__)

T = TypeVar("T")

# Jobs sent at once, across chats. Enough to keep Telegram's 30 messages a second flowing
# at ~100 ms a request; on loopback 16 or 32 at once were no faster (bench/e2e.py). Few, so
# that a danger reply or an exit waits behind at most this many requests.
CONCURRENT_UPDATES = 8
# About one message a second per private chat, with room for a burst (a reply in parts, a few
# quick questions). Pacing a flood in one chat matters: a 429 pauses the bot for everyone.
CHAT_PACE = (20, 20.0)  # at most 20 messages in any 20 seconds, refilling at one a second
# Telegram's 30 messages a second overall, as 10 every third of a second: the same rate, but
# a second in which fewer went out (while a backlog of updates is read) lends the next one
# at most 10 more, where PTB's default (30 a second) would allow 60 in one second. A smaller
# bucket (3 a tenth) made replies wait at 30 a second: 16 ms p50 against 7 (bench/e2e.py).
OVERALL_PACE = (10, 1 / 3)
KEPT_CHAT_LIMITERS = 256  # past this many, the quiet ones are forgotten


class PacedRateLimiter(AIORateLimiter):
    """python-telegram-bot's AIORateLimiter, plus a pace for each private chat.

    AIORateLimiter keeps the overall limit (30 messages a second, OVERALL_PACE) and groups'
    (20 a minute), and waits out a 429's retry_after; it leaves private chats unpaced.
    """

    def __init__(self, chat_pace: tuple[float, float] | None, **options: Any):
        options.setdefault("overall_max_rate", OVERALL_PACE[0])
        options.setdefault("overall_time_period", OVERALL_PACE[1])
        super().__init__(**options)
        self.chat_pace = chat_pace
        self.retries = int(options.get("max_retries", 0))
        # A 429 in a private chat pauses that chat alone: its pseudonym -> when it may go on.
        self.chat_paused_until: dict[str, float] = {}
        # Keyed by the chat's pseudonym, never its id: /privacy promises no chat ids are kept.
        self.chat_limiters: dict[str, AsyncLimiter] = {}

    def _limiter(self, chat_id: int) -> AsyncLimiter:
        assert self.chat_pace is not None
        # Forget chats quiet long enough (a full bucket): each limiter is about 600 bytes, and a
        # burst from thousands of chats would otherwise keep a thousand of them.
        if len(self.chat_limiters) > KEPT_CHAT_LIMITERS:
            for key, limiter in list(self.chat_limiters.items()):
                if limiter.has_capacity(limiter.max_rate):
                    del self.chat_limiters[key]
        key = pseudonym(chat_id)
        if key not in self.chat_limiters:
            self.chat_limiters[key] = AsyncLimiter(*self.chat_pace)
        return self.chat_limiters[key]

    async def process_request(
        self,
        callback: Callable[..., Any],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> Any:
        chat_id = data.get("chat_id")
        if not (isinstance(chat_id, int) and chat_id > 0):  # groups, channels, no chat
            if chat_id is not None:
                await self.overall_turn()
            return await super().process_request(
                _gated(callback), args, kwargs, endpoint, data, rate_limit_args
            )
        # A private chat. AIORateLimiter would wait out a 429 by pausing every chat; here it
        # pauses this chat alone, and the others are answered meanwhile.
        key = pseudonym(chat_id)
        sends = endpoint.startswith("send") and endpoint != "sendChatAction"
        for attempt in range(self.retries + 1):
            await self._chat_pause(key)
            if self.chat_pace and sends:
                await self._chat_turn(chat_id)
            await self.overall_turn()
            try:
                return await super().process_request(
                    _gated(_flood_as_own(callback)), args, kwargs, endpoint, data, rate_limit_args
                )
            except _ChatFlood as flood:
                # Kept even when giving up: the apology that follows waits it out too.
                pause = flood.seconds + 0.1
                until = time.monotonic() + pause
                self.chat_paused_until[key] = max(self.chat_paused_until.get(key, 0.0), until)
                if attempt == self.retries:
                    raise flood.error from None
                log.info("chat %s must wait %.1f s (429); other chats go on", key, pause)
        raise AssertionError("unreachable")

    async def overall_turn(self) -> None:
        """A turn in an overall pace kept outside this process (none here: AIORateLimiter's).

        Taken after every other wait and before the request's gate, as AIORateLimiter's.
        """

    async def _chat_pause(self, key: str) -> None:
        """Wait out this chat's 429, if it has one, giving the slot to other chats."""
        until = self.chat_paused_until.get(key)
        if until is None:
            return
        wait = until - time.monotonic()
        if wait > 0:
            async with slot_released():
                await asyncio.sleep(wait)
        if self.chat_paused_until.get(key, 0.0) <= time.monotonic():
            self.chat_paused_until.pop(key, None)

    async def _chat_turn(self, chat_id: int) -> None:
        # One chat's pace is that chat's wait alone: its slot goes to other chats meanwhile.
        # (The overall 30/s is everyone's wait, so it keeps the slot: that bounds how many
        # replies are held in memory during a burst.)
        limiter = self._limiter(chat_id)
        if limiter.has_capacity():  # no wait: keep the slot (giving it back costs memory)
            await limiter.acquire()
        else:
            async with slot_released():
                await limiter.acquire()


class _ChatFlood(Exception):
    """A 429 for one private chat, kept from AIORateLimiter (which would pause every chat)."""

    def __init__(self, error: RetryAfter):
        super().__init__("429")
        self.error = error
        with warnings.catch_warnings():  # PTB warns that retry_after will become a timedelta
            warnings.simplefilter("ignore")
            value = error.retry_after
        self.seconds = value.total_seconds() if isinstance(value, dt.timedelta) else float(value)


def _flood_as_own(
    callback: Callable[..., Coroutine[Any, Any, T]],
) -> Callable[..., Coroutine[Any, Any, T]]:
    async def call(*args: Any, **kwargs: Any) -> T:
        try:
            return await callback(*args, **kwargs)
        except RetryAfter as error:
            raise _ChatFlood(error) from None

    return call


class Gate(Protocol):
    """What a job wants done around each of its requests, after every wait."""

    async def before(self) -> None:
        """The request is about to leave; raising stops it."""

    def after(self) -> None:
        """It came back (or failed)."""


# The current task's gate, if any (bot.fronts.telegram.dispatch sets one per job).
request_gate: contextvars.ContextVar[Gate | None] = contextvars.ContextVar(
    "request_gate", default=None
)


def _gated(
    callback: Callable[..., Coroutine[Any, Any, T]],
) -> Callable[..., Coroutine[Any, Any, T]]:
    async def call(*args: Any, **kwargs: Any) -> T:
        gate = request_gate.get()
        if gate is None:
            return await callback(*args, **kwargs)
        await gate.before()
        try:
            return await callback(*args, **kwargs)
        finally:
            gate.after()

    return call


class Slot:
    """One job's place among those worked on at once; given back while it waits."""

    def __init__(self, slots: asyncio.BoundedSemaphore):
        self.slots = slots
        self.held = False

    async def take(self) -> None:
        await self.slots.acquire()
        self.held = True

    def give(self) -> None:
        if self.held:  # never released twice, even if cancelled while taking it back
            self.held = False
            self.slots.release()


held_slot: contextvars.ContextVar[Slot | None] = contextvars.ContextVar("slot", default=None)


@contextlib.asynccontextmanager
async def slot_released() -> AsyncIterator[None]:
    """Let other jobs be worked on while this one waits, then take its slot back."""
    slot = held_slot.get()
    if slot is None or not slot.held:
        yield
        return
    slot.give()
    try:
        yield
    finally:
        await slot.take()
