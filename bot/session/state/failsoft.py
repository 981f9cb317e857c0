"""A store that fails never silences a reply: each call falls back to its safest answer.

A disk that fills or a Redis server that goes away mid-run must not stop a danger reply
or a quick exit. While the store fails, every call answers what is safest without it,
and one warning (the error's type only) is logged at most every LOG_EVERY seconds:

- lost_some: True (the exit then says something may remain, and how to delete the chat);
- discreet: True (quiet, plain notifications for everyone, rather than loud for one who
  asked for quiet);
- first_delivery: True (an update answered twice rather than never);
- recent: [] (the exit deletes nothing it cannot name, and says so: lost_some);
- context, language: None; remember: False; the rest do nothing;
- load: no context, no language, discreet on; save: False (nothing new remembered).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable, Iterable
from typing import Any, TypeVar

from bot.domain.models import Context
from bot.session.state.changes import ChatChange, ChatView

log = logging.getLogger(__name__)

T = TypeVar("T")
LOG_EVERY = 10.0  # seconds between warnings while the store fails
_SAFE_VIEW = ChatView(context=None, language=None, discreet=True)


class FailSoft:
    """Wraps a durable ChatState; `errors` are the store's own failures (others raise)."""

    def __init__(self, inner: Any, errors: tuple[type[BaseException], ...]):
        self.inner = inner
        self._errors = errors
        self._logged = 0.0
        self.failures = 0

    async def _call(self, what: str, default: T, call: Callable[[], Awaitable[T]]) -> T:
        try:
            return await call()
        except self._errors as error:
            self.failures += 1
            now = time.monotonic()
            if now - self._logged >= LOG_EVERY:
                self._logged = now
                log.warning(
                    "the chat state failed (%s in %s); answering without it",
                    type(error).__name__,
                    what,
                )
            return default

    async def remember(self, chat_id: int, message_id: int, sent_at: float | None = None) -> bool:
        return await self._call(
            "remember", False, lambda: self.inner.remember(chat_id, message_id, sent_at)
        )

    async def recent(self, chat_id: int) -> list[int]:
        return await self._call("recent", [], lambda: self.inner.recent(chat_id))

    async def forget(self, chat_id: int, message_ids: Iterable[int]) -> None:
        ids = list(message_ids)
        await self._call("forget", None, lambda: self.inner.forget(chat_id, ids))

    async def lost_some(self, chat_id: int) -> bool:
        return await self._call("lost_some", True, lambda: self.inner.lost_some(chat_id))

    async def discreet(self, chat_id: int) -> bool:
        return await self._call("discreet", True, lambda: self.inner.discreet(chat_id))

    async def set_discreet(self, chat_id: int, on: bool) -> None:
        await self._call("set_discreet", None, lambda: self.inner.set_discreet(chat_id, on))

    async def context(self, chat_id: int) -> Context | None:
        return await self._call("context", None, lambda: self.inner.context(chat_id))

    async def set_context(self, chat_id: int, context: Context | None) -> None:
        await self._call("set_context", None, lambda: self.inner.set_context(chat_id, context))

    async def language(self, chat_id: int) -> str | None:
        return await self._call("language", None, lambda: self.inner.language(chat_id))

    async def set_language(self, chat_id: int, code: str | None) -> None:
        await self._call("set_language", None, lambda: self.inner.set_language(chat_id, code))

    async def mark_lost(self, chat_id: int) -> None:
        await self._call("mark_lost", None, lambda: self.inner.mark_lost(chat_id))

    async def first_delivery(self, update_id: int) -> bool:
        return await self._call(
            "first_delivery", True, lambda: self.inner.first_delivery(update_id)
        )

    async def load(self, chat_id: int) -> ChatView:
        return await self._call("load", _SAFE_VIEW, lambda: self.inner.load(chat_id))

    async def save(self, chat_id: int, change: ChatChange) -> bool:
        return await self._call("save", False, lambda: self.inner.save(chat_id, change))

    # -- the store's own life: not softened ----------------------------------------------

    async def check(self) -> None:
        check = getattr(self.inner, "check", None)
        if check is not None:
            await check()

    async def aclose(self) -> None:
        aclose = getattr(self.inner, "aclose", None)
        if aclose is not None:
            await aclose()
        elif hasattr(self.inner, "close"):
            self.inner.close()
