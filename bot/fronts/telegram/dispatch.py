"""Carrying out jobs: urgent ones first, one chat's in order, a few at once, the exit at once.

Reading an update takes well under a millisecond; sending takes Telegram's pace (30
messages a second overall, about one a second per chat). So updates are read as soon as
they come (bot.fronts.telegram.intake) and what they leave to do waits here, per chat:

- a chat's jobs go one at a time, urgent ones (danger, an exit, its note) before the
  rest; among chats, those with an urgent job are served first, then the others in turn;
- at most `limit` jobs are worked on at once, so an urgent one waits behind at most that
  many requests (a job waiting for its chat's pace or a drawing gives its slot back);
- an exit drops every reply of its chat not yet sent, stops the one under way unless its
  request is already on its way (then that message is recorded when it lands, and the
  erase waits for it), and runs next.

While a job waits it holds what the order needs; its reply stays in the outbox when the
outbox can give it back (SQLite), and is read back when its turn comes.

A job is deleted from the outbox once done, dropped or failed; one interrupted by a stop
stays for the next start.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from telegram.error import Forbidden

from bot.fronts.telegram.jobs import Job, Kind
from bot.fronts.telegram.logsafe import pseudonym
from bot.fronts.telegram.outbox import Outbox
from bot.fronts.telegram.pacing import CONCURRENT_UPDATES, Slot, held_slot, request_gate

log = logging.getLogger(__name__)

STOP_GRACE = 1.0  # seconds jobs under way get to finish when the bot stops


class Dropped(Exception):
    """A reply stopped by its chat's quick exit before its request left."""


@dataclass(slots=True)
class _Line:
    """One chat's jobs waiting, in the order they came, and the one under way.

    One list, not one per kind: most chats have a single job waiting, and in a burst of
    thousands of chats an empty deque each (about 600 bytes) outweighed the job itself.
    """

    waiting: list[Job] = field(default_factory=list)
    urgent: int = 0  # how many of them are urgent
    running: Job | None = None
    task: asyncio.Task[None] | None = None
    epoch: int = 0  # exits so far: a send from before the latest exit is dropped
    uncommitted: int = 0  # jobs put but not yet kept by the outbox

    @property
    def idle(self) -> bool:
        return not (self.waiting or self.running or self.uncommitted)

    def append(self, job: Job) -> None:
        self.waiting.append(job)
        self.urgent += job.urgent

    def take(self) -> Job:
        """The next job: the first urgent one if any, else the first."""
        if self.urgent:
            index = next(i for i, job in enumerate(self.waiting) if job.urgent)
            self.urgent -= 1
            return self.waiting.pop(index)
        return self.waiting.pop(0)


class _Gate:
    """Sees each request of one job just before it leaves (pacing.request_gate)."""

    def __init__(self, job: Job, outbox: Outbox):
        self.job, self.outbox, self.marked = job, outbox, False

    async def before(self) -> None:
        job = self.job
        if job.cancelled:
            raise Dropped
        if job.kind is Kind.SEND:
            job.sending = True
            if not self.marked:  # from here on a crash may leave it sent: never send it twice
                self.marked = True
                await self.outbox.sending(job.id)

    def after(self) -> None:
        self.job.sending = False


class Carrier:
    """What both dispatchers share: `run` carries a job out, `failed` hears of a failure
    (to keep the apology note), and what a failure logs."""

    def __init__(self, limit: int):
        if limit < 1:
            raise ValueError("limit must be a positive integer")
        self.limit = limit
        self.run: Callable[[Job], Awaitable[None]] | None = None
        self.failed: Callable[[Job], Awaitable[None]] | None = None

    async def _failed(self, job: Job, error: Exception) -> None:
        chat = pseudonym(job.chat_id)
        if isinstance(error, Forbidden):
            log.info("chat %s has blocked the bot", chat)
            return
        log.error("update failed in chat %s (its %s)", chat, job.kind.value, exc_info=error)
        if job.apology or self.failed is None:
            return  # the note itself failed: nothing more to say
        try:
            await self.failed(job)
        except Exception as again:  # the outbox: logged, the bot goes on
            log.error("could not keep the note for chat %s (%s)", chat, type(again).__name__)


class Dispatcher(Carrier):
    """Jobs per chat, urgent first; `run` carries one out, `failed` hears of a failure."""

    def __init__(self, outbox: Outbox, limit: int = CONCURRENT_UPDATES):
        super().__init__(limit)
        self.outbox = outbox
        self._slots = asyncio.BoundedSemaphore(limit)
        self._lines: dict[int, _Line] = {}
        self._urgent: dict[int, None] = {}  # chats ready with an urgent job, oldest first
        self._normal: dict[int, None] = {}  # chats ready with an ordinary job, in turn
        self._wake = asyncio.Event()
        self._serving: asyncio.Task[None] | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    # -- putting jobs in -----------------------------------------------------------------------

    def put(self, jobs: list[Job], update_id: int | None = None) -> Awaitable[None]:
        """Take an update's jobs in order now; await the result until the outbox keeps them.

        An exit among them drops its chat's replies not yet sent, at once.
        """
        dropped: list[int] = []
        for job in jobs:
            line = self._lines.setdefault(job.chat_id, _Line())
            if job.kind is Kind.ERASE:
                line.epoch += 1
                dropped += self._drop_sends(line)
                self._stop_running(line)
            job.epoch = line.epoch
            line.uncommitted += 1
        return self._keep(jobs, update_id, dropped)

    async def _keep(self, jobs: list[Job], update_id: int | None, dropped: list[int]) -> None:
        try:
            await self.outbox.put(jobs, update_id, dropped)
        except BaseException:
            for job in jobs:
                self._settle(job.chat_id, uncommitted=1)
            raise
        for job in jobs:
            line = self._lines[job.chat_id]
            line.uncommitted -= 1
            if job.kind is Kind.SEND and job.epoch < line.epoch:
                self.outbox.done([job.id])  # an exit came after it: never sent
            else:
                self._hold(job)
                line.append(job)
            self._settle(job.chat_id)

    def restore(self, jobs: list[Job]) -> None:
        """Jobs the outbox kept from before a start: queued as they were, in order."""
        for job in jobs:
            line = self._lines.setdefault(job.chat_id, _Line())
            self._hold(job)
            line.append(job)
            self._settle(job.chat_id)

    def _hold(self, job: Job) -> None:
        """A job as it waits: without its reply when the outbox gives it back, else packed."""
        if self.outbox.keeps_replies:
            job.shed()
        else:
            job.pack()

    def _drop_sends(self, line: _Line) -> list[int]:
        dropped = [job.id for job in line.waiting if job.kind is Kind.SEND]
        line.waiting = [job for job in line.waiting if job.kind is not Kind.SEND]
        line.urgent = sum(job.urgent for job in line.waiting)
        return dropped

    def _stop_running(self, line: _Line) -> None:
        job = line.running
        if job is None or job.kind is not Kind.SEND:
            return
        job.cancelled = True  # its next request is stopped at the gate
        if not job.sending and line.task is not None:
            line.task.cancel()  # waiting (its pace, a drawing, the limit): stop now

    def _settle(self, chat_id: int, uncommitted: int = 0) -> None:
        """Mark a chat ready (urgent or not) or forget it when it has nothing left."""
        line = self._lines.get(chat_id)
        if line is None:
            return
        line.uncommitted -= uncommitted
        if line.running is not None:
            return
        if line.urgent:
            self._normal.pop(chat_id, None)
            self._urgent.setdefault(chat_id)
            self._wake.set()
        elif line.waiting:
            if chat_id not in self._urgent:
                self._normal.setdefault(chat_id)
            self._wake.set()
        elif line.idle:
            del self._lines[chat_id]

    # -- working through them ------------------------------------------------------------------

    def start(self) -> None:
        self._serving = asyncio.create_task(self._serve())

    async def stop(self, grace: float = STOP_GRACE) -> None:
        """Start nothing more; give the jobs under way `grace` seconds, then stop them."""
        if self._serving is not None:
            self._serving.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._serving
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=grace)
        for task in list(self._tasks):
            task.cancel()
        if self._tasks:
            await asyncio.wait(set(self._tasks))

    async def _serve(self) -> None:
        while True:
            # Work first, then a slot: a slot held while waiting for work could be the one a
            # job waiting to take its own back needs.
            while not self._ready():
                self._wake.clear()
                await self._wake.wait()
            slot = Slot(self._slots)
            await slot.take()
            chat_id = self._ready()
            if chat_id is None:  # taken by an exit meanwhile
                slot.give()
                continue
            for ready in (self._urgent, self._normal):
                ready.pop(chat_id, None)
            line = self._lines[chat_id]
            job = line.take()
            job.unpack()
            line.running = job
            line.task = task = asyncio.create_task(self._carry_out(job, slot))
            self._tasks.add(task)
            # Not a `finally` in _carry_out: a task cancelled (by an exit) before it has
            # started never runs its body, and its chat and slot would be held for good.
            task.add_done_callback(functools.partial(self._finished, job=job, slot=slot, line=line))

    def _ready(self) -> int | None:
        """The chat to serve next (urgent ones first), dropping chats with nothing to do."""
        for ready in (self._urgent, self._normal):
            while ready:
                chat_id = next(iter(ready))
                line = self._lines.get(chat_id)
                if line is not None and line.running is None and line.waiting:
                    return chat_id
                del ready[chat_id]
        return None

    async def _carry_out(self, job: Job, slot: Slot) -> None:
        gate = _Gate(job, self.outbox)
        tokens = held_slot.set(slot), request_gate.set(gate)
        try:
            assert self.run is not None
            if job.shed_reply:  # its reply, read back from the outbox for its turn
                job.send, job.shed_reply = await self.outbox.reply(job.id), False
                if job.send is None:  # no longer kept: nothing to send
                    log.warning("a reply for chat %s was gone", pseudonym(job.chat_id))
                    raise Dropped
            await self.run(job)
        except asyncio.CancelledError:
            if not job.cancelled:  # the bot is stopping: kept for the next start
                raise
        except Dropped:
            pass
        except Exception as error:
            await self._failed(job, error)
        finally:
            held_slot.reset(tokens[0])
            request_gate.reset(tokens[1])

    def _finished(self, task: asyncio.Task[None], job: Job, slot: Slot, line: _Line) -> None:
        """A job's end, however it came: its slot given back, its chat free for the next."""
        self._tasks.discard(task)
        slot.give()
        line.running, line.task = None, None
        if not (task.cancelled() and not job.cancelled):  # else kept for the next start
            self.outbox.done([job.id])
        self._settle(job.chat_id)
