"""Carrying out jobs kept in Redis, with other instances: one instance at a time per chat.

The counterpart of bot.fronts.telegram.dispatch for several instances on one Redis
(bot.fronts.telegram.redis_outbox). An update's jobs go to its chat's queue in Redis,
whichever instance read it; the instance holding the chat's lease sends them, next by
next, in the order they reached Redis, urgent ones (danger, an exit, its note) first.
The lease is renewed while it works; when an instance dies its chats are claimed by
another once their leases lapse, and a send that may have left is treated as at a start
(an urgent one sent again; an ordinary one not, its chat marked as possibly not fully
erasable). An exit, from any instance, drops the chat's queued replies in Redis and
stops the one under way at its next request.

At most `limit` jobs are worked on at once by this instance; an urgent job takes the
next free place ahead of every ordinary one waiting.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from collections.abc import Awaitable, Callable

from bot.fronts.telegram.dispatch import STOP_GRACE, Carrier, Dropped
from bot.fronts.telegram.jobs import Job, Kind
from bot.fronts.telegram.logsafe import pseudonym
from bot.fronts.telegram.pacing import CONCURRENT_UPDATES, Slot, held_slot, request_gate
from bot.fronts.telegram.redis_outbox import RENEW_EVERY, Next, RedisOutbox

log = logging.getLogger(__name__)


class _Gate:
    """Before each request of a send: still wanted (no exit since)? Marked as leaving."""

    def __init__(self, job: Job, outbox: RedisOutbox):
        self.job, self.outbox = job, outbox

    async def before(self) -> None:
        job = self.job
        if job.cancelled:
            raise Dropped
        if job.kind is Kind.SEND:
            if not await self.outbox.sending(job.id):
                job.cancelled = True
                raise Dropped
            job.sending = True

    def after(self) -> None:
        self.job.sending = False


class _Slots:
    """`limit` places, given to urgent jobs (danger, an exit, its note) before the others."""

    def __init__(self, limit: int):
        self.free = limit
        self.waiting: tuple[deque[asyncio.Future[None]], ...] = (deque(), deque())

    async def acquire(self, urgent: bool = False) -> None:
        if self.free > 0 and not any(self.waiting):
            self.free -= 1
            return
        queue = self.waiting[0 if urgent else 1]
        turn: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        queue.append(turn)
        try:
            await turn
        except asyncio.CancelledError:
            if turn.done() and not turn.cancelled():
                self.release()  # given, then cancelled: passed on
            else:
                queue.remove(turn)
            raise

    def release(self) -> None:
        for queue in self.waiting:
            while queue:
                turn = queue.popleft()
                if not turn.done():
                    turn.set_result(None)
                    return
        self.free += 1


class _Slot(Slot):
    """A job's place; an urgent job's is taken ahead of ordinary ones, also after a wait."""

    def __init__(self, slots: _Slots, urgent: bool):
        self.slots_ = slots
        self.urgent = urgent
        self.held = False

    async def take(self) -> None:
        await self.slots_.acquire(self.urgent)
        self.held = True

    def give(self) -> None:
        if self.held:
            self.held = False
            self.slots_.release()


class SharedDispatcher(Carrier):
    """The Dispatcher's interface (put, restore, start, stop, run, failed) over Redis."""

    def __init__(self, outbox: RedisOutbox, limit: int = CONCURRENT_UPDATES):
        super().__init__(limit)
        self.outbox = outbox
        self.mark_lost: Callable[[int], Awaitable[None]] | None = None
        self._slots = _Slots(limit)
        self._workers: dict[int, asyncio.Task[None]] = {}  # chats led here, and their worker
        self._again: set[int] = set()  # chats put to while their worker was finishing
        self._running: dict[int, tuple[Job, asyncio.Task[None]]] = {}
        self._keeper: asyncio.Task[None] | None = None
        self._started = False

    # -- putting jobs in -----------------------------------------------------------------------

    def put(self, jobs: list[Job], update_id: int | None = None) -> Awaitable[None]:
        """Keep an update's jobs in Redis; an exit stops its chat's reply under way here."""
        for job in jobs:
            if job.kind is Kind.ERASE and job.chat_id in self._running:
                running, task = self._running[job.chat_id]
                if running.kind is Kind.SEND:
                    running.cancelled = True
                    if not running.sending:
                        task.cancel()
        return self._keep(jobs, update_id)

    async def _keep(self, jobs: list[Job], update_id: int | None) -> None:
        if not jobs and update_id is None:
            return
        led = await self.outbox.put(jobs, update_id)
        if led is None:
            log.info("an update delivered twice was answered once")
            return
        for chat_id in led:
            self._lead(chat_id)

    def restore(self, jobs: list[Job]) -> None:
        """Nothing to restore: what instances left is claimed from Redis."""

    def _lead(self, chat_id: int) -> None:
        if not self._started:
            return  # claimed once started
        if chat_id in self._workers:
            self._again.add(chat_id)
            return
        self._workers[chat_id] = asyncio.create_task(self._work(chat_id))

    # -- working through them ------------------------------------------------------------------

    def start(self) -> None:
        self._started = True
        self._keeper = asyncio.create_task(self._keep_leases())

    async def stop(self, grace: float = STOP_GRACE) -> None:
        """Start nothing more; give the jobs under way `grace` seconds, then stop them.

        What is not done stays in Redis, its lease let go: another instance takes it.
        """
        self._started = False
        if self._keeper is not None:
            self._keeper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._keeper
        led = list(self._workers)
        workers = set(self._workers.values())
        if workers:
            await asyncio.wait(workers, timeout=grace)
        for task in workers:
            task.cancel()
        if workers:
            await asyncio.wait(workers)
        try:  # another instance takes these chats now, not when their leases lapse
            await self.outbox.release(led)
        except Exception as error:
            log.warning("could not let go of the chat leases (%s)", type(error).__name__)

    async def _keep_leases(self) -> None:
        """Renew the leases held; take over the chats of an instance that died."""
        while True:
            try:
                await self.outbox.renew(list(self._workers))
                for chat_id in await self.outbox.claim():
                    self._lead(chat_id)
            except Exception as error:  # Redis away: tried again
                log.warning("could not renew the chat leases (%s)", type(error).__name__)
            await asyncio.sleep(RENEW_EVERY)

    async def _work(self, chat_id: int) -> None:
        done: int | None = None
        try:
            while True:
                try:
                    following = await self.outbox.next(chat_id, done)
                except Exception as error:
                    log.error("the outbox could not be read (%s)", type(error).__name__)
                    await asyncio.sleep(RENEW_EVERY)
                    continue
                done = None
                if following is None:
                    if chat_id in self._again and self._started:
                        self._again.discard(chat_id)
                        continue
                    break
                done = await self._one(following)
        finally:
            self._workers.pop(chat_id, None)
            self._again.discard(chat_id)

    async def _one(self, following: Next) -> int | None:
        """Carry out one job; its id once done (None: stopped, kept for another instance)."""
        job = following.job
        if following.maybe_sent and not job.urgent:
            if self.mark_lost is not None:
                await self.mark_lost(job.chat_id)
            log.info("a reply in chat %s may have been sent before a stop", pseudonym(job.chat_id))
            return job.id
        slot = _Slot(self._slots, job.urgent)
        await slot.take()
        task = asyncio.current_task()
        assert task is not None
        self._running[job.chat_id] = (job, task)
        tokens = held_slot.set(slot), request_gate.set(_Gate(job, self.outbox))
        try:
            assert self.run is not None
            await self.run(job)
        except asyncio.CancelledError:
            if not job.cancelled:  # the bot is stopping: kept for the next instance
                raise
            task.uncancel()
        except Dropped:
            pass
        except Exception as error:
            await self._failed(job, error)
        finally:
            slot.give()
            held_slot.reset(tokens[0])
            request_gate.reset(tokens[1])
            self._running.pop(job.chat_id, None)
        return job.id
