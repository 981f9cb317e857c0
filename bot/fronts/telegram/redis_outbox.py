"""The outbox in Redis, shared by every instance: each update answered once, a chat in order.

Used when the chat state is in Redis (several instances behind one proxy). Every call is
one Lua script: atomic however many instances race, and one round trip. Keys, under a
prefix per bot ("helpline:o:<bot id>:"), with K the hex of the chat's keyed hash (the
same secret as the state's, never the chat id):

- u:<update id>  the update was taken (its jobs are kept): set with them, in one script;
- n              the last job id: ids, hence order, by arrival in Redis;
- j:<id>         a job: c (the chat id, needed to send), b (the bot's reply, as
                 bot.fronts.telegram.jobs encodes it), k (K), s (its request has left),
                 x (dropped by an exit while under way); deleted once done;
- qu:K, qn:K     the chat's urgent and ordinary job ids, in order; r:K the one under way;
- l:K            the lease: the instance that sends this chat's jobs, for LEASE seconds,
                 renewed while it works; when it lapses (the instance died) another takes
                 the chat over (`claim`);
- p              the chats with jobs (K by when they were last put).

Everything expires: update ids after 48 hours, the rest 48 hours after its last change.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import redis.asyncio as aioredis

from bot.fronts.telegram.jobs import Job, decode, encode
from bot.fronts.telegram.outbox import UPDATE_WINDOW, Waiting
from bot.session.state.base import chat_key

LEASE = 5.0  # seconds a chat's lease lasts unless renewed (a dead instance's chats wait this)
RENEW_EVERY = 1.0  # seconds between renewals of the leases held, and between claims
TTL = int(UPDATE_WINDOW)  # seconds: update ids, and every other key after its last change

_PRELUDE = """
local P = ARGV[1]
local me = ARGV[2]
local lease = tonumber(ARGV[3])
local ttl = tonumber(ARGV[4])
local function keys(k) return P .. 'qu:' .. k, P .. 'qn:' .. k, P .. 'r:' .. k, P .. 'l:' .. k end
local function leads(k)
  local _, _, _, l = keys(k)
  local holder = redis.call('GET', l)
  if holder and holder ~= me then return false end
  redis.call('SET', l, me, 'PX', lease)
  return true
end
"""

# ARGV[5] update id or '', ARGV[6] now; then per job: K, chat id, body, urgent, kind.
_PUT = (
    _PRELUDE
    + """
if ARGV[5] ~= '' then
  if not redis.call('SET', P .. 'u:' .. ARGV[5], 1, 'NX', 'EX', ttl) then return {0} end
end
local ids, led, seen = {}, {}, {}
for n = 7, #ARGV, 5 do
  local k, chat, body, urgent, kind = ARGV[n], ARGV[n+1], ARGV[n+2], ARGV[n+3], ARGV[n+4]
  local qu, qn, r, l = keys(k)
  if kind == 'erase' then  -- the quick exit: the chat's replies not yet sent are dropped
    for _, q in ipairs({qu, qn}) do
      for _, id in ipairs(redis.call('LRANGE', q, 0, -1)) do
        if redis.call('HGET', P .. 'j:' .. id, 'kind') == 'send' then
          redis.call('LREM', q, 0, id)
          redis.call('DEL', P .. 'j:' .. id)
        end
      end
    end
    local running = redis.call('GET', r)
    if running and redis.call('HGET', P .. 'j:' .. running, 'kind') == 'send' then
      redis.call('HSET', P .. 'j:' .. running, 'x', 1)  -- stopped at its next request
    end
  end
  local id = redis.call('INCR', P .. 'n')
  local j = P .. 'j:' .. id
  redis.call('HSET', j, 'c', chat, 'b', body, 'k', k, 'kind', kind, 's', 0, 'x', 0)
  redis.call('EXPIRE', j, ttl)
  local q = qn
  if urgent == '1' then q = qu end
  redis.call('RPUSH', q, id)
  redis.call('EXPIRE', q, ttl)
  redis.call('ZADD', P .. 'p', ARGV[6], k)
  ids[#ids + 1] = id
  if not seen[k] then
    seen[k] = true
    if leads(k) then led[#led + 1] = chat end
  end
end
redis.call('EXPIRE', P .. 'n', ttl)
redis.call('EXPIRE', P .. 'p', ttl)
return {1, ids, led}
"""
)

# ARGV[5] K, ARGV[6] the job done or ''. The chat's next job: {id, chat, body, s}, or
# nothing (another instance leads it, or it has nothing left: then the lease is let go).
_NEXT = (
    _PRELUDE
    + """
local k = ARGV[5]
local qu, qn, r, l = keys(k)
if ARGV[6] ~= '' then
  redis.call('DEL', P .. 'j:' .. ARGV[6])
  if redis.call('GET', r) == ARGV[6] then redis.call('DEL', r) end
end
if not leads(k) then return {} end
local id = redis.call('GET', r)
if id and redis.call('EXISTS', P .. 'j:' .. id) == 0 then
  redis.call('DEL', r)
  id = false
end
while not id do
  id = redis.call('LPOP', qu) or redis.call('LPOP', qn)
  if not id then
    redis.call('DEL', l)
    redis.call('ZREM', P .. 'p', k)
    return {}
  end
  if redis.call('EXISTS', P .. 'j:' .. id) == 0 then id = false end
end
redis.call('SET', r, id, 'EX', ttl)
local job = redis.call('HMGET', P .. 'j:' .. id, 'c', 'b', 's')
return {id, job[1], job[2], job[3]}
"""
)

# ARGV[5] job id: may its request leave? Not if an exit dropped it; else marked as sent.
_SENDING = """
local j = ARGV[1] .. 'j:' .. ARGV[2]
local x = redis.call('HGET', j, 'x')
if not x or x == '1' then return 0 end
redis.call('HSET', j, 's', 1)
return 1
"""

# ARGV[5..] Ks: renew the leases this instance holds.
_RENEW = (
    _PRELUDE
    + """
for n = 5, #ARGV do
  local _, _, _, l = keys(ARGV[n])
  if redis.call('GET', l) == me then redis.call('PEXPIRE', l, lease) end
end
return 0
"""
)

# ARGV[5..] Ks: let go of these leases (a stop), so that another instance claims them now.
_RELEASE = (
    _PRELUDE
    + """
for n = 5, #ARGV do
  local _, _, _, l = keys(ARGV[n])
  if redis.call('GET', l) == me then redis.call('DEL', l) end
end
return 0
"""
)

# ARGV[5] at most this many: chats with jobs and no lease (their instance died) taken over.
_CLAIM = (
    _PRELUDE
    + """
local taken = {}
for _, k in ipairs(redis.call('ZRANGE', P .. 'p', 0, -1)) do
  local qu, qn, r, l = keys(k)
  if redis.call('EXISTS', l) == 0 then
    local id = redis.call('GET', r) or redis.call('LINDEX', qu, 0) or redis.call('LINDEX', qn, 0)
    local chat = id and redis.call('HGET', P .. 'j:' .. id, 'c')
    if chat then
      redis.call('SET', l, me, 'PX', lease)
      taken[#taken + 1] = chat
      if #taken >= tonumber(ARGV[5]) then break end
    elseif not id then
      redis.call('ZREM', P .. 'p', k)
    else  -- a job gone by its TTL: its id is dropped
      redis.call('DEL', r)
      redis.call('LREM', qu, 0, id)
      redis.call('LREM', qn, 0, id)
    end
  end
end
return taken
"""
)


@dataclass(slots=True)
class Next:
    """A chat's next job, and whether its request may already have left (its sender died)."""

    job: Job
    maybe_sent: bool


class RedisOutbox:
    """The outbox in Redis (see the module's docstring); `calls` counts round trips."""

    shared = True

    def __init__(
        self, client: aioredis.Redis, secret: bytes, bot_id: str, prefix: str = "helpline:"
    ):
        self.client, self.secret = client, secret
        self.prefix = f"{prefix}o:{bot_id}:"
        self.me = secrets.token_hex(8)  # this instance, for the leases
        self.calls = 0
        self._put = client.register_script(_PUT)
        self._next = client.register_script(_NEXT)
        self._sending = client.register_script(_SENDING)
        self._renew = client.register_script(_RENEW)
        self._claim = client.register_script(_CLAIM)
        self._release = client.register_script(_RELEASE)

    @classmethod
    def from_url(cls, url: str, secret: bytes, bot_id: str) -> RedisOutbox:
        return cls(aioredis.Redis.from_url(url), secret, bot_id)

    def key(self, chat_id: int) -> str:
        return chat_key(self.secret, chat_id).hex()

    def _args(self, *more: Any) -> list[Any]:
        return [self.prefix, self.me, int(LEASE * 1000), TTL, *more]

    async def _call(self, script: Any, args: list[Any]) -> Any:
        self.calls += 1
        return await script(args=args)

    # -- the Outbox interface -------------------------------------------------------------

    async def open(self) -> RedisOutbox:
        await self.client.ping()
        return self

    async def seen(self, update_id: int) -> bool:
        self.calls += 1
        return bool(await self.client.exists(f"{self.prefix}u:{update_id}"))

    async def put(
        self, jobs: list[Job], update_id: int | None = None, dropped: Iterable[int] = ()
    ) -> list[int] | None:
        """Keep the jobs and claim the update at once; None if another instance had it.

        Returns the chats this instance now leads (it must send their jobs).
        """
        args = self._args("" if update_id is None else update_id, repr(time.time()))
        for job in jobs:
            kind = job.kind.value
            args += [self.key(job.chat_id), job.chat_id, encode(job), int(job.urgent), kind]
        answer = await self._call(self._put, args)
        if not answer[0]:
            return None
        for job, job_id in zip(jobs, answer[1], strict=True):
            job.id = int(job_id)
        return [int(chat) for chat in answer[2]]

    async def next(self, chat_id: int, done: int | None = None) -> Next | None:
        """Delete `done`; the chat's next job if this instance leads it (else None)."""
        args = self._args(self.key(chat_id), "" if done is None else done)
        answer = await self._call(self._next, args)
        if not answer:
            return None
        job_id, chat, body, sent = answer
        return Next(decode(int(job_id), int(chat), _text(body)), _text(sent) == "1")

    async def sending(self, job_id: int) -> bool:
        """Mark the job's request as leaving; False if an exit dropped it meanwhile."""
        self.calls += 1
        return bool(await self._sending(args=[self.prefix, job_id]))

    def done(self, job_ids: Iterable[int]) -> None:
        """Done through `next` (which also says what comes after)."""

    async def renew(self, chat_ids: Iterable[int]) -> None:
        keys = [self.key(chat) for chat in chat_ids]
        if keys:
            await self._call(self._renew, self._args(*keys))

    async def release(self, chat_ids: Iterable[int]) -> None:
        keys = [self.key(chat) for chat in chat_ids]
        if keys:
            await self._call(self._release, self._args(*keys))

    async def claim(self, at_most: int = 100) -> list[int]:
        """Chats left by an instance that died (their lease lapsed), now this one's."""
        return [int(chat) for chat in await self._call(self._claim, self._args(at_most))]

    async def waiting(self) -> Waiting:
        """Nothing here: a dead instance's chats are taken over by `claim`, by any instance."""
        return Waiting()

    async def close(self) -> None:
        await self.client.aclose()


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value
