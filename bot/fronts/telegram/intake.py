"""Taking updates in: each read at once, its jobs kept, and only then acknowledged.

An update is acknowledged when Telegram will not send it again: the webhook's 200, or a
getUpdates whose offset is past it. Here that happens only once the update has been read
(python-telegram-bot's own handlers, through Application.process_update) and the jobs it
left are in the outbox, with its update id: after a crash nothing acknowledged is lost,
and an update delivered again is answered once.

Long polling is this module's own loop over Bot.get_updates, because python-telegram-bot's
Updater confirms a batch as soon as it asks for the next one, read or not. One chat's
updates are read in the order they came; different chats' at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from collections import Counter
from collections.abc import Sequence

from telegram import Bot, Update
from telegram.error import InvalidToken, TelegramError
from telegram.ext import Application

from bot.fronts.telegram.dispatch import Dispatcher
from bot.fronts.telegram.handlers import TelegramFront
from bot.fronts.telegram.outbox import Outbox
from bot.fronts.telegram.updates import UpdatesRequest

log = logging.getLogger(__name__)

MAX_POLL_PAUSE = 30.0  # seconds between getUpdates attempts at most, while they fail


class Intake:
    """Reads updates through the Application and keeps what they leave in the outbox."""

    def __init__(self, app: Application, front: TelegramFront, outbox: Outbox):
        self.app, self.front, self.outbox = app, front, outbox
        self.dispatcher: Dispatcher = front.dispatcher
        self._locks: dict[int, asyncio.Lock] = {}
        self._users: Counter[int] = Counter()
        self._taking: set[int] = set()

    async def take(self, update: Update) -> None:
        """Read one update; return once what it left to do is kept (or it was a repeat).

        Raises OutboxError if it could not be kept: the update must not be acknowledged.
        """
        chat = update.effective_chat
        key = chat.id if chat is not None else 0
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._users[key] += 1
        try:
            async with lock:  # one chat's updates in the order they came
                kept = await self._read(update)
        finally:
            self._users[key] -= 1
            if not self._users[key]:
                del self._users[key], self._locks[key]
        if kept is not None:
            try:
                await kept
            finally:
                self._taking.discard(update.update_id)

    async def _read(self, update: Update) -> asyncio.Future[tuple[None, None]] | None:
        update_id = update.update_id
        if update_id in self._taking or await self.outbox.seen(update_id):
            log.info("an update delivered twice was answered once")
            return None
        self._taking.add(update_id)
        try:
            await self.app.process_update(update)
            await self.front.remember_left(update_id)  # a message no handler asked about
            jobs = self.front.collected.pop(update_id, [])
            # Put now, in this chat's order; the commit is awaited outside the chat's lock.
            put = asyncio.ensure_future(self.dispatcher.put(jobs, update_id))
        except BaseException:
            self.front.collected.pop(update_id, None)
            self.front.remembered.pop(update_id, None)
            self.front.drop_writes(update_id)
            self._taking.discard(update_id)
            raise
        # Meanwhile the chat's state is written, still in the chat's turn: its next update
        # reads what this one changed. Both are kept before the update is acknowledged.
        write = asyncio.ensure_future(self.front.write_state(update_id))
        await asyncio.wait([write])
        return asyncio.gather(put, write)

    async def take_all(self, updates: Sequence[Update]) -> int | None:
        """Take a batch at once; the offset that confirms what was kept (None: nothing)."""
        results = await asyncio.gather(*(self.take(u) for u in updates), return_exceptions=True)
        offset = None
        for update, result in zip(updates, results, strict=True):
            if isinstance(result, BaseException):
                log.error("an update could not be kept (%s)", type(result).__name__)
                break
            offset = update.update_id + 1
        return offset

    async def poll(
        self,
        bot: Bot,
        updates_request: UpdatesRequest,
        stop: asyncio.Event,
        timeout: float,
        allowed_updates: list[str],
    ) -> None:
        """Long polling until `stop`: the offset moves on only past updates kept.

        `updates_request` is the bot's getUpdates connection, which hands over the
        updates unread; they are read here, once each.
        """
        offset: int | None = None
        pause = 0.0
        while not stop.is_set():
            fetch = asyncio.ensure_future(
                bot.get_updates(
                    offset=offset,
                    timeout=dt.timedelta(seconds=timeout),
                    allowed_updates=allowed_updates,
                )
            )
            stopping = asyncio.ensure_future(stop.wait())
            await asyncio.wait({fetch, stopping}, return_when=asyncio.FIRST_COMPLETED)
            stopping.cancel()
            if not fetch.done():
                fetch.cancel()
                with contextlib.suppress(asyncio.CancelledError, TelegramError):
                    await fetch
                break
            try:
                fetch.result()
                updates = updates_request.take(bot)
            except InvalidToken:
                raise
            except TelegramError as error:
                # A growing pause, as python-telegram-bot's own polling; one line each time.
                pause = min(MAX_POLL_PAUSE, max(1.0, pause * 1.5))
                log.warning("getUpdates failed (%s); retrying", type(error).__name__)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), pause)
                continue
            pause = 0.0
            if updates:
                kept = await self.take_all(updates)
                offset = kept if kept is not None else offset
                if kept is None or kept <= updates[-1].update_id:  # the outbox failed: wait
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(stop.wait(), 1.0)
        if offset is not None:  # confirm what was kept, so a restart does not fetch it again
            with contextlib.suppress(TelegramError):
                await bot.get_updates(offset=offset, timeout=0, limit=1)
                updates_request.take(bot)
