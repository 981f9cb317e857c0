"""Run a bot's serving coroutine in a thread with its own event loop, for blocking tests."""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Awaitable, Callable


class AppThread:
    """Run `serve(stop_event)` in a thread with its own event loop until stopped.

    An exception raised by `serve` is raised again by `stop()` (and so on leaving a
    `with` block), so a bot that crashed fails the test.
    """

    def __init__(self, serve: Callable[[asyncio.Event], Awaitable[None]]):
        self._serve = serve
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._started = threading.Event()
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._main, daemon=True)

    def _main(self) -> None:
        async def main() -> None:
            self._loop, self._stop = asyncio.get_running_loop(), asyncio.Event()
            self._started.set()
            await self._serve(self._stop)

        try:
            asyncio.run(main())
        except BaseException as error:  # reported by stop()
            self._error = error
        finally:
            self._started.set()

    def start(self) -> AppThread:
        self._thread.start()
        self._started.wait(10)
        return self

    def stop(self, timeout: float = 10) -> None:
        if self._loop is not None and self._stop is not None and not self._loop.is_closed():
            with contextlib.suppress(RuntimeError):  # the loop closed meanwhile
                self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(timeout)
        if self._thread.is_alive():
            raise TimeoutError("the bot did not stop")
        if self._error is not None:
            raise self._error

    @property
    def alive(self) -> bool:
        return self._thread.is_alive()

    def __enter__(self) -> AppThread:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
