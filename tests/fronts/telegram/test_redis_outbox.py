"""The Redis outbox on a real redis-server, two instances' outboxes side by side.

An update is claimed once with its jobs; a chat's jobs come out in the order they reached
Redis whichever instance put them, from the instance that holds the chat's lease only; a
dead instance's chat is taken over when its lease lapses, its send marked as possibly
sent; an exit drops the queued replies and stops the one under way; every key expires;
no chat id in any key.
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Iterator

import pytest
import redis.asyncio as aioredis

from bot.domain.models import Reply
from bot.fronts.telegram import redis_outbox
from bot.fronts.telegram.jobs import erase_job, send_job
from bot.fronts.telegram.redis_outbox import RedisOutbox
from bot.session.events import Send

SECRET = b"0123456789abcdef0123456789abcdef"
CHAT = 424242


@pytest.fixture
def url(redis_url: str) -> Iterator[str]:
    yield redis_url.rsplit("/", 1)[0] + "/6"


def _send(text: str, intent: str = "figures") -> Send:
    return Send(Reply(text, [], intent=intent))


async def _pair(url: str) -> tuple[RedisOutbox, RedisOutbox]:
    bot_id = secrets.token_hex(4)  # keys of this test only
    return RedisOutbox.from_url(url, SECRET, bot_id), RedisOutbox.from_url(url, SECRET, bot_id)


def test_an_update_is_claimed_once_and_a_chat_comes_out_in_order_from_its_leader(
    url: str,
) -> None:
    async def main() -> None:
        a, b = await _pair(url)
        assert await a.put([send_job(CHAT, _send("one"))], update_id=1) == [CHAT]  # a leads
        assert await b.put([send_job(CHAT, _send("again"))], update_id=1) is None  # seen
        assert await b.seen(1)
        assert await b.put([send_job(CHAT, _send("two"))], update_id=2) == []  # a leads
        assert await b.next(CHAT) is None  # not b's to send
        got = []
        following = await a.next(CHAT)
        while following is not None:
            assert following.job.send is not None
            got.append(following.job.send.reply.text)
            following = await a.next(CHAT, following.job.id)
        assert got == ["one", "two"]
        assert await b.put([send_job(CHAT, _send("three"))], update_id=3) == [CHAT]  # let go
        await a.close()
        await b.close()

    asyncio.run(main())


def test_an_exit_drops_queued_replies_and_stops_the_one_under_way(url: str) -> None:
    async def main() -> None:
        a, b = await _pair(url)
        jobs = [send_job(CHAT, _send(f"reply {n}")) for n in range(5)]
        await a.put(jobs, update_id=10)
        running = await a.next(CHAT)
        assert running is not None
        await b.put([erase_job(CHAT)], update_id=11)  # pressed through the other instance
        assert not await a.sending(running.job.id)  # its request is stopped at the gate
        following = await a.next(CHAT, running.job.id)
        assert following is not None and following.job.send is None  # the erase, next
        assert await a.next(CHAT, following.job.id) is None  # the other four: gone
        await a.close()
        await b.close()

    asyncio.run(main())


def test_a_dead_instances_chat_is_taken_over_its_send_marked_as_possibly_sent(
    url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(redis_outbox, "LEASE", 0.3)

    async def main() -> None:
        a, b = await _pair(url)
        await a.put([send_job(CHAT, _send("one")), send_job(CHAT, _send("two"))], update_id=20)
        running = await a.next(CHAT)
        assert running is not None
        assert await a.sending(running.job.id)  # then a dies, its request out
        assert await b.claim() == []  # the lease still holds
        await asyncio.sleep(0.4)
        assert await b.claim() == [CHAT]
        first = await b.next(CHAT)
        assert first is not None and first.maybe_sent and first.job.id == running.job.id
        second = await b.next(CHAT, first.job.id)
        assert second is not None and not second.maybe_sent
        await a.close()
        await b.close()

    asyncio.run(main())


def test_every_key_expires_and_none_holds_the_chat_id(url: str) -> None:
    async def main() -> None:
        a, _ = await _pair(url)
        await a.put([send_job(CHAT, _send("one")), send_job(CHAT, _send("two"))], update_id=30)
        await a.next(CHAT)
        client = aioredis.Redis.from_url(url)
        keys = [key async for key in client.scan_iter(match=a.prefix + "*")]
        assert len(keys) >= 6
        for key in keys:
            assert await client.ttl(key) > 0, key
            assert str(CHAT).encode() not in key
        await client.aclose()
        await a.close()

    asyncio.run(main())


def test_a_stopping_instance_lets_its_chats_go_at_once(url: str) -> None:
    async def main() -> None:
        a, b = await _pair(url)
        await a.put([send_job(CHAT, _send("one"))], update_id=40)
        assert await b.claim() == []
        await a.release([CHAT])
        assert await b.claim() == [CHAT]
        await a.close()
        await b.close()

    asyncio.run(main())
