"""Run one function in a fresh, short-lived Python process.

For rare work with heavy imports: drawing a chart (matplotlib and numpy, about 40 MB)
and building the store (sqlite-utils, which imports numpy when it is installed). The
bot's own process never loads them, and the child's memory goes back to the system as
soon as it ends, instead of staying with the bot for the rest of its life.
"""

from __future__ import annotations

import multiprocessing
import signal
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")


def _ignore_interrupts() -> None:
    """In the child: Ctrl-C in a terminal reaches the whole process group, and the child's
    KeyboardInterrupt would come back as the bot's. The bot stops it, on its own terms."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def run_in_child(function: Callable[..., T], *args: Any, timeout: float) -> T:
    """function(*args) in a new process, its result returned and its exception raised here.

    "spawn" starts a clean interpreter rather than forking this one, which has threads
    (a fork can copy a lock some other thread holds). function and args must pickle.
    A child that dies raises BrokenProcessPool; past `timeout` seconds the child is
    killed and TimeoutError raised.
    """
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        max_workers=1, mp_context=context, initializer=_ignore_interrupts
    ) as pool:
        future = pool.submit(function, *args)
        try:
            return future.result(timeout)
        except TimeoutError:
            # No public way to stop a running worker before Python 3.14 (kill_workers).
            for process in list(pool._processes.values()):
                process.kill()
            raise
