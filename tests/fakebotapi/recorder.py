"""Every call the bot made, with its decoded parameters and the status it was answered."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass
class Call:
    """One request the bot made."""

    method: str
    params: dict[str, Any]
    files: dict[str, bytes]
    at: float  # time.perf_counter() when the request arrived
    status: int = 0  # HTTP status answered (0 while in progress or dropped)
    result: Any = None


class Recorder:
    """The calls in arrival order; waiters are woken through the shared `lock`."""

    def __init__(self, lock: threading.Condition) -> None:
        self._lock = lock
        self._calls: list[Call] = []

    def record(self, method: str, params: dict[str, Any], files: dict[str, bytes]) -> Call:
        call = Call(method, params, files, time.perf_counter())
        with self._lock:
            self._calls.append(call)
        return call

    def finish(self, call: Call, status: int, result: Any) -> None:
        with self._lock:
            call.status, call.result = status, result
            self._lock.notify_all()

    @property
    def calls(self) -> list[Call]:
        with self._lock:
            return list(self._calls)

    def wait_for(
        self,
        method: str,
        count: int = 1,
        *,
        timeout: float = 5.0,
        where: Callable[[Call], bool] | None = None,
    ) -> list[Call]:
        """Block until `count` answered calls of `method` (matching `where`) were made."""

        def matching() -> list[Call]:
            return [
                c
                for c in self._calls
                if c.method == method and c.status and (where is None or where(c))
            ]

        deadline = time.monotonic() + timeout
        with self._lock:
            while len(found := matching()) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    seen = ", ".join(f"{c.method}:{c.status}" for c in self._calls[-15:])
                    raise TimeoutError(
                        f"{len(found)} of {count} {method} calls after {timeout}s; last: {seen}"
                    )
                self._lock.wait(left)
            return found
