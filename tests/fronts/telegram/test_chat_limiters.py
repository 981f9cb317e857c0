"""The per-chat pace is forgotten for quiet chats, so a burst from thousands of chats does
not keep a limiter (about 600 bytes) for each of them."""

from __future__ import annotations

import asyncio

from bot.fronts.telegram.pacing import CHAT_PACE, KEPT_CHAT_LIMITERS, PacedRateLimiter


def test_quiet_chats_limiters_are_forgotten_past_the_cap() -> None:
    async def scenario() -> None:
        limiter = PacedRateLimiter(CHAT_PACE)
        for chat in range(KEPT_CHAT_LIMITERS * 4):
            limiter._limiter(chat)  # a chat seen once, its bucket still full: quiet
        assert len(limiter.chat_limiters) <= KEPT_CHAT_LIMITERS + 1

    asyncio.run(scenario())


def test_a_chat_still_being_paced_is_kept() -> None:
    async def scenario() -> None:
        limiter = PacedRateLimiter(CHAT_PACE)
        busy = limiter._limiter(-1)
        await busy.acquire(busy.max_rate)  # its burst used up: it is being paced
        for chat in range(KEPT_CHAT_LIMITERS * 2):
            limiter._limiter(chat)
        assert limiter._limiter(-1) is busy

    asyncio.run(scenario())
