"""Telegram's 30 messages a second, kept by every instance together through Redis.

A GCRA (generic cell rate algorithm) in one Lua script: Redis holds the theoretical
arrival time of the next request; each request asks for its turn and is told how long to
wait, on Redis's clock, so the instances' clocks need not agree. SHARED_PACE: 28 a second
with a burst of 1, so that no one-second window holds more than 29, leaving one for the
jitter between Redis's grant and the request's arrival at Telegram. The per-chat pace
stays each instance's own: one instance sends a chat's jobs at a time
(bot.fronts.telegram.shared_dispatch).
"""

from __future__ import annotations

import asyncio
from typing import Any

import redis.asyncio as aioredis

from bot.fronts.telegram.pacing import PacedRateLimiter

SHARED_PACE = (28.0, 1)  # requests a second, and how many may go at once after a pause

# KEYS[1] the key; ARGV[1] microseconds between requests, ARGV[2] the burst.
# A turn is reserved at once, in the order asked: returns the microseconds to wait for it.
_GCRA = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local interval = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat < now then tat = now end
redis.call('SET', KEYS[1], tat + interval, 'PX', math.ceil((tat + interval - now) / 1000) + 1000)
local wait = tat - now - (burst - 1) * interval
if wait < 0 then return 0 end
return wait
"""


class SharedPace:
    """The overall pace in Redis: `await turn()` before each request to a chat."""

    def __init__(
        self,
        client: aioredis.Redis,
        key: str,
        rate: float = SHARED_PACE[0],
        burst: int = SHARED_PACE[1],
    ):
        self.key = key
        self.interval = round(1_000_000 / rate)  # microseconds
        self.burst = burst
        self._script = client.register_script(_GCRA)
        self.calls = 0

    async def turn(self) -> None:
        """Reserve the next turn (one round trip) and wait for it: first asked, first served.

        Waiting and asking again would let a danger reply lose to ordinary ones round
        after round; a reserved turn comes after at most the requests already under way.
        """
        self.calls += 1
        wait = int(await self._script(keys=[self.key], args=[self.interval, self.burst]))
        if wait:
            await asyncio.sleep(wait / 1_000_000)


class SharedPacedRateLimiter(PacedRateLimiter):
    """PacedRateLimiter with the overall limit in Redis instead of in this process."""

    def __init__(self, pace: SharedPace, chat_pace: tuple[float, float] | None, **options: Any):
        options["overall_max_rate"] = 0  # python-telegram-bot's own overall limiter: off
        super().__init__(chat_pace, **options)
        self.pace = pace

    async def overall_turn(self) -> None:
        await self.pace.turn()
