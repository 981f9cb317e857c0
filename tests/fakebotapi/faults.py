"""Faults on demand, for the next N calls of a method: an error status, a delay, a drop."""

from __future__ import annotations

import threading
from dataclasses import dataclass


@dataclass
class Fault:
    """How to answer the next `times` calls of `method` instead of the normal answer."""

    method: str
    times: int
    status: int = 0  # answer with this error status (0: answer normally)
    description: str = ""
    retry_after: int | None = None
    delay: float = 0.0  # wait this long before answering
    drop: bool = False  # close the connection without an answer

    def body(self) -> dict[str, object]:
        answer: dict[str, object] = {
            "ok": False,
            "error_code": self.status,
            "description": self.description,
        }
        if self.retry_after is not None:
            answer["parameters"] = {"retry_after": self.retry_after}
        return answer


class Faults:
    """The faults still to come, taken in the order they were added."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._waiting: list[Fault] = []

    def fail(
        self,
        method: str,
        status: int = 500,
        *,
        times: int = 1,
        retry_after: int | None = None,
        description: str = "",
    ) -> None:
        """Answer the next `times` calls of `method` with an error (429 + retry_after, 500...)."""
        if retry_after is not None and status == 500:
            status = 429
        text = description or {429: "Too Many Requests: retry after"}.get(status, "Internal error")
        self._add(Fault(method, times, status, text, retry_after))

    def slow(self, method: str, seconds: float, *, times: int = 1) -> None:
        """Answer the next `times` calls of `method` after `seconds`."""
        self._add(Fault(method, times, delay=seconds))

    def drop(self, method: str, *, times: int = 1) -> None:
        """Close the connection without answering the next `times` calls of `method`."""
        self._add(Fault(method, times, drop=True))

    def take(self, method: str) -> Fault | None:
        """The fault for this call of `method`, if one is waiting (it is used up by one)."""
        with self._lock:
            for fault in self._waiting:
                if fault.method == method and fault.times > 0:
                    fault.times -= 1
                    return fault
        return None

    def _add(self, fault: Fault) -> None:
        with self._lock:
            self._waiting.append(fault)
